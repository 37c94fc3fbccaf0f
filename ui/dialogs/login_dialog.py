"""登录: shown first, before the data folder has been examined; signs in on a worker thread.

The dialog imports nothing of the core, so it can appear while the core loads. It stays
disabled, saying so, until :meth:`LoginDialog.set_ready` hands it the sign-in function (which
unwraps the data key and opens the database) and, outside demo mode, the recovery function
behind 忘记密码.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QDialog,
    QFormLayout,
    QHeaderView,
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
from ui.dialogs.password_dialogs import RecoverPasswordDialog
from ui.errors import failure_text
from ui.keyboard import fit_on_screen
from ui.widgets.demo_banner import demo_banner
from ui.widgets.form_parts import error_label
from ui.workers import Workers

SignIn = Callable[[str, str], Any]
Recover = Callable[[str, str, str], object]  # (recovery key, username, new password)


class DemoAccountRow(NamedTuple):
    """A demo account as the sign-in window lists it."""

    username: str
    full_name: str
    squad: str
    roles: str


class LoginDialog(QDialog):
    """Emits ``signed_in(result)`` with what the sign-in function returned; ``failed(error)``
    after a refused one (the message is shown here; the start may offer more, e.g. a restore)."""

    signed_in = Signal(object)
    failed = Signal(object)

    def __init__(self, workers: Workers) -> None:
        super().__init__()
        self.setWindowTitle(f"{APP_NAME} — 登录")
        self.setMinimumWidth(560)
        self._workers = workers
        self._sign_in: SignIn | None = None
        self._demo_password = ""
        self._signing_in_text = "正在登录…"
        self._recover: Recover | None = None
        self.recover_dialog: QDialog | None = None  # kept alive while shown
        self.actor: Any = None
        self.username = QLineEdit(placeholderText="请输入用户名")
        self.password = QLineEdit(
            echoMode=QLineEdit.EchoMode.Password, placeholderText="请输入密码"
        )
        self.error = error_label()
        self.status = QLabel("正在打开数据…")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.sign_in_button = QPushButton("登录")
        self.sign_in_button.setDefault(True)  # Enter in either field comes here
        self.sign_in_button.clicked.connect(self.try_sign_in)
        self.forgot_button = QPushButton("忘记密码…")
        self.forgot_button.setAutoDefault(False)  # Enter on the fields still signs in
        self.forgot_button.clicked.connect(self.forgot_password)
        self.forgot_button.hide()
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(QLabel(f"<h2>{APP_NAME}</h2><p>安全生产执法现场检查与案卷系统</p>"))
        form = QFormLayout()
        form.addRow("用户名：", self.username)
        form.addRow("密码：", self.password)
        self._layout.addLayout(form)
        self._layout.addWidget(self.notice)
        self._layout.addWidget(self.error)
        self._layout.addWidget(self.status)
        self._layout.addWidget(self.sign_in_button)
        self._layout.addWidget(self.forgot_button)
        self.username.setFocus()
        self._set_busy(True)

    def set_ready(
        self,
        sign_in: SignIn,
        demo_accounts: Sequence[DemoAccountRow],
        demo_password: str,
        *,
        recover: Recover | None = None,
        notice: str = "",
        signing_in_text: str = "正在登录…",
    ) -> None:
        """The folder is examined: enable signing in; in demo mode show the banner and
        accounts; with ``recover``, 忘记密码; ``notice`` says what a sign-in will do first
        (encrypt an older database), ``signing_in_text`` while it runs."""
        self._sign_in = sign_in
        self._demo_password = demo_password
        self._recover = recover
        self._signing_in_text = signing_in_text
        self.status.hide()
        self.notice.setText(notice)
        self.notice.setVisible(bool(notice))
        self.forgot_button.setVisible(recover is not None)
        if demo_accounts:
            self.banner = demo_banner()
            accounts = self._demo_table(demo_accounts)
            self._layout.insertWidget(0, self.banner)
            self._layout.addWidget(accounts)
            for added in (self.banner, accounts):  # children added to a shown window
                added.show()
        # every account (or the notice) in view at the default font, and within the free screen
        self.resize(self.size().expandedTo(self.sizeHint()))
        fit_on_screen(self)
        self._set_busy(False)
        self.username.setFocus()

    def _demo_table(self, accounts: Sequence[DemoAccountRow]) -> QWidget:
        table = QTableWidget(len(accounts), 4)
        table.setHorizontalHeaderLabels(["用户名", "姓名", "中队", "角色"])
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for row, account in enumerate(accounts):
            for column, text in enumerate(account):
                table.setItem(row, column, QTableWidgetItem(text))
        compact_rows(table)
        table.horizontalHeader().setStretchLastSection(True)
        table.cellClicked.connect(lambda row, _column: self._pick_demo(accounts[row].username))
        # Enter on the row chosen with the arrows (ui.keyboard keeps it from the dialog)
        table.activated.connect(lambda index: self._pick_demo(accounts[index.row()].username))
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 4, 0, 0)
        hint = f"演示账号（单击，或用方向键选中后按回车；密码均为 {self._demo_password}）："
        column.addWidget(QLabel(hint))
        column.addWidget(table)
        return holder

    def _pick_demo(self, username: str) -> None:
        """Fill the form with a demo account; the next Enter signs in.

        The focus moves once the key that chose the row is handled: while it travels on, the
        list still has the focus, so ``ui.keyboard`` keeps that Enter from pressing 登录.
        """
        self.username.setText(username)
        self.password.setText(self._demo_password)
        QTimer.singleShot(0, self.password, self.password.setFocus)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.username, self.password, self.sign_in_button, self.forgot_button):
            widget.setEnabled(not busy)

    def forgot_password(self) -> QDialog | None:
        """用恢复密钥重设密码 over this window; afterwards the new password signs in here."""
        if self._recover is None:
            return None
        dialog = RecoverPasswordDialog(
            self._recover, self._workers, self, username=self.username.text().strip()
        )
        dialog.accepted.connect(lambda: self._recovered(dialog.username.text().strip()))
        dialog.open()
        self.recover_dialog = dialog
        return dialog

    def _recovered(self, username: str) -> None:
        self.error.clear()
        self.status.setText("密码已重设，请用新密码登录。")
        self.status.show()
        self.username.setText(username)
        self.password.clear()
        self.password.setFocus()

    def try_sign_in(self) -> None:
        """Check the credentials in the background (argon2 takes a fifth of a second).

        While a field is empty there is nothing to check: the first empty one gets the focus,
        so Enter moves from the username to the password and signs in from there.
        """
        sign_in = self._sign_in
        if sign_in is None or not self.sign_in_button.isEnabled():
            return
        empty = next((box for box in (self.username, self.password) if not box.text()), None)
        if empty is not None:  # Enter after the username: on to the password, no error
            empty.setFocus()
            return
        username, password = self.username.text(), self.password.text()
        self.error.clear()
        self.status.setText(self._signing_in_text)
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
        self.failed.emit(error)


def compact_rows(table: QTableWidget) -> None:
    """Rows as tall as their text and no row numbers; the table asks for room for every row,
    so the accounts show without scrolling at the default font and scroll at a larger one."""
    table.verticalHeader().hide()
    rows = table.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
