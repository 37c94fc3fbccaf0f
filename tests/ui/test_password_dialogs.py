"""修改密码, 用恢复密钥重设密码 and 重设密码: the dialogs' own rules, keyboard-only.

The work they run is a recording stand-in here (the core's password rules have their own
tests); what is checked is what the dialog hands over, when, and what it shows back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fuanjian_desktop.errors import UserError
from tests.ui.conftest import type_text
from ui.dialogs.password_dialogs import (
    ChangePasswordDialog,
    RecoverPasswordDialog,
    ResetPasswordDialog,
)


def shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def enter(qtbot) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def test_change_password_by_keyboard_hands_over_old_and_new(qtbot, workers):
    """Typed field by field with Enter between them, the old and new password reach the work
    once, on the last Enter, and the dialog closes."""
    calls: list[tuple[str, str]] = []
    dialog = shown(qtbot, ChangePasswordDialog(lambda old, new: calls.append((old, new)), workers))
    assert QApplication.focusWidget() is dialog.old_password
    for text in ("demo1234", "Neu2026pass"):  # Enter after each: on to the next field
        qtbot.keyClicks(QApplication.focusWidget(), text)
        enter(qtbot)
    assert QApplication.focusWidget() is dialog.new_again and calls == []
    qtbot.keyClicks(dialog.new_again, "Neu2026pass")
    with qtbot.waitSignal(dialog.accepted):
        enter(qtbot)
    assert calls == [("demo1234", "Neu2026pass")]


def test_enter_moves_to_the_next_empty_field_without_trying(qtbot, workers):
    calls: list[tuple[str, str]] = []
    dialog = shown(qtbot, ChangePasswordDialog(lambda old, new: calls.append((old, new)), workers))
    qtbot.keyClicks(dialog.old_password, "demo1234")
    enter(qtbot)
    assert QApplication.focusWidget() is dialog.new_password
    enter(qtbot)
    assert QApplication.focusWidget() is dialog.new_password
    assert calls == [] and dialog.error.text() == "" and dialog.isVisible()


def test_two_different_new_passwords_are_refused_before_any_work(qtbot, workers):
    calls: list[tuple[str, str]] = []
    dialog = shown(qtbot, ChangePasswordDialog(lambda old, new: calls.append((old, new)), workers))
    type_text(qtbot, dialog.old_password, "demo1234")
    type_text(qtbot, dialog.new_password, "Neu2026pass")
    type_text(qtbot, dialog.new_again, "Neu2026pasz")
    enter(qtbot)
    assert dialog.error.text() == "两次输入的新密码不一致，请重新输入。"
    assert (dialog.new_password.text(), dialog.new_again.text()) == ("", "")
    assert QApplication.focusWidget() is dialog.new_password
    assert calls == [] and dialog.isVisible()


def test_a_refusal_of_the_core_is_shown_and_the_dialog_stays(qtbot, workers):
    """The core's Chinese message is shown as it is; the cursor is back in the field it most
    likely refused (the current password), its text selected so typing replaces it."""

    def refuse(old: str, new: str) -> None:
        raise UserError("当前密码不正确，请重新输入。")

    dialog = shown(qtbot, ChangePasswordDialog(refuse, workers))
    type_text(qtbot, dialog.old_password, "wrong123")
    type_text(qtbot, dialog.new_password, "Neu2026pass")
    type_text(qtbot, dialog.new_again, "Neu2026pass")
    enter(qtbot)
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    assert dialog.error.text() == "当前密码不正确，请重新输入。"
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.old_password)
    assert dialog.old_password.selectedText() == "wrong123"


def test_recovery_hands_over_key_user_and_new_password(qtbot, workers):
    """The recovery key and user name are trimmed of the blanks a copy brings along."""
    calls: list[tuple[str, str, str]] = []
    dialog = RecoverPasswordDialog(
        lambda code, user, new: calls.append((code, user, new)), workers, username="wangfang"
    )
    shown(qtbot, dialog)
    assert QApplication.focusWidget() is dialog.recovery_key
    type_text(qtbot, dialog.recovery_key, " ABCD-EFGH ")
    type_text(qtbot, dialog.new_password, "Neu2026pass")
    type_text(qtbot, dialog.new_again, "Neu2026pass")
    with qtbot.waitSignal(dialog.accepted):
        enter(qtbot)
    assert calls == [("ABCD-EFGH", "wangfang", "Neu2026pass")]


def test_a_wrong_recovery_key_puts_the_cursor_back_in_it(qtbot, workers):
    def refuse(code: str, user: str, new: str) -> None:
        raise UserError("恢复密钥不正确。")

    dialog = shown(qtbot, RecoverPasswordDialog(refuse, workers))
    assert QApplication.focusWidget() is dialog.username
    for field, text in (
        (dialog.username, "wangfang"),
        (dialog.recovery_key, "ABCD"),
        (dialog.new_password, "Neu2026pass"),
        (dialog.new_again, "Neu2026pass"),
    ):
        type_text(qtbot, field, text)
    enter(qtbot)
    qtbot.waitUntil(lambda: dialog.error.text() == "恢复密钥不正确。")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.recovery_key)


def test_reset_by_an_administrator_hands_over_the_new_password(qtbot, workers):
    calls: list[str] = []
    dialog = shown(qtbot, ResetPasswordDialog("王芳", calls.append, workers))
    assert "王芳" in dialog.windowTitle()
    type_text(qtbot, dialog.new_password, "Neu2026pass")
    type_text(qtbot, dialog.new_again, "Neu2026pass")
    with qtbot.waitSignal(dialog.accepted):
        enter(qtbot)
    assert calls == ["Neu2026pass"]


def test_after_a_refusal_enter_tries_again(qtbot, workers):
    """The refused field corrected, Enter submits again (the default button stays the
    default after being disabled while the work ran)."""
    tried: list[str] = []

    def recover(code: str, user: str, new: str) -> None:
        tried.append(code)
        if len(tried) == 1:
            raise UserError("恢复密钥不正确。")

    dialog = shown(qtbot, RecoverPasswordDialog(recover, workers, username="wangfang"))
    for field, text in (
        (dialog.recovery_key, "AAAA"),
        (dialog.new_password, "Neu2026pass"),
        (dialog.new_again, "Neu2026pass"),
    ):
        type_text(qtbot, field, text)
    enter(qtbot)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.recovery_key)
    qtbot.keyClicks(dialog.recovery_key, "BBBB")  # replaces the selected, refused key
    with qtbot.waitSignal(dialog.accepted):
        enter(qtbot)
    assert tried == ["AAAA", "BBBB"]
