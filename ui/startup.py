"""Start-up choreography: the sign-in window appears at once; nothing of the data is read before
someone signs in.

Loading the core (SQLAlchemy, the models, every page) takes longer than showing a window, so it
runs through the worker helper while the user reads the sign-in window and types; the data
folder is examined on the way (``ui.start_folder``) without opening the database. Then:

- an empty folder leads to 首次启动 (demo, or going live with the recovery key shown);
- an encrypted folder enables sign-in: one argon2id derivation checks the password and unwraps
  the key (``auth.unlock``), the database opens, the main window follows, and the day's
  automatic backup is made in the background;
- an unencrypted database of an older version is encrypted in place at an administrator's
  sign-in, after a backup, and its new recovery key is shown;
- a damaged database gets its Chinese explanation and the offer to restore the newest good
  backup, never a silent fresh start.

退出登录 (and the idle lock) close the database, so the key leaves memory, and bring the
sign-in window back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from fuanjian_desktop import APP_NAME
from ui.dialogs.login_dialog import DemoAccountRow, LoginDialog
from ui.errors import failure_text
from ui.keyboard import install as install_keyboard_rules
from ui.start_folder import Examined, Stage, examine
from ui.workers import Workers

if TYPE_CHECKING:
    from fuanjian_desktop.config import DataFolder
    from fuanjian_desktop.db.engine import Database
    from fuanjian_desktop.db.integrity import DatabaseDamaged
    from fuanjian_desktop.services.actor import Actor
    from fuanjian_desktop.services.users import NewUser

IDLE_POLL_MS = 50
LEGACY_NOTICE = (
    "本机数据库来自未加密的旧版本。请由管理员登录：程序先备份数据库，再将其加密，"
    "核对无误后删除未加密的副本。"
)
RESET_NEEDED = (
    "数据库已加密。下列账号的密码只保存在旧数据库中，无法随加密一起保留：请在“用户管理”中"
    "为他们“重设密码”，并当面告知本人。重设之前这些账号不能登录。"
)
ENCRYPTING = "正在备份并加密数据库，数据多时需要几分钟，请勿关闭程序…"


@dataclass(frozen=True)
class Opened:
    """What a sign-in produced: the open database and who signed in."""

    database: Database
    actor: Actor
    recovery_code: str | None = None  # set when this sign-in encrypted a legacy database
    to_reset: tuple[str, ...] = ()  # then: the accounts whose key an administrator must wrap


def warm_up(data_dir: str | None) -> Examined:
    """Load the core and the main window's modules, and examine the folder (worker thread)."""
    import ui.shell  # noqa: F401  (warms the main window's modules while the user types)

    return examine(data_dir)


def unlock(folder: DataFolder, username: str, password: str, legacy: bool = False) -> Opened:
    """Sign in: the key unwrapped, the database opened (worker thread).

    In a ``legacy`` folder an administrator's sign-in first encrypts the database in place
    (``auth.unlock`` does both); the new key's recovery code, which nobody has seen, is then
    made afresh for the squad leader to print.
    """
    from fuanjian_desktop.command_access import with_pulled_reference
    from fuanjian_desktop.security.encrypt_in_place import accounts_without_key
    from fuanjian_desktop.security.keyring import Keyring
    from fuanjian_desktop.services import auth

    database, actor = auth.unlock(folder, username, password)
    with_pulled_reference(database)  # before any page reads the calendar, catalogue …
    if not legacy or database.key is None:
        return Opened(database, actor)
    try:
        code = Keyring.load(folder).replace_recovery(database.key)
        return Opened(database, actor, code, tuple(accounts_without_key(database)))
    except BaseException:
        database.close()
        raise


def make_demo(folder: DataFolder) -> None:
    """演示模式: a new key and encrypted database filled with the demo, closed again (worker)."""
    from fuanjian_desktop.demo import demo
    from fuanjian_desktop.services import setup

    database = setup.create_encrypted_database(folder)
    try:
        demo.create_demo(database)
    finally:
        database.close()


def go_live(folder: DataFolder, squad: str, admin: NewUser) -> str:
    """正式启用: a new key and encrypted database with the first administrator, closed again;
    returns the recovery code to show (worker thread)."""
    from fuanjian_desktop.services import setup

    database = setup.create_encrypted_database(folder)
    try:
        return setup.go_live(database, squad, admin)
    finally:
        database.close()


class Startup(QObject):
    """Owns the windows of the start: sign-in, possibly 首次启动, then the main window."""

    def __init__(self, data_dir: str | None, workers: Workers) -> None:
        super().__init__()
        self._data_dir = data_dir
        self._workers = workers
        self.examined: Examined | None = None
        self.opened: Opened | None = None
        self.login = self._new_login()
        self.main_window: Any = None
        self.first_start_dialog: Any = None
        self.side_dialog: QWidget | None = None  # a recovery-key or damaged-database dialog

    def start(self) -> None:
        """Show the sign-in window and examine the data folder behind it."""
        self.login.show()
        self._examine()

    def close(self) -> None:
        """Close the database once the windows are gone (after a backup still being written)."""
        self._workers.shutdown()
        if self.opened is not None:
            self.opened.database.close()
            self.opened = None

    def _new_login(self) -> LoginDialog:
        login = LoginDialog(self._workers)
        login.signed_in.connect(self._signed_in)
        login.failed.connect(self._login_failed)
        return login

    # --- before sign-in -----------------------------------------------------------------------

    def _examine(self) -> None:
        self._workers.run(lambda: warm_up(self._data_dir), self._examined, self._refuse)

    def _examined(self, examined: Examined) -> None:
        # the keyboard rules (~100 ms) while the user reads the sign-in window, before its list
        # of demo accounts or the 首次启动 dialog is built
        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_keyboard_rules(app)
        self.examined = examined
        if examined.stage is Stage.FIRST_START:
            self._first_start(examined.folder)
        else:
            self._enable_sign_in(examined)

    def _first_start(self, folder: DataFolder) -> None:
        from ui.dialogs.first_start_dialog import FirstStartDialog

        dialog = FirstStartDialog(
            lambda: make_demo(folder),
            lambda squad, admin: go_live(folder, squad, admin),
            self._workers,
        )
        dialog.accepted.connect(self._after_first_start)
        dialog.rejected.connect(QApplication.quit)
        self.login.hide()
        dialog.open()
        self.first_start_dialog = dialog

    def _after_first_start(self) -> None:
        """The folder is set up and closed again: sign in as on any later start."""
        self.login.show()
        self._examine()

    def _enable_sign_in(self, examined: Examined) -> None:
        from fuanjian_desktop.demo import demo

        accounts = [
            DemoAccountRow(a.username, a.full_name, a.squad, a.role_labels)
            for a in demo.DEMO_ACCOUNTS
        ]
        folder = examined.folder
        legacy = examined.stage is Stage.LEGACY
        self.login.set_ready(
            lambda username, password: unlock(folder, username, password, legacy),
            demo_accounts=accounts if examined.is_demo else [],
            demo_password=demo.DEMO_PASSWORD,
            recover=None if legacy or examined.is_demo else self._recover_function(folder),
            notice=LEGACY_NOTICE if legacy else "",
            signing_in_text=ENCRYPTING if legacy else "正在登录…",
        )

    @staticmethod
    def _recover_function(folder: DataFolder) -> Any:
        from fuanjian_desktop.services import auth

        return lambda code, username, new: auth.recover_password(folder, code, username, new)

    # --- signing in ---------------------------------------------------------------------------

    def _signed_in(self, opened: Opened) -> None:
        self.opened = opened
        if opened.recovery_code is not None:  # a legacy database was just encrypted
            self._show_recovery_key(opened)
            return
        self._show_main_window(opened)

    def _show_recovery_key(self, opened: Opened) -> None:
        from ui.dialogs.recovery_key_dialog import RecoveryKeyDialog
        from ui.shell import squad_name

        assert opened.recovery_code is not None
        dialog = RecoveryKeyDialog(opened.recovery_code, squad_name(opened.database, opened.actor))
        dialog.accepted.connect(lambda: self._show_main_window(opened))
        dialog.open()
        self.side_dialog = dialog

    def _show_main_window(self, opened: Opened) -> None:
        from ui.shell import build_main_window

        window = build_main_window(opened.database, opened.actor, self._workers)
        window.sign_out_requested.connect(self.sign_out)
        self.main_window = window
        window.showMaximized()  # the whole free screen of a 1366×768 laptop
        self.login.close()
        if opened.to_reset:
            self._ask_for_resets(window, opened.to_reset)
        self._back_up(opened.database)

    def _ask_for_resets(self, window: QWidget, accounts: tuple[str, ...]) -> None:
        """After the encryption: the accounts whose own passwords could not be carried over."""
        box = QMessageBox(QMessageBox.Icon.Information, "需要重设密码", RESET_NEEDED, parent=window)
        box.setInformativeText("、".join(accounts))
        box.open()
        self.side_dialog = box

    def _back_up(self, database: Database) -> None:
        """The day's automatic backup, in the background (once a day; the last 7 days kept)."""
        from fuanjian_desktop.services.backups import automatic_backup
        from fuanjian_desktop.services.inspections.inspections import local_today

        today = local_today()
        # one of the two worker threads, for 0.3 s on the demo and about 20 s on 100,000
        # enterprises; the other stays free for the pages
        self._workers.run(
            lambda: automatic_backup(database, today), lambda _path: None, self._backup_failed
        )

    def _backup_failed(self, error: Exception) -> None:
        from ui.errors import show_failure

        if self.main_window is not None:
            show_failure(self.main_window, error, "自动备份未完成")

    def _login_failed(self, error: Exception) -> None:
        """A damaged database found at sign-in (its pages are checked once the key is
        unwrapped): beside the message, the offer to restore the newest good backup."""
        from fuanjian_desktop.db.integrity import DatabaseDamaged

        if isinstance(error, DatabaseDamaged) and self.examined is not None:
            self._offer_restore(error, self.examined.folder)

    # --- signing out --------------------------------------------------------------------------

    def sign_out(self) -> None:
        """退出登录: the sign-in window back at once; the main window goes and the database
        closes (the data key with it) once the background work still running is done."""
        opened, window = self.opened, self.main_window
        self.opened, self.main_window = None, None
        self.login = self._new_login()
        self.login.show()  # first: the app quits when its last window closes
        if window is not None:
            window.hide()  # (ends an idle lock)
        for other in QApplication.topLevelWidgets():  # editors, previews, 关于 …
            if other is not self.login and other.isVisible():
                other.close()  # an editor saves what was typed; nothing stays on screen
        self._close_when_idle(opened, window)

    def _close_when_idle(self, opened: Opened | None, window: Any) -> None:
        if self._workers.busy():
            QTimer.singleShot(IDLE_POLL_MS, lambda: self._close_when_idle(opened, window))
            return
        if window is not None:
            window.close()
            window.deleteLater()
        if opened is not None:
            opened.database.close()
        if self.examined is not None:
            self._enable_sign_in(self.examined)

    # --- refusals -----------------------------------------------------------------------------

    def _refuse(self, error: Exception) -> None:
        from fuanjian_desktop.db.integrity import DatabaseDamaged

        if isinstance(error, DatabaseDamaged):
            from fuanjian_desktop.config import resolve_data_folder

            self._offer_restore(error, resolve_data_folder(self._data_dir))
            return
        QMessageBox.critical(self.login, APP_NAME, failure_text(error))
        QApplication.quit()

    def _after_restore(self) -> None:
        """The backup is in place: a fresh sign-in window over the folder examined again."""
        old, self.login = self.login, self._new_login()
        self.login.show()  # before the old one closes: the app quits with its last window
        old.close()
        self._examine()

    def _offer_restore(self, error: DatabaseDamaged, folder: DataFolder) -> None:
        """The damaged-database dialog: restore the newest good backup, or quit."""
        from ui.dialogs.damaged_database_dialog import DamagedDatabaseDialog

        dialog = DamagedDatabaseDialog(error, folder, error.key, self._workers, self.login)
        dialog.restored.connect(self._after_restore)
        dialog.rejected.connect(QApplication.quit)
        dialog.open()
        self.side_dialog = dialog
