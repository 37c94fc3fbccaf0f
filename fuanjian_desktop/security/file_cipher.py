"""Streamed AES-256-GCM encryption of files (evidence: photos, scans, audio-video, thumbnails).

A 2 GB video must not need 2 GB of memory, so a file is sealed in fixed-size chunks, each an
AES-GCM message of its own. The layout is::

    header   = MAGIC (4) ‖ version (1) ‖ chunk size (4, big-endian) ‖ nonce prefix (8, random)
    chunk i  = AES-GCM(key, nonce = prefix ‖ i (4, big-endian), plaintext chunk,
                       associated data = header ‖ last flag (1))   -- ciphertext ‖ 16-byte tag

Every chunk but the last holds exactly ``chunk size`` bytes of plaintext; there is always at
least one chunk (an empty file is one empty last chunk). The counter in the nonce detects
reordered or dropped chunks, the last flag detects a file cut at a chunk boundary or with
chunks appended after its end, and the header in the associated data binds the chunk size and
the version. A fresh random prefix per file keeps nonces unique under one key (2⁶⁴ files).

Decryption either returns the bytes (small files: thumbnails, photos) or yields the chunks one
by one (large files); both raise :class:`DamagedCipherFile` rather than return a byte of a file
that does not authenticate. Nothing here writes plaintext to disk.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.private_files import sync_folder

MAGIC = b"FAJE"
VERSION = 1
CHUNK_SIZE = 1024 * 1024
MAX_CHUNK_SIZE = 16 * 1024 * 1024  # a damaged header must not make us allocate gigabytes
KEY_BYTES = 32
TAG_BYTES = 16
_HEADER = struct.Struct(">4sBI8s")
HEADER_BYTES = _HEADER.size
_LAST = b"\x01"
_MORE = b"\x00"
_MAX_CHUNKS = 2**32


class DamagedCipherFile(UserError):
    """An encrypted file that does not authenticate: damaged, altered, cut short, or sealed
    under another key. No plaintext of it is returned."""


def _cipher(key: bytes) -> AESGCM:
    if len(key) != KEY_BYTES:
        raise ValueError("an evidence key is 32 bytes")
    return AESGCM(key)


def _nonce(prefix: bytes, counter: int) -> bytes:
    if counter >= _MAX_CHUNKS:
        raise ValueError("file too large for one nonce prefix")
    return prefix + counter.to_bytes(4, "big")


def _read_full(source: BinaryIO, size: int) -> bytes:
    """``size`` bytes, or fewer only at the end of the stream (pipes may return short reads)."""
    parts: list[bytes] = []
    wanted = size
    while wanted:
        part = source.read(wanted)
        if not part:
            break
        parts.append(part)
        wanted -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)


def encrypt_stream(
    key: bytes, source: BinaryIO, sink: BinaryIO, chunk_size: int = CHUNK_SIZE
) -> str:
    """Seal everything ``source`` holds into ``sink``; return the plaintext's SHA-256 (hex).

    Memory stays at about three chunks whatever the size (one read ahead to know which chunk
    is the last).
    """
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError("chunk size out of range")
    cipher = _cipher(key)
    header = _HEADER.pack(MAGIC, VERSION, chunk_size, os.urandom(8))
    sink.write(header)
    digest = hashlib.sha256()
    counter = 0
    current = _read_full(source, chunk_size)
    while True:
        following = _read_full(source, chunk_size)
        last = not following
        digest.update(current)
        sealed = cipher.encrypt(
            _nonce(header[-8:], counter), current, header + (_LAST if last else _MORE)
        )
        sink.write(sealed)
        if last:
            return digest.hexdigest()
        counter += 1
        current = following


def encrypt_bytes(key: bytes, data: bytes) -> bytes:
    """``data`` sealed in the same format (for small files such as thumbnails)."""
    sink = io.BytesIO()
    encrypt_stream(key, io.BytesIO(data), sink)
    return sink.getvalue()


def _read_header(source: BinaryIO) -> tuple[bytes, int]:
    header = _read_full(source, HEADER_BYTES)
    if len(header) != HEADER_BYTES:
        raise DamagedCipherFile("加密文件不完整：缺少文件头")
    magic, version, chunk_size, _prefix = _HEADER.unpack(header)
    if magic != MAGIC:
        raise DamagedCipherFile("不是本软件加密的文件，或文件头已损坏")
    if version != VERSION:
        raise DamagedCipherFile(f"加密文件的格式版本 {version} 不受支持，请升级本软件")
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise DamagedCipherFile("加密文件的文件头已损坏")
    return header, chunk_size


def decrypt_stream(key: bytes, source: BinaryIO) -> Iterator[bytes]:
    """Yield the plaintext chunk by chunk, each only after it authenticated.

    A consumer that must not act on a partial file (e.g. one that hashes or shows it) reads to
    the end before using what it got: a file cut short fails only at its last chunk.
    """
    cipher = _cipher(key)
    header, chunk_size = _read_header(source)
    sealed_size = chunk_size + TAG_BYTES
    counter = 0
    current = _read_full(source, sealed_size)
    if not current:
        raise DamagedCipherFile("加密文件不完整：没有内容")
    while True:
        following = _read_full(source, sealed_size)
        last = not following
        try:
            plain = cipher.decrypt(
                _nonce(header[-8:], counter), current, header + (_LAST if last else _MORE)
            )
        except InvalidTag:
            raise DamagedCipherFile(
                "加密文件无法解密：文件已损坏、被改动或不完整，或不属于这个数据文件夹"
            ) from None
        yield plain
        if last:
            return
        counter += 1
        current = following


def decrypt_bytes(key: bytes, data: bytes) -> bytes:
    """The plaintext of a sealed ``data`` (small files only: it is all in memory)."""
    return b"".join(decrypt_stream(key, io.BytesIO(data)))


def decrypt_file(key: bytes, path: Path) -> bytes:
    """The plaintext of the sealed file at ``path``, in memory (thumbnails, photos)."""
    with path.open("rb") as source:
        return b"".join(decrypt_stream(key, source))


def decrypted_chunks(key: bytes, path: Path) -> Iterator[bytes]:
    """The plaintext of the sealed file at ``path``, chunk by chunk (videos, large scans)."""
    with path.open("rb") as source:
        yield from decrypt_stream(key, source)


def encrypt_file(key: bytes, source: Path, target: Path) -> str:
    """Seal the file ``source`` as ``target`` (whole or not at all); return its SHA-256."""
    with source.open("rb") as plain, atomic_private_file(target) as sink:
        return encrypt_stream(key, plain, sink)


def write_encrypted(key: bytes, data: bytes, target: Path) -> None:
    """Seal ``data`` as ``target`` (whole or not at all)."""
    with atomic_private_file(target) as sink:
        encrypt_stream(key, io.BytesIO(data), sink)


@contextmanager
def atomic_private_file(target: Path) -> Iterator[BinaryIO]:
    """A new user-only file that becomes ``target`` only once completely written and on disk.

    Written under a temporary ``.part`` name in the target's folder, flushed, fsynced and
    renamed (the rename made durable too); on any exception the temporary file is removed. A
    crash (SIGKILL, power) leaves at most a ``.part`` file, never a partial ``target``.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.urandom(4).hex()}.part")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as sink:
            yield sink
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(target.parent)
