"""Checking a photo before it is stored: by its content, bounded, and decoded to the last pixel.

The name of a file says nothing: a PNG named ``.jpg`` is stored as ``.png`` and a text file
named ``.jpg`` is refused. The pixel count is read from the header and refused above
:data:`MAX_PHOTO_PIXELS` before anything is decoded (a small, highly compressed PNG can claim
20000×20000 pixels: 1.2 GB once decoded). Then the whole image is decoded (``load``, not just
``verify``), so a JPEG cut short while copying from the camera card is refused now rather than
shown half grey, or failing, later. Each refusal is a :class:`PhotoRejected` with a Chinese
reason saying what is wrong and what to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

# 80 million pixels: above every phone or camera's default output (a 108 MP phone saves 12 MP
# unless told otherwise), below Pillow's own warning threshold (≈ 89 MP), and ≈ 240 MB once
# decoded, which a field laptop can afford.
MAX_PHOTO_PIXELS = 80_000_000
OPENED_FORMATS = ("JPEG", "PNG")
# Pillow's JPEG opener names a JPEG that carries extra frames (depth map, second lens) "MPO", as
# many phones and cameras write them; every viewer shows its first frame, so it is a .jpg.
EXTENSION_OF_FORMAT = {"JPEG": ".jpg", "MPO": ".jpg", "PNG": ".png"}
THUMBNAIL_SIZE = (320, 320)
CHINA_TIME = dt.timezone(dt.timedelta(hours=8))  # cameras without an offset tag: local time
EXIF_IFD = 0x8769

NOT_A_PHOTO = "文件内容不是 JPG 或 PNG 图片（按内容判断，与文件名无关），请选择相机或手机拍摄的照片"
DAMAGED = "图片已损坏或不完整（可能没有复制完），无法完整读取，请从相机或手机重新复制后再导入"
TOO_MANY_PIXELS = (
    f"图片像素过多（超过 {MAX_PHOTO_PIXELS // 10_000} 万像素），"
    "请缩小尺寸或改用相机的常规尺寸后再导入"
)


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


def check_photo(data: bytes) -> tuple[PhotoFacts, bytes]:
    """The facts of the photo in ``data`` and its thumbnail (JPEG bytes), or PhotoRejected."""
    from PIL import Image, UnidentifiedImageError  # only when photos are imported (start-up)

    try:
        with Image.open(io.BytesIO(data), formats=OPENED_FORMATS) as image:
            width, height = image.size
            if width * height > MAX_PHOTO_PIXELS:
                raise PhotoRejected(TOO_MANY_PIXELS)
            image.load()  # decodes every pixel: a truncated file fails here
            exif = _exif(image)
            extension = EXTENSION_OF_FORMAT[str(image.format)]
            thumbnail = _thumbnail(image)
    except PhotoRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise PhotoRejected(TOO_MANY_PIXELS) from error
    except UnidentifiedImageError as error:
        raise PhotoRejected(NOT_A_PHOTO) from error
    except Exception as error:  # a decoder fed hostile bytes may raise nearly anything
        raise PhotoRejected(DAMAGED) from error
    facts = PhotoFacts(
        sha256=hashlib.sha256(data).hexdigest(),
        extension=extension,
        size_bytes=len(data),
        width=width,
        height=height,
        captured_at=_capture_time(exif),
        camera=_camera(exif),
    )
    return facts, thumbnail


def _exif(image: Image.Image) -> Image.Exif:
    """The photo's EXIF; a damaged EXIF block costs the capture time, not the photo."""
    from PIL import Image

    try:
        exif = image.getexif()
        exif.get_ifd(EXIF_IFD)
    except Exception:
        return Image.Exif()
    return exif


def _thumbnail(image: Image.Image) -> bytes:
    """A JPEG at most 320×320, upright (EXIF orientation applied), made from the decoded image
    in place so that memory holds one full-size copy at most."""
    from PIL import ImageOps

    image.thumbnail(THUMBNAIL_SIZE)
    upright = ImageOps.exif_transpose(image)
    small = (upright if upright is not None else image).convert("RGB")
    stream = io.BytesIO()
    small.save(stream, "JPEG", quality=85)
    return stream.getvalue()


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
