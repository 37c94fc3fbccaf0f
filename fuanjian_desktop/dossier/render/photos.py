"""照片证据: the case's photos, two to an A4 page, each with what makes it evidence.

Each half page is one ruled block: the photo (upright by its EXIF orientation, scaled to fit)
over 证据名称/说明, 拍摄时间, 拍摄地点, 拍摄人, 证明对象 and the first digits of the stored
file's SHA-256, by which a reviewer finds the original in the evidence store. Photos are
decoded at the size they are printed (``photo_image``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from io import BytesIO

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from fuanjian_desktop.documents.fonts import face
from fuanjian_desktop.documents.pdf import BOTTOM, FRAME_WIDTH, LEFT, PAGE_HEIGHT, TOP
from fuanjian_desktop.dossier.render.model import PhotoEntry
from fuanjian_desktop.dossier.render.page import (
    draw_fitted,
    draw_title,
    new_canvas,
)
from fuanjian_desktop.dossier.render.photo_image import SHA_DIGITS, Printable, printable_photos
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.photo_check import CHINA_TIME

PER_PAGE = 2
TITLE = "照片证据"
GAP = 14  # between the two blocks
FIELD_HEIGHT = 24
LABEL_WIDTH = 78
FIELD_SIZE = 10.5
PHOTO_PADDING = 4
NUMBER_STRIP = 14  # 第N张 above the photo
BLOCK_TOP = float(PAGE_HEIGHT) - TOP - 30
BLOCK_HEIGHT = (BLOCK_TOP - BOTTOM - GAP) / PER_PAGE
FIELD_ROWS = 4  # 证据名称/说明; 拍摄时间 | 拍摄地点; 拍摄人 | SHA-256; 证明对象
FIELDS_TOP = BLOCK_TOP - BLOCK_HEIGHT + FIELD_ROWS * FIELD_HEIGHT
PHOTO_ORIGIN = (LEFT + PHOTO_PADDING, FIELDS_TOP + PHOTO_PADDING)
PHOTO_BOX = (
    FRAME_WIDTH - 2 * PHOTO_PADDING,
    BLOCK_HEIGHT - FIELD_ROWS * FIELD_HEIGHT - NUMBER_STRIP - 2 * PHOTO_PADDING,
)


def photo_page_count(photos: int) -> int:
    """Pages the photos take (two a page)."""
    return -(-photos // PER_PAGE)


def render_photos(photos: Sequence[PhotoEntry]) -> bytes:
    """The 照片证据 pages as PDF bytes: ``photo_page_count(len(photos))`` pages.

    A photo file that cannot be decoded is a :class:`UserError` naming it.
    """
    if not photos:
        raise UserError("本案没有照片，不能生成照片证据页")
    buffer = BytesIO()
    canvas = new_canvas(buffer, TITLE)
    images = printable_photos(photos, PHOTO_BOX)
    for index, (photo, image) in enumerate(zip(photos, images, strict=True)):
        slot = index % PER_PAGE
        if slot == 0:
            draw_title(canvas, TITLE, PAGE_HEIGHT - TOP, size=18, spacing=6)
        canvas.saveState()
        canvas.translate(0, -slot * (BLOCK_HEIGHT + GAP))
        _draw_block(canvas, photo, image, index + 1)
        canvas.restoreState()
        if slot == PER_PAGE - 1 or index == len(photos) - 1:
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_block(canvas: Canvas, photo: PhotoEntry, image: Printable, number: int) -> None:
    """One photo's block, drawn in the first slot (the canvas is moved for the second)."""
    top, bottom = BLOCK_TOP, BLOCK_TOP - BLOCK_HEIGHT
    canvas.rect(LEFT, bottom, FRAME_WIDTH, BLOCK_HEIGHT)
    for row in range(FIELD_ROWS):
        y = bottom + (row + 1) * FIELD_HEIGHT
        canvas.line(LEFT, y, LEFT + FRAME_WIDTH, y)
    canvas.setFont(face("song").name, 9)
    canvas.drawString(LEFT + PHOTO_PADDING, top - NUMBER_STRIP + 4, f"第{number}张")
    _draw_photo(canvas, image)
    half = FRAME_WIDTH / 2
    taken = photo.taken_at.astimezone(CHINA_TIME) if photo.taken_at else None
    rows: tuple[tuple[tuple[str, str, float], ...], ...] = (
        (("证据名称/说明", photo.caption, FRAME_WIDTH),),
        (("拍摄时间", _moment(taken), half), ("拍摄地点", photo.place, half)),
        (("拍摄人", photo.photographer, half), ("SHA-256", photo.sha256[:SHA_DIGITS], half)),
        (("证明对象", photo.proves, FRAME_WIDTH),),
    )
    for row_index, fields in enumerate(rows):
        y = FIELDS_TOP - (row_index + 1) * FIELD_HEIGHT
        x = LEFT
        for label, value, width in fields:
            _draw_field(canvas, label, value, (x, y, width))
            x += width


def _draw_field(canvas: Canvas, label: str, value: str, cell: tuple[float, float, float]) -> None:
    """A label cell and its value cell, ruled, in one row of the block."""
    x, y, width = cell
    canvas.line(x, y, x, y + FIELD_HEIGHT)
    canvas.line(x + LABEL_WIDTH, y, x + LABEL_WIDTH, y + FIELD_HEIGHT)
    sizes = (FIELD_SIZE, 6.5)
    draw_fitted(
        canvas, label, "song", (x + 2, y + 1, LABEL_WIDTH - 4, FIELD_HEIGHT - 2), sizes, "center"
    )
    if value:
        box = (x + LABEL_WIDTH + 4, y + 1, width - LABEL_WIDTH - 8, FIELD_HEIGHT - 2)
        draw_fitted(canvas, value, "fang", box, sizes)


def _moment(moment: dt.datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "未记录"


def _draw_photo(canvas: Canvas, image: Printable) -> None:
    """The photo scaled into its box keeping its proportions, centred."""
    left, bottom = PHOTO_ORIGIN
    width, height = PHOTO_BOX
    scale = min(width / image.width, height / image.height)
    drawn_width, drawn_height = image.width * scale, image.height * scale
    canvas.drawImage(
        ImageReader(BytesIO(image.jpeg)),
        left + (width - drawn_width) / 2,
        bottom + (height - drawn_height) / 2,
        drawn_width,
        drawn_height,
    )
