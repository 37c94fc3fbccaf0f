"""Flowing list pages (音像资料目录, 案卷自查表, 页号编写清单): a title and a ruled table whose
heads repeat on every page, in the documents' fonts; however long the list, it flows on."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle

from fuanjian_desktop.documents.fonts import face
from fuanjian_desktop.documents.linebreak import ChineseParagraph
from fuanjian_desktop.documents.pdf import BOTTOM, FRAME_PADDING, FRAME_WIDTH, LEFT, RIGHT, TOP
from fuanjian_desktop.dossier.render.page import draw_bold, paragraph

CELL_SIZE = 10.5  # 五号
TITLE_SIZE = 20


class _Title(Flowable):  # type: ignore[misc]
    """The list's title, bold and opened out as the other dossier pages' titles."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, TITLE_SIZE * 1.5

    def draw(self) -> None:
        draw_bold(self.canv, self.text, (self.width / 2, TITLE_SIZE * 0.4), TITLE_SIZE, 4)


def title(text: str) -> list[Flowable]:
    """The page title and the space under it."""
    return [_Title(text), Spacer(1, 14)]


def line(text: str, size: float = 12, align: str = "left") -> ChineseParagraph:
    """A line of 仿宋 text above or below the table."""
    return paragraph(text, "fang", size, align, 1.6)


def grid(
    heads: Sequence[str],
    rows: Sequence[Sequence[str]],
    shares: Sequence[float],
    size: float = CELL_SIZE,
) -> Table:
    """A ruled table over the text frame's width (columns in proportion to ``shares``) whose
    heads repeat on every page; long cells wrap, and a line break in a cell starts a line."""
    scale = FRAME_WIDTH / sum(shares)
    data: list[list[Flowable | list[Flowable]]] = [
        [paragraph(head, "song", size, "center") for head in heads]
    ]
    data += [[_cell(cell, size) for cell in row] for row in rows]
    table = Table(data, colWidths=[share * scale for share in shares], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), face("song").name),
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _cell(text: str, size: float) -> list[Flowable]:
    return [paragraph(piece, "fang", size) for piece in text.split("\n")]


def render(heading: str, story: list[Flowable]) -> bytes:
    """``story`` under ``heading`` as PDF bytes (A4, the documents' margins, invariant)."""
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        # the frame pads its content: without this the table would start 6 pt right of LEFT
        leftMargin=LEFT - FRAME_PADDING,
        rightMargin=RIGHT - FRAME_PADDING,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=heading,
        creator="福安监",
        invariant=1,
        initialFontName=face("song").name,
    )
    document.build([*title(heading), *story])
    return buffer.getvalue()
