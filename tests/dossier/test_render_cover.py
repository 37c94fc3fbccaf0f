"""案卷（首页） (template p55): authority, 安全生产违法案件 / 案卷（首页）, the cover's 文号,
案件名称, 案由 and 处理结果 boxes, 立案 / 结案 dates, 承办人, 归档日期, 归档号, 保存期限,
本卷 件数 / 页数; before archiving the 归档 lines are blank rules."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace

from pypdf import PdfReader

from fuanjian_desktop.dossier.render.cover import render_cover
from fuanjian_desktop.dossier.render.model import CoverInfo
from tests.dossier.pdf_check import page_texts, unembedded_fonts

ARCHIVED = CoverInfo(
    authority="深圳市福田区应急管理局",
    number="（深福）应急案〔2026〕3号",
    case_name="深圳市华强电子有限公司未按规定对从业人员进行安全生产教育和培训案",
    cause="未按照规定对从业人员进行安全生产教育和培训",
    result="罚款人民币叁万元整，已缴清",
    filed_on=dt.date(2026, 3, 2),
    closed_on=dt.date(2026, 4, 28),
    officers=("张伟", "李娜"),
    archived_on=dt.date(2026, 5, 6),
    archive_no="20260003",
    retention="永久",
    item_count=12,
    page_count=38,
)
OPEN = replace(ARCHIVED, number=None, archived_on=None, archive_no=None)


def text_of(cover: CoverInfo) -> str:
    pdf = render_cover(cover)
    [text] = page_texts(pdf)
    return re.sub(r"\s+", "", text)


def test_archived_cover_reads_as_the_template() -> None:
    expected = (
        "深圳市福田区应急管理局"
        "安全生产违法案件"
        "案卷（首页）"
        "（深福）应急案〔2026〕3号"
        "案件名称：深圳市华强电子有限公司未按规定对从业人员进行安全生产教育和培训案"
        "案由未按照规定对从业人员进行安全生产教育和培训"
        "处理结果罚款人民币叁万元整，已缴清"
        "立案：2026年3月2日"
        "结案：2026年4月28日"
        "承办人：张伟李娜"
        "归档日期：2026年5月6日"
        "归档号：20260003"
        "保存期限：永久"
        "本卷共12件38页"
    )
    assert text_of(ARCHIVED) == expected


def test_before_archiving_the_archive_lines_are_blank() -> None:
    text = text_of(OPEN)
    assert "（）应急案〔〕号" in text
    assert "归档日期：年月日归档号：保存期限：永久" in text
    assert "20260003" not in text


def test_three_officers_share_the_second_line() -> None:
    text = text_of(replace(ARCHIVED, officers=("张伟", "李娜", "王强")))
    assert "承办人：张伟李娜、王强" in text


def test_very_long_name_takes_two_lines_whole() -> None:
    name = (
        "深圳市福田区某某科技发展股份有限公司华强北分公司"
        "未按照规定在有较大危险因素的生产经营场所设置明显的安全警示标志案"
    )
    assert name in text_of(replace(ARCHIVED, case_name=name))


def test_one_a4_page_fonts_embedded_same_bytes() -> None:
    pdf = render_cover(ARCHIVED)
    [page] = PdfReader(io.BytesIO(pdf)).pages
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    assert unembedded_fonts(pdf) == []
    assert render_cover(ARCHIVED) == pdf


def test_authority_not_named_like_a_bureau_prints_whole() -> None:
    text = text_of(replace(ARCHIVED, authority="深圳市福田区福田街道办事处"))
    assert text.startswith("深圳市福田区福田街道办事处安全生产违法案件")


def test_missing_authority_leaves_the_place_blank() -> None:
    assert text_of(replace(ARCHIVED, authority="")).startswith("应急管理局安全生产违法案件")
