"""Drawing helpers shared by the dossier's own pages: an A4 canvas with the documents' fonts,
text that shrinks into a fixed box, dates for the pen.

The cover and the 目录 are drawn at fixed positions (as the template's ruled forms are): the
目录's page count must be known before the page numbers exist, so no text may push a row down.
"""

from __future__ import annotations

import datetime as dt
import functools
from io import BytesIO

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from fuanjian_desktop.documents.fonts import face, markup
from fuanjian_desktop.documents.linebreak import ChineseParagraph
from fuanjian_desktop.documents.pdf import FRAME_WIDTH, LEFT

ALIGNS = {"left": TA_LEFT, "center": TA_CENTER, "justify": TA_JUSTIFY}
ELLIPSIS = "…"
LINE_WIDTH = 0.75


def new_canvas(buffer: BytesIO, title: str) -> Canvas:
    """An A4 canvas whose bytes depend only on what is drawn (``invariant``)."""
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=face("song").name)
    canvas.setTitle(title)
    canvas.setCreator("福安监")
    canvas.setLineWidth(LINE_WIDTH)
    return canvas


@functools.cache
def style(
    role: str, size: float, align: str = "left", leading_ratio: float = 1.3
) -> ParagraphStyle:
    """A paragraph style of one face and size; made once per combination."""
    return ParagraphStyle(
        f"dossier-{role}-{size}-{align}-{leading_ratio}",
        fontName=face(role).name,
        fontSize=size,
        leading=size * leading_ratio,
        wordWrap="CJK",
        alignment=ALIGNS[align],
    )


def paragraph(
    text: str, role: str, size: float, align: str = "left", leading_ratio: float = 1.3
) -> ChineseParagraph:
    """``text`` as a paragraph; characters the face lacks are drawn from another face."""
    return ChineseParagraph(markup(text, role), style(role, size, align, leading_ratio))


def draw_on_baseline(canvas: Canvas, para: ChineseParagraph, x: float, y: float) -> None:
    """Draw a wrapped paragraph with its first line's baseline at ``y`` (reportlab puts the
    first baseline one font size under the paragraph's top)."""
    para.drawOn(canvas, x, y - para.height + para.style.fontSize)


def fitted(
    text: str,
    role: str,
    box: tuple[float, float],
    size: float,
    min_size: float,
    align: str = "left",
    leading_ratio: float = 1.3,
) -> tuple[ChineseParagraph, float]:
    """A paragraph of ``text`` that fits ``box`` (width, height) and its height: set smaller,
    half a point at a time down to ``min_size``, then cut with an ellipsis. A fixed box never
    grows, so the page it sits on keeps its layout whatever the text."""
    width, height = box
    current = size
    while True:
        para = paragraph(text, role, current, align, leading_ratio)
        used = float(para.wrap(width, height)[1])
        if used <= height or current <= min_size:
            break
        current = max(min_size, current - 0.5)
    if used <= height:
        return para, used
    low, high = 0, len(text)
    while low < high:  # the longest cut that fits
        middle = (low + high + 1) // 2
        para = paragraph(text[:middle] + ELLIPSIS, role, current, align, leading_ratio)
        if para.wrap(width, height)[1] <= height:
            low = middle
        else:
            high = middle - 1
    para = paragraph(text[:low] + ELLIPSIS, role, current, align, leading_ratio)
    return para, float(para.wrap(width, height)[1])


def draw_fitted(
    canvas: Canvas,
    text: str,
    role: str,
    box: tuple[float, float, float, float],
    sizes: tuple[float, float],
    align: str = "left",
    *,
    top: bool = False,
) -> None:
    """``text`` fitted into ``box`` (left, bottom, width, height) from ``sizes`` (largest,
    smallest), centred vertically or at the ``top``."""
    left, bottom, width, height = box
    para, used = fitted(text, role, (width, height), sizes[0], sizes[1], align)
    para.drawOn(canvas, left, bottom + height - used if top else bottom + (height - used) / 2)


def draw_text(
    canvas: Canvas, text: str, role: str, size: float, x: float, y: float, width: float
) -> None:
    """One line of ``text`` with its baseline at ``y`` (set smaller if wider than ``width``)."""
    para, _ = fitted(text, role, (width, size * 1.3), size, size * 0.6)
    draw_on_baseline(canvas, para, x, y)


def eight_digits(day: dt.date | None) -> str:
    """A date as GB/T 9705 writes it in a 目录 (20260315); empty when unknown."""
    return day.strftime("%Y%m%d") if day else ""


def chinese_date(day: dt.date | None) -> str:
    """2026年3月15日, or the template's blank ``　　年　　月　　日`` for the pen."""
    if day is None:
        return "\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"
    return f"{day.year}年{day.month}月{day.day}日"


def draw_title(canvas: Canvas, text: str, y: float, size: float = 22, spacing: float = 0) -> None:
    """A page title centred on the text frame, baseline at ``y`` (see :func:`draw_bold`)."""
    draw_bold(canvas, text, (LEFT + FRAME_WIDTH / 2, y), size, spacing)


def draw_bold(
    canvas: Canvas, text: str, centre: tuple[float, float], size: float, spacing: float
) -> None:
    """``text`` in bold 黑体 centred on ``centre`` (x, baseline); ``spacing`` opens the
    characters out (卷 内 目 录) without a space glyph the face may lack. The templates set
    titles bold; the bundled 黑体 has no bold face, so the glyphs are stroked as well as filled
    (as word processors embolden)."""
    hei = face("hei").name
    width = canvas.stringWidth(text, hei, size) + spacing * (len(text) - 1)
    line = canvas.beginText(centre[0] - width / 2, centre[1])
    line.setFont(hei, size)
    line.setCharSpace(spacing)
    line.setTextRenderMode(2)  # fill, then stroke
    line.textOut(text)
    canvas.saveState()
    canvas.setLineWidth(size / 36)
    canvas.drawText(line)
    canvas.restoreState()
