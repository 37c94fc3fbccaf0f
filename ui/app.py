"""Composition root: the only place that builds the application object graph.

It owns the QApplication and the worker helper; :class:`ui.startup.Startup` opens the database
and hands it, with the signed-in actor, to the main window. Nothing else keeps global state.
Only light modules are imported here, so the first window appears before the core has loaded.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from fuanjian_desktop import APP_NAME
from fuanjian_desktop.resources import resource_path
from ui.fonts import register_fonts
from ui.garbage import collect_on_gui_thread
from ui.keyboard import install as install_keyboard_rules
from ui.translations import install_chinese


def make_application(keyboard_rules_now: bool = True) -> QApplication:
    """The QApplication with Qt's Chinese translation, the bundled Chinese fonts, the style and
    the keyboard rules applied (once).

    The keyboard rules cost about 100 ms (``ui.keyboard.create_qt_types``): the real start
    (``keyboard_rules_now=False``) has ``ui.startup`` install them once the sign-in window is
    on screen; a test or a screenshot gets them at once.
    """
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    if app.applicationName() == APP_NAME:
        return app
    app.setApplicationName(APP_NAME)
    collect_on_gui_thread(app)  # a widget must never be destroyed on a worker thread
    install_chinese(app)  # Qt's own print, file and message dialogs in Chinese
    register_fonts(app)
    app.setStyleSheet(resource_path("styles", "app.qss").read_text(encoding="utf-8"))
    if keyboard_rules_now:
        install_keyboard_rules(app)  # owned by the app, like the fonts
    return app


def run_gui(data_dir: str | None) -> int:
    """Start the desktop app: sign-in window at once, the data opened behind it."""
    from ui.startup import Startup
    from ui.workers import Workers

    app = make_application(keyboard_rules_now=False)
    workers = Workers()
    startup = Startup(data_dir, workers)
    try:
        startup.start()
        return app.exec()
    finally:
        workers.shutdown()
        startup.close()
