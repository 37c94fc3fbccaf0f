"""卷内备考表 (GB/T 9705 layout): 本卷情况说明 with the counts, the clerk's notes and every
reopening (date, approver, reason); 立卷人, 检查人, 立卷时间; always exactly one page."""

from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader

from fuanjian_desktop.dossier.render.model import NotesInfo, Reopening
from fuanjian_desktop.dossier.render.notes import render_notes
from tests.dossier.pdf_check import page_texts, unembedded_fonts


def compact(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page_texts(pdf)))


def test_situation_lists_counts_notes_and_reopenings() -> None:
    info = NotesInfo(
        notes="询问笔录第2页有当事人涂改，已由当事人签名确认。",
        filed_by="王芳",
        checked_by="刘强",
        filed_on=dt.date(2026, 5, 6),
        item_count=12,
        page_count=38,
        reopenings=(Reopening(dt.date(2026, 6, 1), "补充罚款缴纳凭证", "陈军"),),
    )
    assert compact(render_notes(info)) == (
        "卷内备考表"
        "本卷情况说明："
        "本卷共有文件材料12件，共38页（案卷首页、卷内目录和备考表不编页号）。"
        "询问笔录第2页有当事人涂改，已由当事人签名确认。"
        "2026年6月1日经陈军批准重新打开案卷，原因：补充罚款缴纳凭证。"
        "立卷人：王芳"
        "检查人：刘强"
        "立卷时间：2026年5月6日"
    )


def test_blank_form_before_filing() -> None:
    text = compact(render_notes(NotesInfo("", None, None, None)))
    assert text == "卷内备考表本卷情况说明：立卷人：检查人：立卷时间：年月日"


def test_long_notes_stay_on_one_page() -> None:
    info = NotesInfo("卷内材料说明。" * 400, "王芳", "刘强", dt.date(2026, 5, 6), 12, 38)
    pdf = render_notes(info)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert compact(pdf).endswith("立卷人：王芳检查人：刘强立卷时间：2026年5月6日")
    assert unembedded_fonts(pdf) == []
