"""Streamed file encryption: round trips at every chunk boundary, refuses every alteration, and
seals a file far larger than the memory it uses."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import tracemalloc
from pathlib import Path

import pytest

from fuanjian_desktop.security import file_cipher
from fuanjian_desktop.security.file_cipher import DamagedCipherFile

KEY = bytes(range(32))
OTHER_KEY = bytes(range(1, 33))
CHUNK = 16  # tiny chunks: every boundary case in a few bytes
HEADER = 17  # magic 4 + version 1 + chunk size 4 + nonce prefix 8
SEALED_CHUNK = CHUNK + 16  # ciphertext + GCM tag
MIB = 1024 * 1024


def seal(data: bytes, key: bytes = KEY) -> bytes:
    sink = io.BytesIO()
    file_cipher.encrypt_stream(key, io.BytesIO(data), sink, chunk_size=CHUNK)
    return sink.getvalue()


def open_(sealed: bytes, key: bytes = KEY) -> bytes:
    return file_cipher.decrypt_bytes(key, sealed)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 5])
def test_round_trip_at_every_chunk_boundary(size: int) -> None:
    data = bytes((i * 7) % 251 for i in range(size))
    sink = io.BytesIO()
    sha = file_cipher.encrypt_stream(KEY, io.BytesIO(data), sink, chunk_size=CHUNK)
    assert sha == hashlib.sha256(data).hexdigest()
    sealed = sink.getvalue()
    chunks = max(1, -(-size // CHUNK))  # an empty file is one empty last chunk
    assert len(sealed) == HEADER + size + 16 * chunks
    assert open_(sealed) == data


def test_the_same_file_sealed_twice_looks_different_and_hides_its_content() -> None:
    data = "张三 身份证号 440304199001011234".encode() * 4
    first, second = seal(data), seal(data)
    assert first != second  # a fresh nonce prefix per file
    assert data[:16] not in first and "张三".encode() not in first
    assert first.startswith(b"FAJE\x01")


def test_a_small_file_round_trips_with_the_default_chunk(tmp_path: Path) -> None:
    data = os.urandom(3 * MIB + 123)
    source, target = tmp_path / "photo.jpg", tmp_path / "sealed" / "photo.jpg.enc"
    source.write_bytes(data)
    assert file_cipher.encrypt_file(KEY, source, target) == hashlib.sha256(data).hexdigest()
    assert file_cipher.decrypt_file(KEY, target) == data
    assert [len(c) for c in file_cipher.decrypted_chunks(KEY, target)] == [MIB, MIB, MIB, 123]
    assert target.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in target.parent.iterdir()] == ["photo.jpg.enc"]  # no temporary left


def chunks_of(sealed: bytes) -> tuple[bytes, list[bytes]]:
    body = sealed[HEADER:]
    return sealed[:HEADER], [body[i : i + SEALED_CHUNK] for i in range(0, len(body), SEALED_CHUNK)]


def altered(name: str, sealed: bytes) -> bytes:
    header, chunks = chunks_of(sealed)
    if name == "one bit flipped":
        return sealed[:40] + bytes([sealed[40] ^ 1]) + sealed[41:]
    if name == "last chunk dropped (cut at a boundary)":
        return header + b"".join(chunks[:-1])
    if name == "cut inside a chunk":
        return sealed[:-5]
    if name == "two chunks swapped":
        return header + chunks[1] + chunks[0] + b"".join(chunks[2:])
    if name == "a chunk appended":
        return sealed + chunks[0]
    if name == "the last chunk appended again":
        return sealed + chunks[-1]
    if name == "chunk size in the header changed":
        return header[:5] + struct.pack(">I", CHUNK + 16) + header[9:] + b"".join(chunks)
    if name == "nonce prefix changed":
        return header[:-1] + bytes([header[-1] ^ 1]) + b"".join(chunks)
    if name == "header only":
        return header
    if name == "empty file":
        return b""
    raise AssertionError(name)


ALTERATIONS = [
    "one bit flipped",
    "last chunk dropped (cut at a boundary)",
    "cut inside a chunk",
    "two chunks swapped",
    "a chunk appended",
    "the last chunk appended again",
    "chunk size in the header changed",
    "nonce prefix changed",
    "header only",
    "empty file",
]


@pytest.mark.parametrize("alteration", ALTERATIONS)
def test_every_alteration_is_refused(alteration: str) -> None:
    sealed = seal(bytes(range(200)) * 3)  # 600 bytes: 38 chunks of 16
    with pytest.raises(DamagedCipherFile) as refused:
        open_(altered(alteration, sealed))
    assert "加密文件" in refused.value.message or "本软件" in refused.value.message


def test_another_key_is_refused() -> None:
    with pytest.raises(DamagedCipherFile, match="无法解密"):
        open_(seal(b"evidence"), OTHER_KEY)


def test_a_chunk_iterator_gives_nothing_of_a_chunk_that_does_not_authenticate() -> None:
    sealed = bytearray(seal(bytes(64)))
    sealed[HEADER + SEALED_CHUNK + 3] ^= 0xFF  # damage the second chunk
    received = []
    with pytest.raises(DamagedCipherFile):
        for chunk in file_cipher.decrypt_stream(KEY, io.BytesIO(bytes(sealed))):
            received.append(chunk)
    assert received == [bytes(CHUNK)]  # only the first, authenticated chunk


def test_a_key_of_the_wrong_length_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        seal(b"x", key=KEY[:16])


def sparse_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes made without writing them (zeros; a hole on most filesystems),
    with a few non-zero marks so that chunk order matters."""
    with path.open("wb") as file:
        file.truncate(size)
        for offset in range(0, size, 37 * MIB):
            file.seek(offset)
            file.write(offset.to_bytes(8, "big"))
    return path


def sealed_and_read_back_with_bounded_memory(tmp_path: Path, size: int) -> int:
    """Seal and stream back a ``size``-byte file; return the traced memory peak (bytes)."""
    source = sparse_file(tmp_path / "video.mp4", size)
    target = tmp_path / "video.mp4.enc"
    tracemalloc.start()
    try:
        sha = file_cipher.encrypt_file(KEY, source, target)
        digest, total = hashlib.sha256(), 0
        for chunk in file_cipher.decrypted_chunks(KEY, target):
            digest.update(chunk)
            total += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert total == size
    assert digest.hexdigest() == sha
    with source.open("rb") as plain:  # the hash of the plaintext, computed independently
        assert sha == hashlib.file_digest(plain, "sha256").hexdigest()
    return peak


def test_a_large_file_is_sealed_and_read_back_in_a_few_mebibytes(tmp_path: Path) -> None:
    size = 208 * MIB + 3
    peak = sealed_and_read_back_with_bounded_memory(tmp_path, size)
    assert peak < 8 * MIB, f"peak {peak / MIB:.1f} MiB for a {size / MIB:.0f} MiB file"
