"""修改密码, 用恢复密钥重设密码 and an administrator's 重设密码: new password twice, checked
in the background.

Each change re-wraps the data key for the new password (an argon2id derivation, a fifth of a
second or more), so the work runs through the worker helper while the dialog says so. The
dialogs import nothing of the core: the caller hands in the function to run.

Enter moves on to the first empty field, as in the sign-in window, and submits once all are
filled; two different new passwords are refused here, every other rule (length, letters and
digits, the old password, the recovery key) by the core in Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop import APP_NAME
from fuanjian_desktop.errors import UserError
from ui.dialogs.recovery_key_dialog import code_font
from ui.errors import failure_text
from ui.widgets.form_parts import aligned_form, error_label
from ui.workers import Workers

PASSWORD_RULE = "至少8位，含字母和数字"
MISMATCH = "两次输入的新密码不一致，请重新输入。"


def secret_field(placeholder: str = "") -> QLineEdit:
    """A field whose text is shown as dots."""
    return QLineEdit(echoMode=QLineEdit.EchoMode.Password, placeholderText=placeholder)


class PasswordDialog(QDialog):
    """The frame the three dialogs share: a form ending in 新密码 / 再次输入新密码, a message
    line, and 确定 / 取消; ``submit`` hands the filled fields to the work to run."""

    def __init__(self, title: str, ok_text: str, workers: Workers, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} — {title}")
        self.setMinimumWidth(480)
        self._workers = workers
        self.form: QFormLayout = aligned_form()
        self.new_password = secret_field(PASSWORD_RULE)
        self.new_again = secret_field()
        self.error = error_label()
        self.status = QLabel()
        self.status.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button: QPushButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        self.ok_button.setDefault(True)  # Enter in any field comes here
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._layout = QVBoxLayout(self)
        self._layout.addLayout(self.form)

    def finish_layout(self) -> None:
        """Add the new-password rows after the dialog's own, then the message and buttons."""
        self.form.addRow("新密码：", self.new_password)
        self.form.addRow("再次输入新密码：", self.new_again)
        self._layout.addWidget(self.error)
        self._layout.addWidget(self.status)
        self._layout.addWidget(self.buttons)

    def fields(self) -> list[QLineEdit]:
        """Every field in order; all must be filled before anything is tried."""
        return [self.new_password, self.new_again]

    def work(self) -> Callable[[], Any]:
        """What to run in the background with the fields' values (the subclass's)."""
        raise NotImplementedError

    def submit(self) -> None:
        """Move to the first empty field, refuse two different new passwords, else run."""
        if not self.ok_button.isEnabled():
            return
        empty = next((field for field in self.fields() if not field.text()), None)
        if empty is not None:
            empty.setFocus()
            return
        if self.new_password.text() != self.new_again.text():
            self._refuse(MISMATCH)
            return
        work = self.work()
        self.error.clear()
        self.status.setText("正在保存新密码…")
        self.status.show()
        self._set_busy(True)
        self._workers.run(work, lambda _result: self.accept(), self._failed)

    def _failed(self, error: Exception) -> None:
        self.status.hide()
        self._set_busy(False)
        message = error.message if isinstance(error, UserError) else failure_text(error)
        self.error.setText(message)
        field = self.retry_field()
        field.selectAll()  # the next keys replace what was refused
        field.setFocus()

    def _refuse(self, message: str) -> None:
        """Show ``message``; clear the new passwords and put the cursor in the first."""
        self.error.setText(message)
        for field in (self.new_password, self.new_again):
            field.clear()
        self.new_password.setFocus()

    def retry_field(self) -> QLineEdit:
        """The field the core most likely refused, where the cursor goes after a refusal."""
        return self.new_password

    def _set_busy(self, busy: bool) -> None:
        for widget in (*self.fields(), self.ok_button):
            widget.setEnabled(not busy)
        if not busy:  # a button box's disabled button stops being the default: Enter again
            self.ok_button.setDefault(True)


class ChangePasswordDialog(PasswordDialog):
    """修改密码: the signed-in user's own, given the current one."""

    def __init__(
        self,
        change: Callable[[str, str], object],
        workers: Workers,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("修改密码", "修改密码", workers, parent)
        self._change = change
        self.old_password = secret_field("现在使用的密码")
        hint = QLabel("修改本人的登录密码。修改后，登录和解锁都使用新密码。")
        hint.setWordWrap(True)
        self._layout.insertWidget(0, hint)
        self.form.addRow("当前密码：", self.old_password)
        self.finish_layout()
        self.old_password.setFocus()

    def fields(self) -> list[QLineEdit]:
        return [self.old_password, *super().fields()]

    def retry_field(self) -> QLineEdit:
        return self.old_password

    def work(self) -> Callable[[], Any]:
        change, old, new = self._change, self.old_password.text(), self.new_password.text()
        return lambda: change(old, new)


class RecoverPasswordDialog(PasswordDialog):
    """用恢复密钥重设密码: a forgotten password replaced, proven by the squad's recovery key."""

    def __init__(
        self,
        recover: Callable[[str, str, str], object],
        workers: Workers,
        parent: QWidget | None = None,
        username: str = "",
    ) -> None:
        super().__init__("用恢复密钥重设密码", "重设密码", workers, parent)
        self._recover = recover
        self.username = QLineEdit(username, placeholderText="要重设密码的用户名")
        self.recovery_key = QLineEdit(placeholderText="8组，每组4个字母或数字，不分大小写")
        self.recovery_key.setFont(code_font(self.font().pointSize()))  # 0 and O told apart
        hint = QLabel(
            "忘记密码时，可用本中队正式启用时打印的数据恢复密钥（由中队负责人保管）重设密码。"
        )
        hint.setWordWrap(True)
        self._layout.insertWidget(0, hint)
        self.form.addRow("用户名：", self.username)
        self.form.addRow("恢复密钥：", self.recovery_key)
        self.finish_layout()
        (self.recovery_key if username else self.username).setFocus()

    def fields(self) -> list[QLineEdit]:
        return [self.username, self.recovery_key, *super().fields()]

    def retry_field(self) -> QLineEdit:
        return self.recovery_key

    def work(self) -> Callable[[], Any]:
        recover = self._recover
        code, username = self.recovery_key.text().strip(), self.username.text().strip()
        new = self.new_password.text()
        return lambda: recover(code, username, new)


class ResetPasswordDialog(PasswordDialog):
    """重设密码: an administrator gives an account a new password (its holder forgot it)."""

    def __init__(
        self,
        full_name: str,
        reset: Callable[[str], object],
        workers: Workers,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(f"重设“{full_name}”的密码", "重设密码", workers, parent)
        self._reset = reset
        hint = QLabel(f"为“{full_name}”设置新密码，请当面告知本人，并请其登录后自行修改。")
        hint.setWordWrap(True)
        self._layout.insertWidget(0, hint)
        self.finish_layout()
        self.new_password.setFocus()

    def work(self) -> Callable[[], Any]:
        reset, new = self._reset, self.new_password.text()
        return lambda: reset(new)
