"""案卷（首页）: the cover of a case's volume, drawn as template p55 lays it out.

The authority's place name sits on a rule before 应急管理局 (the template's
``____安全生产监督管理局``), then 安全生产违法案件 / 案卷（首页） and the cover's own 文号. Below:
案件名称 on a rule, the ruled 案由 and 处理结果 boxes, and the lines the clerk used to fill in by
pen — 立案, 结案, 承办人, 归档日期, 归档号, 保存期限 — with 本卷 件数 / 页数 as GB/T 9705 covers
add. A value not known yet (归档号 before archiving) stays a blank rule.
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from reportlab.pdfgen.canvas import Canvas

from fuanjian_desktop.documents.fonts import face
from fuanjian_desktop.documents.pdf import BOX_PADDING, FRAME_WIDTH, LEFT, PAGE_HEIGHT
from fuanjian_desktop.dossier.render.model import CoverInfo
from fuanjian_desktop.dossier.render.page import (
    draw_fitted,
    draw_on_baseline,
    draw_text,
    draw_title,
    fitted,
    new_canvas,
)

AUTHORITY_SUFFIX = "应急管理局"
TITLE_LINES = ("安全生产违法案件", "案卷（首页）")
NUMBER_CODE = "应急案"  # the cover's own 文号, taken at 归档 (p55: 安监案)
TITLE_SIZE = 22  # 二号
TITLE_SPACING = 3  # the template opens its title lines out
PLACE_RULE = 100  # the blank rule for the place name when there is none
FIELD_SIZE = 14  # 四号, as the template's field labels
BOX_SIZE = 12  # 小四 inside the boxes
PITCH = 27  # between two field lines (the template's spacing)
NAME_LEADING = 12 * 1.8  # a 案件名称 on two lines
RULE_GAP = 3  # a rule this far under the baseline
LABEL_COLUMN = 40  # the boxes' vertical label column
CAUSE_HEIGHT, RESULT_HEIGHT = 110, 130
TOP_BASELINE = float(PAGE_HEIGHT) - 150


def render_cover(cover: CoverInfo) -> bytes:
    """The cover page as PDF bytes (one page)."""
    buffer = BytesIO()
    canvas = new_canvas(buffer, f"{cover.case_name} 案卷（首页）")
    y = _draw_heading(canvas, cover)
    y = _draw_case_name(canvas, cover.case_name, y - 2 * PITCH)
    y = _draw_box(canvas, "案由", cover.cause, y - 14, CAUSE_HEIGHT)
    y = _draw_box(canvas, "处理结果", cover.result, y, RESULT_HEIGHT)
    _draw_fields(canvas, cover, y - 22)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_heading(canvas: Canvas, cover: CoverInfo) -> float:
    """Authority, title lines and 文号; returns the 文号's baseline."""
    y = TOP_BASELINE
    _draw_authority(canvas, cover.authority, y)
    for line in TITLE_LINES:
        y -= TITLE_SIZE + 10
        draw_title(canvas, line, y, TITLE_SIZE, TITLE_SPACING)
    y -= TITLE_SIZE + 8
    number = cover.number or f"（\u3000\u3000）{NUMBER_CODE}〔\u3000\u3000〕\u3000\u3000号"
    para, _ = fitted(number, "song", (FRAME_WIDTH, 20), FIELD_SIZE, 9, "center")
    draw_on_baseline(canvas, para, LEFT, y)
    return y


def _draw_authority(canvas: Canvas, authority: str, y: float) -> None:
    """The place on a rule before 应急管理局, as the template's ``____安全生产监督管理局``; an
    authority named otherwise is printed whole, set smaller if it is wider than the page."""
    if authority and not authority.endswith(AUTHORITY_SUFFIX):
        para, _ = fitted(
            authority, "song", (FRAME_WIDTH, TITLE_SIZE * 1.3), TITLE_SIZE, 12, "center"
        )
        draw_on_baseline(canvas, para, LEFT, y)
        return
    song = face("song").name
    place = authority.removesuffix(AUTHORITY_SUFFIX)
    suffix_width = canvas.stringWidth(AUTHORITY_SUFFIX, song, TITLE_SIZE)
    natural = canvas.stringWidth(place, song, TITLE_SIZE)
    place_width = min(FRAME_WIDTH - suffix_width, max(PLACE_RULE, natural))
    left = LEFT + (FRAME_WIDTH - place_width - suffix_width) / 2
    if place:
        draw_text(canvas, place, "song", TITLE_SIZE, left, y, place_width + 1)
    canvas.line(left, y - RULE_GAP, left + place_width, y - RULE_GAP)
    canvas.setFont(song, TITLE_SIZE)
    canvas.drawString(left + place_width, y, AUTHORITY_SUFFIX)


def _draw_case_name(canvas: Canvas, name: str, y: float) -> float:
    """案件名称 on its rule; a name too long for one line at 小四 takes a second ruled line
    rather than shrinking out of sight. Returns the last rule's height."""
    fang = face("fang").name
    start = _label(canvas, "案件名称：", y)
    width = LEFT + FRAME_WIDTH - start
    one_line = canvas.stringWidth(name, fang, BOX_SIZE) <= width
    baselines = (y,) if one_line else (y, y - NAME_LEADING)
    if one_line:
        draw_text(canvas, name, "fang", FIELD_SIZE, start, y, width)
    else:
        para, _ = fitted(name, "fang", (width, 2 * NAME_LEADING), BOX_SIZE, 9, "left", 1.8)
        draw_on_baseline(canvas, para, start, y)
    for baseline in baselines:
        canvas.line(start, baseline - RULE_GAP, LEFT + FRAME_WIDTH, baseline - RULE_GAP)
    return baselines[-1] - RULE_GAP


def _draw_box(canvas: Canvas, label: str, text: str, top: float, height: float) -> float:
    """One ruled box: its label written downwards in the left column, the text beside it.
    Returns the box's bottom."""
    bottom = top - height
    canvas.rect(LEFT, bottom, FRAME_WIDTH, height)
    canvas.line(LEFT + LABEL_COLUMN, bottom, LEFT + LABEL_COLUMN, top)
    canvas.setFont(face("fang").name, FIELD_SIZE)
    step = min(28.0, (height - 20) / (len(label) - 1)) if len(label) > 1 else 0.0
    first = bottom + height / 2 + step * (len(label) - 1) / 2 - FIELD_SIZE / 3
    for index, char in enumerate(label):
        canvas.drawCentredString(LEFT + LABEL_COLUMN / 2, first - index * step, char)
    inner = (
        LEFT + LABEL_COLUMN + BOX_PADDING,
        bottom + BOX_PADDING,
        FRAME_WIDTH - LABEL_COLUMN - 2 * BOX_PADDING,
        height - 2 * BOX_PADDING,
    )
    if text:
        draw_fitted(canvas, text, "fang", inner, (BOX_SIZE, 8), top=True)
    return bottom


def _draw_fields(canvas: Canvas, cover: CoverInfo, y: float) -> None:
    """The lines under the boxes, one per template line, and 本卷 件数 / 页数."""
    _date_line(canvas, "立案：", cover.filed_on, y, 45, 30)
    _date_line(canvas, "结案：", cover.closed_on, y - PITCH, 45, 30)
    officers = list(cover.officers)
    pair = [officers[0] if officers else "", "、".join(officers[1:])]
    x = _label(canvas, "承办人：", y - 2 * PITCH)
    for name in pair:
        _value_on_rule(canvas, name, x, y - 2 * PITCH, 90)
        x += 90 + 16
    _date_line(canvas, "归档日期：", cover.archived_on, y - 3 * PITCH, 50, 45)
    x = _label(canvas, "归档号：", y - 4 * PITCH)
    _value_on_rule(canvas, cover.archive_no or "", x, y - 4 * PITCH, 80)
    x = _label(canvas, "保存期限：", y - 5 * PITCH)
    _value_on_rule(canvas, cover.retention or "", x, y - 5 * PITCH, 70)
    x = _label(canvas, "本卷共", y - 6 * PITCH)
    for value, unit in ((cover.item_count, "件"), (cover.page_count, "页")):
        x = _value_on_rule(canvas, "" if value is None else str(value), x, y - 6 * PITCH, 40)
        x = _label(canvas, unit, y - 6 * PITCH, x)


def _label(canvas: Canvas, text: str, y: float, x: float = LEFT) -> float:
    """A field label at ``x``; returns where the label ends."""
    fang = face("fang").name
    canvas.setFont(fang, FIELD_SIZE)
    canvas.drawString(x, y, text)
    return x + float(canvas.stringWidth(text, fang, FIELD_SIZE))


def _value_on_rule(canvas: Canvas, value: str, x: float, y: float, width: float) -> float:
    """``value`` centred on a rule ``width`` long; returns the rule's end."""
    canvas.line(x, y - RULE_GAP, x + width, y - RULE_GAP)
    if value:
        para, _ = fitted(value, "fang", (width, FIELD_SIZE * 1.3), FIELD_SIZE, 8, "center")
        draw_on_baseline(canvas, para, x, y)
    return x + width


def _date_line(
    canvas: Canvas, label: str, day: dt.date | None, y: float, year: float, part: float
) -> None:
    """``label ____年___月___日`` with the date's numbers on the rules (blank when unknown)."""
    x = _label(canvas, label, y)
    values = (str(day.year), str(day.month), str(day.day)) if day else ("", "", "")
    for value, width, unit in zip(values, (year, part, part), "年月日", strict=True):
        x = _value_on_rule(canvas, value, x, y, width)
        x = _label(canvas, unit, y, x)
