"""Signing in through the dialog: Chinese errors, lock-out, the demo account list."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fuanjian_desktop.services import demo
from fuanjian_desktop.services.setup import installation
from tests.ui.conftest import type_text
from ui.dialogs.login_dialog import LoginDialog


def make_dialog(qtbot, database) -> LoginDialog:
    dialog = LoginDialog(database, installation(database))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def attempt(qtbot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.clear()
    type_text(qtbot, dialog.username, username)
    type_text(qtbot, dialog.password, password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_wrong_password_shows_chinese_message_and_stays_open(qtbot, demo_database):
    """A wrong password is explained with the lock rule; the password box is cleared."""
    dialog = make_dialog(qtbot, demo_database)
    attempt(qtbot, dialog, "zhangwei", "wrong-pass1")
    assert "用户名或密码不正确" in dialog.error.text()
    assert "连续输错5次" in dialog.error.text()
    assert dialog.isVisible() and dialog.actor is None
    assert dialog.password.text() == ""


def test_five_failures_lock_the_account_in_the_dialog(qtbot, demo_database):
    """After five wrong passwords even the right one is refused with the lock message."""
    dialog = make_dialog(qtbot, demo_database)
    for _ in range(5):
        attempt(qtbot, dialog, "lina", "wrong-pass1")
    assert "锁定" in dialog.error.text()
    attempt(qtbot, dialog, "lina", demo.DEMO_PASSWORD)
    assert "锁定" in dialog.error.text()
    assert dialog.actor is None


def test_right_password_signs_in(qtbot, demo_database):
    """Enter in the password box signs in and closes the dialog with the actor set."""
    dialog = make_dialog(qtbot, demo_database)
    type_text(qtbot, dialog.username, "zhangwei")
    type_text(qtbot, dialog.password, demo.DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.actor is not None and dialog.actor.full_name == "张伟"


def test_demo_mode_lists_demo_accounts(qtbot, demo_database):
    """In demo mode the banner and the demo accounts are shown; clicking one fills the form."""
    dialog = make_dialog(qtbot, demo_database)
    banners = [
        label for label in dialog.findChildren(type(dialog.error)) if "演示数据" in label.text()
    ]
    assert banners
    assert any(
        demo.DEMO_PASSWORD in label.text() for label in dialog.findChildren(type(dialog.error))
    )
