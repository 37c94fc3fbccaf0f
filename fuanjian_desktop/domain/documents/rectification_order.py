"""The deadlines of a 责令限期整改指令书: one per problem, or one for the order, never two.

The 2016 form orders "上述第__项问题于__年__月__日前整改完毕"; each hazard carries its own due
date (安全生产法第六十五条第一款第二项, the register and the 复查 go by it). When the hazards share
a date the order prints it once; when they differ each problem carries its own and the order
says the problems are put right by those dates, so no sentence names a date another contradicts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from fuanjian_desktop.domain.documents.document_text import item_numbers, written_date

BY_ITEM = "分别于各项所列整改期限前"
STATED_DUE = re.compile(r"整改期限：(\d{4})年(\d{1,2})月(\d{1,2})日")
WRITTEN_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")


@dataclass(frozen=True)
class OrderTerms:
    """What the order prints: the problems, 第几项, and either the one date or :data:`BY_ITEM`."""

    problems: tuple[str, ...]
    items: str
    due: str
    by_item: str


def order_terms(problems: Sequence[tuple[str, dt.date]]) -> OrderTerms:
    """The order's text for problems given with their due dates, in the order found."""
    dues = {due for _, due in problems}
    items = item_numbers(len(problems))
    if len(dues) > 1:
        marked = tuple(f"{text}（整改期限：{written_date(due)}）" for text, due in problems)
        return OrderTerms(marked, items, "", BY_ITEM)
    shared = written_date(next(iter(dues))) if dues else ""
    return OrderTerms(tuple(text for text, _ in problems), items, shared, "")


def deadline_conflicts(
    problems: Sequence[str], due: str, by_item: str, hazard_dues: Sequence[dt.date]
) -> list[str]:
    """Why the order's deadlines disagree with each other or with the hazards' due dates
    (Chinese, each naming the right date); empty when the order may be issued."""
    due, by_item = due.strip(), by_item.strip()
    if due and by_item:
        return [f"整改期限“{due}”与“{by_item}”只能写一种，请删去其中一种。"]
    if not due and not by_item:
        return ["请写明整改期限：各项问题期限相同时填写整改期限，不同时在各项问题后写明各自期限。"]
    stated = [_stated(text) for text in problems]
    if due:
        return _one_date_conflicts(due, stated, hazard_dues)
    return _per_item_conflicts(stated, hazard_dues)


def _one_date_conflicts(
    due: str, stated: Sequence[dt.date | None], hazard_dues: Sequence[dt.date]
) -> list[str]:
    order_due = parse_written_date(due)
    if order_due is None:
        return [f"整改期限“{due}”不是日期，请写成“2026年12月21日”的形式。"]
    distinct = sorted(set(hazard_dues))
    if len(distinct) > 1:
        each = "、".join(f"第{n}项{written_date(d)}" for n, d in enumerate(hazard_dues, start=1))
        return [
            f"各项隐患的整改期限不同（{each}），指令书不能另写一个整改期限“{due}”。"
            f"请删去整改期限，改为“{BY_ITEM}”，并在各项问题后写明各自期限。"
        ]
    problems = [
        f"第{n}项问题写明的整改期限是{written_date(d)}，与指令书的整改期限{due}不一致，"
        f"请改为{due}。"
        for n, d in enumerate(stated, start=1)
        if d is not None and d != order_due
    ]
    if distinct and distinct[0] != order_due:
        problems.insert(
            0, f"整改期限应为{written_date(distinct[0])}（隐患的整改期限），指令书写的是{due}。"
        )
    return problems


def _per_item_conflicts(
    stated: Sequence[dt.date | None], hazard_dues: Sequence[dt.date]
) -> list[str]:
    problems = []
    matched = len(stated) == len(hazard_dues)
    for number, day in enumerate(stated, start=1):
        right = hazard_dues[number - 1] if matched else None
        if day is None:
            should = f"（应为{written_date(right)}）" if right else ""
            problems.append(f"第{number}项问题没有写明整改期限{should}，请在该项后写明。")
        elif right is not None and day != right:
            problems.append(
                f"第{number}项问题的整改期限应为{written_date(right)}（隐患的整改期限），"
                f"指令书写的是{written_date(day)}。"
            )
    return problems


def _stated(problem: str) -> dt.date | None:
    """The date a problem's text gives as its 整改期限, if any."""
    match = STATED_DUE.search(problem)
    return _date(*match.groups()) if match else None


def parse_written_date(text: str) -> dt.date | None:
    """``2026年12月21日`` as a date; ``None`` when the text is not one."""
    match = WRITTEN_DATE.match(text.strip())
    return _date(*match.groups()) if match else None


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
