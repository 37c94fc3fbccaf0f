"""自动锁定: the administrator sets after how many idle minutes the windows lock (1–120)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QSpinBox, QWidget

from fuanjian_desktop.services.idle_lock import (
    DEFAULT_LOCK_MINUTES,
    FEWEST_LOCK_MINUTES,
    MOST_LOCK_MINUTES,
    lock_minutes,
    save_lock_minutes,
)
from ui.context import AppContext
from ui.errors import failure_text
from ui.widgets.form_parts import error_label, lay_out_form_dialog


class IdleLockDialog(QDialog):
    """One number, read and saved on the worker thread; ``saved(minutes)`` after a save, so
    the open main window locks by the new time at once."""

    saved = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("自动锁定")
        self._context = context
        self.minutes = QSpinBox()
        self.minutes.setRange(FEWEST_LOCK_MINUTES, MOST_LOCK_MINUTES)
        self.minutes.setSuffix(" 分钟")
        self.minutes.setToolTip(
            f"无键盘、鼠标操作达到这一时间后，窗口内容被遮住，须输入密码解锁（默认{DEFAULT_LOCK_MINUTES}分钟）"
        )
        form = QFormLayout()
        form.addRow("无操作多久后锁定：", self.minutes)
        self.message = error_label()
        self.save_button = lay_out_form_dialog(self, form, self.message, self.save, "保存")
        self.save_button.setEnabled(False)
        context.workers.run(lambda: lock_minutes(context.database), self._show, self._failed)

    def _show(self, minutes: int) -> None:
        self.minutes.setValue(minutes)
        self.save_button.setEnabled(True)

    def save(self) -> None:
        """Store the minutes; a refusal is shown in the dialog, which stays open."""
        context, minutes = self._context, self.minutes.value()
        self.save_button.setEnabled(False)
        self.message.clear()
        context.workers.run(
            lambda: save_lock_minutes(context.database, context.actor, minutes),
            lambda _none: self._saved(minutes),
            self._failed,
        )

    def _saved(self, minutes: int) -> None:
        self.saved.emit(minutes)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.message.setText(failure_text(error))
        self.save_button.setEnabled(True)
