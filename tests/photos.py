"""Small JPEG photos with EXIF capture times, made on the fly for evidence tests."""

from __future__ import annotations

from pathlib import Path

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
