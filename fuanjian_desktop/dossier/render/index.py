"""卷内目录: the volume's table of contents, drawn as template p56 rules it.

The template rules 14 rows under the column heads 序号 / 文件名称及编号 / 日期 / 页号 / 备注. A
longer 目录 continues on further pages, each repeating the title and the heads. Rows have a fixed
height — a long title is set smaller, then cut — so the page count depends only on the number
of rows: the volume's page numbers are planned (``index_page_count``) before the 目录 that
prints them exists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from io import BytesIO
from itertools import pairwise

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from fuanjian_desktop.documents.fonts import face
from fuanjian_desktop.documents.pdf import FRAME_WIDTH, LEFT, PAGE_HEIGHT
from fuanjian_desktop.dossier.pagination import EN_DASH as RANGE_DASH
from fuanjian_desktop.dossier.render.model import IndexRow
from fuanjian_desktop.dossier.render.page import (
    draw_fitted,
    draw_title,
    eight_digits,
    new_canvas,
    paragraph,
)

ROWS_PER_PAGE = 14  # the template's ruled rows
HEADS = ("序号", "文件名称及编号", "日期", "页号", "备注")
SHARES = (51, 240, 70, 57, 90)  # the template's column widths (measured on p56)
TITLE = "卷内目录"
TITLE_BASELINE = PAGE_HEIGHT - 150
TITLE_SIZE, TITLE_SPACING, CONTINUED_SIZE = 22, 12, 14
TABLE_TOP = PAGE_HEIGHT - 185
HEAD_HEIGHT, ROW_HEIGHT = 36, 34
CELL_SIZE, MIN_SIZE = 10.5, 6.5  # 五号, set down to fit a long title
PADDING = 4
PAGES_COLUMN = 3
# a 文号 closing a title: （深福）应急罚〔2026〕7号, 深福应急罚〔2026〕7号
NUMBER_AT_END = re.compile(r"(（[^（）]*）)?[^（）〔〕\s]*〔\d{4}〕\d+号$")


def index_page_count(rows: int) -> int:
    """Pages the 目录 of ``rows`` items takes (at least one, the blank form)."""
    return max(1, -(-rows // ROWS_PER_PAGE))


def render_index(rows: Sequence[IndexRow]) -> bytes:
    """The 目录 as PDF bytes: exactly ``index_page_count(len(rows))`` pages."""
    buffer = BytesIO()
    canvas = new_canvas(buffer, "卷内目录")
    for page in range(index_page_count(len(rows))):
        _draw_page(canvas, rows[page * ROWS_PER_PAGE : (page + 1) * ROWS_PER_PAGE], page > 0)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def column_edges() -> list[float]:
    """The x of every vertical rule, left to right."""
    scale = FRAME_WIDTH / sum(SHARES)
    edges = [LEFT]
    for share in SHARES:
        edges.append(edges[-1] + share * scale)
    return edges


def _draw_page(canvas: Canvas, rows: Sequence[IndexRow], continued: bool) -> None:
    """One page of the 目录; a continuation page says so after its title (（续）), so a
    reader sees the 目录 runs on (no digits: the 页号 column stays the only numbers)."""
    draw_title(canvas, TITLE, TITLE_BASELINE, TITLE_SIZE, TITLE_SPACING)
    if continued:
        hei = face("hei").name
        title_width = stringWidth(TITLE, hei, TITLE_SIZE) + TITLE_SPACING * (len(TITLE) - 1)
        canvas.setFont(hei, CONTINUED_SIZE)
        canvas.drawString(LEFT + (FRAME_WIDTH + title_width) / 2 + 4, TITLE_BASELINE, "（续）")
    edges = column_edges()
    bottom = TABLE_TOP - HEAD_HEIGHT - ROWS_PER_PAGE * ROW_HEIGHT
    for x in edges:
        canvas.line(x, TABLE_TOP, x, bottom)
    canvas.line(LEFT, TABLE_TOP, edges[-1], TABLE_TOP)
    for index in range(ROWS_PER_PAGE + 1):
        y = TABLE_TOP - HEAD_HEIGHT - index * ROW_HEIGHT
        canvas.line(LEFT, y, edges[-1], y)
    canvas.setFont(face("song").name, CELL_SIZE)
    head_baseline = TABLE_TOP - HEAD_HEIGHT / 2 - CELL_SIZE / 3
    for head, (left, right) in zip(HEADS, pairwise(edges), strict=True):
        canvas.drawCentredString((left + right) / 2, head_baseline, head)
    for index, row in enumerate(rows):
        top = TABLE_TOP - HEAD_HEIGHT - index * ROW_HEIGHT
        cells = (str(row.number), row.title, eight_digits(row.date), row.pages, row.remark)
        for column, text in enumerate(cells):
            if not text:
                continue
            left, right = edges[column], edges[column + 1]
            box = (left + PADDING, top - ROW_HEIGHT + 1, right - left - 2 * PADDING, ROW_HEIGHT - 2)
            if column == 1:
                _draw_title_cell(canvas, text, box)
            elif column == PAGES_COLUMN and RANGE_DASH in text:
                _draw_range(canvas, text, box)
            else:
                draw_fitted(canvas, text, "song", box, (CELL_SIZE, MIN_SIZE), "center")


def _draw_range(canvas: Canvas, pages: str, box: tuple[float, float, float, float]) -> None:
    """A 页号 range (10–12) centred in its cell, its dash drawn half an em wide: the Chinese
    faces draw U+2013 a full em wide, which reads as 10—12. The dash is narrowed (horizontal
    scaling), not replaced, so the text read back from the PDF is still 10–12."""
    left, bottom, width, height = box
    song = face("song").name
    start, end = pages.split(RANGE_DASH, 1)
    size = CELL_SIZE
    while True:
        dash = size / 2
        digits = stringWidth(start + end, song, size)
        if digits + dash <= width or size <= MIN_SIZE:
            break
        size -= 0.5
    squeeze = 100 * dash / stringWidth(RANGE_DASH, song, size)
    line = canvas.beginText(left + (width - digits - dash) / 2, bottom + height / 2 - size / 3)
    line.setFont(song, size)
    line.textOut(start)
    line.setHorizScale(squeeze)
    line.textOut(RANGE_DASH)
    line.setHorizScale(100)
    line.textOut(end)
    canvas.drawText(line)


def split_number(title: str) -> tuple[str, str] | None:
    """A 目录 title cut before its 文号 (``行政处罚决定书``, ``（深福）应急罚〔2026〕7号``), or
    ``None`` when it ends with none."""
    found = NUMBER_AT_END.search(title)
    if found is None or found.start() == 0:
        return None
    return title[: found.start()], found.group()


def _draw_title_cell(canvas: Canvas, title: str, box: tuple[float, float, float, float]) -> None:
    """文件名称及编号: on one line if it fits; else the name and the 文号 on lines of their own,
    as a clerk writes them, rather than a 文号 cut in two; else wrapped and set smaller."""
    left, bottom, width, height = box
    parts = split_number(title)
    if parts is None or stringWidth(title, face("song").name, CELL_SIZE) <= width:
        draw_fitted(canvas, title, "song", box, (CELL_SIZE, MIN_SIZE), "left")
        return
    size = CELL_SIZE
    while size >= MIN_SIZE:
        lines = [paragraph(part, "song", size) for part in parts]
        heights = [float(line.wrap(width, height)[1]) for line in lines]
        if sum(heights) <= height:
            y = bottom + (height + sum(heights)) / 2
            for line, used in zip(lines, heights, strict=True):
                y -= used
                line.drawOn(canvas, left, y)
            return
        size -= 0.5
    draw_fitted(canvas, title, "song", box, (CELL_SIZE, MIN_SIZE), "left")
