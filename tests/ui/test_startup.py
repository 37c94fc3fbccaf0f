"""The start as a user meets it: sign-in window first, data behind it, then the main window."""

from __future__ import annotations

import sqlite3

from PySide6.QtWidgets import QApplication, QMessageBox

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.demo import demo
from tests.ui.conftest import type_text
from ui.startup import Startup


def start(qtbot, folder: DataFolder, workers) -> Startup:
    startup = Startup(str(folder.root), workers)
    startup.start()
    qtbot.addWidget(startup.login)
    return startup


def test_sign_in_window_then_main_window(qtbot, demo_database, data_folder, workers, monkeypatch):
    """The sign-in window shows at once, enables itself once the data is open, then gives way."""
    demo_database.close()
    monkeypatch.setattr(QApplication, "quit", lambda: None)
    startup = start(qtbot, data_folder, workers)
    assert startup.login.isVisible()
    qtbot.waitUntil(lambda: startup.login.sign_in_button.isEnabled(), timeout=20_000)
    assert startup.login.banner.isVisible()
    type_text(qtbot, startup.login.username, "zhangwei")
    type_text(qtbot, startup.login.password, demo.DEMO_PASSWORD)
    startup.login.try_sign_in()
    qtbot.waitUntil(lambda: startup.main_window is not None, timeout=10_000)
    qtbot.addWidget(startup.main_window)
    assert startup.main_window.isVisible() and not startup.login.isVisible()
    assert "张伟" in startup.main_window.user_label.text()
    qtbot.waitUntil(lambda: not workers.busy())
    startup.close()


def test_empty_folder_leads_to_first_start(qtbot, data_folder, workers):
    """On an empty data folder the 首次启动 dialog replaces the sign-in window."""
    startup = start(qtbot, data_folder, workers)
    qtbot.waitUntil(lambda: startup.first_start_dialog is not None, timeout=20_000)
    qtbot.addWidget(startup.first_start_dialog)
    assert startup.first_start_dialog.isVisible() and not startup.login.isVisible()
    startup.first_start_dialog.reject()
    qtbot.waitUntil(lambda: not workers.busy())
    startup.close()


def test_database_from_newer_version_is_refused_in_chinese(
    qtbot, data_folder, workers, monkeypatch
):
    """A database from a newer program is refused with its Chinese message; the app quits."""
    demo_db = sqlite3.connect(data_folder.database)
    demo_db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    demo_db.execute("INSERT INTO alembic_version VALUES ('ffff_from_the_future')")
    demo_db.commit()
    demo_db.close()
    shown: list[str] = []
    quits: list[bool] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    start(qtbot, data_folder, workers)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "更新版本" in shown[0] and quits == [True]
