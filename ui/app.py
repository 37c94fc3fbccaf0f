"""Composition root: the only place that builds the application object graph.

It owns the QApplication, the open database and the worker helper, and hands them to the
windows through :class:`AppContext`. Nothing else keeps global state.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from fuanjian_desktop import APP_NAME
from fuanjian_desktop.config import resolve_data_folder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Squad
from fuanjian_desktop.resources import resource_path
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.setup import installation
from ui.context import AppContext
from ui.dialogs.first_start_dialog import FirstStartDialog
from ui.dialogs.login_dialog import LoginDialog
from ui.fonts import register_fonts
from ui.main_window import MainWindow
from ui.workers import Workers


def make_application() -> QApplication:
    """The QApplication with the bundled Chinese fonts and the style applied (once)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    if app.applicationName() == APP_NAME:
        return app
    app.setApplicationName(APP_NAME)
    register_fonts(app)
    app.setStyleSheet(resource_path("styles", "app.qss").read_text(encoding="utf-8"))
    return app


def build_main_window(database: Database, actor: Actor, workers: Workers) -> MainWindow:
    """The main window for a signed-in actor."""
    with database.read() as session:
        squad = session.get(Squad, actor.squad_id) if actor.squad_id else None
        squad_name = squad.name if squad else "未归属中队"
    context = AppContext(database, actor, installation(database), workers, squad_name)
    return MainWindow(context)


def run_gui(data_dir: str | None) -> int:
    """Start the desktop app: open the data, first start if needed, sign in, main window."""
    app = make_application()
    try:
        database = open_database(resolve_data_folder(data_dir))
    except UserError as error:
        QMessageBox.critical(None, APP_NAME, error.message)
        return 1
    workers = Workers()
    try:
        actor = _first_start_and_sign_in(database)
        if actor is None:
            return 0
        window = build_main_window(database, actor, workers)
        window.show()
        return app.exec()
    finally:
        workers.shutdown()
        database.close()


def _first_start_and_sign_in(database: Database) -> Actor | None:
    if installation(database).mode is None:
        first_start = FirstStartDialog(database)
        if first_start.exec() != QDialog.DialogCode.Accepted:
            return None
    login = LoginDialog(database, installation(database))
    if login.exec() != QDialog.DialogCode.Accepted:
        return None
    return login.actor
