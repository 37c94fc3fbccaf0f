"""首次启动: demo mode, or going live with the first administrator and the recovery key."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.setup import AppMode, installation
from tests.ui.conftest import type_text
from ui.dialogs.first_start_dialog import FirstStartDialog
from ui.startup import go_live, make_demo


def make_dialog(qtbot, folder, workers) -> FirstStartDialog:
    dialog = FirstStartDialog(
        lambda: make_demo(folder), lambda squad, admin: go_live(folder, squad, admin), workers
    )
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_demo_button_makes_the_demo_in_the_background(qtbot, data_folder, workers):
    """演示模式 runs the demo maker once, off the UI thread, and then finishes. (Making the demo
    itself, 13 accounts' argon2id wraps and all, is the session's ``demo_template``.)"""
    made: list[bool] = []

    def make() -> None:
        made.append(threading.current_thread() is not threading.main_thread())

    dialog = FirstStartDialog(make, lambda squad, admin: "", workers)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert made == [True]


def test_a_failed_demo_is_explained_and_the_choice_stays(qtbot, workers):
    def refuse() -> None:
        raise UserError("数据文件夹已经启用，不能重新生成密钥。")

    dialog = FirstStartDialog(refuse, lambda squad, admin: "", workers)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    assert dialog.error.text() == "数据文件夹已经启用，不能重新生成密钥。"
    assert dialog.isVisible() and dialog.demo_button.isEnabled()


def test_go_live_shows_the_recovery_key_that_opens_the_data(qtbot, data_folder, workers):
    """正式启用 with a valid form creates the admin in the chosen squad; the recovery key shown
    is the one that opens the data, and the start goes on only once it was kept."""
    dialog = make_dialog(qtbot, data_folder, workers)
    form = dialog.admin_form
    type_text(qtbot, form.username, "admin")
    type_text(qtbot, form.full_name, "林管理")
    form.squad.setCurrentIndex(form.squad.findText("南园街道应急管理执法中队"))
    type_text(qtbot, form.password, "Start2026a")
    type_text(qtbot, form.password_again, "Start2026b")
    qtbot.mouseClick(dialog.go_live_button, Qt.MouseButton.LeftButton)
    assert "两次输入的密码不一致" in dialog.error.text()
    form.password_again.clear()
    type_text(qtbot, form.password_again, "Start2026a")
    qtbot.mouseClick(dialog.go_live_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.recovery_dialog is not None, timeout=30_000)
    recovery = dialog.recovery_dialog
    qtbot.waitUntil(recovery.isVisible)
    labels = " ".join(label.text() for label in recovery.findChildren(QLabel))
    assert "南园街道应急管理执法中队" in labels  # the sheet names the squad it belongs to
    code = recovery.code_label.text()
    recovery.reject()  # Esc before the key was kept: still shown, the start waits
    assert recovery.isVisible() and dialog.isVisible() and dialog.result() == 0
    recovery.kept.setChecked(True)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(recovery.kept, Qt.Key.Key_Return)
    unlocked = auth.unlock_with_recovery(data_folder, code)
    unlocked.close()
    database, actor = auth.unlock(data_folder, "admin", "Start2026a")
    try:
        current = installation(database)
        assert current.mode is AppMode.PRODUCTION and not current.is_demo
        assert actor.squad_id == current.home_squad_id and "admin" in actor.roles
    finally:
        database.close()
    assert not Keyring.load(data_folder).is_demo
