"""卷内备考表: the volume's last page, laid out as GB/T 9705 has it.

One ruled frame: 本卷情况说明 at the top (the counts, the clerk's notes, and every reopening of
the archived case with its date, reason and approver), and at the foot 立卷人, 检查人 and
立卷时间. Always one page: the text is set smaller rather than running over, so the volume's
page plan never depends on it.
"""

from __future__ import annotations

from io import BytesIO

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepInFrame

from fuanjian_desktop.documents.fonts import face, markup
from fuanjian_desktop.documents.linebreak import ChineseParagraph
from fuanjian_desktop.documents.pdf import BOTTOM, FRAME_WIDTH, LEFT, PAGE_HEIGHT
from fuanjian_desktop.dossier.render.model import NotesInfo
from fuanjian_desktop.dossier.render.page import (
    chinese_date,
    draw_text,
    draw_title,
    new_canvas,
    style,
)

TITLE = "卷内备考表"
FRAME_TOP = PAGE_HEIGHT - 185
FRAME_BOTTOM = BOTTOM + 20
SIGN_HEIGHT = 110  # the foot of the frame: 立卷人, 检查人, 立卷时间
TEXT_SIZE = 14
PADDING = 12


def situation(info: NotesInfo) -> str:
    """本卷情况说明: counts, the clerk's text and the reopenings, one paragraph each."""
    lines: list[str] = []
    if info.item_count is not None and info.page_count is not None:
        lines.append(
            f"本卷共有文件材料{info.item_count}件，共{info.page_count}页"
            "（案卷首页、卷内目录和备考表不编页号）。"
        )
    if info.notes.strip():
        lines.append(info.notes.strip())
    for reopening in info.reopenings:
        lines.append(
            f"{chinese_date(reopening.on)}经{reopening.approver}批准重新打开案卷，"
            f"原因：{reopening.reason}。"
        )
    return "\n".join(lines)


def render_notes(info: NotesInfo) -> bytes:
    """The 备考表 as PDF bytes (one page)."""
    buffer = BytesIO()
    canvas = new_canvas(buffer, TITLE)
    draw_title(canvas, TITLE, PAGE_HEIGHT - 150, spacing=6)
    canvas.rect(LEFT, FRAME_BOTTOM, FRAME_WIDTH, FRAME_TOP - FRAME_BOTTOM)
    fang = face("fang").name
    canvas.setFont(fang, TEXT_SIZE)
    canvas.drawString(LEFT + PADDING, FRAME_TOP - PADDING - TEXT_SIZE, "本卷情况说明：")
    text_top = FRAME_TOP - PADDING - TEXT_SIZE - 10
    text_bottom = FRAME_BOTTOM + SIGN_HEIGHT
    box = (LEFT + PADDING, text_bottom, FRAME_WIDTH - 2 * PADDING, text_top - text_bottom)
    _draw_situation(canvas, situation(info), box)
    signs = (
        ("立卷人：", info.filed_by or ""),
        ("检查人：", info.checked_by or ""),
        ("立卷时间：", chinese_date(info.filed_on)),
    )
    left = LEFT + FRAME_WIDTH / 2
    for index, (label, value) in enumerate(signs):
        y = FRAME_BOTTOM + SIGN_HEIGHT - 28 - index * 30
        canvas.setFont(fang, TEXT_SIZE)
        canvas.drawString(left, y, label)
        start = left + canvas.stringWidth(label, fang, TEXT_SIZE)
        end = LEFT + FRAME_WIDTH - PADDING
        canvas.line(start, y - 3, end, y - 3)
        if value:
            draw_text(canvas, value, "fang", TEXT_SIZE, start + 4, y, end - start - 4)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_situation(canvas: Canvas, text: str, box: tuple[float, float, float, float]) -> None:
    """The paragraphs of 本卷情况说明 from the top of ``box``, shrunk together to fit it."""
    left, bottom, width, height = box
    para_style = ParagraphStyle(
        "situation", parent=style("fang", TEXT_SIZE, "justify", 1.6), firstLineIndent=2 * TEXT_SIZE
    )
    paragraphs = [ChineseParagraph(markup(line, "fang"), para_style) for line in text.split("\n")]
    frame = KeepInFrame(width, height, paragraphs, mode="shrink")
    used = frame.wrapOn(canvas, width, height)[1]
    frame.drawOn(canvas, left, bottom + height - used)
