"""The list pages: 音像资料目录 (listed, never embedded), 案卷自查表 (veto marked, score),
页号 labels and the 页号编写清单 for the paper volume."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader

from fuanjian_desktop.dossier.render.labels import (
    label_page_count,
    render_labels,
    render_stamp_list,
)
from fuanjian_desktop.dossier.render.media import render_media_index
from fuanjian_desktop.dossier.render.model import CheckFinding, MediaRow, SelfCheckInfo, StampRow
from fuanjian_desktop.dossier.render.self_check_sheet import render_self_check
from fuanjian_desktop.errors import UserError
from tests.dossier.pdf_check import image_sizes, page_texts, unembedded_fonts


def compact(pdf: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page_texts(pdf)))


def media(title: str, gap: str = "") -> MediaRow:
    return MediaRow(
        title=title,
        kind="视频",
        device="DSJ-A17",
        officer="张伟",
        started_at=dt.datetime(2026, 3, 2, 1, 30, 5, tzinfo=dt.UTC),
        ended_at=dt.datetime(2026, 3, 2, 1, 52, 10, tzinfo=dt.UTC),
        step="现场检查",
        sha256="0123456789abcdef" + "f" * 48,
        gap_reason=gap,
    )


def test_media_index_lists_records_in_china_time() -> None:
    pdf = render_media_index([media("现场检查录像", "电池耗尽中断3分钟"), media("询问录音")])
    text = compact(pdf)
    assert "音像资料目录" in text
    assert "1现场检查录像（视频）DSJ-A17；张伟2026-03-0209:30:05至09:52:10现场检查" in text
    assert "0123456789abcdef电池耗尽中断3分钟" in text
    assert "2询问录音（视频）" in text
    assert "f" * 17 not in text  # only the prefix is printed
    assert image_sizes(pdf) == [[]]  # nothing embedded
    assert unembedded_fonts(pdf) == []


def test_media_index_running_over_a_day_gives_the_end_date() -> None:
    row = media("夜间检查录像")
    late = MediaRow(**{**row.__dict__, "ended_at": dt.datetime(2026, 3, 2, 16, 10, tzinfo=dt.UTC)})
    assert "至2026-03-0300:10:00" in compact(render_media_index([late]))


def test_self_check_sheet_marks_veto_and_score() -> None:
    findings = [
        CheckFinding("基本标准·程序合法", "决定书早于告知书送达", 0, veto=True, blocking=True),
        CheckFinding("卷面标准·卷内目录", "询问笔录未附扫描件", 1.5, veto=False, blocking=False),
    ]
    info = SelfCheckInfo("某公司案", "深福应急罚〔2026〕12号", findings, 0, dt.date(2026, 5, 6))
    text = compact(render_self_check(info))
    assert "1基本标准·程序合法决定书早于告知书送达★是" in text
    assert "2卷面标准·卷内目录询问笔录未附扫描件1.5" in text
    assert "自查得分：0分（满分100分）。存在一票否决项（★），案卷为不合格卷。" in text
    assert "自查日期：2026年5月6日" in text


def test_self_check_sheet_without_findings() -> None:
    info = SelfCheckInfo("某公司案", "深福应急罚〔2026〕12号", [], 100, dt.date(2026, 5, 6))
    text = compact(render_self_check(info))
    assert "未发现问题" in text and "自查得分：100分（满分100分）。无一票否决项。" in text


@pytest.mark.parametrize(("count", "pages"), [(1, 1), (84, 1), (85, 2), (300, 4)])
def test_label_pages_by_hand(count: int, pages: int) -> None:
    # 6 columns × 14 rows = 84 labels a page
    assert label_page_count(count) == pages
    assert len(PdfReader(io.BytesIO(render_labels(count))).pages) == pages


def test_labels_run_from_one_to_the_count() -> None:
    pages = page_texts(render_labels(85))
    assert re.findall(r"\d+", pages[1].split("。")[-1]) == ["85"]
    numbers = [int(n) for n in re.findall(r"\d+", pages[0].split("。")[-1])]
    assert numbers == list(range(1, 85))


def test_stamp_list_names_each_items_numbers() -> None:
    rows = [StampRow(1, "行政处罚决定书", 1, 3), StampRow(2, "立案审批表", 4, 4)]
    text = compact(render_stamp_list(rows))
    assert "本卷材料共4页" in text
    assert "1行政处罚决定书1至33" in text
    assert "2立案审批表41" in text


def test_empty_lists_are_refused() -> None:
    with pytest.raises(UserError):
        render_media_index([])
    with pytest.raises(UserError):
        render_labels(0)
    with pytest.raises(UserError):
        render_stamp_list([])
