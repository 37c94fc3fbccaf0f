"""A scanned page image as an A4 PDF page, for binding it among the generated documents.

The image is the whole sheet as scanned (or photographed), so it fills the page: scaled to fit
A4 with its aspect ratio kept and centred, turned upright when a phone recorded its
orientation in EXIF. A JPEG that needs no turning is embedded as it is (no re-compression:
the scan is evidence, its pixels stay the scanner's).
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from fuanjian_desktop.documents.fonts import face

PAGE_WIDTH, PAGE_HEIGHT = A4
EXIF_ORIENTATION = 0x0112


def image_page(data: bytes) -> bytes:
    """A one-page A4 PDF showing the JPEG or PNG ``data`` fitted to the page."""
    with Image.open(io.BytesIO(data)) as image:
        upright = _upright(image, data)
        width, height = upright.getSize()
    scale = min(PAGE_WIDTH / width, PAGE_HEIGHT / height)
    shown_width, shown_height = width * scale, height * scale
    sink = io.BytesIO()
    # the canvas's initial font is one the volume embeds; invariant: the same scan gives the
    # same bytes (a frozen volume is built from them)
    canvas = Canvas(
        sink, pagesize=A4, pageCompression=1, invariant=1, initialFontName=face("song").name
    )
    canvas.drawImage(
        upright,
        (PAGE_WIDTH - shown_width) / 2,
        (PAGE_HEIGHT - shown_height) / 2,
        shown_width,
        shown_height,
    )
    canvas.showPage()
    canvas.save()
    return sink.getvalue()


def _upright(image: Image.Image, data: bytes) -> ImageReader:
    """The image to draw: the stored bytes themselves, or a turned copy if EXIF asks."""
    if image.getexif().get(EXIF_ORIENTATION, 1) in (0, 1):
        return ImageReader(io.BytesIO(data))
    turned = ImageOps.exif_transpose(image)
    return ImageReader(turned if turned is not None else image)
