"""Write a verified backup of a data folder: its database, ``keys.json`` and evidence, in one file.

The database is copied with SQLite's online backup API into a file keyed with the same data key
(a plain file copy of a WAL database can miss committed pages), checked with ``PRAGMA
integrity_check``, then packed with the evidence and ``keys.json``. The file is written under a
temporary name, read back and checked member by member, and only then renamed: a backup that
exists under its name is whole. The copy of the database is taken before the evidence is listed;
files are stored before the rows that name them are committed, so every file the copy references
is already on disk.
"""

from __future__ import annotations

import datetime as dt
import os
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.security.private_files import make_private
from fuanjian_desktop.services.backups import archive
from fuanjian_desktop.services.backups.archive import Entry, HashingReader
from fuanjian_desktop.services.backups.database_copy import check_copy, keyed_connection
from fuanjian_desktop.services.inspections.evidence import EVIDENCE_FOLDER, evidence_store

LEFTOVER_SUFFIXES = (".part", ".tmp")


@dataclass(frozen=True)
class BackupReport:
    """What a backup wrote, for the command line and the log."""

    path: Path
    size_bytes: int
    database_bytes: int
    evidence_files: int
    missing_evidence: tuple[str, ...]
    seconds: float

    def lines(self) -> list[str]:
        """The report in Chinese, one fact a line."""
        lines = [
            f"备份已写入：{self.path}（{_megabytes(self.size_bytes)}，用时 {self.seconds:.1f} 秒）",
            f"  数据库 {_megabytes(self.database_bytes)}（加密，完整性检查通过）",
            f"  证据文件 {self.evidence_files} 个（加密），密钥文件 keys.json",
            "  已重新读出并逐个核对校验码。",
        ]
        if self.missing_evidence:
            lines.append(
                f"  注意：数据库引用的 {len(self.missing_evidence)} 个证据文件"
                f"在数据文件夹中已缺失，备份中也没有，例如 {self.missing_evidence[0]}。"
            )
        return lines


def create_backup(database: Database, out: Path) -> BackupReport:
    """Back up ``database``'s folder into the new file ``out``; never overwrites a file."""
    started = time.perf_counter()
    key = _require_key(database)
    out = out.expanduser().resolve()
    _check_target(out)
    folder = database.folder
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as work:
        copy = Path(work) / archive.DATABASE_MEMBER
        copy_database(database, copy, key)
        check_copy(copy, key)
        referenced = referenced_evidence(copy, key, database)
        files = _files_to_pack(folder, copy)
        temporary = Path(work) / "backup.tar"
        manifest = _write(temporary, files, referenced, key)
        verify_backup(temporary, key)
        os.replace(temporary, out)
    make_private(out)
    present = {entry.name for entry in manifest.entries}
    return BackupReport(
        path=out,
        size_bytes=out.stat().st_size,
        database_bytes=_size_of(manifest, archive.DATABASE_MEMBER),
        evidence_files=sum(e.name.startswith(archive.EVIDENCE_PREFIX) for e in manifest.entries),
        missing_evidence=tuple(name for name in referenced if name not in present),
        seconds=time.perf_counter() - started,
    )


def verify_backup(path: Path, key: DataKey) -> archive.Manifest:
    """Read a backup back: the seal, every member's hash, every referenced evidence file."""
    with archive.open_backup(path) as opened:
        manifest = archive.read_manifest(opened, path)
        archive.verify_seal(manifest, key, path)
        archive.check_members(opened, manifest, path)
    return manifest


def copy_database(database: Database, target: Path, key: DataKey) -> None:
    """Copy the live database with the backup API into ``target``, keyed with ``key``."""
    with keyed_connection(database.path, key) as source, keyed_connection(target, key) as copy:
        source.backup(copy)


def referenced_evidence(copy: Path, key: DataKey, database: Database) -> tuple[str, ...]:
    """The evidence files (as tar member names) the copied database's rows point at."""
    store = evidence_store(database)
    with keyed_connection(copy, key) as connection:
        rows = connection.execute("SELECT sha256, extension FROM evidence_file").fetchall()
    names = (
        store.path_of(sha256, extension).relative_to(database.folder) for sha256, extension in rows
    )
    return tuple(sorted(name.as_posix() for name in names))


def _files_to_pack(folder: Path, copy: Path) -> list[tuple[str, Path]]:
    """(member name, file) pairs: keys.json, the database copy, then the evidence in name order."""
    files = [(archive.KEYRING_MEMBER, Keyring.path_of(folder)), (archive.DATABASE_MEMBER, copy)]
    evidence_root = folder / EVIDENCE_FOLDER
    if evidence_root.is_dir():
        for path in sorted(evidence_root.rglob("*")):
            if path.is_file() and not path.name.endswith(LEFTOVER_SUFFIXES):
                files.append((path.relative_to(folder).as_posix(), path))
    return files


def _write(
    target: Path, files: list[tuple[str, Path]], referenced: tuple[str, ...], key: DataKey
) -> archive.Manifest:
    """Write the tar (members hashed as they are written), the sealed manifest last; fsync."""
    entries: list[Entry] = []
    with (
        target.open("wb") as raw,
        tarfile.open(fileobj=raw, mode="w:", format=tarfile.PAX_FORMAT) as tar,
    ):
        for name, path in files:
            entries.append(_add_file(tar, name, path))
        manifest = archive.seal(_now(), tuple(entries), referenced, key)
        _add_bytes(tar, archive.MANIFEST, archive.manifest_bytes(manifest))
        tar.close()
        raw.flush()
        os.fsync(raw.fileno())
    return manifest


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> Entry:
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mode = 0o600
    info.mtime = int(path.stat().st_mtime)
    with path.open("rb") as stream:
        reader = HashingReader(stream)
        tar.addfile(info, reader)  # read() is all tarfile uses
    if reader.size != info.size:
        raise UserError(f"备份时文件“{path}”的大小发生了变化，请稍后重试备份。")
    return Entry(name, reader.hexdigest(), info.size)


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(time.time())
    tar.addfile(info, io.BytesIO(data))


def _require_key(database: Database) -> DataKey:
    if database.key is None or not Keyring.exists(database.folder):
        raise UserError(
            "这个数据库还没有加密，不能写出备份（备份里不能有明文）。"
            "请先由管理员登录一次，程序会完成加密，然后再备份。"
        )
    return database.key


def _check_target(out: Path) -> None:
    if out.is_dir():
        raise UserError(f"“{out}”是一个文件夹。请给出备份文件的名字，如 {out / 'fuanjian.fabak'}。")
    if out.exists():
        raise UserError(f"“{out}”已存在。备份不会覆盖已有文件，请换一个文件名。")
    if not out.parent.is_dir():
        raise UserError(f"文件夹“{out.parent}”不存在。请先创建它，或换一个保存位置。")


def _size_of(manifest: archive.Manifest, name: str) -> int:
    entry = manifest.entry(name)
    return entry.size if entry is not None else 0


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"
