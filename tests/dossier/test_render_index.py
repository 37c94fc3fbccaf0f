"""卷内目录 (template p56): 14 ruled rows a page under 序号 / 文件名称及编号 / 日期 / 页号 /
备注, continued on further pages with the title and heads repeated; the page count depends
only on the number of rows, however long a title is."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from fuanjian_desktop.dossier.render.index import index_page_count, render_index
from fuanjian_desktop.dossier.render.model import IndexRow
from tests.dossier.pdf_check import page_texts, text_boxes, unembedded_fonts

HEADS = ("序号", "文件名称及编号", "日期", "页号", "备注")
# rows -> pages, by hand: the template rules 14 rows a page; an empty 目录 is one blank form
PAGES = {0: 1, 1: 1, 13: 1, 14: 1, 15: 2, 28: 2, 29: 3, 42: 3, 43: 4}


@pytest.mark.parametrize(("rows", "pages"), sorted(PAGES.items()))
def test_page_count_table(rows: int, pages: int) -> None:
    assert index_page_count(rows) == pages


def row(number: int, title: str = "", pages: str = "", remark: str = "") -> IndexRow:
    return IndexRow(
        number=number,
        title=title or f"第{number}件材料",
        date=dt.date(2026, 3, number % 28 + 1),
        pages=pages or str(number),
        remark=remark,
    )


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_continued_on_second_page_with_heads_repeated() -> None:
    rows = [row(n) for n in range(1, 16)]
    pdf = render_index(rows)
    texts = [compact(text) for text in page_texts(pdf)]
    assert len(texts) == 2
    assert texts[0].startswith("卷内目录" + "".join(HEADS))
    assert texts[1].startswith("卷内目录（续）" + "".join(HEADS))
    assert "第14件材料" in texts[0] and "第15件材料" not in texts[0]
    assert "第15件材料" in texts[1] and "第14件材料" not in texts[1]
    assert texts[1] == "卷内目录（续）" + "".join(HEADS) + "15第15件材料2026031615"
    assert unembedded_fonts(pdf) == []


def test_columns_read_in_template_order() -> None:
    pdf = render_index([row(1, "行政处罚决定书（深福）应急罚〔2026〕12号", "10\u201312", "已更正")])
    text = compact(page_texts(pdf)[0])
    assert text.endswith("1行政处罚决定书（深福）应急罚〔2026〕12号2026030210\u201312已更正")


@pytest.mark.parametrize("count", [1, 14, 15, 29])
def test_long_text_never_adds_a_page(count: int) -> None:
    long_title = "安全生产违法行为行政处罚决定书附件说明" * 12
    rows = [row(n, long_title, "100\u2013199", "系统生成副本；" * 10) for n in range(1, count + 1)]
    pdf = render_index(rows)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == PAGES[count]


def test_short_title_is_printed_whole() -> None:
    title = "整改复查意见书（深福）应急复查〔2026〕7号"
    assert title in compact(page_texts(render_index([row(1, title)]))[0])


def test_same_rows_same_bytes() -> None:
    rows = [row(n) for n in range(1, 4)]
    assert render_index(rows) == render_index(rows)


def test_a_title_too_long_for_a_line_breaks_before_its_number() -> None:
    title = "行政处罚决定书（单位）（深福）应急罚〔2026〕7号"
    lines = [line.strip() for line in page_texts(render_index([row(1, title)]))[0].splitlines()]
    assert "行政处罚决定书（单位）" in lines
    # the 文号's line shares its height with the date and 页号 cells
    assert any(line.startswith("（深福）应急罚〔2026〕7号") for line in lines)


def test_page_range_dash_reads_as_a_dash_not_a_full_width_rule() -> None:
    """The Chinese faces draw U+2013 a full em wide (10—12); the 目录 narrows it to about half
    an em of its 五号 (10.5 pt) digits, and keeps the character in the text."""
    pdf = render_index([row(1, pages="10\u201312")])
    dashes = [box for char, box in text_boxes(pdf, 0) if char == "\u2013"]
    assert len(dashes) == 1
    left, _bottom, right, _top = dashes[0]
    assert right - left <= 0.6 * 10.5
