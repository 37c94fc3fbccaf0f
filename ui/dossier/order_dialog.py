"""调整顺序: an item of the 卷内目录 moved to another position, with the reason why.

The binding order is the bureau's rule; departing from it is a person's decision that a
reviewer may question, so the reason is recorded with the move (and shown on the 目录 row).
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QSpinBox, QWidget

from ui.documents.lifecycle_dialogs import LifecycleDialog


class OrderDialog(LifecycleDialog):
    """The new position (1 … ``count``) of ``title`` and the reason; OK hands both on."""

    def __init__(
        self, title: str, position: int, count: int, parent: QWidget | None = None
    ) -> None:
        super().__init__("调整卷内顺序", "调整顺序", parent)
        note = QLabel(
            f"将“{title}”移到第几件。卷内顺序按立卷规则自动排列，调整须写明原因，原因记入操作日志。"
        )
        note.setWordWrap(True)
        self.position = QSpinBox()
        self.position.setRange(1, count)
        self.position.setValue(min(max(position, 1), count))
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(80)
        self.form.addRow(note)
        self.form.addRow("移到第几件：", self.position)
        self.form.addRow("原因：", self.reason)
        self.reason.setFocus()

    def reason_text(self) -> str:
        """The reason typed, without surrounding blanks."""
        return self.reason.toPlainText().strip()

    def chosen_position(self) -> int:
        """The 1-based position chosen."""
        return self.position.value()
