"""Signing in through the dialog: Chinese errors, waiting after failures, the demo account
list, 忘记密码."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableWidget

from fuanjian_desktop.demo import demo
from fuanjian_desktop.services import auth
from tests.ui.conftest import type_text
from ui.dialogs.login_dialog import DemoAccountRow, LoginDialog

USABLE_HEIGHT = 728  # 1366×768 less a 40 px taskbar (issue 14)
TITLE_BAR = 40  # a desktop's title bar, which the offscreen platform does not draw
DEMO_ROWS = [
    DemoAccountRow(a.username, a.full_name, a.squad, a.role_labels) for a in demo.DEMO_ACCOUNTS
]


def make_dialog(qtbot, database, workers, demo_rows=DEMO_ROWS, attempts=None) -> LoginDialog:
    """The sign-in window, shown and active, ready; ``attempts`` records each sign-in tried."""
    tried = [] if attempts is None else attempts

    def sign_in(username: str, password: str):
        tried.append((username, password))
        return auth.sign_in(database, username, password)

    dialog = LoginDialog(workers)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_ready(sign_in, demo_rows, demo.DEMO_PASSWORD)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def attempt(qtbot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.clear()
    type_text(qtbot, dialog.username, username)
    type_text(qtbot, dialog.password, password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled() or dialog.actor is not None)


def test_disabled_until_the_data_is_open(qtbot, workers):
    """Before set_ready the fields are disabled and the window says the data is opening."""
    dialog = LoginDialog(workers)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.sign_in_button.isEnabled() and not dialog.username.isEnabled()
    assert dialog.status.text() == "正在打开数据…"


def test_wrong_password_shows_chinese_message_and_stays_open(qtbot, demo_database, workers):
    """A wrong password is explained with the waiting rule (3 free failures, at most 15
    minutes, issue 15); the password box is cleared; an unknown name gets the same words."""
    dialog = make_dialog(qtbot, demo_database, workers)
    attempt(qtbot, dialog, "zhangwei", "wrong-pass1")
    wrong = dialog.error.text()
    assert "用户名或密码不正确" in wrong and "3次" in wrong and "15分钟" in wrong
    assert dialog.isVisible() and dialog.actor is None
    assert dialog.password.text() == ""
    attempt(qtbot, dialog, "nobody", "wrong-pass1")
    assert dialog.error.text() == wrong  # nothing tells which names exist


def test_after_three_free_failures_even_the_right_password_waits(qtbot, demo_database, workers):
    """The fourth wrong password in a row makes the name wait a minute; during it the right
    password is refused with the same message."""
    dialog = make_dialog(qtbot, demo_database, workers)
    for _ in range(4):
        attempt(qtbot, dialog, "lina", "wrong-pass1")
    assert "请1分钟后" in dialog.error.text()
    attempt(qtbot, dialog, "lina", demo.DEMO_PASSWORD)
    assert "请1分钟后" in dialog.error.text()
    assert dialog.actor is None


def test_right_password_signs_in(qtbot, demo_database, workers):
    """Enter in the password box signs in, emits signed_in with the actor and closes."""
    dialog = make_dialog(qtbot, demo_database, workers)
    type_text(qtbot, dialog.username, "zhangwei")
    type_text(qtbot, dialog.password, demo.DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.signed_in) as signal:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert signal.args[0].full_name == "张伟"
    assert not dialog.isVisible()


def test_demo_mode_lists_demo_accounts(qtbot, demo_database, workers):
    """In demo mode the banner and the accounts are shown; clicking one fills the form."""
    dialog = make_dialog(qtbot, demo_database, workers)
    assert "演示数据" in dialog.banner.text() and dialog.banner.isVisible()
    accounts = dialog.findChild(QTableWidget)
    rect = accounts.visualItemRect(accounts.item(2, 0))
    qtbot.mouseClick(accounts.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.username.text() == DEMO_ROWS[2].username
    assert dialog.password.text() == demo.DEMO_PASSWORD


def test_production_mode_shows_no_demo_accounts(qtbot, demo_database, workers):
    """Outside demo mode there is neither a banner nor an account list."""
    dialog = make_dialog(qtbot, demo_database, workers, demo_rows=[])
    assert not hasattr(dialog, "banner")
    assert "demo1234" not in " ".join(
        label.text() for label in dialog.findChildren(type(dialog.error))
    )


def test_enter_after_the_username_moves_to_the_password(qtbot, demo_database, workers):
    """Enter in the username goes on to the password: nothing is tried, no error is shown;
    Enter in the still empty password tries nothing either."""
    attempts: list[tuple[str, str]] = []
    dialog = make_dialog(qtbot, demo_database, workers, attempts=attempts)
    type_text(qtbot, dialog.username, "zhangwei")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.password
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.password
    assert attempts == [] and dialog.error.text() == "" and dialog.isVisible()


def test_enter_in_the_username_with_both_filled_signs_in(qtbot, demo_database, workers):
    """With both fields filled Enter signs in from either field, here the username."""
    dialog = make_dialog(qtbot, demo_database, workers)
    type_text(qtbot, dialog.password, demo.DEMO_PASSWORD)
    type_text(qtbot, dialog.username, "lina")
    with qtbot.waitSignal(dialog.signed_in) as signal:
        qtbot.keyClick(dialog.username, Qt.Key.Key_Return)
    assert signal.args[0].full_name == "李娜"


def test_a_demo_account_is_chosen_and_signed_in_by_keyboard(qtbot, demo_database, workers):
    """Shift+Tab from the username reaches the demo list; arrows choose, Enter fills the form
    and goes to the password without signing in; the next Enter signs in."""
    attempts: list[tuple[str, str]] = []
    dialog = make_dialog(qtbot, demo_database, workers, attempts=attempts)
    accounts = dialog.findChild(QTableWidget)
    qtbot.keyClick(dialog.username, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is accounts
    for _ in range(2):
        qtbot.keyClick(accounts, Qt.Key.Key_Down)
    qtbot.keyClick(accounts, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.password)
    assert (dialog.username.text(), dialog.password.text()) == ("wangfang", demo.DEMO_PASSWORD)
    assert attempts == [] and dialog.isVisible()
    with qtbot.waitSignal(dialog.signed_in) as signal:
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert signal.args[0].full_name == "王芳"


def test_the_window_with_demo_accounts_fits_the_laptop_screen(qtbot, demo_database, workers):
    """With all 13 demo accounts the window, title bar included, fits 728 px at the default
    font and shows every account without scrolling."""
    dialog = make_dialog(qtbot, demo_database, workers)
    accounts = dialog.findChild(QTableWidget)
    assert dialog.sizeHint().height() + TITLE_BAR <= USABLE_HEIGHT
    assert dialog.frameGeometry().height() <= USABLE_HEIGHT
    assert accounts.rowCount() == len(demo.DEMO_ACCOUNTS) == 13
    assert accounts.verticalScrollBar().maximum() == 0


def test_three_keys_sign_in_the_first_demo_account(qtbot, demo_database, workers):
    """The shortest keyboard sign-in (the walkthrough's): Shift+Tab to the demo list, whose
    first account is then current, Enter to fill the form, Enter to sign in as 张伟."""
    dialog = make_dialog(qtbot, demo_database, workers)
    qtbot.keyClick(dialog.username, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.password)
    with qtbot.waitSignal(dialog.signed_in) as signal:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert signal.args[0].full_name == "张伟"


def test_the_window_grown_by_the_demo_list_stays_on_the_screen(qtbot, demo_database, workers):
    """The sign-in window grows when the demo list arrives; placed low (as a window manager
    centres the small window first) it moves up so that its bottom stays on the screen."""
    dialog = LoginDialog(workers)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.move(100, 300)
    dialog.set_ready(lambda username, password: None, DEMO_ROWS, demo.DEMO_PASSWORD)
    free = dialog.screen().availableGeometry()
    assert free.contains(dialog.frameGeometry())


def test_forgotten_password_is_reset_with_the_recovery_key(qtbot, workers):
    """忘记密码… (outside demo mode) opens 用恢复密钥重设密码 for the name typed; once done the
    window says so, keeps the name and waits for the new password."""
    recovered: list[tuple[str, str, str]] = []
    dialog = LoginDialog(workers)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.set_ready(
        lambda username, password: None,
        [],
        demo.DEMO_PASSWORD,
        recover=lambda code, user, new: recovered.append((code, user, new)),
    )
    assert dialog.forgot_button.isVisible()
    type_text(qtbot, dialog.username, "wangfang")
    recovery = dialog.forgot_password()
    qtbot.addWidget(recovery)
    assert recovery.username.text() == "wangfang"
    type_text(qtbot, recovery.recovery_key, "ABCD-EFGH")
    type_text(qtbot, recovery.new_password, "Neu2026pass")
    type_text(qtbot, recovery.new_again, "Neu2026pass")
    with qtbot.waitSignal(recovery.accepted):
        qtbot.keyClick(recovery.new_again, Qt.Key.Key_Return)
    assert recovered == [("ABCD-EFGH", "wangfang", "Neu2026pass")]
    assert dialog.status.text() == "密码已重设，请用新密码登录。"
    assert dialog.username.text() == "wangfang" and dialog.password.text() == ""


def test_no_forgotten_password_in_demo_mode(qtbot, demo_database, workers):
    """The demo's passwords are published: no 忘记密码 there."""
    dialog = make_dialog(qtbot, demo_database, workers)
    assert not dialog.forgot_button.isVisible()


def test_a_notice_grows_the_window_instead_of_squeezing_it(qtbot, workers):
    """The legacy notice arrives after the window is shown: the window grows to its size hint,
    so the heading and fields keep their height."""
    dialog = LoginDialog(workers)
    qtbot.addWidget(dialog)
    dialog.show()
    notice = "本机数据库来自未加密的旧版本。请由管理员登录：程序先备份数据库，再将其加密。" * 2
    dialog.set_ready(lambda username, password: None, [], "", notice=notice)
    assert dialog.notice.isVisible()
    assert dialog.height() >= dialog.sizeHint().height()
