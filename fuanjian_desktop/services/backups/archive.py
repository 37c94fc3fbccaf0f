"""The backup file: one uncompressed tar holding the data folder's encrypted files and a manifest.

Members: ``fuanjian.db`` (SQLCipher, keyed like the original), ``keys.json`` (the data key, only
wrapped), ``evidence/…`` (encrypted by the evidence store) and, last, ``manifest.json``: the
SHA-256 and size of every member, the evidence files the database references, and an HMAC of all
that under a key derived from the data key. Nothing in it is plaintext personal data, and a
member changed, added or removed after writing fails the check — only someone holding the data
key could write a matching HMAC. Compression would gain nothing on ciphertext.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.data_key import DataKey

FORMAT = "fuanjian-backup/1"
MANIFEST = "manifest.json"
DATABASE_MEMBER = "fuanjian.db"
KEYRING_MEMBER = "keys.json"
EVIDENCE_PREFIX = "evidence/"
MAC_PURPOSE = "backup-manifest"
CHUNK = 1024 * 1024
SUFFIX = ".fabak"


class BackupRefused(UserError):
    """A backup file that is not one of ours, is incomplete, or was changed after writing."""


def not_a_backup(path: Path) -> BackupRefused:
    """The message for a file whose manifest cannot be read."""
    return BackupRefused(
        f"“{path}”不是福安监的备份文件，或者文件不完整（复制中断、已损坏）。"
        "请换一个备份文件；数据没有做任何改动。"
    )


def tampered(path: Path, what: str) -> BackupRefused:
    """The message for a backup whose contents do not match what was written."""
    return BackupRefused(
        f"备份文件“{path}”在写出后被改动过或已损坏（{what}），不能用来恢复。"
        "请换一个备份文件（例如前一天的自动备份）；数据没有做任何改动。"
    )


@dataclass(frozen=True)
class Entry:
    """One member as written: its name in the tar, SHA-256 and size."""

    name: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, sealed by an HMAC under the data key."""

    created_at: str
    entries: tuple[Entry, ...]
    referenced: tuple[str, ...]  # evidence members the database's rows point at
    mac: str

    def body(self) -> dict[str, Any]:
        """Everything the HMAC covers."""
        return {
            "format": FORMAT,
            "created_at": self.created_at,
            "entries": [[entry.name, entry.sha256, entry.size] for entry in self.entries],
            "referenced": list(self.referenced),
        }

    def entry(self, name: str) -> Entry | None:
        """The entry written under ``name``, if any."""
        return next((entry for entry in self.entries if entry.name == name), None)


def seal(
    created_at: str, entries: tuple[Entry, ...], referenced: tuple[str, ...], key: DataKey
) -> Manifest:
    """A manifest whose HMAC binds it to ``key``."""
    unsealed = Manifest(created_at, entries, referenced, "")
    return Manifest(created_at, entries, referenced, _mac(unsealed.body(), key))


def verify_seal(manifest: Manifest, key: DataKey, path: Path) -> None:
    """Refuse a manifest changed after it was written (or sealed under another key)."""
    if not hmac.compare_digest(manifest.mac, _mac(manifest.body(), key)):
        raise tampered(path, "清单的校验码不符")


def _mac(body: dict[str, Any], key: DataKey) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(key.derive(MAC_PURPOSE), text.encode("ascii"), hashlib.sha256).hexdigest()


def manifest_bytes(manifest: Manifest) -> bytes:
    """The manifest as stored in the tar."""
    document = {**manifest.body(), "mac": manifest.mac}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def read_manifest(archive: tarfile.TarFile, path: Path) -> Manifest:
    """The manifest of an open backup; a file that is not one is refused in Chinese."""
    try:
        stream = archive.extractfile(MANIFEST)
        assert stream is not None
        document = json.loads(stream.read())
        entries = tuple(Entry(str(n), str(s), int(z)) for n, s, z in document["entries"])
        manifest = Manifest(
            str(document["created_at"]),
            entries,
            tuple(str(name) for name in document["referenced"]),
            str(document["mac"]),
        )
    except (KeyError, ValueError, TypeError, AssertionError, tarfile.TarError) as error:
        raise not_a_backup(path) from error
    if document.get("format") != FORMAT:
        raise not_a_backup(path)
    return manifest


def open_backup(path: Path) -> tarfile.TarFile:
    """Open a backup file for reading; a missing or foreign file is a Chinese ``UserError``."""
    try:
        return tarfile.open(path, "r:")
    except FileNotFoundError as error:
        raise BackupRefused(f"找不到备份文件“{path}”。请检查路径。") from error
    except (tarfile.TarError, OSError) as error:
        raise not_a_backup(path) from error


def safe_member_name(name: str) -> bool:
    """Only plain relative paths go into a data folder (no ``..``, no absolute paths)."""
    pure = PurePosixPath(name)
    return bool(name) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in name


class HashingReader:
    """A file wrapper that hashes what ``tarfile`` reads through it (one pass per file)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._hash = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        """Read and hash."""
        data = self._stream.read(size)
        self._hash.update(data)
        self.size += len(data)
        return data

    def hexdigest(self) -> str:
        """SHA-256 of everything read so far."""
        return self._hash.hexdigest()


def member_chunks(archive: tarfile.TarFile, name: str) -> Iterator[bytes]:
    """The bytes of member ``name`` in chunks (a video never sits whole in memory)."""
    stream = archive.extractfile(name)
    if stream is None:
        raise KeyError(name)
    with stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def check_members(archive: tarfile.TarFile, manifest: Manifest, path: Path) -> None:
    """Every member is listed, regular, safely named and hashes as the manifest says."""
    listed = {entry.name for entry in manifest.entries}
    members = [member for member in archive.getmembers() if member.name != MANIFEST]
    names = [member.name for member in members]
    if sorted(names) != sorted(listed) or len(set(names)) != len(names):
        raise tampered(path, "文件清单与内容不符")
    for member in members:
        if not member.isfile() or not safe_member_name(member.name):
            raise tampered(path, f"不允许的条目 {member.name}")
    for entry in manifest.entries:
        digest = hashlib.sha256()
        for chunk in member_chunks(archive, entry.name):
            digest.update(chunk)
        if digest.hexdigest() != entry.sha256:
            raise tampered(path, f"{entry.name} 的内容与清单不符")
    missing = [name for name in manifest.referenced if name not in listed]
    if missing:
        raise tampered(path, f"缺少数据库引用的证据文件 {missing[0]}")
