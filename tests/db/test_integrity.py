"""The start-up check names each kind of damaged database in Chinese and changes nothing.

Each case is made the way it happens to a laptop, with the database closed: cut short (a copy
interrupted), middle pages zeroed (a disk or a sync tool), 0 bytes, random bytes, another
folder's key. The expected words come from the issue: what is wrong, that it is not a first
start, and that the way out is the newest good backup.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.integrity import (
    Damage,
    DatabaseDamaged,
    check_before_unlock,
    check_database,
)
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.security.data_key import DataKey
from tests.conftest import DemoTemplate

PAGE = 4096  # SQLCipher's page size
RESTORE_ADVICE = "从最近一次完好的备份恢复"


@pytest.fixture
def demo_copy(demo_template: DemoTemplate, data_folder: DataFolder) -> DataFolder:
    """A closed copy of the encrypted demo folder (database, keys.json and evidence files)."""
    demo_template.copy_files(data_folder)
    return data_folder


def digest(path: Path) -> str:
    """SHA-256 of a file, to prove a check left it as it was."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def zero_pages(path: Path, first: int, count: int) -> None:
    """Overwrite ``count`` whole pages from page index ``first`` with zeros."""
    with path.open("r+b") as stream:
        stream.seek(first * PAGE)
        stream.write(bytes(PAGE * count))


def damage_of(path: Path, key: DataKey | None) -> DatabaseDamaged:
    """The error the check raises (the test fails if it raises none)."""
    before = digest(path)
    with pytest.raises(DatabaseDamaged) as raised:
        check_database(path, key)
    assert digest(path) == before, "the check must not change the file"
    return raised.value


def test_an_intact_encrypted_database_passes(
    demo_copy: DataFolder, demo_template: DemoTemplate
) -> None:
    """The demo copy opens and passes: the cases below fail because of the damage alone."""
    check_database(demo_copy.database, demo_template.key)
    check_before_unlock(demo_copy)


def test_zeroed_middle_pages_are_found_at_start(
    demo_copy: DataFolder, demo_template: DemoTemplate
) -> None:
    """Three zeroed middle pages: refused at once, naming the pages (not later, on a page)."""
    pages = demo_copy.database.stat().st_size // PAGE
    zero_pages(demo_copy.database, pages // 2, 3)
    error = damage_of(demo_copy.database, demo_template.key)
    assert error.kind is Damage.DAMAGED
    assert f"第 {pages // 2 + 1} 页" in error.message  # SQLite numbers pages from 1
    assert "已损坏" in error.message and RESTORE_ADVICE in error.message
    assert error.key == demo_template.key  # the restore dialog needs no second sign-in
    with pytest.raises(DatabaseDamaged):  # the app's own open refuses it before any read
        open_database(demo_copy, demo_template.key)


@pytest.mark.parametrize("cut", [PAGE * 40, PAGE * 40 + 1000], ids=["whole-pages", "mid-page"])
def test_a_truncated_database_is_refused(
    demo_copy: DataFolder, demo_template: DemoTemplate, cut: int
) -> None:
    """A copy cut short, at a page boundary or inside a page, is damaged."""
    os.truncate(demo_copy.database, cut)
    error = damage_of(demo_copy.database, demo_template.key)
    assert error.kind is Damage.DAMAGED
    assert "已损坏" in error.message and RESTORE_ADVICE in error.message


def test_a_zero_byte_database_is_not_a_first_start(
    demo_copy: DataFolder, demo_template: DemoTemplate
) -> None:
    """0 bytes: explained before sign-in and at open; the file stays 0 bytes (nothing created)."""
    demo_copy.database.write_bytes(b"")
    with pytest.raises(DatabaseDamaged) as before_unlock:
        check_before_unlock(demo_copy)
    with pytest.raises(DatabaseDamaged) as at_open:
        open_database(demo_copy, demo_template.key)
    for error in (before_unlock.value, at_open.value):
        assert error.kind is Damage.EMPTY
        assert "0 字节" in error.message and "不是首次启动" in error.message
        assert RESTORE_ADVICE in error.message
    assert demo_copy.database.stat().st_size == 0
    assert sorted(path.name for path in demo_copy.root.iterdir()) == [
        "evidence",
        "fuanjian.db",
        "keys.json",
    ]


def test_random_bytes_with_the_key_are_unreadable(
    demo_copy: DataFolder, demo_template: DemoTemplate
) -> None:
    """A file of random bytes (whole pages) in place of the database does not open with the key."""
    demo_copy.database.write_bytes(os.urandom(PAGE * 8))
    error = damage_of(demo_copy.database, demo_template.key)
    assert error.kind is Damage.UNREADABLE
    assert "无法用本数据文件夹的密钥打开" in error.message and RESTORE_ADVICE in error.message


def test_another_folders_key_is_unreadable(demo_copy: DataFolder) -> None:
    """The right file with a wrong key: the same clear message, nothing changed."""
    error = damage_of(demo_copy.database, DataKey.generate())
    assert error.kind is Damage.UNREADABLE
    assert "keys.json" in error.message


def test_random_bytes_without_a_keyring_are_not_a_database(data_folder: DataFolder) -> None:
    """Where a plaintext database is expected (no keys.json), random bytes are not a database."""
    data_folder.database.write_bytes(os.urandom(PAGE * 8))
    error = damage_of(data_folder.database, None)
    assert error.kind is Damage.NOT_A_DATABASE
    assert "不是福安监的数据库" in error.message
    with pytest.raises(DatabaseDamaged) as before_unlock:  # said before anyone signs in
        check_before_unlock(data_folder)
    assert before_unlock.value.kind is Damage.NOT_A_DATABASE
    assert "keys.json" in before_unlock.value.message  # or its key file is missing


def test_zeroed_pages_of_a_plaintext_database_fail_quick_check(data_folder: DataFolder) -> None:
    """A legacy plaintext database gets PRAGMA quick_check: zeroed pages are found too."""
    database = open_database(data_folder, None)  # plaintext: the schema, some dozens of pages
    database.close()
    pages = data_folder.database.stat().st_size // PAGE
    assert pages > 10
    zero_pages(data_folder.database, pages // 2, 2)
    error = damage_of(data_folder.database, None)
    assert error.kind is Damage.DAMAGED


def test_a_missing_database_is_left_to_the_caller(data_folder: DataFolder) -> None:
    """No file at all is not damage (whether it is a first start is decided from keys.json)."""
    check_database(data_folder.database, None)
    check_before_unlock(data_folder)
    assert not data_folder.database.exists()


def test_a_keyring_without_its_database_is_not_a_first_start(demo_copy: DataFolder) -> None:
    """keys.json left alone (the database moved or deleted): explained before sign-in, so the
    sign-in never opens a new empty database in its place and the records never seem gone."""
    demo_copy.database.unlink()
    with pytest.raises(DatabaseDamaged) as before_unlock:
        check_before_unlock(demo_copy)
    assert before_unlock.value.kind is Damage.MISSING
    assert "不见了" in before_unlock.value.message and "不是首次启动" in before_unlock.value.message
    assert RESTORE_ADVICE in before_unlock.value.message
    assert sorted(path.name for path in demo_copy.root.iterdir()) == ["evidence", "keys.json"]
