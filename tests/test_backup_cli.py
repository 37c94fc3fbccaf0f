"""`main.py backup`, `main.py restore` and a damaged database on the command line, as run by hand.

Run as real processes: a traceback would show on stderr, so each case checks there is none,
that the message is the Chinese one and that the exit code says what happened.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.security.keyring import Keyring
from tests.conftest import DemoTemplate
from tests.test_main_cli import run

PAGE = 4096


@pytest.fixture
def demo_folder(demo_template: DemoTemplate, tmp_path: Path) -> DataFolder:
    """A closed copy of the encrypted demo folder."""
    folder = DataFolder(tmp_path / "D")
    demo_template.copy_files(folder)
    return folder


def test_backup_then_restore_with_the_recovery_key(
    demo_folder: DataFolder, demo_template: DemoTemplate, tmp_path: Path
) -> None:
    """backup prints what it wrote; restore onto a new folder with the recovery key; again: no."""
    code = Keyring.load(demo_folder).replace_recovery(demo_template.key)
    out = tmp_path / "demo.fabak"
    written = run("backup", "--data-dir", str(demo_folder.root), "--out", str(out))
    assert written.returncode == 0, written.stderr
    assert "备份已写入" in written.stdout and "完整性检查通过" in written.stdout
    new = tmp_path / "NEW"
    restored = run("restore", "--data-dir", str(new), str(out), "--recovery-key", code)
    assert restored.returncode == 0, restored.stderr
    assert "已从备份" in restored.stdout
    stats = run("stats", "--data-dir", str(new), "--year", "2026", "--recovery-key", code)
    assert stats.returncode == 0, stats.stderr
    again = run("restore", "--data-dir", str(new), str(out), "--recovery-key", code)
    assert again.returncode == 1 and "不是空的" in again.stderr
    assert "Traceback" not in again.stderr


def test_restore_with_a_wrong_password_says_so(demo_folder: DataFolder, tmp_path: Path) -> None:
    """A wrong password: a Chinese message, exit 1, and no folder left behind."""
    out = tmp_path / "demo.fabak"
    assert run("backup", "--data-dir", str(demo_folder.root), "--out", str(out)).returncode == 0
    new = tmp_path / "NEW"
    refused = run(
        "restore", "--data-dir", str(new), str(out), "--user", "zhangwei", password="nope"
    )
    assert refused.returncode == 1
    assert "用户名或密码不正确" in refused.stderr and "Traceback" not in refused.stderr
    assert not new.exists()


def zero_middle_pages(path: Path) -> None:
    pages = path.stat().st_size // PAGE
    with path.open("r+b") as stream:
        stream.seek(pages // 2 * PAGE)
        stream.write(bytes(PAGE * 3))


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (zero_middle_pages, "已损坏"),
        (lambda path: path.write_bytes(b""), "0 字节"),
        (lambda path: path.write_bytes(os.urandom(PAGE * 16)), "无法用本数据文件夹的密钥打开"),
        (lambda path: os.truncate(path, PAGE * 50), "已损坏"),
    ],
    ids=["zeroed-pages", "zero-bytes", "random-bytes", "truncated"],
)
def test_a_damaged_database_gives_the_chinese_message_not_a_traceback(
    demo_folder: DataFolder, damage, words: str
) -> None:
    """Every kind of damage: the message says what and what to do, exit 1, file untouched."""
    damage(demo_folder.database)
    before = hashlib.sha256(demo_folder.database.read_bytes()).hexdigest()
    result = run("stats", "--data-dir", str(demo_folder.root), "--year", "2026")
    assert result.returncode == 1
    assert words in result.stderr and "从最近一次完好的备份恢复" in result.stderr
    assert "Traceback" not in result.stderr and "ERROR CORE" not in result.stderr
    assert hashlib.sha256(demo_folder.database.read_bytes()).hexdigest() == before


def test_a_zero_byte_database_is_not_a_first_start_for_demo(tmp_path: Path) -> None:
    """`demo` on a folder holding only a 0-byte database: the message, and nothing created."""
    folder = tmp_path / "D"
    folder.mkdir()
    (folder / "fuanjian.db").write_bytes(b"")
    result = run("demo", "--data-dir", str(folder))
    assert result.returncode == 1
    assert "0 字节" in result.stderr and "不是首次启动" in result.stderr
    assert "Traceback" not in result.stderr
    assert [path.name for path in folder.iterdir()] == ["fuanjian.db"]
    assert (folder / "fuanjian.db").stat().st_size == 0
