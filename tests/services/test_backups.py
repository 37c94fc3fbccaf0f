"""Backup and restore: the same records and evidence on another laptop, nothing else accepted.

A backup of the demo (with two photos) is restored into a new folder with the recovery key and
with a password; every table's rows and every evidence file must come back byte for byte. A
changed byte, a changed manifest, a wrong password or recovery key, and a folder that is not
empty are each refused with a Chinese message and leave the target as it was.
"""

from __future__ import annotations

import datetime as dt
import io
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.services import backups
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.backups import archive
from fuanjian_desktop.services.inspections.evidence import attach_photos
from tests.backup_support import read_members, table_rows, write_member
from tests.photos import make_photo

RECOVERY_WORDS = "恢复密钥不正确"
WRONG_PASSWORD_WORDS = "用户名或密码不正确"


@pytest.fixture
def with_photos(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str], tmp_path: Path
) -> list[bytes]:
    """Two photos attached to an inspection of the demo; returns their original bytes."""
    inspection_id = start_inspection()
    paths = [
        make_photo(tmp_path / "red.jpg", (200, 30, 30)),
        make_photo(tmp_path / "blue.jpg", (30, 30, 200)),
    ]
    report = attach_photos(demo_database, inspector, inspection_id, "", paths)
    assert report.attached == 2
    return [path.read_bytes() for path in paths]


@pytest.fixture
def recovery_code(demo_database: Database) -> str:
    """A recovery code known to the test (the demo's own was printed once and dropped)."""
    assert demo_database.key is not None
    return Keyring.load(demo_database.folder).replace_recovery(demo_database.key)


@pytest.fixture
def backup_file(
    demo_database: Database, with_photos: list[bytes], recovery_code: str, tmp_path: Path
) -> Path:
    """A backup of the demo with its photos (and the known recovery code), outside the folder."""
    written = backups.create_backup(demo_database, tmp_path / "out" / "demo.fabak")
    assert written.evidence_files >= 2 and not written.missing_evidence
    return written.path


@pytest.fixture(autouse=True)
def out_folder(tmp_path: Path) -> None:
    """Where the tests write backups (the command refuses a missing folder)."""
    (tmp_path / "out").mkdir()


def restored_key(folder: DataFolder, code: str) -> DataKey:
    """The data key of a restored folder, through its own restored keys.json."""
    return Keyring.load(folder).unlock_with_recovery(code)


def evidence_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``evidence/`` by its relative name."""
    base = root / "evidence"
    return {
        path.relative_to(base).as_posix(): path.read_bytes()
        for path in sorted(base.rglob("*"))
        if path.is_file()
    }


def test_restore_with_the_recovery_key_gives_the_same_records_and_evidence(
    demo_database: Database, backup_file: Path, recovery_code: str, tmp_path: Path
) -> None:
    """Restored on a new folder with the recovery key: every row of every table, every file."""
    target = DataFolder(tmp_path / "other-laptop")
    report = backups.restore_backup(
        backup_file, target, backups.with_recovery_code(recovery_code.lower())
    )
    assert report.evidence_files >= 2
    restored = open_database(target, restored_key(target, recovery_code))
    try:
        assert table_rows(restored) == table_rows(demo_database)
    finally:
        restored.close()
    assert evidence_bytes(target.root) == evidence_bytes(demo_database.folder)
    assert len(evidence_bytes(target.root)) >= 2


def test_restore_with_a_password_opens_for_that_user(
    demo_database: Database, backup_file: Path, tmp_path: Path
) -> None:
    """Restored with 张伟's password: his password opens the same records and evidence."""
    target = DataFolder(tmp_path / "other-laptop")
    backups.restore_backup(
        backup_file, target, backups.with_password("zhangwei", demo.DEMO_PASSWORD)
    )
    key = Keyring.load(target).unlock("zhangwei", demo.DEMO_PASSWORD)
    restored = open_database(target, key)
    try:
        assert table_rows(restored) == table_rows(demo_database)
    finally:
        restored.close()
    assert evidence_bytes(target.root) == evidence_bytes(demo_database.folder)


def test_the_backup_holds_no_plaintext(
    demo_database: Database, backup_file: Path, with_photos: list[bytes]
) -> None:
    """No demo party's name or ID number, no photo's bytes, in the backup file."""
    content = backup_file.read_bytes()
    with demo_database.read() as session:
        from sqlalchemy import text

        names = session.execute(text("SELECT name FROM enterprise LIMIT 20")).scalars().all()
    assert names
    for name in names:
        assert str(name).encode("utf-8") not in content
    for photo in with_photos:
        assert photo[-2000:] not in content


@pytest.mark.parametrize(
    ("unlock", "words"),
    [
        (backups.with_password("zhangwei", "not-the-password"), WRONG_PASSWORD_WORDS),
        (backups.with_recovery_code("0000-0000-0000-0000-0000-0000-0000-0000"), RECOVERY_WORDS),
        (backups.with_recovery_code("abc"), RECOVERY_WORDS),
    ],
    ids=["password", "recovery-key", "malformed-recovery-key"],
)
def test_wrong_credentials_are_refused_and_leave_no_folder(
    backup_file: Path, tmp_path: Path, unlock: backups.restore.Unlock, words: str
) -> None:
    """A wrong password or recovery key: a Chinese message, and the new folder is not left."""
    target = DataFolder(tmp_path / "other-laptop")
    with pytest.raises(UserError) as refused:
        backups.restore_backup(backup_file, target, unlock)
    assert words in refused.value.message
    assert not target.root.exists()


def tamper(backup_file: Path, name: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one member of the tar with ``change`` applied (the rest as it was)."""
    members = read_members(backup_file)
    members[name] = change(members[name])
    write_member(backup_file, members)


@pytest.mark.parametrize(
    ("member", "change"),
    [
        ("fuanjian.db", lambda data: data[:5000] + bytes([data[5000] ^ 1]) + data[5001:]),
        ("manifest.json", lambda data: data.replace(b'"created_at": "', b'"created_at": "1')),
    ],
    ids=["database-byte", "manifest"],
)
def test_a_tampered_backup_is_refused(
    backup_file: Path,
    recovery_code: str,
    tmp_path: Path,
    member: str,
    change: Callable[[bytes], bytes],
) -> None:
    """One flipped bit in the database, or an edited manifest: refused, the target left empty."""
    tamper(backup_file, member, change)
    target = DataFolder(tmp_path / "empty")
    target.root.mkdir()
    with pytest.raises(UserError) as refused:
        backups.restore_backup(backup_file, target, backups.with_recovery_code(recovery_code))
    assert "被改动过或已损坏" in refused.value.message
    assert list(target.root.iterdir()) == []


def test_an_added_member_is_refused(backup_file: Path, recovery_code: str, tmp_path: Path) -> None:
    """A file slipped into the backup (not in the sealed manifest) is refused."""
    members = read_members(backup_file)
    members["evidence/zz/extra.jpg"] = b"not ours"
    write_member(backup_file, members)
    with pytest.raises(UserError, match="被改动过或已损坏"):
        backups.restore_backup(
            backup_file, DataFolder(tmp_path / "t"), backups.with_recovery_code(recovery_code)
        )


def test_a_non_empty_target_is_refused_and_untouched(
    backup_file: Path, recovery_code: str, tmp_path: Path
) -> None:
    """Restore never mixes into a folder that holds anything."""
    target = DataFolder(tmp_path / "used")
    target.root.mkdir()
    (target.root / "note.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UserError, match="不是空的"):
        backups.restore_backup(backup_file, target, backups.with_recovery_code(recovery_code))
    assert [path.name for path in target.root.iterdir()] == ["note.txt"]


def test_a_backup_never_overwrites_a_file(demo_database: Database, tmp_path: Path) -> None:
    """An existing file at --out is refused and kept."""
    existing = tmp_path / "out" / "old.fabak"
    existing.write_bytes(b"keep me")
    with pytest.raises(UserError, match="已存在"):
        backups.create_backup(demo_database, existing)
    assert existing.read_bytes() == b"keep me"


def test_a_foreign_file_is_not_a_backup(tmp_path: Path) -> None:
    """A tar without our manifest, or not a tar at all, is named as not a backup."""
    foreign = tmp_path / "photos.tar"
    with tarfile.open(foreign, "w:") as tar:
        info = tarfile.TarInfo("a.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    for path in (foreign, tmp_path / "out"):
        if path.is_dir():
            path = path / "plain.fabak"
            path.write_bytes(b"just text")
        with pytest.raises(UserError, match="不是福安监的备份文件"):
            backups.restore_backup(
                path, DataFolder(tmp_path / "t"), backups.with_recovery_code("x")
            )


def test_the_newest_good_backup_replaces_a_damaged_database_in_place(
    demo_database: Database, with_photos: list[bytes], tmp_path: Path
) -> None:
    """In place: the damaged file is kept under a new name; the backup's database replaces it."""
    folder = DataFolder(demo_database.folder)
    key = demo_database.key
    assert key is not None
    assert backups.automatic_backup(demo_database, dt.date(2026, 12, 6)) is not None
    expected = table_rows(demo_database)
    evidence = evidence_bytes(folder.root)
    demo_database.close()
    damaged = folder.database.read_bytes()[:40960]
    folder.database.write_bytes(damaged)  # cut short after the backup
    lost = folder.root / "evidence" / sorted(evidence)[0]
    lost.unlink()  # and one evidence file lost with it
    keys_now = (folder.root / "keys.json").read_bytes()
    report = backups.restore_newest_in_place(folder, key)
    assert report.set_aside is not None and report.set_aside.read_bytes() == damaged
    assert evidence_bytes(folder.root) == evidence
    assert (folder.root / "keys.json").read_bytes() == keys_now  # newer passwords kept
    reopened = open_database(folder, key)
    try:
        assert table_rows(reopened) == expected
    finally:
        reopened.close()


def test_photos_imported_after_the_backup_survive_an_in_place_restore(
    demo_database: Database,
    inspector: Actor,
    start_inspection: Callable[..., str],
    tmp_path: Path,
) -> None:
    """The restored database does not know today's photos; the start-up sweep deletes every
    unreferenced evidence file. So the restore moves them aside first: nothing is lost."""
    from fuanjian_desktop.evidence.maintenance import sweep_evidence

    folder = DataFolder(demo_database.folder)
    key = demo_database.key
    assert key is not None
    assert backups.automatic_backup(demo_database, dt.date(2026, 12, 6)) is not None
    backed_up = evidence_bytes(folder.root)  # the demo's own evidence, in the backup
    photo = make_photo(tmp_path / "today.jpg", (10, 160, 10))
    assert attach_photos(demo_database, inspector, start_inspection(), "", [photo]).attached == 1
    today = {
        name: data for name, data in evidence_bytes(folder.root).items() if name not in backed_up
    }
    assert len(today) == 2  # the photo and its thumbnail, imported after the backup
    demo_database.close()
    folder.database.write_bytes(folder.database.read_bytes()[:40960])  # then the damage
    report = backups.restore_newest_in_place(folder, key)
    assert report.newer_evidence == 2 and report.newer_evidence_folder is not None
    assert any("2 个证据文件" in line for line in report.lines())
    reopened = open_database(folder, key)
    try:
        sweep_evidence(reopened)  # what the next sign-in does
    finally:
        reopened.close()
    kept = report.newer_evidence_folder
    assert {
        path.relative_to(kept).as_posix(): path.read_bytes()
        for path in kept.rglob("*")
        if path.is_file()
    } == today
    assert kept.stat().st_mode & 0o777 == 0o700


def test_a_tampered_newest_backup_is_skipped_for_an_older_good_one(
    demo_database: Database, tmp_path: Path
) -> None:
    """In place: a newest backup that fails its check is passed over, the older one used."""
    folder = DataFolder(demo_database.folder)
    key = demo_database.key
    assert key is not None
    older = backups.automatic_backup(demo_database, dt.date(2026, 12, 5))
    newer = backups.automatic_backup(demo_database, dt.date(2026, 12, 6))
    assert older is not None and newer is not None
    tamper(newer, "fuanjian.db", lambda data: data[:-1] + bytes([data[-1] ^ 1]))
    import os

    os.utime(older, (1_000_000, 1_000_000))  # written earlier
    demo_database.close()
    folder.database.write_bytes(b"")
    report = backups.restore_newest_in_place(folder, key)
    assert report.backup == older


def test_no_backup_to_restore_is_said_and_nothing_changes(data_folder: DataFolder) -> None:
    """Without backups the damaged file stays exactly as it is."""
    data_folder.database.write_bytes(b"")
    with pytest.raises(UserError, match="没有备份"):
        backups.restore_newest_in_place(data_folder, DataKey.generate())
    assert data_folder.database.read_bytes() == b""


def test_automatic_backup_once_a_day(demo_database: Database) -> None:
    """The first call of a day writes auto-<date>.fabak; a second the same day writes nothing."""
    today = dt.date(2026, 12, 7)
    first = backups.automatic_backup(demo_database, today)
    assert first == demo_database.folder / "backups" / "auto-2026-12-07.fabak"
    assert backups.automatic_backup(demo_database, today) is None
    assert backups.verify_backup(first, demo_database.key) is not None  # type: ignore[arg-type]


def test_rotation_keeps_the_seven_newest_days(tmp_path: Path) -> None:
    """Twelve daily backups with a gap: the seven newest dates stay, other files are untouched."""
    folder = tmp_path / "backups"
    folder.mkdir()
    days = ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25"]
    days += ["2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03"]
    for day in days:
        (folder / f"auto-{day}.fabak").write_bytes(b"x")
    (folder / "fuanjian-20261101-0006.db").write_bytes(b"pre-upgrade copy")
    (folder / "mine.fabak").write_bytes(b"put here by the user")
    backups.prune(folder)
    kept = sorted(path.name for path in folder.iterdir())
    assert kept == [
        "auto-2026-11-25.fabak",
        "auto-2026-11-28.fabak",
        "auto-2026-11-29.fabak",
        "auto-2026-11-30.fabak",
        "auto-2026-12-01.fabak",
        "auto-2026-12-02.fabak",
        "auto-2026-12-03.fabak",
        "fuanjian-20261101-0006.db",
        "mine.fabak",
    ]


def test_automatic_backup_prunes_to_seven(demo_database: Database) -> None:
    """With eight older daily backups, today's makes nine: two oldest go, seven stay; the work
    folder of an interrupted backup is removed."""
    folder = demo_database.folder / "backups"
    folder.mkdir(exist_ok=True)
    for day in range(1, 9):
        (folder / f"auto-2026-11-{day:02d}.fabak").write_bytes(b"x")
    interrupted = folder / ".auto-2026-11-09.fabak.k3j2"  # a backup killed half-way
    interrupted.mkdir()
    (interrupted / "fuanjian.db").write_bytes(b"half")
    backups.automatic_backup(demo_database, dt.date(2026, 12, 7))
    assert not interrupted.exists()
    kept = sorted(path.name for path in folder.glob("auto-*.fabak"))
    assert kept == [f"auto-2026-11-{day:02d}.fabak" for day in range(3, 9)] + [
        "auto-2026-12-07.fabak"
    ]


def test_a_plaintext_database_gets_no_automatic_backup(data_folder: DataFolder) -> None:
    """backups/ must hold no plaintext: an unencrypted (legacy) database is not backed up."""
    database = open_database(data_folder, None)
    try:
        assert backups.automatic_backup(database, dt.date(2026, 12, 7)) is None
        with pytest.raises(UserError, match="还没有加密"):
            backups.create_backup(database, data_folder.root.parent / "out" / "x.fabak")
    finally:
        database.close()
    assert not (data_folder.root / "backups").exists()


def test_member_names_are_checked() -> None:
    """Only plain relative names may come out of a backup (no escape from the data folder)."""
    assert archive.safe_member_name("evidence/ab/abc.jpg")
    for name in ("../keys.json", "/etc/passwd", "evidence/../../x", "", "a\\b"):
        assert not archive.safe_member_name(name)
