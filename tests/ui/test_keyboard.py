"""The app-wide keyboard and screen rules (ui/keyboard.py), each on a small real window.

Expected behaviour is the issue's: lists never trap Tab, Enter on a row opens the row and does
not close the dialog, Tab leaves a multi-line field, Ctrl+Enter presses the default button, a
window fits the free screen, and a dialog opens on its first empty field.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui.app import make_application
from ui.keyboard import KeyboardRules, install

LAPTOP_FREE_HEIGHT = 768  # the tests' virtual screen has no taskbar: all 768 px are free


class FormDialog(QDialog):
    """A dialog as the app builds them: a filled field, an empty one, a list, a note, OK."""

    def __init__(self) -> None:
        super().__init__()
        self.filled = QLineEdit("已填写")
        self.empty = QLineEdit()
        self.rows = QTableView()
        self.rows.setModel(QStringListModel(["第一行", "第二行", "第三行"]))
        self.note = QPlainTextEdit()
        self.ok = QPushButton("确定")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (self.filled, self.empty, self.rows, self.note, self.ok):
            layout.addWidget(widget)


FormDialog.__module__ = "ui.test_form"  # treated as one of the app's dialogs


def shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    make_application()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    return dialog


def test_a_dialog_opens_on_its_first_empty_field(qtbot: QtBot) -> None:
    dialog = shown(qtbot, FormDialog())
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.empty)


def test_tab_leaves_a_list_instead_of_moving_between_its_rows(qtbot: QtBot) -> None:
    dialog = shown(qtbot, FormDialog())
    dialog.rows.setFocus()
    dialog.rows.setCurrentIndex(dialog.rows.model().index(0, 0))
    qtbot.keyClick(dialog.rows, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.note
    assert dialog.rows.currentIndex().row() == 0


def test_enter_on_a_row_opens_it_and_keeps_the_dialog_open(qtbot: QtBot) -> None:
    dialog = shown(qtbot, FormDialog())
    opened: list[int] = []
    dialog.rows.activated.connect(lambda index: opened.append(index.row()))
    dialog.rows.setFocus()
    dialog.rows.setCurrentIndex(dialog.rows.model().index(1, 0))
    qtbot.keyClick(dialog.rows, Qt.Key.Key_Return)
    assert opened == [1]
    assert dialog.isVisible() and dialog.result() == 0


def test_enter_on_a_row_that_moves_the_focus_away_still_keeps_the_dialog_open(
    qtbot: QtBot,
) -> None:
    """A row that fills the form and goes on to a field: that Enter must not press 确定."""
    dialog = shown(qtbot, FormDialog())
    dialog.rows.activated.connect(lambda _index: dialog.empty.setFocus())
    dialog.rows.setFocus()
    dialog.rows.setCurrentIndex(dialog.rows.model().index(0, 0))
    qtbot.keyClick(dialog.rows, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.focusWidget() is dialog.empty


def test_enter_in_a_field_after_a_row_was_opened_presses_the_default_button(
    qtbot: QtBot,
) -> None:
    dialog = shown(qtbot, FormDialog())
    dialog.rows.setFocus()
    dialog.rows.setCurrentIndex(dialog.rows.model().index(0, 0))
    qtbot.keyClick(dialog.rows, Qt.Key.Key_Return)
    dialog.empty.setFocus()
    qtbot.keyClick(dialog.empty, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_enter_in_a_list_that_opens_nothing_presses_the_default_button(qtbot: QtBot) -> None:
    """A list to choose from (no row to open): Enter there is the dialog's 确定."""
    dialog = shown(qtbot, FormDialog())
    dialog.rows.setFocus()
    dialog.rows.setCurrentIndex(dialog.rows.model().index(2, 0))
    qtbot.keyClick(dialog.rows, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_tab_in_a_multiline_field_moves_on_and_ctrl_tab_types_a_tab(qtbot: QtBot) -> None:
    dialog = shown(qtbot, FormDialog())
    dialog.note.setFocus()
    qtbot.keyClick(dialog.note, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert dialog.note.toPlainText() == "\t"
    qtbot.keyClick(dialog.note, Qt.Key.Key_Tab)
    assert dialog.note.toPlainText() == "\t"
    assert dialog.focusWidget() is dialog.ok


def test_ctrl_enter_in_a_multiline_field_presses_the_default_button(qtbot: QtBot) -> None:
    dialog = shown(qtbot, FormDialog())
    dialog.note.setFocus()
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.note.toPlainText() == ""


def test_enter_in_a_multiline_field_still_starts_a_new_line(qtbot: QtBot) -> None:
    dialog = shown(qtbot, FormDialog())
    dialog.note.setFocus()
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog.note.toPlainText() == "\n"


def test_a_scroll_area_is_never_a_tab_stop(qtbot: QtBot) -> None:
    make_application()
    area = QScrollArea()
    qtbot.addWidget(area)
    area.show()
    assert area.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_a_window_taller_than_the_screen_is_shrunk_and_moved_onto_it(qtbot: QtBot) -> None:
    make_application()
    window = QWidget()
    qtbot.addWidget(window)
    window.setGeometry(0, -40, 900, 1000)
    window.show()
    qtbot.waitExposed(window)
    free = window.screen().availableGeometry()
    assert free.height() == LAPTOP_FREE_HEIGHT
    assert free.contains(window.frameGeometry())


def test_the_rules_are_installed_once_however_often_asked() -> None:
    """The start installs them once the data is open; a test's app has them already."""
    app = make_application()
    assert install(app) is install(app)
    assert len(app.findChildren(KeyboardRules)) == 1
