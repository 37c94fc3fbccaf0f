"""Draw a :class:`Sheet` as a PDF with reportlab: A4, the national template's look.

Banner 安全生产行政执法文书 over a rule, the title, the 文号 line, body in 小四 仿宋; every page
ends with the footnote and 共 N 页 第 n 页 (the total is known only at the end, so pages are
held until ``save``), and a 续页 document repeats its signature block at the foot of each page and
marks every later page 续页. A 笔录's questions and answers are written on ruled lines.
An issued document carries a small QR code with its 文号 and fingerprint; a draft is marked 草稿.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from itertools import pairwise
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepInFrame,
    KeepTogether,
    PageBreak,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from fuanjian_desktop.documents import sheet as model
from fuanjian_desktop.documents.fonts import face, markup
from fuanjian_desktop.documents.linebreak import ChineseParagraph
from fuanjian_desktop.documents.qr import dark_runs, qr_modules
from fuanjian_desktop.documents.ruled import RuledLines, RuledText, StruckSpace

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 28 * mm, 26 * mm, 30 * mm, 26 * mm
FRAME_WIDTH = PAGE_WIDTH - LEFT - RIGHT
BODY_SIZE, BODY_LEADING = 12, 22  # 小四; about 1.8 lines as printed templates are spaced
BOX_LEADING = 19  # inside the ruled approval forms
BOX_PADDING = 6  # left and right inside an approval form's cell
# a form line's value sits just above its rule, the row keeping the body's pitch
FORM_LEADING = 16
ON_RULE = ("TOPPADDING", (0, 0), (-1, -1), 1 + BODY_LEADING - FORM_LEADING)
FRAME_PADDING = 6  # reportlab's frame padding on each side
CELL_RIGHT_PADDING = 2  # inside form lines
MIN_VALUE_SCALE = 0.75  # a form value is set down to 9 pt (小五) to stay on its line
MIN_FIT = 0.75  # the smallest scale a one-page form is shrunk to: 小四 set as 小五
SMALL_SIZE = 10.5  # 五号
SIGN_BLANK = "_" * 14
ALIGN = {"left": TA_JUSTIFY, "center": TA_CENTER, "right": TA_RIGHT}
QR_SIZE = 17 * mm
QR_FORM = "check-code"
TABLE_GAP = 4  # between two tables one after the other (the Word file has it too)
TABLE_BLOCKS = (model.Lines, model.Numbered, model.Table, model.Box)


@dataclass(frozen=True)
class Styles:
    """Paragraph styles, built once per process (fonts must be registered first)."""

    banner: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    number: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle


@functools.cache
def styles() -> Styles:
    """The styles of every document."""
    fang, song, hei = face("fang").name, face("song").name, face("hei").name
    body = ParagraphStyle(
        "body",
        fontName=fang,
        fontSize=BODY_SIZE,
        leading=BODY_LEADING,
        wordWrap="CJK",
        alignment=TA_JUSTIFY,
    )
    return Styles(
        banner=ParagraphStyle("banner", fontName=hei, fontSize=20, leading=28, alignment=TA_CENTER),
        title=ParagraphStyle("title", fontName=hei, fontSize=18, leading=30, alignment=TA_CENTER),
        heading=ParagraphStyle(
            "heading", fontName=hei, fontSize=15, leading=28, alignment=TA_CENTER, spaceAfter=6
        ),
        number=ParagraphStyle(
            "number", fontName=song, fontSize=14, leading=26, alignment=TA_CENTER
        ),
        body=body,
        small=ParagraphStyle(
            "small", parent=body, fontName=song, fontSize=SMALL_SIZE, leading=15, alignment=TA_LEFT
        ),
    )


def render_pdf(
    sheet: model.Sheet,
    target: str | Path | IO[bytes],
    *,
    qr: str | None = None,
    draft: bool = False,
) -> int:
    """Write the PDF of ``sheet`` to ``target``; returns the number of pages.

    ``qr`` is the text of the check code (文号 and fingerprint) of an issued document.
    """
    repeated = sheet.repeated
    footer_block = repeated_block(sheet)
    document = SimpleDocTemplate(
        str(target) if isinstance(target, Path) else target,
        pagesize=A4,
        # the frame pads its content: without this, text would start 6 pt right of the tables
        leftMargin=LEFT - FRAME_PADDING,
        rightMargin=RIGHT - FRAME_PADDING,
        topMargin=TOP,
        bottomMargin=bottom_margin(footer_block),
        title=sheet.title,
        author=sheet.meta.get("author", ""),
        subject=sheet.number or "",
        creator="福安监",
        invariant=1,
    )
    story = _header(sheet) + _body(tuple(b for b in sheet.blocks if b is not repeated))
    if sheet.fit_page:
        story = _fitted(story, PAGE_HEIGHT - TOP - bottom_margin(footer_block) - 2 * FRAME_PADDING)
    painter = _Footer(sheet, footer_block, qr, draft)
    document.build(story, canvasmaker=_numbered_canvas(painter))
    return painter.total


def _fitted(story: list[Flowable], height: float) -> list[Flowable]:
    """A one-page form shrunk onto its page when it runs over (down to 小五, ``MIN_FIT``), so
    its last row never stands alone on a second page; content longer than that flows on at
    full size. reportlab measures it as the frame stacks it (spaces between flowables too)."""
    width = FRAME_WIDTH
    fitted = KeepInFrame(width, height, story, mode="shrink")
    fitted.canv = Canvas(BytesIO())  # a throwaway canvas: only the shrinking is measured
    fitted.wrap(width, height)
    return [fitted] if getattr(fitted, "_scale", 1.0) * MIN_FIT <= 1 else story


def _body(blocks: tuple[model.Block, ...]) -> list[Flowable]:
    """The body's flowables; the closing signatures and seal are kept on one page together."""
    closing = len(blocks)
    while closing > 0 and isinstance(blocks[closing - 1], model.Signatures | model.Seal):
        closing -= 1
    story = [
        flowable
        for block, after in pairwise((*blocks[:closing], None))
        if block is not None
        for flowable in _flowables(block, after)
    ]
    tail = [flowable for block in blocks[closing:] for flowable in _flowables(block)]
    return [*story, KeepTogether(tail)] if tail else story


def bottom_margin(footer_block: Flowable | None) -> float:
    """The body's bottom margin: room for the page count, and for the repeated signatures."""
    if footer_block is None:
        return float(BOTTOM)
    return float(BOTTOM + footer_block.wrap(FRAME_WIDTH, PAGE_HEIGHT)[1] + 6)


def repeated_block(sheet: model.Sheet) -> Flowable | None:
    """The flowable printed at the foot of every page of a 续页 document."""
    return _signature_table(sheet.repeated) if sheet.repeated else None


def _numbered_canvas(paint: Callable[[Canvas, int, int], None]) -> type[Canvas]:
    """A canvas that holds its pages until ``save`` so each can print 共 N 页."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["initialFontName"] = face("song").name
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for number, state in enumerate(self._held, start=1):
                self.__dict__.update(state)
                paint(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


class _Footer:
    """What every page carries: footnote, page count, repeated signatures, check code, 草稿.

    The signature block and the footnote are laid out once and drawn on every page; ``total``
    is the page count once the document is saved.
    """

    def __init__(
        self, sheet: model.Sheet, block: Flowable | None, qr: str | None, draft: bool
    ) -> None:
        self.sheet, self.block, self.qr, self.draft = sheet, block, qr, draft
        self.total = 0
        if block is not None:
            block.wrap(FRAME_WIDTH, PAGE_HEIGHT)
        self.note = (
            ChineseParagraph(markup(sheet.footnote, "song"), styles().small)
            if sheet.footnote
            else None
        )
        self.note_height = self.note.wrap(FRAME_WIDTH, 40 * mm)[1] if self.note else 0.0

    def __call__(self, canvas: Canvas, number: int, total: int) -> None:
        self.total = total
        rule_y = BOTTOM - 4 * mm
        if self.block is not None:
            self.block.drawOn(canvas, LEFT, BOTTOM + 2)
        canvas.setLineWidth(0.75)
        canvas.line(LEFT, rule_y, PAGE_WIDTH - RIGHT, rule_y)
        text_y = rule_y - 5 * mm
        if self.note is not None:
            self.note.drawOn(canvas, LEFT, rule_y - 2 - self.note_height)
            text_y = rule_y - 2 - self.note_height - 5 * mm
        canvas.setFont(face("song").name, SMALL_SIZE)
        canvas.drawRightString(PAGE_WIDTH - RIGHT, text_y, f"共 {total} 页  第 {number} 页")
        if self.sheet.continues and number > 1:
            _draw_continued(canvas, beside_qr=bool(self.qr))
        if self.qr:
            _draw_qr(canvas, self.qr)
        if self.draft:
            _draw_draft_mark(canvas)


def _draw_continued(canvas: Canvas, *, beside_qr: bool) -> None:
    """续页 at the top right over a double rule, as the template's continuation sheet has it
    (left of the check code, whose caption takes the corner)."""
    top = PAGE_HEIGHT - TOP + 3
    canvas.setLineWidth(0.75)
    for y in (top, top - 2.5):
        canvas.line(LEFT, y, PAGE_WIDTH - RIGHT, y)
    right = PAGE_WIDTH - RIGHT - (QR_SIZE + 3 * mm if beside_qr else 0)
    canvas.setFont(face("song").name, SMALL_SIZE)
    canvas.drawRightString(right, top + 5, "续页")


def _draw_qr(canvas: Canvas, text: str) -> None:
    """The check code at the top right; drawn once into a form that every page reuses."""
    left, bottom = PAGE_WIDTH - RIGHT - QR_SIZE, PAGE_HEIGHT - TOP + 8 * mm
    if not canvas.hasForm(QR_FORM):
        modules = qr_modules(text)
        module = QR_SIZE / len(modules)
        canvas.beginForm(QR_FORM)
        canvas.setFillColor(colors.black)
        for row, column, length in dark_runs(modules):
            y = bottom + (len(modules) - 1 - row) * module
            canvas.rect(left + column * module, y, length * module, module, stroke=0, fill=1)
        canvas.setFont(face("song").name, 6)
        canvas.drawCentredString(left + QR_SIZE / 2, bottom - 2.5 * mm, text.rsplit("|", 1)[-1])
        canvas.endForm()
    canvas.doForm(QR_FORM)


def _draw_draft_mark(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.35))
    canvas.setFont(face("hei").name, 96)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(35)
    canvas.drawCentredString(0, 0, "草稿")
    canvas.restoreState()


def _header(sheet: model.Sheet) -> list[Flowable]:
    style = styles()
    header: list[Flowable] = [
        ChineseParagraph(markup(sheet.banner, "hei"), style.banner),
        HRFlowable(width="100%", thickness=1.5, color=colors.black, spaceBefore=2, spaceAfter=6),
        ChineseParagraph(markup(sheet.title, "hei"), style.title),
    ]
    if sheet.code:
        header.append(ChineseParagraph(markup(number_line(sheet), "song"), style.number))
    header.append(Spacer(1, 6))
    return header


def number_line(sheet: model.Sheet) -> str:
    """The 文号, or the template's blank pattern while the document is a draft."""
    return sheet.number or f"（\u3000\u3000）{sheet.code}〔\u3000\u3000〕\u3000\u3000号"


def _runs(runs: tuple[model.Run, ...], role: str = "fang") -> str:
    parts = []
    for run in runs:
        text = markup(run.text, role)
        parts.append(text)
    return "".join(parts)


def _para(
    text: str,
    *,
    indent: bool = False,
    align: str = "left",
    size: float = BODY_SIZE,
    leading: float = BODY_LEADING,
) -> Flowable:
    return ChineseParagraph(text, _style(indent, align, size, leading * size / BODY_SIZE))


@functools.cache
def _style(indent: bool, align: str, size: float, leading: float) -> ParagraphStyle:
    """The body style varied; made once per combination (styles never change)."""
    return ParagraphStyle(
        f"p{indent}{align}{size}{leading}",
        parent=styles().body,
        alignment=ALIGN[align],
        fontSize=size,
        leading=leading,
        firstLineIndent=2 * size if indent else 0,
    )


def _flowables(block: model.Block, after: model.Block | None = None) -> list[Flowable]:
    """What draws ``block``, and a small gap when another table follows it (``after``): form
    lines straight over a ruled box would put the last value's rule on the box's top edge."""
    flowables = _drawn(block, after)
    if isinstance(block, TABLE_BLOCKS) and isinstance(after, TABLE_BLOCKS):
        flowables.append(Spacer(1, TABLE_GAP))
    return flowables


def _drawn(block: model.Block, after: model.Block | None) -> list[Flowable]:
    """The flowables of one block; blank lines for the pen fill the page unless the rest is
    struck out after them."""
    if isinstance(block, model.Paragraph):
        return [
            _para(_runs(runs), indent=block.indent, align=block.align)
            for runs in model.split_lines(block.runs)
        ]
    if isinstance(block, model.Lines):
        return [_lines_row(row) for row in block.rows]
    if isinstance(block, model.Numbered):
        return _numbered(block)
    if isinstance(block, model.Table):
        return [_table(block)]
    if isinstance(block, model.Box):
        return [_box(block)]
    if isinstance(block, model.Signatures):
        return [Spacer(1, 4), _signature_table(block)]
    if isinstance(block, model.Heading):
        return [Spacer(1, 6), ChineseParagraph(markup(block.text, "hei"), styles().heading)]
    if isinstance(block, model.PageBreak):
        return [PageBreak()]
    if isinstance(block, model.Dialogue):
        return _dialogue(block)
    if isinstance(block, model.RuledSpace):
        fill = not isinstance(after, model.StruckOut)
        return [RuledLines(block.lines, _ruled_style(), fill=fill)]
    if isinstance(block, model.StruckOut):
        return [StruckSpace(block.text, _ruled_style())]
    return [
        Spacer(1, BODY_LEADING * 1.5),
        _para(markup(block.text + "\u3000\u3000", "fang"), align="right"),
        _para(markup(block.date + "\u3000\u3000\u3000", "fang"), align="right"),
    ]


@functools.cache
def _ruled_style() -> ParagraphStyle:
    """Text on ruled lines: a turn may leave a single line at the foot of a page, since the
    lines are ruled down to the signatures anyway."""
    return ParagraphStyle("ruled", parent=styles().body, allowOrphans=1)


def _dialogue(block: model.Dialogue) -> list[Flowable]:
    """The label (询问记录：) on its ruled line, then each turn: ``问：`` / ``答：`` in 黑体, the
    text hanging after it; a line break typed into a turn starts a new line at the same indent."""
    hei = face("hei").name
    hang = max(2 * BODY_SIZE, stringWidth("问：", hei, BODY_SIZE))
    flowables: list[Flowable] = []
    if block.label:
        indent = 2 * BODY_SIZE
        width = stringWidth(block.label, face("fang").name, BODY_SIZE)
        style = _style(True, "left", BODY_SIZE, BODY_LEADING)
        flowables.append(RuledText(markup(block.label, "fang"), style, rule_from=indent + width))
    style = _ruled_style()
    for speaker, text in block.turns:
        for index, piece in enumerate(text.split("\n")):
            flowables.append(
                RuledText(
                    markup(piece, "fang"),
                    style,
                    speaker=f"{speaker}：" if index == 0 else "",
                    speaker_font=hei,
                    hang=hang,
                )
            )
    return flowables


def _lines_row(row: tuple[model.Entry, ...]) -> Flowable:
    total = sum(entry.share for entry in row)
    cells: list[Flowable] = []
    widths: list[float] = []
    for entry in row:
        width = FRAME_WIDTH * entry.share / total
        label_width = label_column(entry.label, width)
        value_width = width - label_width
        cells += [_form_para(markup(entry.label, "fang")), _value_para(entry.value, value_width)]
        widths += [label_width, value_width]
    commands = [("LINEBELOW", (i, 0), (i, 0), 0.6, colors.black) for i in range(1, len(cells), 2)]
    return _plain_table([cells], widths, [ON_RULE, *commands])


def _value_para(value: str, width: float) -> Flowable:
    """A form line's value; one that runs a little over its line (as a long 单位及职务 does) is
    set smaller, down to 小五, to stay on it, as a clerk writes smaller; a longer one wraps."""
    needed = stringWidth(value, face("fang").name, BODY_SIZE)
    room = width - CELL_RIGHT_PADDING
    scale = room / needed if needed > room else 1.0
    if scale < MIN_VALUE_SCALE:
        return _form_para(markup(value, "fang"))
    size = BODY_SIZE * scale
    # the same leading in points as every other form line, so the rows keep their pitch
    return _para(markup(value, "fang"), size=size, leading=FORM_LEADING * BODY_SIZE / size)


def _form_para(text: str) -> Flowable:
    """Text written on a form's rule (a value, a numbered item), set closer than the body."""
    return _para(text, leading=FORM_LEADING)


def label_column(label: str, width: float) -> float:
    """Width of a form line's label: the text itself and a little air, at most 60 %."""
    return float(min(width * 0.6, stringWidth(label, face("fang").name, BODY_SIZE) + 6))


def _plain_table(rows: list[list[Any]], widths: list[float], commands: list[Any]) -> Table:
    table = Table(rows, colWidths=widths)
    table.setStyle(
        _table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_RIGHT_PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                *commands,
            ]
        )
    )
    return table


def _table_style(commands: list[Any]) -> TableStyle:
    """Table commands with the cell font set: reportlab would name Helvetica (not embedded)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), face("song").name), *commands])


def _numbered(block: model.Numbered) -> list[Flowable]:
    count = max(len(block.items), block.minimum)
    flowables: list[Flowable] = []
    for index in range(count):
        mark = f"{index + 1}．"
        text = block.items[index] if index < len(block.items) else ""
        cells = [[_form_para(mark), _form_para(markup(text, "fang"))]]
        flowables.append(
            _plain_table(
                cells,
                [2.2 * BODY_SIZE, FRAME_WIDTH - 2.2 * BODY_SIZE],
                [ON_RULE, ("LINEBELOW", (1, 0), (1, 0), 0.6, colors.black)],
            )
        )
    return flowables


def _table(block: model.Table) -> Table:
    scale = FRAME_WIDTH / sum(block.widths)
    widths = [width * scale for width in block.widths]
    rows = list(block.rows) + [("",) * len(block.headers)] * max(0, block.minimum - len(block.rows))
    cell = functools.partial(_para, size=SMALL_SIZE)
    data = [[cell(markup(text, "song"), align="center") for text in block.headers]]
    data += [[cell(markup(text, "fang")) for text in row] for row in rows]
    # blank rows keep the height of a handwritten line
    table = Table(
        data, colWidths=widths, repeatRows=1, minRowHeights=[0] + [BODY_LEADING] * len(rows)
    )
    table.setStyle(
        _table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def _box(block: model.Box) -> Table:
    half = FRAME_WIDTH / 2
    data: list[list[Any]] = []
    spans: list[Any] = []
    for index, row in enumerate(block.rows):
        if len(row) == 1:
            data.append([_cell(row[0], FRAME_WIDTH), ""])
            spans.append(("SPAN", (0, index), (1, index)))
        else:
            data.append([_cell(cell, half) for cell in row[:2]])
    # a row taller than a page (a long 案件基本情况) splits across pages rather than failing
    table = Table(data, colWidths=[half, half], splitInRow=1)
    table.setStyle(
        _table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.75, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), BOX_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), BOX_PADDING),
                *spans,
            ]
        )
    )
    return table


def _cell(cell: model.Cell, width: float) -> list[Flowable]:
    """A cell of an approval form, set tighter than the body as the templates' forms are; a
    short value beside its label and the signature beside its date where they fit
    (:func:`inline_value`, :func:`dated_signature`)."""
    line = functools.partial(_para, leading=BOX_LEADING)
    flowables: list[Flowable] = []
    if inline_value(cell, width):
        flowables.append(line(markup(cell.label + "：", "fang") + _runs(cell.runs)))
    elif cell.label:
        flowables.append(line(markup(cell.label + "：", "fang")))
    if cell.runs and not inline_value(cell, width):
        flowables += [line(_runs(runs), indent=True) for runs in model.split_lines(cell.runs)]
    flowables.append(Spacer(1, BOX_LEADING * (cell.lines if not cell.runs else 0.5)))
    date = markup(cell.date + "\u3000", "fang") if cell.date is not None else ""
    if dated_signature(cell, width):
        return [*flowables, line(f"{_sign_markup(cell.signs[0])}\u3000\u3000{date}", align="right")]
    flowables += [line(_sign_markup(sign), align="right") for sign in cell.signs]
    if date:
        flowables.append(line(date, align="right"))
    return flowables


def dated_signature(cell: model.Cell, width: float) -> bool:
    """Whether a cell ``width`` wide prints its one signature and its date on a single line, as
    the 2016 approval forms do (审核人（签名）：____　年　月　日): only where the line fits, so a
    half-width cell or a signer with a 证号 keeps separate lines."""
    if cell.date is None or len(cell.signs) != 1:
        return False
    sign = cell.signs[0]
    after = "".join(run.text for run in sign.after)
    return _fits(f"{sign.label}：{SIGN_BLANK}{after}\u3000\u3000{cell.date}\u3000", width)


def inline_value(cell: model.Cell, width: float) -> bool:
    """Whether a cell prints its value on its label's line (性别：男), as the template sets a
    short value beside its label: a value of one line that fits there, in a cell left unsigned."""
    if not cell.label or not cell.runs or cell.signs or cell.date is not None:
        return False
    text = "".join(run.text for run in cell.runs)
    return "\n" not in text and _fits(f"{cell.label}：{text}", width)


def _fits(text: str, width: float) -> bool:
    """Whether ``text`` fits on one line of a cell ``width`` wide (with a little air)."""
    return float(stringWidth(text, face("fang").name, BODY_SIZE)) <= width - 2 * BOX_PADDING - 6


def _sign_markup(sign: model.SignLine) -> str:
    return f"{markup(sign.label, 'fang')}：<u>{SIGN_BLANK}</u>{_runs(sign.after)}"


def _signature_table(block: model.Signatures) -> Flowable:
    rows = [[_para(_sign_markup(line))] for line in block.lines]
    return _plain_table(rows, [FRAME_WIDTH], [])
