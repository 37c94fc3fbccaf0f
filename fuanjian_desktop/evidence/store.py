"""Files of the evidence store: sealed originals and thumbnails, named by the plaintext's hash.

Layout under the data folder: ``evidence/<first two hex>/<sha256>.<ext>.enc`` and
``evidence/thumbs/<sha256>.jpg.enc``, each sealed with the evidence key (AES-256-GCM in
chunks, :mod:`fuanjian_desktop.security.file_cipher`). A lost laptop's evidence folder shows
only hashes and ciphertext. Readers get the plaintext in memory (bytes, or chunks for large
files); nothing decrypted is ever written to disk.

A file is written under a temporary ``.part`` name, flushed to disk and renamed, so a crash
leaves either the whole file or none. A store without a key (a legacy plaintext data folder,
before :meth:`EvidenceStore.encrypt_legacy_files`) keeps the old unsealed layout
``<sha256>.<ext>``.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from fuanjian_desktop.evidence.media_check import HEAD_BYTES, MediaRejected, media_format
from fuanjian_desktop.evidence.photo_check import PhotoFacts, PhotoRejected, check_photo
from fuanjian_desktop.evidence.scan_check import (
    MAX_SCAN_BYTES,
    SCAN_TOO_LARGE,
    ScanFacts,
    ScanRejected,
    check_scan,
)
from fuanjian_desktop.security import file_cipher
from fuanjian_desktop.security.private_files import make_private_folder, sync_folder

# Names only pick candidates (a camera card's DCIM, the file dialog's filter); whether a file is
# a photo, and which kind, is decided by its content.
PHOTO_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png"})
SEALED_SUFFIX = ".enc"
PART_SUFFIX = ".part"
THUMBS_FOLDER = "thumbs"
THUMBNAIL_EXTENSION = ".jpg"
MAX_PHOTO_BYTES = 50 * 1024 * 1024
INCOMING_PREFIX = ".incoming-"  # a recording being sealed before its hash (its name) is known

# progress of a long import: (bytes done, bytes in all)
Progress = Callable[[int, int], None]

__all__ = [
    "MAX_PHOTO_BYTES",
    "MAX_SCAN_BYTES",
    "PHOTO_EXTENSIONS",
    "AddedPhoto",
    "AddedScan",
    "EvidenceStore",
    "LegacySealing",
    "MediaRejected",
    "PartialDownloads",
    "PhotoFacts",
    "PhotoRejected",
    "ScanFacts",
    "ScanRejected",
    "StoredFile",
]


@dataclass(frozen=True)
class AddedPhoto:
    """A photo taken into the store; ``created`` if this call wrote its original (it was not
    there before), which a failed import uses to remove exactly what it added."""

    facts: PhotoFacts
    created: bool


@dataclass(frozen=True)
class AddedScan:
    """A scan file (PDF or page image) taken into the store; ``created`` as for a photo."""

    facts: ScanFacts
    created: bool


@dataclass(frozen=True)
class StoredFile:
    """A file of any kind taken into the store (a recording, a frozen volume)."""

    sha256: str
    extension: str
    size_bytes: int
    created: bool


class EvidenceStore:
    """The evidence folder of one data folder, sealed with ``key`` (``None``: legacy plaintext).

    ``key`` is the evidence key, ``database.key.derive("evidence")``; it is held only as long as
    the store object lives.
    """

    def __init__(self, root: Path, key: bytes | None) -> None:
        self.root = root
        self._key = key

    @property
    def sealed(self) -> bool:
        """Whether files are encrypted (every store of an encrypted database)."""
        return self._key is not None

    # --- where files live -------------------------------------------------------------------

    def _suffix(self) -> str:
        return SEALED_SUFFIX if self._key is not None else ""

    def _original(self, sha256: str, extension: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}{extension}{self._suffix()}"

    def _thumbnail(self, sha256: str) -> Path:
        return self.root / THUMBS_FOLDER / f"{sha256}{THUMBNAIL_EXTENSION}{self._suffix()}"

    def path_of(self, sha256: str, extension: str) -> Path:
        """The original's file on disk, sealed in an encrypted store: for copying it whole
        (backups). Whoever wants the photo reads :meth:`read_original`."""
        return self._original(sha256, extension)

    def thumbnail_of(self, sha256: str) -> Path:
        """The thumbnail's file on disk (sealed); for copying, like :meth:`path_of`."""
        return self._thumbnail(sha256)

    def holds(self, sha256: str, extension: str) -> bool:
        """Whether the original and its thumbnail are both stored."""
        return self._original(sha256, extension).is_file() and self._thumbnail(sha256).is_file()

    # --- adding -------------------------------------------------------------------------------

    def add_photo(self, source: Path) -> AddedPhoto:
        """Check ``source`` by its content, then store it (once) with a thumbnail.

        Raises :class:`PhotoRejected` (a Chinese reason) for anything that is not a whole,
        reasonably sized JPEG or PNG; nothing is stored then. A stored copy that is missing or
        no longer reads back whole is written again: importing the original repairs it.
        """
        data = _read_bounded(source)
        facts, thumbnail = check_photo(data)
        return AddedPhoto(facts, self._keep(data, facts.sha256, facts.extension, thumbnail))

    def _keep(self, data: bytes, sha256: str, extension: str, thumbnail: bytes | None) -> bool:
        """Store ``data`` (and its thumbnail) unless an intact copy is there; whether it wrote
        the original."""
        target = self._original(sha256, extension)
        created = not self._intact(target, sha256)
        if created:
            self._write(data, target)
        thumbnail_path = self._thumbnail(sha256)
        if thumbnail is not None and (created or not self._intact(thumbnail_path, None)):
            self._write(thumbnail, thumbnail_path)
        return created

    def _intact(self, path: Path, sha256: str | None) -> bool:
        """Whether ``path`` reads back whole (and, given ``sha256``, with that hash)."""
        digest = hashlib.sha256()
        try:
            chunks = (
                file_cipher.decrypted_chunks(self._key, path)
                if self._key is not None
                else iter([path.read_bytes()])
            )
            for chunk in chunks:
                digest.update(chunk)
        except (OSError, file_cipher.DamagedCipherFile):
            return False
        return sha256 is None or digest.hexdigest() == sha256

    def _write(self, data: bytes, target: Path) -> None:
        make_private_folder(self.root)  # user-only, as every folder the app makes
        make_private_folder(target.parent)
        if self._key is None:
            with file_cipher.atomic_private_file(target) as sink:
                sink.write(data)
        else:
            file_cipher.write_encrypted(self._key, data, target)

    def add_scan_file(self, source: Path) -> AddedScan:
        """Check ``source`` as the scan of a paper original (a PDF of one or more pages, or a
        JPEG/PNG page) by its content, then store it once; an image also gets a thumbnail.

        Raises :class:`ScanRejected` (a Chinese reason) and stores nothing for anything else.
        """
        data = read_scan_file(source)
        facts, thumbnail = check_scan(data)
        return AddedScan(facts, self._keep(data, facts.sha256, facts.extension, thumbnail))

    def add_bytes(self, data: bytes, extension: str) -> StoredFile:
        """Store bytes the application made (a frozen volume) once, under their hash."""
        sha256 = hashlib.sha256(data).hexdigest()
        return StoredFile(sha256, extension, len(data), self._keep(data, sha256, extension, None))

    def add_media_file(self, source: Path, progress: Progress | None = None) -> StoredFile:
        """Store an audio-video file of any size, sealed as it streams through (a few MiB of
        memory, never a plaintext copy), hashed on the way, and stored once by that hash.

        The container is recognised from the first bytes (:class:`MediaRejected` otherwise,
        nothing stored). The sealed copy is written under a temporary ``.part`` name and
        renamed to its hash's name once whole; if an intact copy is already there, the new one
        is dropped. ``progress(done, total)`` follows the bytes read.
        """
        try:
            stream = source.open("rb")
        except OSError as error:
            raise MediaRejected(f"无法读取文件：{_read_failure(error)}") from error
        with stream:
            total = os.fstat(stream.fileno()).st_size
            found = media_format(_read_head(stream))
            stream.seek(0)
            make_private_folder(self.root)
            staged = self.root / f"{INCOMING_PREFIX}{os.urandom(8).hex()}{PART_SUFFIX}"
            with file_cipher.atomic_private_file(staged) as sink:
                sha256 = self._seal(io.BufferedReader(_ReadReporter(stream, total, progress)), sink)
        target = self._original(sha256, found.extension)
        created = not self._intact(target, sha256)
        if created:
            make_private_folder(target.parent)
            os.replace(staged, target)
            sync_folder(target.parent)
        else:
            staged.unlink()
        return StoredFile(sha256, found.extension, total, created)

    def _seal(self, source: BinaryIO, sink: BinaryIO) -> str:
        """Copy ``source`` into ``sink`` (sealed unless the store is legacy); its SHA-256."""
        if self._key is not None:
            return file_cipher.encrypt_stream(self._key, source, sink)
        digest = hashlib.sha256()
        for chunk in iter(lambda: source.read(file_cipher.CHUNK_SIZE), b""):
            digest.update(chunk)
            sink.write(chunk)
        return digest.hexdigest()

    def holds_original(self, sha256: str, extension: str) -> bool:
        """Whether the original is stored (a file synced from HQ may have no thumbnail)."""
        return self._original(sha256, extension).is_file()

    def add_stream(self, sha256: str, extension: str, chunks: Iterable[bytes]) -> None:
        """Store a file of any size that arrives in ``chunks`` (a synced video), sealed as it
        streams in: a few MiB of memory, never plaintext on disk.

        The content must hash to ``sha256``, else :class:`DamagedCipherFile` and nothing is
        stored. A photo also gets its thumbnail (photos are bounded in size).
        """
        if self._key is None:
            raise ValueError("files from HQ go only into an encrypted store")
        target = self._original(sha256, extension)
        make_private_folder(self.root)
        make_private_folder(target.parent)
        with file_cipher.atomic_private_file(target) as sink:
            if (
                file_cipher.encrypt_stream(self._key, io.BufferedReader(_ChunkReader(chunks)), sink)
                != sha256
            ):
                raise file_cipher.DamagedCipherFile(_NOT_ITS_FILE)
        if extension.lower() in PHOTO_EXTENSIONS:
            self._add_thumbnail(sha256, extension)

    def _add_thumbnail(self, sha256: str, extension: str) -> None:
        try:
            _facts, thumbnail = check_photo(self.read_original(sha256, extension))
        except PhotoRejected:
            return  # shown without a thumbnail; the original is what counts
        self._write(thumbnail, self._thumbnail(sha256))

    # --- reading ------------------------------------------------------------------------------

    def read_original(self, sha256: str, extension: str) -> bytes:
        """The photo's bytes, decrypted in memory. Raises ``OSError`` if it is missing and
        :class:`~fuanjian_desktop.security.file_cipher.DamagedCipherFile` if it was altered.

        The bytes must hash to ``sha256``: a sealed file authenticates under the key but does
        not name itself, so without this check someone with no key at all could swap two
        photos' files and each record would show the other's photo.
        """
        data = self._read(self._original(sha256, extension))
        if hashlib.sha256(data).hexdigest() != sha256:
            raise file_cipher.DamagedCipherFile(_NOT_ITS_FILE)
        return data

    def read_thumbnail(self, sha256: str) -> bytes:
        """The thumbnail's JPEG bytes, decrypted in memory (same errors as the original)."""
        return self._read(self._thumbnail(sha256))

    def original_chunks(self, sha256: str, extension: str) -> Iterator[bytes]:
        """The original chunk by chunk (a video or a large scan: a few MiB of memory)."""
        digest = hashlib.sha256()
        for chunk in self._chunks(self._original(sha256, extension)):
            digest.update(chunk)
            yield chunk
        if digest.hexdigest() != sha256:  # after the last chunk: the reader must discard it all
            raise file_cipher.DamagedCipherFile(_NOT_ITS_FILE)

    def open_original(self, sha256: str, extension: str) -> BinaryIO:
        """The original as a readable stream, decrypted chunk by chunk (into a package)."""
        return io.BufferedReader(_ChunkReader(self.original_chunks(sha256, extension)))

    def _chunks(self, path: Path) -> Iterator[bytes]:
        if self._key is None:
            with path.open("rb") as source:
                yield from iter(lambda: source.read(file_cipher.CHUNK_SIZE), b"")
        else:
            yield from file_cipher.decrypted_chunks(self._key, path)

    def _read(self, path: Path) -> bytes:
        if self._key is None:
            return path.read_bytes()
        return file_cipher.decrypt_file(self._key, path)

    # --- removing -----------------------------------------------------------------------------

    def remove(self, sha256: str, extension: str) -> None:
        """Delete an original and its thumbnail (a failed import's own new files)."""
        for path in (self._original(sha256, extension), self._thumbnail(sha256)):
            path.unlink(missing_ok=True)

    def stored(self) -> set[str]:
        """The hashes of every original in the store (thumbnails and temporaries aside)."""
        return {
            _hash_of(name)
            for folder, name in self._entries()
            if os.path.basename(folder) != THUMBS_FOLDER and not name.endswith(PART_SUFFIX)
        }

    def sweep(self, referenced: Collection[str]) -> int:
        """Remove originals whose hash no row references, their thumbnails, stray thumbnails
        and interrupted ``.part`` files; return the number of files removed.

        For the start-up, before any import runs: an import in progress has stored files that
        its transaction has not yet committed, and ``.part`` files it is still writing.
        """
        keep = set(referenced)
        removed = 0
        for folder, name in self._entries():
            if name.endswith(PART_SUFFIX) or _hash_of(name) not in keep:
                Path(folder, name).unlink(missing_ok=True)
                removed += 1
        return removed

    def _entries(self) -> Iterator[tuple[str, str]]:
        """(folder, name) of every file in the store, as strings: the start-up walks the store
        twice, and ``rglob`` with a ``Path`` per file took 1 s for 20,000 files."""
        for folder, _subfolders, names in os.walk(self.root):
            yield from ((folder, name) for name in names)

    # --- legacy folders -----------------------------------------------------------------------

    def encrypt_legacy_files(self) -> LegacySealing:
        """Seal every plaintext file of a legacy store in place.

        For a data folder whose database is being encrypted: each ``<sha256>.<ext>`` (and
        thumbnail) becomes ``<sha256>.<ext>.enc``. The sealed copy is read back and must give
        the bytes that were read before the plaintext is deleted, so a failure at any point
        leaves every photo readable (sealed, plain, or both); running it again after a crash
        finishes the job. Interrupted ``.part`` files are removed. An original whose content
        does not match the hash in its name is sealed all the same (it is evidence as found)
        and named in the result. Deleting does not scrub the disk blocks the plaintext
        occupied; full-disk encryption (BitLocker) covers those.
        """
        if self._key is None:
            raise ValueError("a store without a key cannot seal its files")
        sealed = 0
        mismatched: list[str] = []
        entries = list(self._entries())
        for folder, _subfolders, _names in os.walk(self.root):
            make_private_folder(Path(folder))  # an older version left them 0755 (listable)
        for folder, name in entries:
            if name.endswith(PART_SUFFIX):
                Path(folder, name).unlink(missing_ok=True)
            elif not name.endswith(SEALED_SUFFIX):
                sha256 = self._seal_legacy(Path(folder, name))
                sealed += 1
                if os.path.basename(folder) != THUMBS_FOLDER and sha256 != _hash_of(name):
                    mismatched.append(name)
        return LegacySealing(sealed, tuple(mismatched))

    def _seal_legacy(self, plain: Path) -> str:
        """Seal one plaintext file beside itself, verify, delete the plaintext; its SHA-256."""
        assert self._key is not None
        target = plain.with_name(plain.name + SEALED_SUFFIX)
        sha256 = file_cipher.encrypt_file(self._key, plain, target)
        digest = hashlib.sha256()
        for chunk in file_cipher.decrypted_chunks(self._key, target):
            digest.update(chunk)
        if digest.hexdigest() != sha256:  # the sealed copy must give back what was read
            target.unlink()
            raise file_cipher.DamagedCipherFile(
                f"证据文件 {plain.name} 加密后校验不一致，原文件已保留，请检查磁盘后重试"
            )
        plain.unlink()
        sync_folder(plain.parent)
        return sha256


class PartialDownloads:
    """Files being downloaded from HQ, kept sealed in pieces so a cut link resumes where it
    stopped: ``<root>/<sha256>/<offset>-<length>.enc``, each piece sealed on its own.

    ``root`` lies outside the evidence folder (the start-up sweep of the store would remove
    pieces it cannot name). :meth:`finish` streams the pieces into the store, checking the
    hash, and removes them.
    """

    def __init__(self, root: Path, key: bytes) -> None:
        self.root = root
        self._key = key

    def received(self, sha256: str) -> int:
        """How many bytes of ``sha256`` are stored (the offset to resume from)."""
        end = 0
        for offset, length, _path in self._pieces(sha256):
            if offset != end:  # a gap (a piece lost): start again from there
                break
            end = offset + length
        return end

    def append(self, sha256: str, offset: int, data: bytes) -> None:
        """Seal ``data`` received at ``offset`` as the next piece."""
        if offset != self.received(sha256):
            raise ValueError("a piece must continue where the stored ones end")
        folder = self.root / sha256
        make_private_folder(self.root)
        make_private_folder(folder)
        file_cipher.write_encrypted(self._key, data, folder / f"{offset:016d}-{len(data)}.enc")

    def discard(self, sha256: str) -> None:
        """Forget a download (restart from zero, or done)."""
        folder = self.root / sha256
        for _offset, _length, path in self._pieces(sha256):
            path.unlink(missing_ok=True)
        if folder.is_dir():
            folder.rmdir()

    def finish(self, store: EvidenceStore, sha256: str, extension: str) -> None:
        """Move the whole download into ``store`` (hash checked there) and discard the pieces;
        a mismatch discards them too (the next round downloads afresh)."""
        end = self.received(sha256)
        try:
            store.add_stream(sha256, extension, self._chunks(sha256, end))
        finally:
            self.discard(sha256)

    def _chunks(self, sha256: str, end: int) -> Iterator[bytes]:
        for offset, _length, path in self._pieces(sha256):
            if offset >= end:
                return
            yield from file_cipher.decrypted_chunks(self._key, path)

    def _pieces(self, sha256: str) -> list[tuple[int, int, Path]]:
        folder = self.root / sha256
        if not folder.is_dir():
            return []
        found = []
        for path in folder.iterdir():
            offset, _, length = path.name.removesuffix(".enc").partition("-")
            if path.name.endswith(".enc") and offset.isdigit() and length.isdigit():
                found.append((int(offset), int(length), path))
        return sorted(found)


class _ReadReporter(io.RawIOBase):
    """A file being imported, read through: counts the bytes for ``progress`` and turns a read
    failure (a card pulled out half-way) into a Chinese refusal."""

    def __init__(self, source: BinaryIO, total: int, progress: Progress | None) -> None:
        self._source = source
        self._total = total
        self._progress = progress
        self._done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            size = self._source.readinto(buffer)  # type: ignore[attr-defined]
        except OSError as error:
            raise MediaRejected(f"读取文件时出错：{_read_failure(error)}") from error
        self._done += size
        if self._progress is not None:
            self._progress(self._done, max(self._total, self._done))
        return int(size)


class _ChunkReader(io.RawIOBase):
    """A readable stream over an iterable of byte chunks (for ``encrypt_stream``)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = iter(chunks)
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


@dataclass(frozen=True)
class LegacySealing:
    """What :meth:`EvidenceStore.encrypt_legacy_files` did: files sealed, and originals whose
    content did not match the hash in their name (sealed as found)."""

    files: int
    mismatched: tuple[str, ...]


def _hash_of(name: str) -> str:
    """The hash a store file is named by (``<sha256>.<ext>[.enc]``)."""
    return name.split(".", 1)[0]


def _read_bounded(source: Path, limit: int = MAX_PHOTO_BYTES, too_large: str = "") -> bytes:
    """The file's bytes, refusing anything larger than ``limit`` (a photo's, by default)."""
    too_large = too_large or _TOO_LARGE
    try:
        with source.open("rb") as stream:
            if os.fstat(stream.fileno()).st_size > limit:
                raise PhotoRejected(too_large)
            data = stream.read(limit + 1)
    except OSError as error:
        raise PhotoRejected(f"无法读取文件：{_read_failure(error)}") from error
    if len(data) > limit:
        raise PhotoRejected(too_large)
    return data


def read_scan_file(source: Path) -> bytes:
    """A scan file's bytes (bounded as a scan is), or :class:`ScanRejected` saying why not."""
    try:
        return _read_bounded(source, MAX_SCAN_BYTES, SCAN_TOO_LARGE)
    except PhotoRejected as rejected:
        raise ScanRejected(rejected.reason) from rejected


def _read_head(stream: BinaryIO) -> bytes:
    """The first bytes of a file being imported, for recognising its format."""
    try:
        return stream.read(HEAD_BYTES)
    except OSError as error:
        raise MediaRejected(f"无法读取文件：{_read_failure(error)}") from error


_NOT_ITS_FILE = (
    "证据文件的内容与它登记的校验码不符（文件被调换或改动过），请从原始文件重新导入或从备份恢复"
)
_TOO_LARGE = f"文件超过 {MAX_PHOTO_BYTES // (1024 * 1024)} MB，不像一张照片，请确认选择的文件"

# The system's own wording (strerror) is English on most laptops: the usual causes in Chinese.
_READ_FAILURES = {
    errno.ENOENT: "文件不存在（可能已被移走、改名，或存储卡已拔出），请重新选择",
    errno.EISDIR: "这是一个文件夹，不是照片，请打开文件夹选择其中的照片",
    errno.EACCES: "没有读取这个文件的权限，请先把它复制到本机的文件夹再导入",
    errno.EPERM: "没有读取这个文件的权限，请先把它复制到本机的文件夹再导入",
    errno.EIO: "读取时出错（存储卡或U盘可能已损坏或松动），请重新插好后再导入",
}


def _read_failure(error: OSError) -> str:
    """Why the file could not be read, in Chinese (an unusual cause keeps the system's words)."""
    known = _READ_FAILURES.get(error.errno or 0)
    return known or f"系统提示“{error.strerror or error}”，请确认文件还在并且可以打开"
