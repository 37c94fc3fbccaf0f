"""Start-up choreography: the sign-in window appears at once; the data opens behind it.

Loading the core (SQLAlchemy, the models, every page) and opening the database take longer
than showing a window, so they run through the worker helper while the user reads the sign-in
window and types. An empty database leads to 首次启动 first; a database from a newer version is
refused with its Chinese message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from fuanjian_desktop import APP_NAME
from fuanjian_desktop.config import resolve_data_folder
from ui.dialogs.login_dialog import DemoAccountRow, LoginDialog
from ui.errors import failure_text
from ui.keyboard import install as install_keyboard_rules
from ui.workers import Workers

if TYPE_CHECKING:
    from fuanjian_desktop.db.engine import Database
    from fuanjian_desktop.services.actor import Actor
    from fuanjian_desktop.services.setup import Installation


@dataclass(frozen=True)
class Opened:
    """What the background start produced: the open database and this laptop's set-up."""

    database: Database
    installation: Installation


def open_data(data_dir: str | None) -> Opened:
    """Load the core and open (migrate) the database; runs on a worker thread."""
    import ui.shell  # noqa: F401  (warms the main window's modules while the user types)
    from fuanjian_desktop.db.startup import open_database
    from fuanjian_desktop.services.setup import installation

    database = open_database(resolve_data_folder(data_dir))
    return Opened(database, installation(database))


class Startup(QObject):
    """Owns the windows of the start: sign-in, possibly 首次启动, then the main window."""

    def __init__(self, data_dir: str | None, workers: Workers) -> None:
        super().__init__()
        self._data_dir = data_dir
        self._workers = workers
        self.opened: Opened | None = None
        self.login = LoginDialog(workers)
        self.main_window: Any = None
        self.first_start_dialog: Any = None

    def start(self) -> None:
        """Show the sign-in window and start opening the data behind it."""
        self.login.signed_in.connect(self._show_main_window)
        self.login.show()
        self._workers.run(lambda: open_data(self._data_dir), self._data_opened, self._refuse)

    def close(self) -> None:
        """Close the database once the windows are gone."""
        if self.opened is not None:
            self.opened.database.close()

    def _data_opened(self, opened: Opened) -> None:
        # the keyboard rules (~100 ms) while the user reads the sign-in window, before its list
        # of demo accounts or the 首次启动 dialog is built
        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_keyboard_rules(app)
        self.opened = opened
        if opened.installation.mode is None:
            self._first_start(opened.database)
        else:
            self._enable_sign_in(opened)

    def _first_start(self, database: Database) -> None:
        from ui.dialogs.first_start_dialog import FirstStartDialog

        dialog = FirstStartDialog(database, self._workers)
        dialog.accepted.connect(lambda: self._after_first_start(database))
        dialog.rejected.connect(QApplication.quit)
        self.login.hide()
        dialog.open()
        self.first_start_dialog = dialog

    def _after_first_start(self, database: Database) -> None:
        from fuanjian_desktop.services.setup import installation

        opened = Opened(database, installation(database))
        self.opened = opened
        self.login.show()
        self._enable_sign_in(opened)

    def _enable_sign_in(self, opened: Opened) -> None:
        from fuanjian_desktop.demo import demo
        from fuanjian_desktop.services import auth

        accounts = [
            DemoAccountRow(a.username, a.full_name, a.squad, a.role_labels)
            for a in demo.DEMO_ACCOUNTS
        ]
        self.login.set_ready(
            lambda username, password: auth.sign_in(opened.database, username, password),
            demo_accounts=accounts if opened.installation.is_demo else [],
            demo_password=demo.DEMO_PASSWORD,
        )

    def _show_main_window(self, actor: Actor) -> None:
        from ui.shell import build_main_window

        assert self.opened is not None
        self.main_window = build_main_window(self.opened.database, actor, self._workers)
        self.main_window.showMaximized()  # the whole free screen of a 1366×768 laptop
        self.login.close()

    def _refuse(self, error: Exception) -> None:
        QMessageBox.critical(self.login, APP_NAME, failure_text(error))
        QApplication.quit()
