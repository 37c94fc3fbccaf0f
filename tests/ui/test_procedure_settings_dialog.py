"""办案程序设置: reached from 用户管理, it changes a threshold the guard and deadlines use."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fuanjian_desktop.services.procedure_settings import settings_in_force
from ui.dialogs.procedure_settings_dialog import ProcedureSettingsDialog
from ui.pages.users_page import UsersPage


def open_dialog(
    qtbot, make_context, sign_in, wait_idle
) -> tuple[UsersPage, ProcedureSettingsDialog]:
    """The administrator opens the dialog from the users page (kept alive with it)."""
    page = UsersPage(make_context(sign_in("zhaolei")))
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.settings_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, ProcedureSettingsDialog) and dialog.isVisible()
    wait_idle()  # the values in force, read in the background
    return page, dialog


def test_the_statement_period_is_changed_and_used(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """Setting 陈述申辩期 to 3 working days stores only that change; the source is a tooltip."""
    _page, dialog = open_dialog(qtbot, make_context, sign_in, wait_idle)
    box = dialog.fields["statement_days"]
    assert box.value() == 5 and "第四十四条" in box.toolTip()
    box.selectAll()
    qtbot.keyClicks(box, "3")
    assert dialog.changed() == {"statement_days": 3}
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert settings_in_force(demo_database)["statement_days"] == 3
    assert settings_in_force(demo_database).hearing_threshold("unit") == 100_000
