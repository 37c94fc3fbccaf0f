"""登录: shown first, before the data has finished opening; signs in on a worker thread.

The dialog imports nothing of the core, so it can appear while the core loads. It stays
disabled, saying so, until :meth:`LoginDialog.set_ready` hands it the sign-in function.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop import APP_NAME
from fuanjian_desktop.errors import UserError
from ui.errors import failure_text
from ui.widgets.demo_banner import demo_banner
from ui.widgets.form_parts import error_label
from ui.workers import Workers

SignIn = Callable[[str, str], Any]


class DemoAccountRow(NamedTuple):
    """A demo account as the sign-in window lists it."""

    username: str
    full_name: str
    squad: str
    roles: str


class LoginDialog(QDialog):
    """Emits ``signed_in(actor)`` after a successful sign-in."""

    signed_in = Signal(object)

    def __init__(self, workers: Workers) -> None:
        super().__init__()
        self.setWindowTitle(f"{APP_NAME} — 登录")
        self.setMinimumWidth(560)
        self._workers = workers
        self._sign_in: SignIn | None = None
        self._demo_password = ""
        self.actor: Any = None
        self.username = QLineEdit()
        self.password = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
        self.error = error_label()
        self.status = QLabel("正在打开数据…")
        self.sign_in_button = QPushButton("登录")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.clicked.connect(self.try_sign_in)
        self.password.returnPressed.connect(self.try_sign_in)
        self.username.returnPressed.connect(self.password.setFocus)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(QLabel(f"<h2>{APP_NAME}</h2><p>安全生产执法现场检查与案卷系统</p>"))
        form = QFormLayout()
        form.addRow("用户名：", self.username)
        form.addRow("密码：", self.password)
        self._layout.addLayout(form)
        self._layout.addWidget(self.error)
        self._layout.addWidget(self.status)
        self._layout.addWidget(self.sign_in_button)
        self.username.setFocus()
        self._set_busy(True)

    def set_ready(
        self, sign_in: SignIn, demo_accounts: Sequence[DemoAccountRow], demo_password: str
    ) -> None:
        """The data is open: enable signing in; in demo mode show the banner and accounts."""
        self._sign_in = sign_in
        self._demo_password = demo_password
        if demo_accounts:
            self.banner = demo_banner()
            accounts = self._demo_table(demo_accounts)
            self._layout.insertWidget(0, self.banner)
            self._layout.addWidget(accounts)
            for added in (self.banner, accounts):  # children added to a shown window
                added.show()
            self.setMinimumSize(560, 560)
        self.status.hide()
        self._set_busy(False)
        self.username.setFocus()

    def _demo_table(self, accounts: Sequence[DemoAccountRow]) -> QWidget:
        table = QTableWidget(len(accounts), 4)
        table.setHorizontalHeaderLabels(["用户名", "姓名", "中队", "角色"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for row, account in enumerate(accounts):
            for column, text in enumerate(account):
                table.setItem(row, column, QTableWidgetItem(text))
        table.horizontalHeader().setStretchLastSection(True)
        table.cellClicked.connect(lambda row, _col: self._pick_demo(accounts[row].username))
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 8, 0, 0)
        column.addWidget(QLabel(f"演示账号（点击选择；密码均为 {self._demo_password}）："))
        column.addWidget(table)
        return holder

    def _pick_demo(self, username: str) -> None:
        self.username.setText(username)
        self.password.setText(self._demo_password)
        self.password.setFocus()

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.username, self.password, self.sign_in_button):
            widget.setEnabled(not busy)

    def try_sign_in(self) -> None:
        """Check the credentials in the background (argon2 takes a fifth of a second)."""
        sign_in = self._sign_in
        if sign_in is None or not self.sign_in_button.isEnabled():
            return
        username, password = self.username.text(), self.password.text()
        self.error.clear()
        self.status.setText("正在登录…")
        self.status.show()
        self._set_busy(True)
        self._workers.run(lambda: sign_in(username, password), self._succeeded, self._failed)

    def _succeeded(self, actor: Any) -> None:
        self.actor = actor
        self.status.hide()
        self.signed_in.emit(actor)
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.status.hide()
        self._set_busy(False)
        self.error.setText(error.message if isinstance(error, UserError) else failure_text(error))
        self.password.clear()
        self.password.setFocus()
