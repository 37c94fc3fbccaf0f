"""The Word renderer: every value printed, Chinese faces named, fields, footer and table rows."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from fuanjian_desktop.documents import sheet as model
from fuanjian_desktop.documents.docx import render_docx
from fuanjian_desktop.documents.fonts import ROLES
from fuanjian_desktop.documents.pdf import BOTTOM, LEFT, RIGHT, TOP, number_line
from tests.documents.sheets import every_block_sheet

WORD_FACES = {word for word, _system, _bundled in ROLES.values()}
CHECK_CODE = "（深福）应急测〔2026〕7号|0123456789ab"


def open_docx(sheet: model.Sheet, **options: Any) -> Any:
    stream = io.BytesIO()
    render_docx(sheet, stream, **options)
    stream.seek(0)
    return docx.Document(stream)


def body(document: Any) -> Any:
    return document.element.body


def footer(document: Any) -> Any:
    return document.sections[0].footer.part.element


def header(document: Any) -> Any:
    return document.sections[0].header.part.element


def text(element: Any) -> str:
    return "".join(t.text or "" for t in element.iter(qn("w:t")))


def values(sheet: model.Sheet) -> list[str]:
    """Every filled text of the sheet's blocks."""
    found: list[str] = []
    for block in sheet.blocks:
        if isinstance(block, model.Paragraph):
            found += [run.text for run in block.runs if run.kind == "value"]
        elif isinstance(block, model.Lines):
            found += [entry.value for row in block.rows for entry in row]
        elif isinstance(block, model.Numbered):
            found += list(block.items)
        elif isinstance(block, model.Table):
            found += [*block.headers, *(cell for row in block.rows for cell in row)]
        elif isinstance(block, model.Box):
            found += [run.text for row in block.rows for cell in row for run in cell.runs]
        elif isinstance(block, model.Signatures):
            found += [run.text for line in block.lines for run in line.after]
        elif isinstance(block, model.Seal):
            found += [block.text, block.date]
    return found


def table_with(document: Any, heading: str) -> Any:
    """The first table whose first row shows ``heading``."""
    return next(t for t in document.tables if heading in text(t._tbl.tr_lst[0]))


def test_every_value_of_every_block_is_printed() -> None:
    sheet = every_block_sheet(paragraphs=2)
    document = open_docx(sheet)
    printed = text(body(document))
    for value in [sheet.banner, sheet.title, number_line(sheet), *values(sheet)]:
        assert value in printed
    assert sheet.footnote in text(footer(document))


def test_a_draft_prints_the_blank_number_pattern() -> None:
    sheet = every_block_sheet()
    draft = model.Sheet(sheet.title, sheet.code, None, sheet.blocks, footnote=sheet.footnote)
    assert number_line(draft) in text(body(open_docx(draft, draft=True)))


@pytest.mark.parametrize("continues", [False, True])
def test_every_run_names_its_chinese_face(continues: bool) -> None:
    document = open_docx(every_block_sheet(continues=continues), qr=CHECK_CODE, draft=True)
    runs = [run for part in (body, header, footer) for run in part(document).iter(qn("w:r"))]
    assert len(runs) > 30
    for run in runs:
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None, text(run)
        assert fonts.get(qn("w:eastAsia")) in WORD_FACES, text(run)
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:eastAsia"))


def test_the_banner_is_hei_over_a_rule_and_the_body_is_fangsong() -> None:
    document = open_docx(every_block_sheet())
    banner, _title, number = document.paragraphs[:3]
    assert banner.text == model.BANNER
    assert banner._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None
    assert banner.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert banner.runs[0].font.size == Pt(20)
    assert number.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    body_run = next(r for p in document.paragraphs for r in p.runs if "第0段" in r.text)
    assert body_run._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"


def test_styles_drop_theme_fonts_and_normal_is_fangsong_xiaosi() -> None:
    document = open_docx(every_block_sheet())
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        assert not [name for name in fonts.attrib if name.lower().endswith("theme")]
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:ascii")) == "仿宋"
    assert fonts.get(qn("w:hAnsi")) == "仿宋"
    assert normal.font.size == Pt(12)
    assert normal.paragraph_format.line_spacing == Pt(22)
    assert normal.paragraph_format.space_after == 0


def test_the_page_is_a4_with_the_pdf_margins() -> None:
    section = open_docx(every_block_sheet()).sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.1)
    assert abs(section.page_height - Mm(297)) < Mm(0.1)
    margins = (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin)
    for margin, points in zip(margins, (LEFT, RIGHT, TOP, BOTTOM), strict=True):
        assert abs(margin - Pt(points)) < Mm(0.1)


def test_the_footer_counts_pages_with_word_fields() -> None:
    page_footer = footer(open_docx(every_block_sheet()))
    fields = [f.get(qn("w:instr")).split()[0] for f in page_footer.iter(qn("w:fldSimple"))]
    assert fields == ["NUMPAGES", "PAGE"]
    assert "共 1 页  第 1 页" in text(page_footer)


def test_a_continued_sheet_repeats_its_signatures_in_the_footer_only() -> None:
    sheet = every_block_sheet(continues=True)
    document = open_docx(sheet)
    assert sheet.repeated is not None
    for line in sheet.repeated.lines:
        assert line.label in text(footer(document))
        assert line.label not in text(body(document))
    assert "44030012345" in text(footer(document))


def test_a_single_sheet_keeps_its_signatures_in_the_body() -> None:
    document = open_docx(every_block_sheet(continues=False))
    assert "执法人员（签名）" in text(body(document))
    assert "执法人员（签名）" not in text(footer(document))


def test_a_table_repeats_its_header_row_and_never_splits_a_row() -> None:
    sheet = every_block_sheet()
    table = table_with(open_docx(sheet), "证据名称")
    rows = table._tbl.tr_lst
    ruled = next(b for b in sheet.blocks if isinstance(b, model.Table))
    assert len(rows) == 1 + max(len(ruled.rows), ruled.minimum)
    assert rows[0].trPr.find(qn("w:tblHeader")) is not None
    assert all(row.trPr.find(qn("w:tblHeader")) is None for row in rows[1:])
    assert all(row.trPr.find(qn("w:cantSplit")) is not None for row in rows)


def test_a_box_is_ruled_in_two_columns_with_single_cells_spanning_both() -> None:
    table = table_with(open_docx(every_block_sheet()), "案件基本情况")
    first, second = table._tbl.tr_lst
    assert [tc.grid_span for tc in first.tc_lst] == [2]
    assert [tc.grid_span for tc in second.tc_lst] == [1, 1]
    assert table._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:insideV")).get(qn("w:val")) == (
        "single"
    )


def test_form_lines_underline_their_values() -> None:
    table = table_with(open_docx(every_block_sheet()), "案由")
    value = table._tbl.tr_lst[0].tc_lst[1]
    assert text(value) == "未按规定培训"
    assert value.tcPr.find(f"{qn('w:tcBorders')}/{qn('w:bottom')}") is not None


def test_numbered_items_are_padded_to_their_minimum() -> None:
    table = table_with(open_docx(every_block_sheet()), "1．")
    assert [text(row.tc_lst[0]) for row in table._tbl.tr_lst] == ["1．", "2．", "3．"]


def test_the_header_carries_the_check_code_and_the_draft_mark() -> None:
    document = open_docx(every_block_sheet(), qr=CHECK_CODE, draft=True)
    page_header = header(document)
    assert CHECK_CODE in text(page_header)
    assert "草稿" in text(page_header)
    assert len(list(page_header.iter(qn("a:blip")))) == 1
    assert document.sections[0].header.part.related_parts  # the QR picture is stored


def test_an_issued_document_has_no_header_when_not_asked() -> None:
    document = open_docx(every_block_sheet())
    assert document.sections[0].header.is_linked_to_previous


def test_markup_and_control_characters_in_values_are_printed_safely() -> None:
    awkward = model.Paragraph((model.Run("A<&>B\x0bC", "value"),))
    sheet = every_block_sheet()
    sheet = model.Sheet(sheet.title, sheet.code, sheet.number, (awkward, *sheet.blocks))
    assert "A<&>B C" in text(body(open_docx(sheet)))


def test_it_writes_to_a_path(tmp_path: Path) -> None:
    target = tmp_path / "测试文书.docx"
    render_docx(every_block_sheet(), target)
    assert "测试文书" in text(docx.Document(str(target)).element.body)


def test_a_long_table_renders_in_linear_time() -> None:
    """Moving parsed rows one by one into the document took lxml 30 s for 2000 rows."""
    rows = tuple((str(i), f"物品{i}", "1") for i in range(2000))
    table = model.Table(("序号", "名称", "数量"), (1, 4, 1), rows)
    sheet = model.Sheet("证据清单", None, None, (table,))
    started = time.perf_counter()
    document = open_docx(sheet)
    assert time.perf_counter() - started < 8
    assert len(document.tables[0].rows) == 2001
