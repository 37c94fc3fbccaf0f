"""The order of a volume's items: both conventions against orders written out by hand from
§4.2 (the Tianjin list for "result first"; 立案 → 调查取证 → 审查 → 决定 → 送达 → 执行 → 结案 for
"chronological"), the rule for keys the conventions do not know, and a person's moves."""

from __future__ import annotations

import datetime as dt

import pytest

from fuanjian_desktop.dossier.binding import (
    BindingItem,
    OrderOverride,
    conventions,
    order_items,
    parse_overrides,
)
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import load_json_resource


def on(month: int, day: int) -> dt.date:
    return dt.date(2026, month, day)


# A general-procedure case as the app holds it, deliberately listed out of any order.
CASE = (
    BindingItem("doc:closing", "closing_approval", on(5, 10), "（深福）应急结〔2026〕3号"),
    BindingItem("doc:receipt", "service_receipt", on(4, 9), "（深福）应急回〔2026〕3号"),
    BindingItem("media", "media_index", on(3, 2)),
    BindingItem("doc:inq-b", "inquiry_record", on(3, 10)),
    BindingItem("doc:decision", "penalty_decision", on(4, 8), "（深福）应急罚〔2026〕3号"),
    BindingItem("doc:notice10", "inquiry_notice", on(3, 7), "（深福）应急询〔2026〕10号"),
    BindingItem("doc:report", "investigation_report", on(3, 25), "（深福）应急终报〔2026〕3号"),
    BindingItem("doc:check", "inspection_record", on(3, 2), "（深福）应急检记〔2026〕5号"),
    BindingItem("doc:filing", "filing_approval", on(3, 5), "（深福）应急立〔2026〕3号"),
    BindingItem("doc:approval", "case_handling_approval", on(4, 3), "（深福）应急处呈〔2026〕3号"),
    BindingItem("doc:notice9", "inquiry_notice", on(3, 7), "（深福）应急询〔2026〕9号"),
    BindingItem("doc:statement", "statement_record", on(3, 30)),
    BindingItem("doc:order", "rectification_order", on(3, 2), "（深福）应急责改〔2026〕7号"),
    BindingItem("photos", "photo_evidence", on(3, 2)),
    BindingItem("doc:inq-a", "inquiry_record", on(3, 8)),
    BindingItem("doc:recheck", "recheck_opinion", on(3, 20), "（深福）应急复查〔2026〕2号"),
    BindingItem("doc:penalty-notice", "penalty_notice", on(3, 28), "（深福）应急罚告〔2026〕3号"),
)

# Tianjin (津安监管法字〔2009〕28号): 决定书 2, 立案审批表 3, 询问通知书 4, 询问笔录 5, 现场检查记录
# 12, 责令改正指令书 13, 整改复查意见书 14, then ours: photos, media, 调查终结报告 at the end of
# the evidence; 告知书 17, 陈述申辩 18, 呈批表 23, 送达回执 28, 结案审批表 30. Inside one kind:
# by date (询问笔录 8日 before 10日), on the same day by 文号 (9号 before 10号).
RESULT_FIRST = [
    "doc:decision",
    "doc:filing",
    "doc:notice9",
    "doc:notice10",
    "doc:inq-a",
    "doc:inq-b",
    "doc:check",
    "doc:order",
    "doc:recheck",
    "photos",
    "media",
    "doc:report",
    "doc:penalty-notice",
    "doc:statement",
    "doc:approval",
    "doc:receipt",
    "doc:closing",
]

CHRONOLOGICAL = [
    "doc:filing",  # 立案
    "doc:check",  # 调查取证
    "doc:order",
    "doc:recheck",
    "doc:notice9",
    "doc:notice10",
    "doc:inq-a",
    "doc:inq-b",
    "photos",
    "media",
    "doc:report",  # 审查
    "doc:penalty-notice",
    "doc:statement",
    "doc:approval",
    "doc:decision",  # 决定
    "doc:receipt",  # 送达
    "doc:closing",  # 结案
]


def keys(items: tuple[BindingItem, ...]) -> list[str]:
    return [item.key for item in items]


def test_result_first_follows_the_tianjin_list() -> None:
    binding = order_items(CASE, "result_first")
    assert keys(binding.items) == RESULT_FIRST
    assert binding.stale == ()


def test_chronological_follows_the_procedure() -> None:
    assert keys(order_items(CASE, "chronological").items) == CHRONOLOGICAL


def test_the_order_does_not_depend_on_the_order_given() -> None:
    for convention in ("result_first", "chronological"):
        forward = keys(order_items(CASE, convention).items)
        assert keys(order_items(CASE[::-1], convention).items) == forward


def test_an_unknown_key_joins_the_phase_its_date_falls_in() -> None:
    """Dated the day after the 调查终结报告 (the last known item on or before it): after the
    known items of that phase — 调查取证 in result_first, 审查 in chronological."""
    extra = BindingItem("doc:new", "some_future_type", on(3, 26))
    result_first = keys(order_items((*CASE, extra), "result_first").items)
    assert result_first == [*RESULT_FIRST[:12], "doc:new", *RESULT_FIRST[12:]]
    chronological = keys(order_items((*CASE, extra), "chronological").items)
    assert chronological == [*CHRONOLOGICAL[:14], "doc:new", *CHRONOLOGICAL[14:]]


def test_an_undated_unknown_key_goes_last_and_an_early_one_ends_the_first_phase() -> None:
    undated = BindingItem("doc:undated", "some_future_type", None)
    early = BindingItem("doc:early", "some_future_type", on(1, 1))
    result = keys(order_items((*CASE, undated, early), "result_first").items)
    assert result == ["doc:decision", "doc:early", *RESULT_FIRST[1:], "doc:undated"]


def test_a_person_moves_items_after_the_computed_order() -> None:
    """Moves apply in the order made; a position past the end puts the item last."""
    moves = (
        OrderOverride("doc:closing", 1, "局长要求结案审批表置前"),
        OrderOverride("doc:decision", 99, "放最后"),
    )
    result = keys(order_items(CASE, "result_first", moves).items)
    assert result == ["doc:closing", *RESULT_FIRST[1:-1], "doc:decision"]


def test_a_move_of_an_item_no_longer_in_the_volume_is_ignored_and_reported() -> None:
    gone = OrderOverride("doc:voided", 2, "已作废的文书")
    binding = order_items(CASE, "result_first", (gone, OrderOverride("photos", 1, "照片在前")))
    assert keys(binding.items) == ["photos", *(k for k in RESULT_FIRST if k != "photos")]
    assert binding.stale == (gone,)


def test_stored_moves_are_read_and_a_malformed_one_is_a_chinese_error() -> None:
    rows = [{"item": "photos", "position": 3, "reason": " 照片靠前 "}]
    assert parse_overrides(rows) == (OrderOverride("photos", 3, "照片靠前"),)
    for bad in (
        {"item": "photos", "position": 0, "reason": "x"},
        {"item": "photos", "position": 2},
    ):
        with pytest.raises(UserError, match="第1项调整顺序记录不完整"):
            parse_overrides([bad])


def test_an_unknown_convention_is_a_chinese_error() -> None:
    with pytest.raises(UserError, match="未知的卷内排列顺序“by_colour”"):
        order_items(CASE, "by_colour")


def test_every_document_kind_has_one_place_in_each_convention() -> None:
    """Every type of types.json, the photos and the 音像资料目录: exactly once each."""
    kinds = {row["key"] for row in load_json_resource("documents", "types.json")["types"]}
    expected = kinds | {"photo_evidence", "media_index"}
    for convention in conventions().values():
        placed = [key for _, phase in convention.phases for key in phase]
        assert sorted(placed) == sorted(expected), convention.key


def test_result_first_keeps_the_tianjin_numbers_in_order() -> None:
    """Our additions are placed between Tianjin's entries, never reordering them."""
    data = load_json_resource("dossier", "binding_order.json")["conventions"]["result_first"]
    numbers = [
        entry["tianjin_no"]
        for phase in data["phases"]
        for entry in phase["entries"]
        if entry["placement"] == "tianjin"
    ]
    assert numbers == sorted(numbers)
    assert numbers[0] == 2 and numbers[-1] == 30
    unmapped = {row["tianjin_no"] for row in data["tianjin_unmapped"]}
    assert set(numbers) | unmapped == set(range(1, 33))
