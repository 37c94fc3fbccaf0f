"""用户管理 → 案卷设置… opens the administrator's 案卷设置 dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.dossier.settings_dialog import DossierSettingsDialog
from ui.pages.users_page import UsersPage


def test_the_administrator_reaches_the_dossier_settings(qtbot, make_context, sign_in, wait_idle):
    """The button beside 文书设置 opens 案卷设置 over the page."""
    page = UsersPage(make_context(sign_in("zhaolei")))
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.dossier_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert isinstance(page.dialog, DossierSettingsDialog) and page.dialog.isVisible()
    page.dialog.reject()
