"""The small forms of an issued document's life: 送达 (how, when, to whom) and the reason asked
before a 更正 or a 作废.

Each dialog only collects what the user typed; the document editor hands it to the core, and
a refusal (a date before the issue, an empty reason …) is shown in the dialog, which stays open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QLineEdit, QPlainTextEdit, QWidget

from fuanjian_desktop.domain.procedure import SERVED_METHODS
from ui.widgets.form_parts import aligned_form, date_edit, error_label, lay_out_form_dialog

Submit = Callable[["LifecycleDialog"], None]


class LifecycleDialog(QDialog):
    """A form whose OK button hands the dialog to ``submit``; ``refused`` shows the core's
    answer and lets the user correct the form."""

    def __init__(self, title: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.form = aligned_form()
        self.message = error_label()
        self._submit: Submit | None = None
        self.ok_button = lay_out_form_dialog(self, self.form, self.message, self._ok, ok_text)

    def on_submit(self, submit: Submit) -> None:
        """What the OK button does (the editor runs the core call)."""
        self._submit = submit

    def _ok(self) -> None:
        self.ok_button.setEnabled(False)  # one click, one call
        self.message.clear()
        if self._submit is not None:
            self._submit(self)

    def refused(self, text: str) -> None:
        """Show why the core refused; the form stays as typed."""
        self.message.setText(text)
        self.ok_button.setEnabled(True)


class ServeDialog(LifecycleDialog):
    """送达: the method (直接送达 …), the date (not after today) and who signed for it."""

    def __init__(self, title: str, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(f"送达：{title}", "登记送达", parent)
        self.method = QComboBox()
        self.method.addItems(SERVED_METHODS)
        self.date = date_edit(today)
        self.date.setMaximumDate(QDate(today))
        self.recipient = QLineEdit()
        self.recipient.setPlaceholderText("签收人姓名；公告送达写公告方式")
        self.form.addRow("送达方式：", self.method)
        self.form.addRow("送达日期：", self.date)
        self.form.addRow("签收人：", self.recipient)

    def served_on(self) -> dt.date:
        """The date typed."""
        return self.date.date().toPython()  # type: ignore[no-any-return]


class ReasonDialog(LifecycleDialog):
    """更正 or 作废: the reason, recorded with the document and in the audit log."""

    def __init__(
        self, title: str, explanation: str, ok_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, ok_text, parent)
        note = QLabel(explanation)
        note.setWordWrap(True)
        self.reason = QPlainTextEdit()
        self.reason.setFixedHeight(90)
        self.form.addRow(note)
        self.form.addRow("原因：", self.reason)

    def reason_text(self) -> str:
        """The reason typed, without surrounding blanks."""
        return self.reason.toPlainText().strip()
