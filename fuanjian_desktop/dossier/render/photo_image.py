"""A case photo made printable: decoded at the size it is printed, upright, as a small JPEG.

A camera photo is 12 megapixels or more; the 照片证据 page prints it about 9 × 5 cm. JPEG can
be decoded at 1/2, 1/4 or 1/8 of its size directly (``Image.draft``), which costs a fraction
of a full decode, and the decoding runs on every core (Pillow releases the GIL while it
decodes). The originals are read one after another in the caller's thread — the evidence
store is never read from two threads — and at most a few are held at once.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from math import ceil
from typing import TYPE_CHECKING

from fuanjian_desktop.dossier.render.model import PhotoEntry
from fuanjian_desktop.errors import UserError

if TYPE_CHECKING:
    from PIL import Image

PRINT_DPI = 150  # enough for a printed photo; keeps the volume small and the build fast
OVERSIZE = 1.5  # a decoded photo up to this much larger is embedded as is (resizing costs more)
JPEG_QUALITY = 82
ORIENTATION = 0x0112  # EXIF tag
QUARTER_TURNS = frozenset({5, 6, 7, 8})  # EXIF orientations that turn the photo a quarter
SHA_DIGITS = 16


@dataclass(frozen=True)
class Printable:
    """The photo as it is embedded: JPEG bytes and their pixel size (upright)."""

    jpeg: bytes
    width: int
    height: int


def printable_photos(
    photos: Sequence[PhotoEntry], size: tuple[float, float]
) -> Iterator[Printable]:
    """Each photo made printable for a box of ``size`` (points), in order.

    A photo that cannot be decoded is a :class:`UserError` naming it.
    """
    workers = max(1, os.cpu_count() or 1)
    with ThreadPoolExecutor(workers) as pool:
        pending: deque[Future[Printable]] = deque()
        for photo in photos:
            pending.append(pool.submit(printable, photo, photo.load(), size))
            if len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def printable(photo: PhotoEntry, data: bytes, size: tuple[float, float]) -> Printable:
    """``data`` (the photo's file) decoded for ``size`` at about ``PRINT_DPI``, upright, RGB."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        image = Image.open(BytesIO(data))
        image.draft("RGB", _decoded_size(image, size))
        upright = ImageOps.exif_transpose(image) or image
        wanted = (ceil(size[0] / 72 * PRINT_DPI), ceil(size[1] / 72 * PRINT_DPI))
        if upright.width > OVERSIZE * wanted[0] or upright.height > OVERSIZE * wanted[1]:
            upright.thumbnail(wanted, Image.Resampling.BILINEAR)
        flat = _on_white(upright)
        stream = BytesIO()
        flat.save(stream, "JPEG", quality=JPEG_QUALITY)
    except (OSError, UnidentifiedImageError, ValueError, Image.DecompressionBombError) as error:
        raise UserError(
            f"照片“{photo.caption or '未命名'}”（SHA-256 {photo.sha256[:SHA_DIGITS]}）无法读取，"
            "请检查证据库中的原始文件后重试"
        ) from error
    return Printable(stream.getvalue(), flat.width, flat.height)


def _on_white(image: Image.Image) -> Image.Image:
    """RGB, a transparent PNG's background made white (as it prints)."""
    from PIL import Image

    if image.mode not in ("RGBA", "LA", "P", "PA"):
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _decoded_size(image: Image.Image, size: tuple[float, float]) -> tuple[int, int]:
    """The stored pixels needed to print the photo ``size`` (points) at ``PRINT_DPI``,
    turned as the file stores it."""
    stored_width, stored_height = image.size
    turned = image.getexif().get(ORIENTATION, 1) in QUARTER_TURNS
    width, height = (stored_height, stored_width) if turned else (stored_width, stored_height)
    scale = min(1.0, size[0] / 72 * PRINT_DPI / width, size[1] / 72 * PRINT_DPI / height)
    return max(1, ceil(stored_width * scale)), max(1, ceil(stored_height * scale))
