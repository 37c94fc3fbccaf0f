"""Restore a backup: onto another laptop's empty folder, or over a damaged database in place.

Everything is unpacked into a hidden staging folder first and checked there — the keyring opens
with the credentials given, the manifest's HMAC matches the data key, every member hashes as
listed, the database passes ``PRAGMA integrity_check`` and every evidence file it references is
present — and only then moved into place. A failure at any step removes the staging folder, so
the target is left as it was. In place, the damaged file is renamed aside, never deleted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.maintenance import EVIDENCE_FOLDER
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.security.private_files import make_private_folder, sync_folder
from fuanjian_desktop.services.backups import archive
from fuanjian_desktop.services.backups.database_copy import check_copy
from fuanjian_desktop.services.backups.rotation import backups_newest_first
from fuanjian_desktop.services.inspections.evidence import evidence_store

Unlock = Callable[[Keyring], DataKey]
STAGING_PREFIX = ".restoring-"
DAMAGED_SUFFIX = ".damaged-"
NEWER_EVIDENCE_SUFFIX = ".not-in-backup-"
DATABASE_SIDE_FILES = ("", "-wal", "-shm")


@dataclass(frozen=True)
class RestoreReport:
    """What a restore put where."""

    folder: Path
    backup: Path
    created_at: str
    database_bytes: int
    evidence_files: int
    set_aside: Path | None
    seconds: float
    newer_evidence: int = 0  # evidence files the restored database does not know, kept aside
    newer_evidence_folder: Path | None = None

    def lines(self) -> list[str]:
        """The report in Chinese, one fact a line."""
        lines = [
            f"已从备份“{self.backup}”（{self.created_at} 写出）恢复到“{self.folder}”"
            f"（用时 {self.seconds:.1f} 秒）。",
            f"  数据库 {self.database_bytes / 1_000_000:.1f} MB，完整性检查通过；"
            f"证据文件 {self.evidence_files} 个，数据库引用的证据文件齐全。",
        ]
        if self.set_aside is not None:
            lines.append(f"  损坏的数据库已改名保留为“{self.set_aside}”，没有删除。")
        if self.newer_evidence_folder is not None:
            lines.append(
                f"  备份之后导入的 {self.newer_evidence} 个证据文件（恢复的数据库中没有它们的记录）"
                f"已移到“{self.newer_evidence_folder}”保留，没有删除。"
            )
        return lines


def with_password(username: str, password: str) -> Unlock:
    """Unlock a backup's keyring with an account's password."""
    return lambda keyring: keyring.unlock(username, password)


def with_recovery_code(code: str) -> Unlock:
    """Unlock a backup's keyring with the printed recovery key."""
    return lambda keyring: keyring.unlock_with_recovery(code)


def restore_backup(backup: Path, target: DataFolder, unlock: Unlock) -> RestoreReport:
    """Restore ``backup`` into the empty (or new) folder ``target``; refuse anything else."""
    started = time.perf_counter()
    backup = backup.expanduser().resolve()
    _require_empty(target.root)
    created = not target.root.exists()
    make_private_folder(target.root)
    staging = Path(tempfile.mkdtemp(dir=target.root, prefix=STAGING_PREFIX))
    try:
        manifest = _unpack_verified(backup, staging, unlock)
        for child in list(staging.iterdir()):
            os.replace(child, target.root / child.name)
        staging.rmdir()
        sync_folder(target.root)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if created:
            shutil.rmtree(target.root, ignore_errors=True)
        raise
    return _report(target.root, backup, manifest, None, started)


def restore_newest_in_place(folder: DataFolder, key: DataKey) -> RestoreReport:
    """Replace a damaged database by the newest backup in ``backups/`` that passes every check.

    The damaged file (and its WAL) is renamed ``fuanjian.db.damaged-<time>``; evidence files
    already present are kept (they are named by their content); ``keys.json`` is kept when
    present (it may hold newer passwords for the same key).
    """
    started = time.perf_counter()
    refusals: list[str] = []
    for candidate in backups_newest_first(folder.backups):
        staging = Path(tempfile.mkdtemp(dir=folder.root, prefix=STAGING_PREFIX))
        try:
            manifest = _unpack_verified(candidate, staging, _same_key(key, candidate))
        except UserError as error:
            shutil.rmtree(staging, ignore_errors=True)
            refusals.append(error.message)
            continue
        try:
            set_aside = _set_aside(folder.database)
            _move_in_place(staging, folder)
            sync_folder(folder.root)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        newer, kept = _keep_newer_evidence(folder, key)
        report = _report(folder.root, candidate, manifest, set_aside, started)
        return dataclasses.replace(report, newer_evidence=newer, newer_evidence_folder=kept)
    raise UserError(_nothing_to_restore(folder, refusals))


def _unpack_verified(backup: Path, staging: Path, unlock: Unlock) -> archive.Manifest:
    """Unpack into ``staging`` and check everything; raise a Chinese error on any mismatch."""
    with archive.open_backup(backup) as opened:
        manifest = archive.read_manifest(opened, backup)
        _check_listing(opened, manifest, backup)
        _extract(opened, manifest, archive.KEYRING_MEMBER, staging, backup)
        key = unlock(Keyring.load(staging))
        archive.verify_seal(manifest, key, backup)
        for entry in manifest.entries:
            if entry.name != archive.KEYRING_MEMBER:
                _extract(opened, manifest, entry.name, staging, backup)
    check_copy(staging / archive.DATABASE_MEMBER, key)
    _check_references(staging, key, backup)
    return manifest


def _check_listing(opened: tarfile.TarFile, manifest: archive.Manifest, backup: Path) -> None:
    """Members and manifest list the same regular, safely named files."""
    members = [member for member in opened.getmembers() if member.name != archive.MANIFEST]
    names = sorted(member.name for member in members)
    if names != sorted(entry.name for entry in manifest.entries) or len(set(names)) != len(names):
        raise archive.tampered(backup, "文件清单与内容不符")
    for member in members:
        if not member.isfile() or not archive.safe_member_name(member.name):
            raise archive.tampered(backup, f"不允许的条目 {member.name}")
    for required in (archive.KEYRING_MEMBER, archive.DATABASE_MEMBER):
        if manifest.entry(required) is None:
            raise archive.tampered(backup, f"缺少 {required}")


def _extract(
    opened: tarfile.TarFile, manifest: archive.Manifest, name: str, staging: Path, backup: Path
) -> None:
    """Write one member under ``staging``, hashing as it goes; a mismatch is tampering."""
    entry = manifest.entry(name)
    assert entry is not None
    target = staging / name
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    digest = hashlib.sha256()
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stream:
        for chunk in archive.member_chunks(opened, name):
            digest.update(chunk)
            stream.write(chunk)
        stream.flush()
        os.fsync(stream.fileno())
    if digest.hexdigest() != entry.sha256:
        raise archive.tampered(backup, f"{name} 的内容与清单不符")


def _check_references(staging: Path, key: DataKey, backup: Path) -> None:
    """Every evidence file the restored database references is among the restored files."""
    database = Database.open(staging / archive.DATABASE_MEMBER, key)
    try:
        from sqlalchemy import text

        with database.read() as session:
            rows = session.execute(text("SELECT sha256, extension FROM evidence_file")).all()
        store = evidence_store(database)
        missing = [row for row in rows if not store.path_of(row[0], row[1]).is_file()]
    finally:
        database.close()
    if missing:
        raise archive.tampered(backup, f"缺少数据库引用的 {len(missing)} 个证据文件")


def _same_key(key: DataKey, backup: Path) -> Unlock:
    """In place the key is already known: accept only a backup made with that same key."""

    def unlock(keyring: Keyring) -> DataKey:
        if not keyring.matches(key):
            raise UserError(f"备份“{backup.name}”属于另一个数据文件夹（密钥不同），跳过。")
        return key

    return unlock


def _set_aside(database: Path) -> Path | None:
    """Rename the damaged database (and its WAL, shared memory) aside; return the new name."""
    if not database.exists():
        return None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = database.with_name(f"{database.name}{DAMAGED_SUFFIX}{stamp}")
    for side in DATABASE_SIDE_FILES:
        source = database.with_name(database.name + side)
        if source.exists():
            os.replace(source, aside.with_name(aside.name + side))
    return aside


def _move_in_place(staging: Path, folder: DataFolder) -> None:
    """The verified database into place first; then evidence and keys.json only where missing."""
    os.replace(staging / archive.DATABASE_MEMBER, folder.database)
    for path in sorted(staging.rglob("*")):
        target = folder.root / path.relative_to(staging)
        if path.is_file() and not target.exists():
            make_private_folder(target.parent)
            os.replace(path, target)


def _keep_newer_evidence(folder: DataFolder, key: DataKey) -> tuple[int, Path | None]:
    """Move the evidence files the restored database does not reference out of ``evidence/``.

    They are the photos imported after the backup was made, often the only copy left: the
    start-up sweep deletes every unreferenced file in ``evidence/`` (an interrupted import's
    leftovers), so left there they would be gone at the next sign-in. Kept sealed, as they were.
    """
    database = Database.open(folder.database, key)
    try:
        with database.read() as session:
            referenced = set(session.scalars(text("SELECT sha256 FROM evidence_file")))
    finally:
        database.close()
    root = folder.root / EVIDENCE_FOLDER
    newer = [
        path
        for path in (sorted(root.rglob("*")) if root.is_dir() else [])
        if path.is_file() and path.name.split(".", 1)[0] not in referenced
    ]
    if not newer:
        return 0, None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = make_private_folder(folder.root / f"{EVIDENCE_FOLDER}{NEWER_EVIDENCE_SUFFIX}{stamp}")
    for path in newer:
        target = kept / path.relative_to(root)
        make_private_folder(target.parent)
        os.replace(path, target)
    sync_folder(folder.root)
    return len(newer), kept


def _require_empty(root: Path) -> None:
    if root.exists() and not root.is_dir():
        raise UserError(f"“{root}”是一个文件，不是文件夹。请指定一个新的或空的文件夹。")
    if root.is_dir() and any(root.iterdir()):
        raise UserError(
            f"目标文件夹“{root}”不是空的。恢复不会覆盖或混入任何已有文件："
            "请指定一个新的或空的文件夹。"
        )


def _report(
    root: Path, backup: Path, manifest: archive.Manifest, aside: Path | None, started: float
) -> RestoreReport:
    entry = manifest.entry(archive.DATABASE_MEMBER)
    return RestoreReport(
        folder=root,
        backup=backup,
        created_at=_local_time(manifest.created_at),
        database_bytes=entry.size if entry is not None else 0,
        evidence_files=sum(e.name.startswith(archive.EVIDENCE_PREFIX) for e in manifest.entries),
        set_aside=aside,
        seconds=time.perf_counter() - started,
    )


def _local_time(stamp: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    return moment.strftime("%Y-%m-%d %H:%M")


def _nothing_to_restore(folder: DataFolder, refusals: list[str]) -> str:
    if not refusals:
        return (
            f"“{folder.backups}”中没有备份，无法自动恢复。"
            "请用 python main.py restore 从其他位置的备份文件恢复到一个新的空文件夹，"
            "或把整个数据文件夹交给区局技术人员。损坏的数据库没有被改动。"
        )
    return (
        f"“{folder.backups}”中的 {len(refusals)} 个备份都没有通过检查（最近一个：{refusals[0]}）。"
        "损坏的数据库没有被改动。请用其他位置的备份文件恢复，或联系区局技术人员。"
    )
