"""数据库损坏 dialog: the damage explained, the newest good backup restored, no fresh start."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.db.integrity import DatabaseDamaged, check_before_unlock, check_database
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.services import backups
from tests.backup_support import table_rows
from ui.dialogs.damaged_database_dialog import NO_BACKUP, QUIT, RESTORE, DamagedDatabaseDialog

PAGE = 4096


def shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def button_texts(dialog) -> list[str]:
    return [button.text() for button in dialog.findChildren(QPushButton)]


@pytest.fixture
def backed_up(demo_database: Database):
    """The demo folder with yesterday's automatic backup, closed; returns (folder, key, rows)."""
    folder = DataFolder(demo_database.folder)
    backups.automatic_backup(demo_database, dt.date(2026, 12, 6))
    rows = table_rows(demo_database)
    key = demo_database.key
    demo_database.close()
    return folder, key, rows


def test_zeroed_pages_restored_with_the_key_of_the_sign_in(qtbot, workers, backed_up):
    """Damage found after sign-in: one Enter restores the backup; the damaged file is kept."""
    folder, key, rows = backed_up
    with folder.database.open("r+b") as stream:
        stream.seek(PAGE * 100)
        stream.write(bytes(PAGE * 2))
    with pytest.raises(DatabaseDamaged) as raised:
        check_database(folder.database, key)
    dialog = shown(qtbot, DamagedDatabaseDialog(raised.value, folder, raised.value.key, workers))
    assert "已损坏" in dialog.explanation.text()
    assert "auto-2026-12-06.fabak" in dialog.backups_label.text()
    assert button_texts(dialog) == [RESTORE, QUIT]  # no fresh start offered
    with qtbot.waitSignal(dialog.restored, timeout=20_000):
        qtbot.keyClick(dialog.restore_button, Qt.Key.Key_Return)
    assert dialog.report is not None and dialog.report.set_aside is not None
    database = open_database(folder, key)
    try:
        assert table_rows(database) == rows
    finally:
        database.close()


def test_an_empty_file_before_sign_in_asks_for_a_password(qtbot, workers, backed_up):
    """0 bytes found before sign-in: the key comes from a typed password, then the restore."""
    folder, key, rows = backed_up
    folder.database.write_bytes(b"")
    with pytest.raises(DatabaseDamaged) as raised:
        check_before_unlock(folder)
    dialog = shown(qtbot, DamagedDatabaseDialog(raised.value, folder, None, workers))
    assert "不是首次启动" in dialog.explanation.text()
    qtbot.keyClicks(dialog.username, "zhangwei")
    qtbot.keyClicks(dialog.password, "wrong-password")
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: "密码不正确" in dialog.error.text(), timeout=20_000)
    assert folder.database.read_bytes() == b""  # nothing touched by a failed attempt
    dialog.password.setText(demo.DEMO_PASSWORD)
    with qtbot.waitSignal(dialog.restored, timeout=20_000):
        dialog.restore_button.click()
    database = open_database(folder, key)
    try:
        assert table_rows(database) == rows
    finally:
        database.close()


def test_without_a_backup_only_quit_is_offered(qtbot, workers, data_folder):
    """No backup: the dialog says what to do instead, and the file is left as it is."""
    data_folder.database.write_bytes(b"")
    with pytest.raises(DatabaseDamaged) as raised:
        check_before_unlock(data_folder)
    dialog = shown(qtbot, DamagedDatabaseDialog(raised.value, data_folder, None, workers))
    assert dialog.backups_label.text() == NO_BACKUP
    assert not dialog.restore_button.isEnabled()
    assert dialog.quit_button.isDefault()
    with qtbot.waitSignal(dialog.rejected):
        dialog.quit_button.click()
    assert data_folder.database.read_bytes() == b""
