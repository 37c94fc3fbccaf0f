"""文书设置: reached from 用户管理 beside 文号号段, it changes what documents print."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout

from fuanjian_desktop.services.documents.document_settings import organisation_in_force
from tests.ui.conftest import type_text
from ui.documents.settings_dialog import DocumentSettingsDialog
from ui.pages.users_page import UsersPage


def test_the_administrator_changes_the_bureau_name(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """The values in force are shown under their labels (presumed ones flagged 待核实);
    only the changed one is saved, and documents print it from then on."""
    page = UsersPage(make_context(sign_in("zhaolei")))
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.documents_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, DocumentSettingsDialog) and dialog.isVisible()
    wait_idle()
    in_force = organisation_in_force(demo_database)
    name = dialog.fields["bureau_name"]
    assert name.text() == in_force["bureau_name"]
    assert dialog.fields["government"].text() == in_force["government"]
    assert "行政复议法" in dialog.fields["government"].toolTip()
    caption = dialog.findChild(QFormLayout).labelForField(name)
    assert "待核实" in caption.text()  # the shipped bureau name is presumed, not yet confirmed
    name.clear()
    type_text(qtbot, name, "深圳市福田区应急管理局（试）")
    assert dialog.changed() == {"bureau_name": "深圳市福田区应急管理局（试）"}
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = organisation_in_force(demo_database)
    assert saved["bureau_name"] == "深圳市福田区应急管理局（试）"
    assert saved["government"] == in_force["government"]


def test_someone_not_an_administrator_is_refused(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """The core refuses a non-administrator; the dialog says so and stays open."""
    dialog = DocumentSettingsDialog(make_context(sign_in("zhangwei")))
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle()
    type_text(qtbot, dialog.fields["phone"], "1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert "权限" in dialog.message.text() and dialog.isVisible()
