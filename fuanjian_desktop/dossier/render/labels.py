"""For the paper volume of signed originals: a sheet of 页号 labels to cut out and stick on,
or a "stamp these numbers" list (页号编写清单) telling the clerk which numbers each item's
pages get — the same numbers the printed 目录 states."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from reportlab.pdfgen.canvas import Canvas

from fuanjian_desktop.documents.fonts import face
from fuanjian_desktop.documents.pdf import BOTTOM, FRAME_WIDTH, LEFT, PAGE_HEIGHT, TOP
from fuanjian_desktop.dossier.render.model import StampRow
from fuanjian_desktop.dossier.render.page import draw_title, new_canvas
from fuanjian_desktop.dossier.render.tables import grid, line, render
from fuanjian_desktop.errors import UserError

LABEL_TITLE = "页号标签"
LABEL_HINT = "沿虚线剪下，按号贴于各页的页号位置（案卷首页、卷内目录、备考表不编号）。"
COLUMNS, ROWS = 6, 14
LABEL_SIZE = 16
LIST_TITLE = "页号编写清单"
LIST_HEADS = ("序号", "文件名称及编号", "应编页号", "页数")
LIST_SHARES = (30, 250, 90, 40)


def label_page_count(count: int) -> int:
    """Pages of labels for ``count`` numbered pages."""
    return max(1, -(-count // (COLUMNS * ROWS)))


def render_labels(count: int) -> bytes:
    """Labels 1 … ``count``, ``COLUMNS`` × ``ROWS`` a page, on dashed cutting lines."""
    if count < 1:
        raise UserError("案卷没有需要编号的页面，不需要页号标签")
    buffer = BytesIO()
    canvas = new_canvas(buffer, LABEL_TITLE)
    per_page = COLUMNS * ROWS
    for first in range(1, count + 1, per_page):
        _draw_sheet(canvas, range(first, min(count, first + per_page - 1) + 1))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_sheet(canvas: Canvas, numbers: range) -> None:
    draw_title(canvas, LABEL_TITLE, PAGE_HEIGHT - TOP + 20, size=18, spacing=4)
    canvas.setFont(face("fang").name, 10.5)
    canvas.drawString(LEFT, PAGE_HEIGHT - TOP, LABEL_HINT)
    top = PAGE_HEIGHT - TOP - 16
    width, height = FRAME_WIDTH / COLUMNS, (top - BOTTOM) / ROWS
    canvas.saveState()
    canvas.setDash(3, 2)
    for row in range(ROWS + 1):
        canvas.line(LEFT, top - row * height, LEFT + FRAME_WIDTH, top - row * height)
    for column in range(COLUMNS + 1):
        canvas.line(LEFT + column * width, top, LEFT + column * width, top - ROWS * height)
    canvas.restoreState()
    canvas.setFont(face("song").name, LABEL_SIZE)
    for index, number in enumerate(numbers):
        row, column = divmod(index, COLUMNS)
        x = LEFT + (column + 0.5) * width
        y = top - (row + 0.5) * height - LABEL_SIZE / 3
        canvas.drawCentredString(x, y, str(number))


def render_stamp_list(rows: Sequence[StampRow]) -> bytes:
    """The 页号编写清单: for each item of the 目录, the numbers its pages get."""
    if not rows:
        raise UserError("案卷没有材料，不需要页号编写清单")
    total = max(row.last for row in rows)
    cells = [
        (str(row.number), row.title, _numbers(row), str(row.last - row.first + 1)) for row in rows
    ]
    story = [
        line(f"本卷材料共{total}页，逐页编号；案卷首页、卷内目录、备考表不编号。", 10.5),
        grid(LIST_HEADS, cells, LIST_SHARES),
    ]
    return render(LIST_TITLE, story)


def _numbers(row: StampRow) -> str:
    """``1至3`` (the Chinese faces draw an en dash a full em wide; 至 reads unambiguously)."""
    return str(row.first) if row.first == row.last else f"{row.first}至{row.last}"
