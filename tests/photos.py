"""Photos made on the fly for evidence tests: small JPEGs with EXIF capture times, PNGs, and
bad files (cut short, absurdly large)."""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path
from typing import BinaryIO

from PIL import Image

EXIF_IFD = 0x8769
DATE_TIME_ORIGINAL = 0x9003
OFFSET_TIME_ORIGINAL = 0x9011


def make_photo(
    path: Path,
    colour: tuple[int, int, int] = (200, 30, 30),
    taken: str | None = None,
    offset: str | None = None,
) -> Path:
    """Write a 64×48 JPEG; ``taken`` like ``2026:11:20 09:30:00`` goes into DateTimeOriginal."""
    image = Image.new("RGB", (64, 48), colour)
    exif = Image.Exif()
    if taken is not None:
        details = {DATE_TIME_ORIGINAL: taken}
        if offset is not None:
            details[OFFSET_TIME_ORIGINAL] = offset
        exif[EXIF_IFD] = details
    image.save(path, "JPEG", exif=exif.tobytes())
    return path


def make_png(path: Path, size: tuple[int, int] = (64, 48)) -> Path:
    """Write a small PNG (whatever ``path``'s name says)."""
    Image.new("RGB", size, (30, 120, 30)).save(path, "PNG")
    return path


def make_detailed_jpeg(path: Path, size: tuple[int, int] = (400, 300)) -> Path:
    """A JPEG of noise: its data fill the file, so cutting it short loses real pixels."""
    Image.frombytes("RGB", size, random.Random(7).randbytes(size[0] * size[1] * 3)).save(
        path, "JPEG", quality=90
    )
    return path


def truncate(path: Path, keep: float) -> Path:
    """Cut ``path`` to ``keep`` of its length, as an interrupted copy from a camera card would."""
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def make_blank_png(path: Path, width: int, height: int) -> Path:
    """A valid greyscale PNG of ``width``×``height`` black pixels, written row by row through
    zlib without ever holding the image: 20000×20000 (400 million pixels) is ≈ 2 MB on disk
    and made in about half a second."""
    compressor = zlib.compressobj(1)
    row = b"\x00" * (width + 1)  # filter byte "none" + one byte per pixel
    with path.open("wb") as file:
        file.write(b"\x89PNG\r\n\x1a\n")
        _chunk(file, b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        parts = [compressor.compress(row) for _ in range(height)]
        parts.append(compressor.flush())
        _chunk(file, b"IDAT", b"".join(parts))
        _chunk(file, b"IEND", b"")
    return path


def _chunk(file: BinaryIO, kind: bytes, data: bytes) -> None:
    file.write(struct.pack(">I", len(data)) + kind + data)
    file.write(struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
