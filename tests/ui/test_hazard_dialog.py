"""The hazard dialog from the keyboard: Enter in its fields never starts a 复查; the actions
have their keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QSpinBox

from tests.ui.hazard_support import make_hazards
from tests.ui.test_document_keyboard import CTRL, focused, press
from ui.dialogs.hazard_dialog import HazardDialog
from ui.dialogs.recheck_dialog import RecheckDialog


def open_dialog(qtbot, make_context, inspector, demo_database, start_inspection, wait):
    _inspection, ids = make_hazards(demo_database, inspector, start_inspection, 1)
    dialog = HazardDialog(make_context(inspector), ids[0])
    qtbot.addWidget(dialog)
    dialog.show()
    wait()
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    return dialog


def test_enter_in_the_period_closes_the_dialog_and_starts_no_recheck(
    qtbot, make_context, inspector, demo_database, start_inspection, wait_idle
):
    """Tab to 整改期限, Enter: the dialog closes (as 关闭), no 复查 form opens."""
    dialog = open_dialog(qtbot, make_context, inspector, demo_database, start_inspection, wait_idle)
    for _ in range(5):
        if isinstance(focused(), QSpinBox):
            break
        press(qtbot, Qt.Key.Key_Tab)
    assert isinstance(focused(), QSpinBox)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert dialog.dialog is None and not dialog.findChildren(RecheckDialog)


def test_ctrl_r_opens_the_recheck(
    qtbot, make_context, inspector, demo_database, start_inspection, wait_idle
):
    """复查… shows its key and Ctrl+R opens the 复查 form over the dialog."""
    dialog = open_dialog(qtbot, make_context, inspector, demo_database, start_inspection, wait_idle)
    assert dialog.recheck_button.text() == "复查… (Ctrl+R)"
    press(qtbot, Qt.Key.Key_R, CTRL)
    qtbot.waitUntil(lambda: isinstance(dialog.dialog, RecheckDialog))
    assert dialog.dialog.isVisible() and dialog.isVisible()
