"""案卷设置: the administrator sees each choice with its source, changes the binding order, and
only that change is stored; someone else's save is refused in the dialog."""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fuanjian_desktop.services.dossiers.dossier_settings import dossier_settings_in_force
from tests.ui.dossier.dialog_support import fits_the_laptop
from ui.dossier.settings_dialog import DossierSettingsDialog
from ui.pages.users_page import UsersPage

# the defaults the issue and COMMON fix: 结果在前 (津安监管法字〔2009〕28号), 右上角, 扫描件替换
DEFAULTS = {
    "convention": "result_first",
    "page_number_position": "top_right",
    "scan_placement": "replace",
}


def open_from_users_page(qtbot, make_context, actor, wait_idle):
    """案卷设置… on 用户管理, where the administrator's other settings are; the page is
    returned with the dialog, which it keeps alive."""
    page = UsersPage(make_context(actor))
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.dossier_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, DossierSettingsDialog) and dialog.isVisible()
    wait_idle()  # the values in force, read in the background
    return page, dialog


def test_the_binding_order_is_changed_and_only_that_is_stored(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """Defaults shown with their sources; 按时间顺序 chosen and saved; the rest unchanged."""
    _page, dialog = open_from_users_page(qtbot, make_context, sign_in("zhaolei"), wait_idle)
    assert fits_the_laptop(dialog) and QApplication.focusWidget() is dialog.fields["convention"]
    assert {key: box.currentData() for key, box in dialog.fields.items()} == DEFAULTS
    assert "2009" in dialog.sources["convention"].text()  # 津安监管法字〔2009〕28号
    box = dialog.fields["convention"]
    box.setFocus()
    box.setCurrentIndex(box.findData("chronological"))
    assert dialog.changed() == {"convention": "chronological"}
    assert dialog.sources["convention"].text() != ""
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asdict(dossier_settings_in_force(demo_database)) == {
        **DEFAULTS,
        "convention": "chronological",
    }


def test_a_clerk_cannot_change_them(qtbot, make_context, sign_in, demo_database, wait_idle):
    """The core refuses a non-administrator (who has no 用户管理 page; the dialog opened
    directly): the dialog says so and stays open."""
    dialog = DossierSettingsDialog(make_context(sign_in("zhangwei")))
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle()
    box = dialog.fields["page_number_position"]
    box.setCurrentIndex(box.findData("bottom_right"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert dialog.isVisible() and dialog.errors.general.text()
    assert asdict(dossier_settings_in_force(demo_database)) == DEFAULTS
