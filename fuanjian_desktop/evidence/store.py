"""Files of the evidence store: hash, durable copy, EXIF capture time, thumbnail.

Layout under the data folder: ``evidence/<first two hex>/<sha256>.<ext>`` and
``evidence/thumbs/<sha256>.jpg``. A file is written to a temporary name, flushed to disk and
renamed, so a crash leaves either the whole file or none; a file without a database row is
harmless (the next import of that photo reuses it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

PHOTO_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png"})
THUMBNAIL_SIZE = (320, 320)
CHINA_TIME = dt.timezone(dt.timedelta(hours=8))  # cameras without an offset tag: local time
MAX_PHOTO_BYTES = 50 * 1024 * 1024
EXIF_IFD = 0x8769


class PhotoRejected(Exception):
    """A file that cannot be taken as photo evidence; ``reason`` is Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PhotoFacts:
    """What the store learned about a photo on import."""

    sha256: str
    extension: str
    size_bytes: int
    width: int
    height: int
    captured_at: dt.datetime | None
    camera: str | None


class EvidenceStore:
    """The evidence folder of one data folder."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_of(self, sha256: str, extension: str) -> Path:
        """Where the file with this hash lives."""
        return self.root / sha256[:2] / f"{sha256}{extension}"

    def thumbnail_of(self, sha256: str) -> Path:
        """Its thumbnail (JPEG)."""
        return self.root / "thumbs" / f"{sha256}.jpg"

    def add_photo(self, source: Path) -> PhotoFacts:
        """Check, hash and store ``source`` (once), with a thumbnail; return what was learned."""
        extension = source.suffix.lower()
        if extension not in PHOTO_EXTENSIONS:
            raise PhotoRejected("只支持 JPG、PNG 格式的照片")
        try:
            data = source.read_bytes()
        except OSError as error:
            raise PhotoRejected(f"无法读取文件：{error.strerror or error}") from error
        if len(data) > MAX_PHOTO_BYTES:
            raise PhotoRejected("文件超过 50 MB，请确认是照片")
        facts = _inspect(data, extension)
        target = self.path_of(facts.sha256, facts.extension)
        if not target.exists():
            _write_durably(target, data)
        thumbnail = self.thumbnail_of(facts.sha256)
        if not thumbnail.exists():
            _write_thumbnail(target, thumbnail)
        return facts


def _inspect(data: bytes, extension: str) -> PhotoFacts:
    from PIL import Image, UnidentifiedImageError  # only when photos are imported (start-up)

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            exif = image.getexif()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise PhotoRejected("文件不是有效的图片，或已损坏") from error
    return PhotoFacts(
        sha256=hashlib.sha256(data).hexdigest(),
        extension=".jpg" if extension == ".jpeg" else extension,
        size_bytes=len(data),
        width=width,
        height=height,
        captured_at=_capture_time(exif),
        camera=_camera(exif),
    )


def _capture_time(exif: Image.Exif) -> dt.datetime | None:
    """DateTimeOriginal (with OffsetTimeOriginal when the camera wrote one), else DateTime."""
    from PIL import ExifTags

    details = exif.get_ifd(EXIF_IFD)
    text = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    if not isinstance(text, str):
        return None
    try:
        moment = dt.datetime.strptime(text.strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = details.get(ExifTags.Base.OffsetTimeOriginal)
    zone = _zone(offset) if isinstance(offset, str) else CHINA_TIME
    return moment.replace(tzinfo=zone).astimezone(dt.UTC)


def _zone(offset: str) -> dt.timezone:
    try:
        parsed = dt.datetime.strptime(offset.strip("\x00 "), "%z")
    except ValueError:
        return CHINA_TIME
    assert parsed.tzinfo is not None
    delta = parsed.utcoffset()
    return dt.timezone(delta) if delta is not None else CHINA_TIME


def _camera(exif: Image.Exif) -> str | None:
    from PIL import ExifTags

    parts = [exif.get(ExifTags.Base.Make), exif.get(ExifTags.Base.Model)]
    text = " ".join(str(part).strip("\x00 ") for part in parts if part)
    return text[:100] or None


def _write_durably(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_thumbnail(original: Path, thumbnail: Path) -> None:
    from PIL import Image, ImageOps

    thumbnail.parent.mkdir(parents=True, exist_ok=True)
    temporary = thumbnail.with_suffix(".part")
    with Image.open(original) as image:
        small = ImageOps.exif_transpose(image).convert("RGB")
        small.thumbnail(THUMBNAIL_SIZE)
        small.save(temporary, "JPEG", quality=85)
    os.replace(temporary, thumbnail)
