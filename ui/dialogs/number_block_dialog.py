"""文号号段: the administrator sets the 机关代字 and numbering convention, and enters the blocks
of serials the bureau allocated to this laptop.

A laptop takes 案号 and 文号 only from its own blocks, so two laptops working offline never
issue the same number (``docs/numbering.md``); without a block for the year no case can be
opened, which is why the dialog says so and shows what this laptop holds.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.numbering import MAX_SERIAL, Convention
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.numbering import (
    NumberingSettings,
    NumberingState,
    add_block,
    numbering_state,
    save_numbering_settings,
)
from ui.context import AppContext
from ui.errors import show_failure
from ui.widgets.form_parts import error_label

NO_BLOCKS = "本机还没有文号号段；没有当年的号段就不能立案和取号。"
BLOCK_HINT = "按区局分配给本机的号段录入；号段登记在上方已保存的机关代字下，不能与已有号段重叠。"
NOTICE_STYLE = "color: #1c6b32;"


class NumberBlockDialog(QDialog):
    """The numbering settings and this laptop's blocks; each change is saved at once."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("文号号段")
        self.setMinimumWidth(560)
        self._context = context
        self._setup_ui()
        self.reload()

    def _setup_ui(self) -> None:
        self.error = error_label()
        self.notice = QLabel()
        self.notice.setStyleSheet(NOTICE_STYLE)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        close.rejected.connect(self.reject)
        self._editable = (self._settings_box(), self._blocks_box())  # enabled once loaded
        layout = QVBoxLayout(self)
        layout.addWidget(self._editable[0])
        layout.addWidget(self._editable[1], 1)
        layout.addWidget(self.error)
        layout.addWidget(self.notice)
        layout.addWidget(close)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._default_for_focus)

    def _default_for_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Enter acts on the box the cursor is in: 保存设置 in the settings, 添加号段 in a
        block's numbers (a dialog's one default button would save the settings from there)."""
        for box, button in zip(self._editable, (self.save_button, self.add_button), strict=True):
            if new is not None and box.isAncestorOf(new):
                button.setDefault(True)

    def _settings_box(self) -> QGroupBox:
        self.prefix = QLineEdit()
        self.prefix.setPlaceholderText("如：深福")
        self.convention = QComboBox()
        for convention in Convention:
            self.convention.addItem(convention.label, convention.value)
        self.save_button = _button("保存设置", self.save_settings)
        box = QGroupBox("文号设置")
        form = QFormLayout(box)
        form.addRow("机关代字：", self.prefix)
        form.addRow("编号方式：", self.convention)
        form.addRow("", self.save_button)
        return box

    def _blocks_box(self) -> QGroupBox:
        self.blocks = QListWidget()
        self.year = _spin(2000, 2099, local_today().year)
        self.first = _spin(1, MAX_SERIAL, 1)
        self.last = _spin(1, MAX_SERIAL, 500)
        self.add_button = _button("添加号段", self.add_block)
        entry = QHBoxLayout()
        fields = (("年度：", self.year), ("起号：", self.first), ("止号：", self.last))
        for caption, field in fields:
            entry.addWidget(QLabel(caption))
            entry.addWidget(field)
        entry.addWidget(self.add_button)
        entry.addStretch()
        hint = QLabel(BLOCK_HINT)
        hint.setWordWrap(True)
        box = QGroupBox("本机号段")
        column = QVBoxLayout(box)
        column.addWidget(self.blocks, 1)
        column.addWidget(hint)
        column.addLayout(entry)
        return box

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the settings and this laptop's blocks in the background."""
        database, actor = self._context.database, self._context.actor
        self._set_editable(False)
        self._context.workers.run(
            lambda: numbering_state(database, actor),
            self._show,
            lambda error: show_failure(self, error, "文号设置读取失败"),
        )

    def _show(self, state: NumberingState) -> None:
        self.prefix.setText(state.settings.prefix)
        self.convention.setCurrentIndex(self.convention.findData(state.settings.convention.value))
        self.blocks.clear()
        self.blocks.addItems([block.label for block in state.blocks] or [NO_BLOCKS])
        self._set_editable(True)
        self._place_cursor()

    def _place_cursor(self) -> None:
        """Once the form is enabled: the 机关代字 if it is still empty, else the 起号 of a new
        block (unless the cursor is in the form already, after a save)."""
        if any(box.isAncestorOf(self.focusWidget()) for box in self._editable):
            return
        (self.first if self.prefix.text() else self.prefix).setFocus()

    def _set_editable(self, on: bool) -> None:
        for box in self._editable:
            box.setEnabled(on)

    # --- saving --------------------------------------------------------------------------

    def save_settings(self) -> None:
        """Save the prefix and convention (numbers already issued keep theirs)."""
        settings = NumberingSettings(self.prefix.text(), Convention(self.convention.currentData()))
        context = self._context
        self._attempt(
            lambda: save_numbering_settings(context.database, context.actor, settings),
            "文号设置已保存。",
        )

    def add_block(self) -> None:
        """Record the entered block for this laptop, or show why it was refused."""
        context = self._context
        year, first, last = self.year.value(), self.first.value(), self.last.value()
        self._attempt(
            lambda: add_block(context.database, context.actor, year, first, last),
            f"已录入{year}年第{first}–{last}号。",
        )

    def _attempt(self, change: Callable[[], object], done: str) -> None:
        self.notice.clear()
        try:
            change()
        except UserError as error:
            self.error.setText(error.message)
            return
        self.error.clear()
        self.notice.setText(done)
        self.reload()


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setGroupSeparatorShown(False)
    return spin


def _button(text: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.clicked.connect(slot)
    return button
