"""The volume assembled from its parts: 页号 on the numbered pages only and in the planned
corner, duplex blanks, a bookmark per part at its first page, fonts embedded, same bytes
for the same input. Expected pages are written out by hand from the plan rules (COMMON:
cover, 目录 and 备考表 unnumbered; duplex: every part starts on an odd physical page; back
pages take the outer corner)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from fuanjian_desktop.documents.fonts import face
from fuanjian_desktop.dossier.pagination import plan_pages
from fuanjian_desktop.dossier.render.assemble import ItemPart, VolumeParts, assemble
from tests.dossier.pdf_check import corner_text, page_texts, text_boxes, unembedded_fonts

CORNERS = ("top_right", "top_left", "bottom_right", "bottom_left")


def text_pdf(label: str, pages: int, *, rotate: int = 0) -> bytes:
    """A part whose every page says which it is, in the middle of the page only."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, initialFontName=face("song").name)
    for page in range(pages):
        canvas.setFont(face("song").name, 14)
        canvas.drawCentredString(A4[0] / 2, A4[1] / 2, f"{label}第{page + 1}页")
        canvas.showPage()
    canvas.save()
    if not rotate:
        return buffer.getvalue()
    writer = PdfWriter(clone_from=PdfReader(buffer))
    for each in writer.pages:
        each.rotate(rotate)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def parts(items: tuple[bytes, ...] | None = None) -> VolumeParts:
    """Cover, 目录, three items of 1, 3 and 2 pages, 备考表."""
    items = items or (text_pdf("决定书", 1), text_pdf("扫描件", 3), text_pdf("笔录", 2))
    titles = ("行政处罚决定书（深福）应急罚〔2026〕1号", "立案审批表（扫描件）", "询问笔录")
    return VolumeParts(
        title="某公司未按规定培训案",
        cover=text_pdf("首页", 1),
        index=text_pdf("目录", 1),
        items=[ItemPart(title, pdf) for title, pdf in zip(titles, items, strict=True)],
        notes=text_pdf("备考表", 1),
    )


def volume(*, duplex: bool = False, position: str = "top_right") -> bytes:
    plan = plan_pages((1, 1), (1, 3, 2), 1, duplex=duplex, position=position)
    return assemble(plan, parts())


def numbers_by_page(pdf: bytes) -> list[dict[str, str]]:
    """Per physical page, the text found in each corner (empty corners left out)."""
    count = len(PdfReader(io.BytesIO(pdf)).pages)
    found = []
    for index in range(count):
        corners = {corner: corner_text(pdf, index, corner) for corner in CORNERS}
        found.append({corner: text for corner, text in corners.items() if text})
    return found


def test_numbers_only_on_item_pages_top_right() -> None:
    pdf = volume()
    expected = [
        {},  # 首页
        {},  # 目录
        {"top_right": "1"},
        {"top_right": "2"},
        {"top_right": "3"},
        {"top_right": "4"},
        {"top_right": "5"},
        {"top_right": "6"},
        {},  # 备考表
    ]
    assert numbers_by_page(pdf) == expected
    texts = [text.strip() for text in page_texts(pdf)]
    assert texts[0] == "首页第1页"
    assert texts[1] == "目录第1页"
    assert texts[3].startswith("扫描件第1页")
    assert texts[8] == "备考表第1页"


def test_bottom_right_position() -> None:
    found = numbers_by_page(volume(position="bottom_right"))
    assert found[2] == {"bottom_right": "1"}
    assert found[7] == {"bottom_right": "6"}
    assert found[0] == found[1] == found[8] == {}


def test_duplex_blanks_and_back_pages() -> None:
    pdf = volume(duplex=True)
    # 1 首页, 2 blank, 3 目录, 4 blank, 5 item 1 (#1), 6 blank, 7-9 item 2 (#2-#4),
    # 10 blank, 11-12 item 3 (#5, #6), 13 备考表
    expected = [
        {},
        {},
        {},
        {},
        {"top_right": "1"},
        {},
        {"top_right": "2"},
        {"top_left": "3"},
        {"top_right": "4"},
        {},
        {"top_right": "5"},
        {"top_left": "6"},
        {},
    ]
    assert numbers_by_page(pdf) == expected
    texts = [text.strip() for text in page_texts(pdf)]
    assert [index + 1 for index, text in enumerate(texts) if not text] == [2, 4, 6, 10]
    assert texts[12] == "备考表第1页"


def test_duplex_bottom_back_page_takes_bottom_left() -> None:
    found = numbers_by_page(volume(duplex=True, position="bottom_right"))
    assert found[7] == {"bottom_left": "3"}
    assert found[6] == {"bottom_right": "2"}


def test_bookmarks_point_to_each_part_start() -> None:
    reader = PdfReader(io.BytesIO(volume(duplex=True)))
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert outline == [
        ("案卷（首页）", 0),
        ("卷内目录", 2),
        ("行政处罚决定书（深福）应急罚〔2026〕1号", 4),
        ("立案审批表（扫描件）", 6),
        ("询问笔录", 10),
        ("卷内备考表", 12),
    ]


def test_title_fonts_and_determinism() -> None:
    first, second = volume(), volume()
    assert first == second
    reader = PdfReader(io.BytesIO(first))
    assert reader.metadata is not None
    assert reader.metadata.title == "某公司未按规定培训案"
    assert unembedded_fonts(first) == []


def test_rotated_scan_page_is_numbered_as_seen() -> None:
    """A scan stored sideways (/Rotate 90) gets its number in the corner the reader sees."""
    items = (text_pdf("决定书", 1), text_pdf("扫描件", 3, rotate=90), text_pdf("笔录", 2))
    plan = plan_pages((1, 1), (1, 3, 2), 1, duplex=False, position="top_right")
    pdf = assemble(plan, parts(items))
    assert numbers_by_page(pdf)[3] == {"top_right": "2"}


def test_plan_and_parts_must_agree() -> None:
    plan = plan_pages((1, 1), (1, 4, 2), 1, duplex=False, position="top_right")
    with pytest.raises(ValueError, match="page 3"):
        assemble(plan, parts())


def test_viewer_page_labels_are_the_printed_numbers() -> None:
    """A viewer's "go to page 5" opens 页号 5; unnumbered pages are named by what they are."""
    plain = PdfReader(io.BytesIO(volume())).page_labels
    assert plain == ["首页", "目录1", "1", "2", "3", "4", "5", "6", "备考表"]
    duplex = PdfReader(io.BytesIO(volume(duplex=True))).page_labels
    assert duplex == [
        "首页", "空白", "目录1", "空白", "1", "空白", "2", "3", "4", "空白", "5", "6", "备考表",
    ]  # fmt: skip


A4_WIDTH, A4_HEIGHT = 595.28, 841.89
MM = 72 / 25.4


def number_box(pdf: bytes, index: int, number: str) -> tuple[float, float, float, float]:
    """The box around the digits of ``number`` in the margins of page ``index`` (the parts'
    own text is in the middle of the page)."""
    boxes = [
        box
        for char, box in text_boxes(pdf, index)
        if char.isdigit() and abs(box[1] - A4_HEIGHT / 2) > 100
    ]
    assert len(boxes) == len(number)
    return (
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


@pytest.mark.parametrize(
    ("duplex", "position", "page", "number", "corner"),
    [
        (False, "top_right", 2, "1", "top_right"),
        (True, "top_right", 7, "3", "top_left"),
        (False, "bottom_right", 7, "6", "bottom_right"),
        (True, "bottom_right", 11, "6", "bottom_left"),
    ],
)
def test_number_sits_12mm_from_the_side_and_within_15mm_of_the_edge(
    duplex: bool, position: str, page: int, number: str, corner: str
) -> None:
    """Flush with a point 12 mm in from the outer side; its digits within 10–15 mm of the top
    or bottom edge (a 小四 number in the margin, clear of the text frame)."""
    left, bottom, right, top = number_box(volume(duplex=duplex, position=position), page, number)
    if corner.endswith("right"):
        assert right == pytest.approx(A4_WIDTH - 12 * MM, abs=1.5)
    else:
        assert left == pytest.approx(12 * MM, abs=1.5)
    if corner.startswith("top"):
        assert bottom >= A4_HEIGHT - 15 * MM and top <= A4_HEIGHT - 10 * MM
    else:
        assert bottom >= 10 * MM and top <= 15 * MM
