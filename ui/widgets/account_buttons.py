"""修改密码 and 退出登录 in the main window's status bar, next to the signed-in user.

退出登录 only asks: the window that owns the start (``ui.startup.Startup``) closes the main
window and the database (the data key leaves memory) and shows the sign-in window again. The
idle lock asks the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from ui.dialogs.password_dialogs import ChangePasswordDialog
from ui.shortcuts import CHANGE_PASSWORD, SIGN_OUT, keyed
from ui.workers import Workers

ChangePassword = Callable[[str, str], object]  # (old, new); raises a Chinese UserError


class AccountButtons(QWidget):
    """Emits ``sign_out_requested`` on 退出登录; ``password_changed`` after 修改密码."""

    sign_out_requested = Signal()
    password_changed = Signal()

    def __init__(self, change: ChangePassword, workers: Workers) -> None:
        super().__init__()
        self._change = change
        self._workers = workers
        self.dialog: ChangePasswordDialog | None = None  # kept alive while shown
        self.change_button = keyed(QPushButton("修改密码"), CHANGE_PASSWORD)
        self.sign_out_button = keyed(QPushButton("退出登录"), SIGN_OUT)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for button in (self.change_button, self.sign_out_button):
            button.setFlat(True)
            row.addWidget(button)
        self.change_button.clicked.connect(self.change_password)
        self.sign_out_button.clicked.connect(self.sign_out_requested)

    def change_password(self) -> ChangePasswordDialog:
        """Open 修改密码 over the main window."""
        dialog = ChangePasswordDialog(self._change, self._workers, self.window())
        dialog.accepted.connect(self.password_changed)
        dialog.open()
        self.dialog = dialog
        return dialog
