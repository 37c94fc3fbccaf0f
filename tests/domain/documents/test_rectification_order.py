"""An order's deadlines: one per problem or one for the order, never two that disagree."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from fuanjian_desktop.documents.compose import Wording, compose
from fuanjian_desktop.documents.sheet import Numbered, Paragraph, Sheet
from fuanjian_desktop.documents.spec import document_spec
from fuanjian_desktop.documents.wording import law_texts
from fuanjian_desktop.domain.documents.rectification_order import (
    BY_ITEM,
    deadline_conflicts,
    order_terms,
)

D = dt.date
FIRE = "未做到：疏散通道保持畅通"
EXTINGUISHER = "未做到：灭火器定期检查"
TRAINING = "未做到：从业人员经安全培训合格"
WORDING = Wording(law_texts(D(2026, 12, 7)), {"bureau_name": "深圳市福田区应急管理局"})
CLOSING = re.compile(r"现责令你单位对上述第(?P<items>[0-9、]+)项问题(?P<rest>.*?)整改完毕")
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def test_a_shared_date_is_printed_once() -> None:
    """Problems due the same day carry no dates; the order names that day once."""
    terms = order_terms([(FIRE, D(2026, 12, 21)), (EXTINGUISHER, D(2026, 12, 21))])
    assert terms.problems == (FIRE, EXTINGUISHER)
    assert (terms.items, terms.due, terms.by_item) == ("1、2", "2026年12月21日", "")


def test_different_dates_go_with_each_problem_and_the_order_names_none() -> None:
    """The issue's order: problem 3 due 12月14日 is no longer contradicted by a 12月21日."""
    terms = order_terms(
        [(FIRE, D(2026, 12, 21)), (EXTINGUISHER, D(2026, 12, 21)), (TRAINING, D(2026, 12, 14))]
    )
    assert terms.problems == (
        "未做到：疏散通道保持畅通（整改期限：2026年12月21日）",
        "未做到：灭火器定期检查（整改期限：2026年12月21日）",
        "未做到：从业人员经安全培训合格（整改期限：2026年12月14日）",
    )
    assert (terms.due, terms.by_item) == ("", "分别于各项所列整改期限前")


def test_a_typed_order_date_contradicting_a_problem_is_refused_with_the_right_date() -> None:
    """The review's order (problem 3 by 12月14日, the order by 12月21日) is refused."""
    problems = [FIRE, EXTINGUISHER, f"{TRAINING}（整改期限：2026年12月14日）"]
    dues = [D(2026, 12, 21), D(2026, 12, 21), D(2026, 12, 14)]
    assert deadline_conflicts(problems, "2026年12月21日", "", dues) == [
        "各项隐患的整改期限不同（第1项2026年12月21日、第2项2026年12月21日、第3项2026年12月14日），"
        "指令书不能另写一个整改期限“2026年12月21日”。"
        "请删去整改期限，改为“分别于各项所列整改期限前”，并在各项问题后写明各自期限。"
    ]


def test_a_typed_shared_date_other_than_the_hazards_is_refused() -> None:
    """The one date must be the hazards' due date; the message gives it."""
    dues = [D(2026, 12, 21), D(2026, 12, 21)]
    assert deadline_conflicts([FIRE, EXTINGUISHER], "2026年12月30日", "", dues) == [
        "整改期限应为2026年12月21日（隐患的整改期限），指令书写的是2026年12月30日。"
    ]


def test_a_problem_date_against_the_order_date_is_refused() -> None:
    """A problem stating its own date that differs from the order's one date is named."""
    problems = [FIRE, f"{EXTINGUISHER}（整改期限：2026年12月14日）"]
    conflicts = deadline_conflicts(problems, "2026年12月21日", "", [])
    assert conflicts == [
        "第2项问题写明的整改期限是2026年12月14日，与指令书的整改期限2026年12月21日不一致，"
        "请改为2026年12月21日。"
    ]


def test_per_item_dates_must_be_the_hazards_and_both_forms_together_are_refused() -> None:
    """Each problem's date is its hazard's; an order date beside 分别于… is refused; none too."""
    dues = [D(2026, 12, 21), D(2026, 12, 14)]
    problems = [f"{FIRE}（整改期限：2026年12月21日）", EXTINGUISHER]
    assert deadline_conflicts(problems, "", BY_ITEM, dues) == [
        "第2项问题没有写明整改期限（应为2026年12月14日），请在该项后写明。"
    ]
    assert deadline_conflicts(problems, "2026年12月21日", BY_ITEM, dues)[0].startswith(
        "整改期限“2026年12月21日”与“分别于各项所列整改期限前”只能写一种"
    )
    assert deadline_conflicts(problems, "", "", dues)[0].startswith("请写明整改期限")


def _applying(sheet: Sheet) -> list[set[dt.date]]:
    """For each printed problem, every date the printed order makes it due by."""
    items = next(block.items for block in sheet.blocks if isinstance(block, Numbered))
    texts = ["".join(run.text for run in b.runs) for b in sheet.blocks if isinstance(b, Paragraph)]
    closing = next((m for text in texts if (m := CLOSING.search(text))), None)
    covered = {int(n) for n in closing["items"].split("、")} if closing else set()
    order_dates = {D(*map(int, m)) for m in DATE.findall(closing["rest"])} if closing else set()
    return [
        {D(*map(int, m)) for m in DATE.findall(item)} | (order_dates if n in covered else set())
        for n, item in enumerate(items, start=1)
        if item.strip()
    ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from([D(2026, 12, 14), D(2026, 12, 21), D(2027, 1, 4)]), min_size=1, max_size=6
    )
)
def test_an_issued_order_never_carries_two_disagreeing_deadlines(dues: list[dt.date]) -> None:
    """Whatever the hazards' dates (equal or not), every problem of the printed order is due by
    exactly one date, its hazard's, and the order's own values pass the issue check."""
    terms = order_terms([(f"第{n}项问题", due) for n, due in enumerate(dues, start=1)])
    values = {
        "party_name": "深圳市某某有限公司",
        "problems": list(terms.problems),
        "rectify_items": terms.items,
        "rectify_due": terms.due,
        "rectify_by_item": terms.by_item,
    }
    sheet = compose(document_spec("rectification_order"), values, WORDING)
    assert _applying(sheet) == [{due} for due in dues]
    assert deadline_conflicts(terms.problems, terms.due, terms.by_item, dues) == []


DATES = [D(2026, 12, 14), D(2026, 12, 21), D(2027, 1, 4)]


@st.composite
def typed_orders(draw: st.DrawFn) -> tuple[list[dt.date], dict[str, object]]:
    """Hazards' due dates and an order as a person might have edited it: any one date or none,
    分别于… or not, each problem with any stated date or none."""
    dues = draw(st.lists(st.sampled_from(DATES), min_size=1, max_size=5))
    stated = [draw(st.sampled_from([None, *DATES])) for _ in dues]
    problems = [
        f"第{n}项问题" + (f"（整改期限：{written}）" if day else "")
        for n, day in enumerate(stated, start=1)
        for written in [f"{day.year}年{day.month}月{day.day}日" if day else ""]
    ]
    due = draw(st.sampled_from(["", *(f"{d.year}年{d.month}月{d.day}日" for d in DATES)]))
    values = {
        "party_name": "深圳市某某有限公司",
        "problems": problems,
        "rectify_items": "、".join(str(n) for n in range(1, len(dues) + 1)),
        "rectify_due": due,
        "rectify_by_item": draw(st.sampled_from(["", BY_ITEM])),
    }
    return dues, values


@settings(max_examples=300, deadline=None)
@given(typed_orders())
def test_an_edited_order_the_check_lets_through_has_one_right_date_per_problem(
    order: tuple[list[dt.date], dict[str, object]],
) -> None:
    """Whatever a person typed, an order the issue check accepts makes each problem due by
    exactly one date, its hazard's; anything else is refused."""
    dues, values = order
    problems = [str(p) for p in values["problems"]]  # type: ignore[attr-defined]
    conflicts = deadline_conflicts(
        problems, str(values["rectify_due"]), str(values["rectify_by_item"]), dues
    )
    sheet = compose(document_spec("rectification_order"), values, WORDING)
    if not conflicts:
        assert _applying(sheet) == [{due} for due in dues]
