"""One volume PDF from its parts: merged in the planned order, 页号 stamped, blanks for duplex
printing, a bookmark per part, the case's name as the document title.

The page plan (``dossier/pagination.py``) says for every physical page which part and page it
shows and which 页号 it carries in which corner. The numbers are drawn once, each on its own tiny
page of one reportlab overlay, and every numbered page gets its number as a form XObject drawn
after its own content — appended to the page's content array, bracketed by ``q``/``Q`` so the
page's own drawing state cannot move it. Nothing of a page's content is parsed or rewritten
(pypdf's ``merge_page`` would re-parse every page's content stream), so stamping 300 pages costs
little more than copying them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
)
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from fuanjian_desktop.documents.fonts import face
from fuanjian_desktop.dossier.pagination import PageKind, PagePlan, PlannedPage

STAMP_SIZE = 12  # 小四 digits, as a numbering stamp prints them
STAMP_BOX = (80.0, 14.0)  # one number's form: width, height (points); digits fill its height
STAMP_BASELINE = 2.5
EDGE_X, EDGE_Y = 12 * mm, 10 * mm  # from the page's edges to the number's box
FORM_NAME = NameObject("/FAJPageNo")
UNNUMBERED_LABELS: dict[PageKind, tuple[str, PageLabelStyle | None]] = {
    PageKind.COVER: ("首页", None),
    PageKind.INDEX: ("目录", PageLabelStyle.DECIMAL),
    PageKind.BLANK: ("空白", None),
    PageKind.NOTES: ("备考表", None),
}
Label = tuple[PageLabelStyle | None, str | None, int]  # style, prefix, start
LabelRun = tuple[int, int, PageLabelStyle | None, str | None, int]  # first, last pages + Label
FRONT_TITLES = {
    PageKind.COVER: "案卷（首页）",
    PageKind.INDEX: "卷内目录",
    PageKind.NOTES: "卷内备考表",
}


@dataclass(frozen=True)
class ItemPart:
    """One item of the volume: its 目录 line (the bookmark's title) and its PDF."""

    title: str
    pdf: bytes


@dataclass(frozen=True)
class VolumeParts:
    """Everything the volume is made of, in volume order, and its title (案件名称)."""

    title: str
    cover: bytes
    index: bytes
    items: Sequence[ItemPart]
    notes: bytes


def assemble(plan: PagePlan, parts: VolumeParts) -> bytes:
    """The volume as one PDF; the same parts and plan always give the same bytes."""
    readers = _Readers(parts)
    writer = PdfWriter()
    forms = _stamp_forms(writer, plan)
    brackets = (_stream(writer, b"q\n"), _stream(writer, b"\nQ\n"))
    size: tuple[float, float] = A4
    for planned in plan.pages:
        if planned.kind is PageKind.BLANK:
            writer.add_blank_page(*size)
            continue
        page = writer.add_page(readers.page(planned))
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if planned.number is not None:
            _stamp(writer, page, forms[planned.number], planned.corner or "top_right", brackets)
    _outline(writer, plan, parts)
    for first, last, style, prefix, start in _page_label_runs(plan):
        writer.set_page_label(first, last, style, prefix, start)
    writer.add_metadata({"/Title": parts.title, "/Creator": "福安监"})
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class _Readers:
    """The parts opened once each; a plan asking for a page a part lacks is a caller's bug."""

    def __init__(self, parts: VolumeParts) -> None:
        self.front = {
            PageKind.COVER: PdfReader(BytesIO(parts.cover)),
            PageKind.INDEX: PdfReader(BytesIO(parts.index)),
            PageKind.NOTES: PdfReader(BytesIO(parts.notes)),
        }
        self.items = [PdfReader(BytesIO(item.pdf)) for item in parts.items]

    def page(self, planned: PlannedPage) -> PageObject:
        if planned.kind is PageKind.ITEM:
            if planned.item is None or not 0 <= planned.item < len(self.items):
                raise ValueError(f"page plan names item {planned.item}, not among the parts")
            reader = self.items[planned.item]
        else:
            reader = self.front[planned.kind]
        if planned.page >= len(reader.pages):
            raise ValueError(f"page plan asks for page {planned.page} of a {planned.kind} part")
        return reader.pages[planned.page]


def _stamp_forms(writer: PdfWriter, plan: PagePlan) -> dict[int, IndirectObject]:
    """Every 页号 of the plan as a form XObject in ``writer`` (set flush left for a left-hand
    corner), drawn by reportlab in one small overlay document."""
    stamped = [page for page in plan.pages if page.number is not None]
    if not stamped:
        return {}
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=STAMP_BOX, invariant=1, initialFontName=face("song").name)
    for page in stamped:
        canvas.setFont(face("song").name, STAMP_SIZE)
        if _left(page.corner):
            canvas.drawString(0, STAMP_BASELINE, str(page.number))
        else:
            canvas.drawRightString(STAMP_BOX[0], STAMP_BASELINE, str(page.number))
        canvas.showPage()
    canvas.save()
    overlay = PdfReader(BytesIO(buffer.getvalue()))
    forms = {}
    for page, drawn in zip(stamped, overlay.pages, strict=True):
        form = DecodedStreamObject()
        contents = drawn["/Contents"].get_object()
        assert isinstance(contents, StreamObject)  # reportlab writes one stream a page
        form.set_data(contents.get_data())
        form[NameObject("/Type")] = NameObject("/XObject")
        form[NameObject("/Subtype")] = NameObject("/Form")
        form[NameObject("/BBox")] = ArrayObject(FloatObject(v) for v in (0, 0, *STAMP_BOX))
        form[NameObject("/Resources")] = drawn["/Resources"].clone(writer)
        assert page.number is not None  # filtered above
        forms[page.number] = writer._add_object(form)
    return forms


def _left(corner: str | None) -> bool:
    return corner in ("top_left", "bottom_left")


def _stream(writer: PdfWriter, data: bytes) -> IndirectObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)  # pypdf has no public way to add a loose object


def _stamp(
    writer: PdfWriter,
    page: PageObject,
    form: IndirectObject,
    corner: str,
    brackets: tuple[IndirectObject, IndirectObject],
) -> None:
    """Draw the number's form in ``corner`` of the page's visible box, after its content."""
    if page.rotation:
        page.transfer_rotation_to_content()  # the number stands upright as the page is seen
    box = page.cropbox
    width, height = STAMP_BOX
    x = float(box.left) + EDGE_X if _left(corner) else float(box.right) - EDGE_X - width
    top = corner.startswith("top")
    y = float(box.top) - EDGE_Y - height if top else float(box.bottom) + EDGE_Y
    call = _stream(writer, f"q 1 0 0 1 {x:.2f} {y:.2f} cm {FORM_NAME} Do Q\n".encode())
    contents = page.raw_get("/Contents") if "/Contents" in page else None
    resolved = contents.get_object() if contents is not None else None
    own = list(resolved) if isinstance(resolved, ArrayObject) else [contents] if contents else []
    opening, closing = brackets
    page[NameObject("/Contents")] = ArrayObject([opening, *own, closing, call])
    resources = _copy(page.get("/Resources"))
    xobjects = _copy(resources.get("/XObject"))
    xobjects[FORM_NAME] = form
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources


def _copy(dictionary: object) -> DictionaryObject:
    """A new dictionary with the same (unresolved) entries: the original may be shared by
    other pages, which must not gain this page's number."""
    copy = DictionaryObject()
    resolved = dictionary.get_object() if isinstance(dictionary, IndirectObject) else dictionary
    if isinstance(resolved, DictionaryObject):
        for key in resolved:
            copy[NameObject(key)] = resolved.raw_get(key)
    return copy


def _page_label_runs(plan: PagePlan) -> list[LabelRun]:
    """The PDF page labels (what a viewer shows as the page's name) as runs of physical pages
    (first, last 0-based, style, prefix, start): a numbered page is named by its 页号, so
    "go to page 10" in a viewer opens 页号 10; the other pages by what they are."""
    runs: list[LabelRun] = []
    for index, planned in enumerate(plan.pages):
        label: Label
        if planned.number is not None:
            label = (PageLabelStyle.DECIMAL, None, planned.number)
        else:
            prefix, style = UNNUMBERED_LABELS[planned.kind]
            label = (style, prefix, 1)
        # numbered pages next to each other always carry numbers that follow on (the plan)
        if runs and runs[-1][2:4] == label[:2]:
            runs[-1] = (runs[-1][0], index, *runs[-1][2:])
        else:
            runs.append((index, index, *label))
    return runs


def _outline(writer: PdfWriter, plan: PagePlan, parts: VolumeParts) -> None:
    """A bookmark per part in volume order: 案卷（首页）, 卷内目录, each item by its 目录 line,
    卷内备考表."""
    for physical, planned in enumerate(plan.pages):
        if planned.page != 0 or planned.kind is PageKind.BLANK:
            continue
        if planned.kind is PageKind.ITEM:
            assert planned.item is not None  # an item page names its item
            title = parts.items[planned.item].title
        else:
            title = FRONT_TITLES[planned.kind]
        writer.add_outline_item(title, physical)
