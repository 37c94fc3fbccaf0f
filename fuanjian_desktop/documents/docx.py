"""Write a :class:`Sheet` as a Word document that a clerk can edit in Word or WPS.

The layout follows the PDF renderer: the same margins, sizes and look of every block, and a
footer on every page with the footnote, 共 N 页 第 n 页 (Word fields) and, for a 续页 document,
the repeated signature block. The body is built as one WordprocessingML string and parsed once:
python-docx's object API creates several elements and looks up styles for every run, far too slow
for a 200-page 清单. python-docx names only ``w:ascii``/``w:hAnsi``, so every run names its face
in ``w:eastAsia`` too, and the styles lose their ``*Theme`` font attributes, which would
otherwise override the explicit face names.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from io import BytesIO
from itertools import accumulate, pairwise
from pathlib import Path
from typing import IO, Any, Literal
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from fuanjian_desktop.documents import sheet as model
from fuanjian_desktop.documents.fonts import word_face
from fuanjian_desktop.documents.pdf import (
    BODY_LEADING,
    BODY_SIZE,
    BOTTOM,
    BOX_LEADING,
    FRAME_WIDTH,
    LEFT,
    QR_SIZE,
    RIGHT,
    SIGN_BLANK,
    SMALL_SIZE,
    TABLE_GAP,
    TOP,
    dated_signature,
    inline_value,
    label_column,
    number_line,
)
from fuanjian_desktop.documents.qr import qr_modules

Align = Literal["left", "center", "right"]
JUSTIFY: dict[str, str] = {"left": "both", "center": "center", "right": "right"}
HEADER_DISTANCE, FOOTER_DISTANCE = 6 * mm, 10 * mm
THIN, RULE, HEAVY = 4, 6, 12  # border widths in eighths of a point: 0.5, 0.75 and 1.5 pt
DRAFT_GREY = "999999"
KEPT_STYLES = frozenset(
    {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Header", "Footer"}
)
# Control characters are not allowed in XML; a pasted value may still carry one.
CONTROL = dict.fromkeys(range(32), " ")


@dataclass(frozen=True)
class Style:
    """Face, size and line pitch of a kind of paragraph; ``leading=None`` is single spacing."""

    role: str
    size: float
    leading: float | None
    align: Align = "left"


BANNER = Style("hei", 20, 28, "center")
TITLE = Style("hei", 18, 30, "center")
HEADING = Style("hei", 15, 28, "center")
NUMBER = Style("song", 14, 26, "center")
BODY = Style("fang", BODY_SIZE, BODY_LEADING)
SMALL = Style("song", SMALL_SIZE, 15)
CELL = Style("fang", SMALL_SIZE, BODY_LEADING * SMALL_SIZE / BODY_SIZE)
HEAD = replace(CELL, role="song", align="center")
GAP = replace(BODY, leading=6)
BOX = replace(BODY, leading=BOX_LEADING)  # inside a ruled approval form, as in the PDF
BOX_HALF = replace(BODY, leading=BOX_LEADING / 2)
TABLE_SPACE = replace(BODY, leading=TABLE_GAP)  # keeps two tables apart, as in the PDF
MARK = Style("hei", 22, None)
SPEAKER = replace(BODY, role="hei")
SPEAKER_HANG = 2 * BODY_SIZE  # the width of 问：
TINY = Style("song", 6, 8, "right")
PICTURE = Style("song", 6, None, "right")


@dataclass(frozen=True)
class Cell:
    """A table cell: width in points, its paragraphs, and tcPr children after ``w:gridSpan``."""

    width: float
    content: str
    props: str = ""


def render_docx(
    sheet: model.Sheet,
    target: str | Path | IO[bytes],
    *,
    qr: str | None = None,
    draft: bool = False,
) -> None:
    """Write the Word document of ``sheet`` to ``target``.

    ``qr`` is the text of the check code (文号 and fingerprint) of an issued document; ``draft``
    marks the header 草稿.
    """
    document = docx.Document(BytesIO(_base_document()))
    section = document.sections[0]
    _lay_out(section)
    _replace_body(document.element, _parse(_body(sheet)))
    _fill(section.footer.part.element, _parse(_footer(sheet)))
    if qr or draft:
        _fill_header(section.header.part, qr, draft)
    properties = document.core_properties
    properties.title, properties.subject = sheet.title, sheet.number or ""
    properties.author = properties.last_modified_by = sheet.meta.get("author", "")
    properties.comments = "福安监"
    document.save(str(target) if isinstance(target, Path) else target)


@functools.cache
def _base_document() -> bytes:
    """python-docx's template restyled and trimmed, made once: its two 430 KB style parts
    (styles and Word 2010's stylesWithEffects) cost most of the time of every document."""
    document = docx.Document()
    _restyle(document)
    _modernise(document.settings.element)
    _trim_styles(document)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _trim_styles(document: Any) -> None:
    """Keep the styles a sheet uses (Normal and the defaults Word expects); drop the rest, the
    latent-style table and stylesWithEffects, which Word rebuilds when it needs them."""
    styles = document.styles.element
    for style in list(styles.iter(qn("w:style"))):
        if style.get(qn("w:styleId")) not in KEPT_STYLES:
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)


def _restyle(document: Any) -> None:
    """Normal becomes 仿宋 小四 on 22 pt lines; theme fonts go so explicit faces take effect."""
    styles = document.styles
    for fonts in styles.element.iter(qn("w:rFonts")):
        for name in [name for name in fonts.attrib if name.lower().endswith("theme")]:
            del fonts.attrib[name]
    for language in styles.element.iter(qn("w:lang")):
        language.set(qn("w:eastAsia"), "zh-CN")
    normal = styles["Normal"]
    normal.font.name = word_face(BODY.role)
    normal.font.size = Pt(BODY.size)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), word_face(BODY.role))
    paragraph = normal.paragraph_format
    paragraph.line_spacing = Pt(BODY_LEADING)
    paragraph.space_before = paragraph.space_after = Pt(0)


def _modernise(settings: Any) -> None:
    """Word 2013 layout: no 兼容模式 in the title bar, and ruled tables sit flush with the margin
    (older modes push a table out by its cell padding)."""
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def _lay_out(section: Any) -> None:
    section.page_width, section.page_height = Pt(A4[0]), Pt(A4[1])
    section.left_margin, section.right_margin = Pt(LEFT), Pt(RIGHT)
    section.top_margin, section.bottom_margin = Pt(TOP), Pt(BOTTOM)
    section.header_distance, section.footer_distance = Pt(HEADER_DISTANCE), Pt(FOOTER_DISTANCE)


def _parse(xml: str) -> Any:
    """A WordprocessingML fragment parsed in one go, inside a ``w:body`` declaring ``w``."""
    return parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>")


def _replace_body(root: Any, body: Any) -> None:
    """Swap the whole parsed body in, keeping the section properties.

    lxml takes time quadratic in the node count to move a subtree into another document when its
    namespace is declared on an ancestor left behind (30 s for a 2000-row table); the body moved
    whole, carrying its own declaration, costs almost nothing.
    """
    old = root.body
    root.replace(old, body)
    body.append(old.sectPr)


def _fill(root: Any, wrapper: Any) -> None:
    """Replace the content of a header or footer: a few paragraphs, so moving them is cheap."""
    for child in list(root):
        root.remove(child)
    root.extend(list(wrapper))


# ---- runs and paragraphs -------------------------------------------------------------------


def _tw(points: float) -> int:
    """Points in twentieths (``dxa``), Word's unit for widths and spacing."""
    return round(points * 20)


@functools.cache
def _rpr(
    role: str, size: float, underline: bool = False, color: str = "", bold: bool = False
) -> str:
    face = word_face(role)
    fonts = f'<w:rFonts w:ascii="{face}" w:hAnsi="{face}" w:eastAsia="{face}" w:hint="eastAsia"/>'
    heavy = "<w:b/><w:bCs/>" if bold else ""
    tint = f'<w:color w:val="{color}"/>' if color else ""
    half = round(size * 2)
    sized = "" if size == BODY_SIZE else f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
    line = '<w:u w:val="single"/>' if underline else ""
    return f"<w:rPr>{fonts}{heavy}{tint}{sized}{line}</w:rPr>"


def _run(
    text: str,
    style: Style = BODY,
    *,
    underline: bool = False,
    color: str = "",
    bold: bool = False,
) -> str:
    if not text:
        return ""
    clean = escape(text.translate(CONTROL))
    rpr = _rpr(style.role, style.size, underline, color, bold)
    return f'<w:r>{rpr}<w:t xml:space="preserve">{clean}</w:t></w:r>'


def _runs(runs: Iterable[model.Run], style: Style = BODY) -> str:
    """Printed wording, values and blanks look alike: the blanks carry their own underscores."""
    return "".join(_run(run.text, style) for run in runs)


@functools.cache
def _ppr(
    style: Style, align: Align, indent: bool, before: float, border: str, hang: float, left: float
) -> str:
    if style.leading is None:
        spacing = f'<w:spacing w:before="{_tw(before)}" w:line="240" w:lineRule="auto"/>'
    elif style.leading != BODY_LEADING or before:
        line = _tw(style.leading)
        spacing = f'<w:spacing w:before="{_tw(before)}" w:line="{line}" w:lineRule="exact"/>'
    else:
        spacing = ""
    if indent:
        first = f'<w:ind w:firstLineChars="200" w:firstLine="{_tw(2 * style.size)}"/>'
    elif hang or left:
        hanging = f' w:hanging="{_tw(hang)}"' if hang else ""
        first = f'<w:ind w:left="{_tw(hang + left)}"{hanging}/>'
    else:
        first = ""
    return f'<w:pPr>{border}{spacing}{first}<w:jc w:val="{JUSTIFY[align]}"/></w:pPr>'


def _p(
    runs: str,
    style: Style = BODY,
    *,
    align: Align | None = None,
    indent: bool = False,
    before: float = 0,
    border: str = "",
    hang: float = 0,
    left: float = 0,
) -> str:
    """A paragraph; ``hang`` sets its first line out by that much (the 问： before a turn),
    ``left`` indents all of its lines."""
    ppr = _ppr(style, align or style.align, indent, before, border, hang, left)
    return f"<w:p>{ppr}{runs}</w:p>"


def _border(side: str, width: int) -> str:
    return f'<w:{side} w:val="single" w:sz="{width}" w:space="1" w:color="000000"/>'


def _field(instruction: str, style: Style) -> str:
    """A field Word and WPS update as they lay out pages (PAGE, NUMPAGES)."""
    return f'<w:fldSimple w:instr=" {instruction} ">{_run("1", style)}</w:fldSimple>'


# ---- tables --------------------------------------------------------------------------------


def _table(
    rows: Sequence[Sequence[Cell]],
    *,
    lines: int | None,
    margins: tuple[float, float, float, float],
    header: bool = False,
    cant_split: bool = True,
) -> str:
    """A fixed-layout table; rows of different cell widths share one grid of column edges.

    ``lines`` is the width of the grid rules in eighths of a point, ``None`` for no rules;
    ``margins`` are the cell paddings (top, left, bottom, right) in points.
    """
    edges = [[0, *(_tw(edge) for edge in accumulate(c.width for c in row))] for row in rows]
    grid = sorted({edge for row in edges for edge in row})
    column = {edge: index for index, edge in enumerate(grid)}
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    rules = "".join(_border(side, lines) if lines else f'<w:{side} w:val="nil"/>' for side in sides)
    padding = "".join(
        f'<w:{side} w:w="{_tw(points)}" w:type="dxa"/>'
        for side, points in zip(("top", "left", "bottom", "right"), margins, strict=True)
    )
    parts = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{grid[-1]}" w:type="dxa"/><w:tblBorders>{rules}'
        f'</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>{padding}</w:tblCellMar>'
        '<w:tblLook w:val="0000"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{b - a}"/>' for a, b in pairwise(grid)),
        "</w:tblGrid>",
    ]
    for index, (row, row_edges) in enumerate(zip(rows, edges, strict=True)):
        split = "<w:cantSplit/>" if cant_split else ""
        repeat = "<w:tblHeader/>" if header and index == 0 else ""
        parts.append(f"<w:tr><w:trPr>{split}{repeat}</w:trPr>" if split or repeat else "<w:tr>")
        for cell, (start, end) in zip(row, pairwise(row_edges), strict=True):
            span = column[end] - column[start]
            spanned = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{end - start}" w:type="dxa"/>{spanned}{cell.props}'
                f"</w:tcPr>{cell.content or _p('')}</w:tc>"
            )
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


SEPARATOR = _p("", TABLE_SPACE)
UNDERLINED = f"<w:tcBorders>{_border('bottom', THIN)}</w:tcBorders>"
MIDDLE = '<w:vAlign w:val="center"/>'
FORM_MARGINS = (1, 0, 1, 2)  # the PDF's form lines: no left padding, 2 pt on the right
RULED_MARGINS = (3, 6, 3, 6)  # reportlab's default cell padding


# ---- blocks --------------------------------------------------------------------------------


def _body(sheet: model.Sheet) -> str:
    """The banner over its rule, the title, the 文号 line, then every block not in the footer."""
    parts = [
        _p(
            _run(sheet.banner, BANNER),
            BANNER,
            border=f"<w:pBdr>{_border('bottom', HEAVY)}</w:pBdr>",
        ),
        _p(_run(sheet.title, TITLE), TITLE, before=6),
    ]
    if sheet.code:
        parts.append(_p(_run(number_line(sheet), NUMBER), NUMBER))
    parts.append(_p("", GAP))
    repeated = sheet.repeated
    parts.extend(_block(block) for block in sheet.blocks if block is not repeated)
    return "".join(_tables_apart(parts))


def _tables_apart(parts: Iterable[str]) -> Iterable[str]:
    """The body's pieces with a 4 pt paragraph between two tables that would touch: Word
    and LibreOffice join adjacent tables into one grid, so the 立案审批表's form lines would
    take the widths of its ruled box."""
    previous = ""
    for part in parts:
        if previous.endswith("</w:tbl>") and part.startswith("<w:tbl>"):
            yield SEPARATOR
        if part:
            yield part
            previous = part


def _block(block: model.Block) -> str:
    if isinstance(block, model.Paragraph):
        return "".join(
            _p(_runs(runs), align=block.align, indent=block.indent)
            for runs in model.split_lines(block.runs)
        )
    if isinstance(block, model.Lines):
        return _table([_entries(row) for row in block.rows], lines=None, margins=FORM_MARGINS)
    if isinstance(block, model.Numbered):
        return _numbered(block)
    if isinstance(block, model.Table):
        return _ruled(block)
    if isinstance(block, model.Box):
        return _box(block)
    if isinstance(block, model.Signatures):
        return _signatures(block, before=4)
    if isinstance(block, model.Heading):
        return _p(_run(block.text, HEADING), HEADING, before=6)
    if isinstance(block, model.PageBreak):
        return '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    if isinstance(block, model.Dialogue):
        return _dialogue(block)
    if isinstance(block, model.RuledSpace):
        return _ruled_space(block)
    if isinstance(block, model.StruckOut):  # Word lays out its own pages: the words only
        return _p(_run(block.text), indent=True)
    return _seal(block)


def _dialogue(block: model.Dialogue) -> str:
    """The label, then each turn: ``问：`` bold in 黑体 hanging before its text; a line break
    typed into a turn starts a paragraph aligned with the text."""
    parts = [_p(_run(block.label), indent=True) if block.label else ""]
    for speaker, text in block.turns:
        first, *rest = text.split("\n")
        parts.append(_p(_run(f"{speaker}：", SPEAKER, bold=True) + _run(first), hang=SPEAKER_HANG))
        parts += [_p(_run(piece), left=SPEAKER_HANG) for piece in rest]
    return "".join(parts)


def _ruled_space(block: model.RuledSpace) -> str:
    """Blank lines for the pen, each over a rule (``between`` rules them inside the group Word
    makes of paragraphs with equal borders)."""
    rules = f"<w:pBdr>{_border('bottom', THIN)}{_border('between', THIN)}</w:pBdr>"
    return _p("", border=rules) * block.lines


def _seal(block: model.Seal) -> str:
    """The authority's name and the date, right-aligned a line and a half under the text."""
    name = _p(_run(block.text + "\u3000\u3000"), align="right", before=BODY_LEADING * 1.5)
    return name + _p(_run(block.date + "\u3000\u3000\u3000"), align="right")


def _entries(row: tuple[model.Entry, ...]) -> list[Cell]:
    """label and value cells of one form line; the value sits on a rule."""
    total = sum(entry.share for entry in row)
    cells: list[Cell] = []
    for entry in row:
        width = FRAME_WIDTH * entry.share / total
        label_width = label_column(entry.label, width)
        cells.append(Cell(label_width, _p(_run(entry.label))))
        cells.append(Cell(width - label_width, _p(_run(entry.value)), UNDERLINED))
    return cells


def _numbered(block: model.Numbered) -> str:
    mark_width = 2.2 * BODY_SIZE
    items = list(block.items) + [""] * max(0, block.minimum - len(block.items))
    rows = [
        [
            Cell(mark_width, _p(_run(f"{number}．"))),
            Cell(FRAME_WIDTH - mark_width, _p(_run(text)), UNDERLINED),
        ]
        for number, text in enumerate(items, start=1)
    ]
    return _table(rows, lines=None, margins=FORM_MARGINS)


def _ruled(block: model.Table) -> str:
    """A 清单: its header row repeats on every page and no row splits across pages."""
    scale = FRAME_WIDTH / sum(block.widths)
    widths = [width * scale for width in block.widths]
    padding = [("",) * len(block.headers)] * max(0, block.minimum - len(block.rows))
    rows = [
        [
            Cell(width, _p(_run(text, HEAD), HEAD), MIDDLE)
            for width, text in zip(widths, block.headers, strict=True)
        ]
    ]
    rows += [
        [
            Cell(width, _p(_run(text, CELL), CELL), MIDDLE)
            for width, text in zip(widths, row, strict=True)
        ]
        for row in [*block.rows, *padding]
    ]
    return _table(rows, lines=THIN, margins=RULED_MARGINS, header=True)


def _box(block: model.Box) -> str:
    """A ruled approval form: two columns, a single cell spanning both."""
    rows = [
        [
            Cell(FRAME_WIDTH / len(row[:2]), _box_cell(cell, FRAME_WIDTH / len(row[:2])))
            for cell in row[:2]
        ]
        for row in block.rows
    ]
    return _table(rows, lines=RULE, margins=RULED_MARGINS, cant_split=False)


def _box_cell(cell: model.Cell, width: float) -> str:
    """A cell of an approval form, set on the PDF's tighter lines, so the form is as tall in
    Word as it is in the PDF (at the body's pitch a full form ran onto a second page); signed and
    dated on one line and a short value beside its label where the PDF does it
    (:func:`dated_signature`, :func:`inline_value`)."""
    inline = inline_value(cell, width)
    label = _run(cell.label + "：") if cell.label else ""
    parts = [_p(label + (_runs(cell.runs) if inline else ""), BOX) if label else ""]
    if inline:
        parts.append(_p("", BOX_HALF))
    elif cell.runs:
        parts += [_p(_runs(runs), BOX, indent=True) for runs in model.split_lines(cell.runs)]
        parts.append(_p("", BOX_HALF))
    else:
        parts += [_p("", BOX)] * cell.lines
    date = _run(cell.date + "\u3000") if cell.date is not None else ""
    if dated_signature(cell, width):
        return "".join(parts) + _p(
            _sign(cell.signs[0]) + _run("\u3000\u3000") + date, BOX, align="right"
        )
    parts += [_p(_sign(sign), BOX, align="right") for sign in cell.signs]
    if date:
        parts.append(_p(date, BOX, align="right"))
    return "".join(parts)


def _sign(sign: model.SignLine) -> str:
    return _run(sign.label + "：") + _run(SIGN_BLANK, underline=True) + _runs(sign.after)


def _signatures(block: model.Signatures, before: float = 0) -> str:
    return "".join(
        _p(_sign(line), before=before if index == 0 else 0)
        for index, line in enumerate(block.lines)
    )


# ---- header and footer ---------------------------------------------------------------------


def _footer(sheet: model.Sheet) -> str:
    """Repeated signatures above a rule, the footnote under it, then 共 N 页 第 n 页."""
    repeated = sheet.repeated
    rule = f"<w:pBdr>{_border('top', RULE)}</w:pBdr>"
    parts = [_signatures(repeated) if repeated else ""]
    if sheet.footnote:
        parts.append(_p(_run(sheet.footnote, SMALL), SMALL, border=rule))
    count = (
        _run("共 ", SMALL)
        + _field("NUMPAGES", SMALL)
        + _run(" 页  第 ", SMALL)
        + _field("PAGE", SMALL)
        + _run(" 页", SMALL)
    )
    parts.append(_p(count, SMALL, align="right", border="" if sheet.footnote else rule))
    return "".join(parts)


def _fill_header(part: Any, qr: str | None, draft: bool) -> None:
    """草稿 at the top left; the check code (picture and text) at the top right."""
    parts = [_p(_run("草稿", MARK, color=DRAFT_GREY), MARK) if draft else ""]
    if qr:
        picture = f"<w:r>{_rpr(PICTURE.role, PICTURE.size)}<w:drawing/></w:r>"
        parts += [_p(picture, PICTURE), _p(_run(qr, TINY), TINY)]
    wrapper = _parse("".join(parts))
    if qr:
        inline = part.new_pic_inline(_qr_png(qr), Pt(QR_SIZE), Pt(QR_SIZE))
        next(wrapper.iter(qn("w:drawing"))).append(inline)
    _fill(part.element, wrapper)


def _qr_png(text: str) -> BytesIO:
    """The check code as a black-and-white PNG, one pixel per module scaled up without blur."""
    modules = qr_modules(text)
    count = len(modules)
    image = Image.new("1", (count, count), 1)
    image.putdata([0 if dark else 1 for line in modules for dark in line])
    stream = BytesIO()
    image.resize((count * 8, count * 8), Image.Resampling.NEAREST).save(stream, format="PNG")
    stream.seek(0)
    return stream
