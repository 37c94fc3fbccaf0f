"""关于福安监: reachable by F1 from the main window, says version, data folder, Qt and its
Chinese translation, fits the laptop screen and closes with Esc."""

from __future__ import annotations

import tomllib
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.dialogs.about_dialog import AboutDialog
from ui.main_window import MainWindow

PYPROJECT = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text("utf-8"))
USABLE_HEIGHT = 728  # 1366×768 less a 40 px taskbar (issue 14)


def pinned_pyside_version() -> str:
    """The PySide6 version pyproject.toml pins (PySide6-Essentials==X)."""
    pin = next(d for d in PYPROJECT["project"]["dependencies"] if d.startswith("PySide6"))
    return pin.split("==")[1]


def open_about_with_f1(qtbot, make_context, actor) -> AboutDialog:
    """The main window, active, and the dialog F1 opened over it."""
    window = MainWindow(make_context(actor))
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.about_button.text() == "关于 (F1)"
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), AboutDialog))
    return QApplication.activeModalWidget()


def test_f1_shows_version_data_folder_qt_and_its_translation(
    qtbot, make_context, sign_in, data_folder
):
    """F1 in the main window opens 关于福安监 with pyproject's version, this data folder, the
    pinned Qt/PySide6 and 简体中文（已加载） for Qt's own dialogs."""
    dialog = open_about_with_f1(qtbot, make_context, sign_in("zhangwei"))
    version = pinned_pyside_version()
    assert dialog.windowTitle() == "关于福安监"
    assert dialog.rows == {
        "版本：": PYPROJECT["project"]["version"],
        "数据文件夹：": str(data_folder.root),
        "Qt / PySide6：": f"Qt {version}，PySide6 {version}",
        "Qt 界面翻译：": "简体中文（已加载）",
    }
    assert dialog.frameGeometry().height() <= USABLE_HEIGHT


def test_esc_closes_the_about_dialog(qtbot, make_context, sign_in):
    """Esc closes the dialog and leaves the main window as it was."""
    dialog = open_about_with_f1(qtbot, make_context, sign_in("zhangwei"))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.close_button)  # once active
    qtbot.keyClick(dialog.close_button, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
