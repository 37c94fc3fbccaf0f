"""首次启动: demo mode or going live with the first administrator."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fuanjian_desktop.services import auth
from fuanjian_desktop.services.setup import AppMode, installation
from tests.ui.conftest import type_text
from ui.dialogs.first_start_dialog import FirstStartDialog


def make_dialog(qtbot, database, workers) -> FirstStartDialog:
    dialog = FirstStartDialog(database, workers)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_demo_button_fills_demo_data(qtbot, database, workers):
    """Choosing 演示模式 creates the demo and marks the installation as demo."""
    dialog = make_dialog(qtbot, database, workers)
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert installation(database).mode is AppMode.DEMO


def test_go_live_creates_first_administrator(qtbot, database, workers):
    """正式启用 with a valid form creates the admin in the chosen squad, who can then sign in."""
    dialog = make_dialog(qtbot, database, workers)
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
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.go_live_button, Qt.MouseButton.LeftButton)
    current = installation(database)
    assert current.mode is AppMode.PRODUCTION and not current.is_demo
    actor = auth.sign_in(database, "admin", "Start2026a")
    assert actor.squad_id == current.home_squad_id
    assert "admin" in actor.roles
