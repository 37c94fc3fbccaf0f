"""The three ways a password changes, through the windows, against the real keyring: after
each the new password opens the data and the old one does not (issue 15: "password change,
admin reset and recovery keep the data readable")."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.demo import demo
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.services import auth
from tests.ui.conftest import active_main_window, type_text
from ui.dialogs.password_dialogs import PasswordDialog, RecoverPasswordDialog
from ui.dialogs.recovery_key_dialog import RecoveryKeyDialog
from ui.pages.users_page import UsersPage

NEW_PASSWORD = "Neu2026pass"


def opens_with(folder: DataFolder, username: str, password: str) -> str:
    """The full name of who signed in with ``password`` (the data opened and was read)."""
    database, actor = auth.unlock(folder, username, password)
    database.close()
    return actor.full_name


def fill_new_password(qtbot, dialog: PasswordDialog) -> None:
    type_text(qtbot, dialog.new_password, NEW_PASSWORD)
    type_text(qtbot, dialog.new_again, NEW_PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.keyClick(dialog.new_again, Qt.Key.Key_Return)


def test_changing_ones_own_password_from_the_main_window(
    qtbot, demo_database, make_context, sign_in
):
    """Ctrl+Shift+K opens 修改密码; afterwards the data opens with the new password only."""
    window = active_main_window(qtbot, make_context(sign_in("wangfang")))
    qtbot.keyClick(
        QApplication.focusWidget(),
        Qt.Key.Key_K,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: window.account.dialog is not None)
    dialog = window.account.dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.old_password)
    type_text(qtbot, dialog.old_password, demo.DEMO_PASSWORD)
    fill_new_password(qtbot, dialog)
    folder = DataFolder(demo_database.folder)
    assert opens_with(folder, "wangfang", NEW_PASSWORD) == "王芳"
    with pytest.raises(UserError):
        opens_with(folder, "wangfang", demo.DEMO_PASSWORD)


def test_an_administrator_resets_a_password_on_the_users_page(
    qtbot, demo_database, make_context, sign_in
):
    """重设密码… for the selected account; its holder then opens the data with the new one."""
    page = UsersPage(make_context(sign_in("zhaolei")))
    qtbot.addWidget(page)
    page.show()
    row = next(i for i, user in enumerate(page._rows) if user.username == "wangfang")
    page.table.selectRow(row)
    dialog = page.reset_selected()
    assert dialog is not None and "王芳" in dialog.windowTitle()
    fill_new_password(qtbot, dialog)
    folder = DataFolder(demo_database.folder)
    assert opens_with(folder, "wangfang", NEW_PASSWORD) == "王芳"
    with pytest.raises(UserError):
        opens_with(folder, "wangfang", demo.DEMO_PASSWORD)


def test_a_forgotten_password_is_replaced_with_the_recovery_key(qtbot, demo_database, workers):
    """用恢复密钥重设密码: a wrong key is refused in Chinese; the printed key sets a new password
    that opens the data."""
    folder = DataFolder(demo_database.folder)
    assert demo_database.key is not None
    code = Keyring.load(folder).replace_recovery(demo_database.key)  # as printed at go-live

    def recover(typed: str, username: str, new: str) -> None:
        auth.recover_password(folder, typed, username, new)

    dialog = RecoverPasswordDialog(recover, workers, username="wangfang")
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.recovery_key, "0000-0000-0000-0000-0000-0000-0000-0000")
    type_text(qtbot, dialog.new_password, NEW_PASSWORD)
    type_text(qtbot, dialog.new_again, NEW_PASSWORD)
    qtbot.keyClick(dialog.new_again, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.error.text() != "", timeout=20_000)
    assert "恢复密钥不正确" in dialog.error.text() and dialog.isVisible()
    dialog.recovery_key.setText(code.lower())  # typed in small letters: still the key
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.keyClick(dialog.new_again, Qt.Key.Key_Return)
    assert opens_with(folder, "wangfang", NEW_PASSWORD) == "王芳"


def test_an_administrator_makes_a_new_recovery_key(qtbot, demo_database, make_context, sign_in):
    """生成新的恢复密钥… asks first (取消 is Enter's answer), then shows the new key, which opens
    the data; the key printed before no longer does."""
    folder = DataFolder(demo_database.folder)
    assert demo_database.key is not None
    old_code = Keyring.load(folder).replace_recovery(demo_database.key)  # the printed one
    page = UsersPage(make_context(sign_in("zhaolei")))
    qtbot.addWidget(page)
    page.show()
    question = page.new_recovery_key()
    assert question.defaultButton() is question.button(QMessageBox.StandardButton.No)
    qtbot.mouseClick(question.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(page.dialog, RecoveryKeyDialog), timeout=20_000)
    code = page.dialog.code_label.text()
    assert code != old_code
    assert Keyring.load(folder).unlock_with_recovery(code) == demo_database.key
    with pytest.raises(UserError):
        Keyring.load(folder).unlock_with_recovery(old_code)
    page.dialog.kept.setChecked(True)
    page.dialog.accept()
