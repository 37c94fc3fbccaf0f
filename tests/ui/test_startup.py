"""The start as a user meets it: sign-in window first, nothing of the data read before a
sign-in, then the main window; 退出登录 closes the data and brings the sign-in window back."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QTableWidget
from shiboken6 import isValid

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import is_plaintext_file
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.services.backups import create_backup
from fuanjian_desktop.services.backups.rotation import automatic_backups
from tests.security.test_legacy_encryption import legacy  # noqa: F401  (the fixture)
from tests.ui.conftest import type_text
from ui.dialogs.damaged_database_dialog import DamagedDatabaseDialog
from ui.dialogs.recovery_key_dialog import RecoveryKeyDialog
from ui.start_folder import Stage
from ui.startup import Startup


@pytest.fixture(autouse=True)
def no_window_left():
    """The windows of a start are the start's own: none is left for the next test."""
    yield
    for window in QApplication.topLevelWidgets():
        window.close()


def start(qtbot, folder: DataFolder, workers) -> Startup:
    startup = Startup(str(folder.root), workers)
    startup.start()
    qtbot.addWidget(startup.login)
    return startup


def fingerprint(folder: DataFolder) -> dict[str, str]:
    """Every file of the data folder and a hash of its bytes."""
    return {
        str(path.relative_to(folder.root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.root.rglob("*"))
        if path.is_file()
    }


def sign_in(qtbot, startup: Startup, username: str, wait_for_main: bool = True) -> None:
    type_text(qtbot, startup.login.username, username)
    type_text(qtbot, startup.login.password, demo.DEMO_PASSWORD)
    startup.login.try_sign_in()
    if wait_for_main:
        qtbot.waitUntil(lambda: startup.main_window is not None, timeout=20_000)


def signed_in_start(qtbot, demo_database, data_folder, workers, monkeypatch) -> Startup:
    """The real start on the demo folder, with 张伟 signed in and his main window up."""
    demo_database.close()
    monkeypatch.setattr(QApplication, "quit", lambda: None)
    startup = start(qtbot, data_folder, workers)
    qtbot.waitUntil(lambda: startup.login.sign_in_button.isEnabled(), timeout=20_000)
    sign_in(qtbot, startup, "zhangwei")
    return startup


def test_nothing_is_opened_before_sign_in_then_the_main_window(
    qtbot, demo_database, data_folder, workers, monkeypatch
):
    """The sign-in window shows at once and enables itself without opening the database (no
    file of the folder changes, no WAL appears); the sign-in opens it and the main window
    follows, and the day's automatic backup is written in the background."""
    demo_database.close()
    before = fingerprint(data_folder)
    monkeypatch.setattr(QApplication, "quit", lambda: None)
    startup = start(qtbot, data_folder, workers)
    assert startup.login.isVisible()
    qtbot.waitUntil(lambda: startup.login.sign_in_button.isEnabled(), timeout=20_000)
    qtbot.waitUntil(lambda: not workers.busy())
    assert startup.examined is not None and startup.examined.stage is Stage.SIGN_IN
    assert startup.opened is None and fingerprint(data_folder) == before
    assert startup.login.banner.isVisible()  # demo mode read from keys.json, not the data
    sign_in(qtbot, startup, "zhangwei")
    assert startup.main_window.isVisible() and not startup.login.isVisible()
    assert "张伟" in startup.main_window.user_label.text()
    qtbot.waitUntil(lambda: not workers.busy(), timeout=60_000)
    assert len(automatic_backups(data_folder.backups)) == 1
    startup.close()


def test_sign_out_closes_the_data_and_shows_the_sign_in_window(
    qtbot, demo_database, data_folder, workers, monkeypatch
):
    """Ctrl+Shift+L (退出登录) in the main window: the sign-in window is back and ready, the
    main window gone, the database closed with its key dropped; another user can sign in."""
    startup = signed_in_start(qtbot, demo_database, data_folder, workers, monkeypatch)
    window, opened = startup.main_window, startup.opened
    assert opened is not None and opened.database.key is not None
    qtbot.waitUntil(lambda: not workers.busy(), timeout=60_000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(
        QApplication.focusWidget(),
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(lambda: startup.main_window is None)  # a keyed button clicks 100 ms later
    qtbot.addWidget(startup.login)
    assert startup.opened is None
    qtbot.waitUntil(lambda: startup.login.sign_in_button.isEnabled(), timeout=10_000)
    assert startup.login.isVisible() and not (isValid(window) and window.isVisible())
    assert opened.database.key is None  # the key left memory with the closed database
    sign_in(qtbot, startup, "lina")
    assert "李娜" in startup.main_window.user_label.text()
    qtbot.waitUntil(lambda: not workers.busy(), timeout=60_000)
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


def test_an_empty_database_file_is_damage_not_a_first_start(
    qtbot, data_folder, workers, monkeypatch
):
    """A 0-byte database file leads to the damaged-database dialog, never to 首次启动."""
    data_folder.database.write_bytes(b"")
    monkeypatch.setattr(QApplication, "quit", lambda: None)
    startup = start(qtbot, data_folder, workers)
    qtbot.waitUntil(lambda: startup.side_dialog is not None, timeout=20_000)
    dialog = startup.side_dialog
    qtbot.addWidget(dialog)
    assert isinstance(dialog, DamagedDatabaseDialog) and dialog.isVisible()
    assert "0 字节" in dialog.explanation.text()
    assert startup.first_start_dialog is None
    dialog.reject()
    qtbot.waitUntil(lambda: not workers.busy())


def test_database_from_newer_version_is_refused_in_chinese(
    qtbot, data_folder, workers, monkeypatch
):
    """An (unencrypted) database from a newer program is refused with its Chinese message; the
    app quits."""
    newer = sqlite3.connect(data_folder.database)
    newer.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    newer.execute("INSERT INTO alembic_version VALUES ('ffff_from_the_future')")
    newer.commit()
    newer.close()
    shown: list[str] = []
    quits: list[bool] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(QApplication, "quit", lambda: quits.append(True))
    start(qtbot, data_folder, workers)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "更新版本" in shown[0] and quits == [True]


def test_a_legacy_database_is_encrypted_at_an_administrators_sign_in(
    qtbot,
    legacy,  # noqa: F811  (the imported fixture)
    workers,
    monkeypatch,
):
    """An unencrypted database of an older version: the sign-in window says what will happen;
    the administrator's sign-in encrypts it, then shows the new recovery key (the one that
    opens the data now) and, over the main window, the accounts to reset."""
    monkeypatch.setattr(QApplication, "quit", lambda: None)
    startup = start(qtbot, legacy, workers)
    qtbot.waitUntil(lambda: startup.login.sign_in_button.isEnabled(), timeout=20_000)
    assert startup.examined is not None and startup.examined.stage is Stage.LEGACY
    assert "未加密的旧版本" in startup.login.notice.text() and startup.login.notice.isVisible()
    assert not startup.login.forgot_button.isVisible()
    sign_in(qtbot, startup, "zhaolei", wait_for_main=False)
    assert "加密" in startup.login.status.text()  # what the wait is for
    qtbot.waitUntil(lambda: isinstance(startup.side_dialog, RecoveryKeyDialog), timeout=120_000)
    recovery = startup.side_dialog
    assert not is_plaintext_file(legacy.database)
    Keyring.load(legacy).unlock_with_recovery(recovery.code_label.text())  # the real key
    recovery.kept.setChecked(True)
    recovery.accept()
    qtbot.waitUntil(lambda: startup.main_window is not None)
    qtbot.waitUntil(lambda: isinstance(startup.side_dialog, QMessageBox))
    assert "李娜（lina）" in startup.side_dialog.informativeText()
    qtbot.waitUntil(lambda: not workers.busy(), timeout=60_000)
    startup.close()


def test_damage_found_at_sign_in_is_restored_from_the_newest_backup(
    qtbot, demo_database, data_folder, workers, monkeypatch
):
    """Zeroed middle pages show only once the key opens the file: the sign-in window gives
    the Chinese reason and the restore dialog opens over it already holding the key (no
    second sign-in asked); 从最近的备份恢复 puts the backup in place, and the next sign-in
    reaches the main window. Never a first start."""
    data_folder.backups.mkdir()
    create_backup(demo_database, data_folder.backups / "auto-2026-12-01.fabak")
    demo_database.close()
    page = 4096  # SQLCipher's page size
    pages = data_folder.database.stat().st_size // page
    with data_folder.database.open("r+b") as stream:
        stream.seek(pages // 2 * page)
        stream.write(bytes(page * 3))
    monkeypatch.setattr(QApplication, "quit", lambda: None)
    startup = start(qtbot, data_folder, workers)
    qtbot.waitUntil(lambda: startup.login.sign_in_button.isEnabled(), timeout=20_000)
    sign_in(qtbot, startup, "zhangwei", wait_for_main=False)
    qtbot.waitUntil(lambda: startup.side_dialog is not None, timeout=30_000)
    dialog = startup.side_dialog
    assert isinstance(dialog, DamagedDatabaseDialog) and dialog.isVisible()
    assert "已损坏" in startup.login.error.text()
    assert not dialog.username.isVisible()  # the key of this sign-in is used, none asked
    assert startup.main_window is None and startup.first_start_dialog is None
    with qtbot.waitSignal(dialog.restored, timeout=60_000):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert list(data_folder.root.glob("fuanjian.db.damaged-*"))  # set aside, not deleted
    qtbot.waitUntil(lambda: startup.login.sign_in_button.isEnabled(), timeout=20_000)
    accounts = startup.login.findChildren(QTableWidget)
    assert len(accounts) == 1 and accounts[0].rowCount() == len(demo.DEMO_ACCOUNTS)
    sign_in(qtbot, startup, "zhangwei")
    assert "张伟" in startup.main_window.user_label.text()
    qtbot.waitUntil(lambda: not workers.busy(), timeout=60_000)
    startup.close()


def test_signing_out_from_the_lock_leaves_only_the_sign_in_window(
    qtbot, demo_database, data_folder, workers, monkeypatch
):
    """Locked (Ctrl+L or idle) with 关于 open, 退出登录 in the lock window: no lock, no main
    window, no 关于 left, the database closed; the sign-in window is the one window shown."""
    startup = signed_in_start(qtbot, demo_database, data_folder, workers, monkeypatch)
    window, opened = startup.main_window, startup.opened
    qtbot.waitUntil(lambda: not workers.busy(), timeout=60_000)
    about = window.show_about()  # a window of the signed-in user, open when the lock came
    qtbot.waitUntil(about.isVisible)
    window.idle_lock.lock()
    lock_window = window.idle_lock.lock_window
    qtbot.mouseClick(lock_window.sign_out_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: startup.main_window is None)
    qtbot.waitUntil(lambda: startup.login.sign_in_button.isEnabled(), timeout=10_000)
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert shown == [startup.login]
    assert opened is not None and opened.database.key is None


def test_a_missing_database_beside_its_key_file_is_damage_not_a_new_start(
    qtbot, demo_database, data_folder, workers, monkeypatch
):
    """keys.json without fuanjian.db (moved or deleted): the restore dialog, before anyone
    signs in; no new empty database is made."""
    demo_database.close()
    data_folder.database.unlink()
    monkeypatch.setattr(QApplication, "quit", lambda: None)
    startup = start(qtbot, data_folder, workers)
    qtbot.waitUntil(lambda: startup.side_dialog is not None, timeout=20_000)
    dialog = startup.side_dialog
    qtbot.addWidget(dialog)
    assert isinstance(dialog, DamagedDatabaseDialog) and dialog.isVisible()
    assert startup.first_start_dialog is None and not startup.login.sign_in_button.isEnabled()
    assert not data_folder.database.exists()
    dialog.reject()
    qtbot.waitUntil(lambda: not workers.busy())


def test_going_live_from_an_empty_folder_to_the_main_window(qtbot, data_folder, workers):
    """首次启动 → 正式启用 → the recovery key kept → the sign-in window (no demo list, with
    忘记密码) → the first administrator's sign-in opens the main window."""
    startup = start(qtbot, data_folder, workers)
    qtbot.waitUntil(lambda: startup.first_start_dialog is not None, timeout=20_000)
    first = startup.first_start_dialog
    form = first.admin_form
    type_text(qtbot, form.username, "linguan")
    type_text(qtbot, form.full_name, "林管理")
    form.squad.setCurrentIndex(form.squad.findText("南园街道应急管理执法中队"))
    type_text(qtbot, form.password, "Start2026a")
    type_text(qtbot, form.password_again, "Start2026a")
    qtbot.mouseClick(first.go_live_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: first.recovery_dialog is not None, timeout=30_000)
    first.recovery_dialog.kept.setChecked(True)
    first.recovery_dialog.accept()
    qtbot.waitUntil(lambda: startup.login.sign_in_button.isEnabled(), timeout=20_000)
    assert startup.login.isVisible() and not first.isVisible()
    assert startup.login.findChildren(QTableWidget) == []  # not a demo
    assert startup.login.forgot_button.isVisible()
    type_text(qtbot, startup.login.username, "linguan")
    type_text(qtbot, startup.login.password, "Start2026a")
    startup.login.try_sign_in()
    qtbot.waitUntil(lambda: startup.main_window is not None, timeout=20_000)
    assert "林管理" in startup.main_window.user_label.text()
    assert "南园" in startup.main_window.windowTitle()
    qtbot.waitUntil(lambda: not workers.busy(), timeout=60_000)
    startup.close()


def test_an_older_versions_never_set_up_database_is_still_a_first_start(
    qtbot, data_folder, workers
):
    """An unencrypted, migrated but never set-up database (an older version quit at 首次启动)
    holds nothing: 首次启动, not the encryption of an empty file."""
    open_database(data_folder, None).close()
    assert is_plaintext_file(data_folder.database)
    startup = start(qtbot, data_folder, workers)
    qtbot.waitUntil(lambda: startup.first_start_dialog is not None, timeout=20_000)
    qtbot.addWidget(startup.first_start_dialog)
    assert startup.examined is not None and startup.examined.stage is Stage.FIRST_START
    startup.first_start_dialog.reject()
    qtbot.waitUntil(lambda: not workers.busy())
