"""HQ's attachment store: evidence files by SHA-256, taken in resumably, chunk by chunk.

A laptop on a flaky link sends a 2 GB video in chunks of at most 8 MiB, each at the offset HQ
says it has (``received``); a cut connection costs at most the chunk in flight. The partial file
lives under ``uploads/<sha256>.part`` and its length *is* the received count, so a server
restart loses nothing that was acknowledged (each chunk is flushed to disk before the answer).
When the laptop says it is done, HQ hashes the whole partial file and only a file whose SHA-256
equals its name is moved (atomically) to ``attachments/<first two hex>/<sha256>``; anything else
is dropped. Nothing here ever holds a whole file in memory: hashing and copying go in chunks.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from fuanjian_desktop.errors import NotFound, UserError
from fuanjian_desktop.security.private_files import make_private_folder, sync_folder

MAX_CHUNK_BYTES = 8 * 1024 * 1024
READ_CHUNK_BYTES = 1024 * 1024
PART_SUFFIX = ".part"
_SHA256 = re.compile(r"[0-9a-f]{64}")


class BadHash(UserError):
    """The name given is not a SHA-256 in lower-case hex (never a path to follow)."""


class OffsetMismatch(UserError):
    """A chunk that does not start where the partial file ends; ``received`` says where."""

    def __init__(self, sha256: str, received: int) -> None:
        super().__init__(
            f"附件 {sha256[:12]}… 的续传位置不对：区局已收到 {received} 字节，请从该位置继续上传。"
        )
        self.received = received


class HashMismatch(UserError):
    """The bytes received do not hash to the name they were sent under (dropped)."""

    def __init__(self, sha256: str) -> None:
        super().__init__(
            f"附件 {sha256[:12]}… 上传后的校验值与文件名不符，区局已丢弃，请重新上传。"
        )


class TooLarge(UserError):
    """An attachment larger than HQ accepts."""


def check_sha256(sha256: str) -> str:
    """``sha256`` itself if it is 64 lower-case hex digits, else :class:`BadHash`."""
    if not _SHA256.fullmatch(sha256):
        raise BadHash("附件名称必须是 64 位小写十六进制的 SHA-256 值。")
    return sha256


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in chunks (a 2 GB file never sits in memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


class AttachmentStore:
    """The attachment folders of one HQ data folder.

    ``max_bytes`` bounds one attachment (a device cannot fill HQ's disk with one endless upload).
    Appends and completion of one hash are serialised by a lock per hash: uvicorn runs the
    blocking handlers on several threads, and two laptops may send the same photo at once.
    """

    def __init__(self, data_dir: Path, max_bytes: int = 4 * 1024**3) -> None:
        self.root = data_dir / "attachments"
        self.uploads = data_dir / "uploads"
        self.max_bytes = max_bytes
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # --- where files live -------------------------------------------------------------------

    def path(self, sha256: str) -> Path:
        """Where the accepted file of ``sha256`` lives (whether or not it is there yet)."""
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256

    def _partial(self, sha256: str) -> Path:
        return self.uploads / f"{check_sha256(sha256)}{PART_SUFFIX}"

    def _lock(self, sha256: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(sha256, threading.Lock())

    # --- what HQ has ------------------------------------------------------------------------

    def holds(self, sha256: str) -> bool:
        """Whether the file of ``sha256`` has been accepted (hash checked)."""
        return self.path(sha256).is_file()

    def size(self, sha256: str) -> int:
        """The accepted file's size in bytes (:class:`NotFound` if HQ does not hold it)."""
        try:
            return self.path(sha256).stat().st_size
        except FileNotFoundError:
            raise NotFound(f"区局没有附件 {sha256[:12]}…。") from None

    def received(self, sha256: str) -> int:
        """How many bytes of ``sha256`` HQ has: the whole size once accepted, else the length of
        the partial upload (0 when none was started)."""
        if self.holds(sha256):
            return self.size(sha256)
        try:
            return self._partial(sha256).stat().st_size
        except FileNotFoundError:
            return 0

    # --- taking files in --------------------------------------------------------------------

    def append(self, sha256: str, offset: int, chunk: bytes) -> int:
        """Add ``chunk`` at ``offset`` of the partial upload; return the bytes received.

        ``offset`` must equal what HQ already has (else :class:`OffsetMismatch` carrying that
        count, nothing written); a file HQ already holds takes nothing and answers its size.
        The chunk is on disk (fsync) before this returns: an acknowledged byte is never lost.
        """
        with self._lock(sha256):
            if self.holds(sha256):
                return self.size(sha256)
            current = self.received(sha256)
            if offset != current:
                raise OffsetMismatch(sha256, current)
            if current + len(chunk) > self.max_bytes:
                raise TooLarge(f"附件超过区局允许的大小（{self.max_bytes} 字节）。")
            make_private_folder(self.uploads)
            with self._partial(sha256).open("ab") as handle:
                handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            return current + len(chunk)

    def complete(self, sha256: str, size: int) -> bool:
        """Accept the partial upload as the file of ``sha256``; return whether it is new.

        A partial shorter than ``size`` is kept (the laptop resumes: :class:`OffsetMismatch`);
        a longer one, or one whose hash differs, is dropped (:class:`HashMismatch`).
        """
        with self._lock(sha256):
            if self.holds(sha256):
                if self.size(sha256) != size:
                    raise HashMismatch(sha256)
                return False
            partial = self._partial(sha256)
            received = self.received(sha256)
            if received < size:
                raise OffsetMismatch(sha256, received)
            if received > size or file_sha256(partial) != sha256:
                partial.unlink()
                raise HashMismatch(sha256)
            self._install(partial, sha256)
        with self._locks_guard:
            self._locks.pop(sha256, None)
        return True

    def put(self, sha256: str, source: BinaryIO) -> bool:
        """Take a whole file from a stream (an offline package's member); return whether it is
        new. The copy is hashed as it is written and installed only if it matches."""
        if self.holds(sha256):
            return False
        make_private_folder(self.uploads)
        descriptor, name = tempfile.mkstemp(dir=self.uploads, prefix=f".{sha256}.", suffix=".tmp")
        temporary = Path(name)
        try:
            digest = hashlib.sha256()
            with os.fdopen(descriptor, "wb") as handle:
                while chunk := source.read(READ_CHUNK_BYTES):
                    digest.update(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            if digest.hexdigest() != sha256:
                raise HashMismatch(sha256)
            with self._lock(sha256):
                if self.holds(sha256):
                    return False
                self._install(temporary, sha256)
            return True
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()

    def _install(self, source: Path, sha256: str) -> None:
        """Move a checked file to its place in one rename, flushed to disk."""
        target = self.path(sha256)
        make_private_folder(target.parent)
        with source.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(source, target)
        sync_folder(target.parent)

    # --- handing files out ------------------------------------------------------------------

    def read(self, sha256: str, start: int, length: int) -> Iterator[bytes]:
        """``length`` bytes of the accepted file from ``start``, in chunks of at most
        :data:`READ_CHUNK_BYTES` (a download of 2 GB streams; it is never loaded whole)."""
        with self.open(sha256) as handle:
            handle.seek(start)
            while length > 0 and (chunk := handle.read(min(READ_CHUNK_BYTES, length))):
                length -= len(chunk)
                yield chunk

    def open(self, sha256: str) -> BinaryIO:
        """The accepted file, open for reading (:class:`NotFound` if HQ does not hold it)."""
        try:
            return self.path(sha256).open("rb")
        except FileNotFoundError:
            raise NotFound(f"区局没有附件 {sha256[:12]}…。") from None
