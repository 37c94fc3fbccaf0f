"""The page plan of a volume, against plans worked out by hand: items numbered from 1, cover,
目录, 备考表 and duplex blanks unnumbered, every part on a right-hand page when duplex, the 页号
in the corner the setting names (mirrored on a back page), ranges with an EN DASH."""

from __future__ import annotations

import pytest

from fuanjian_desktop.dossier.pagination import PageKind, PagePlan, page_ref, plan_pages
from fuanjian_desktop.errors import UserError

C, X, T, B, N = PageKind.COVER, PageKind.INDEX, PageKind.ITEM, PageKind.BLANK, PageKind.NOTES


def rows(plan: PagePlan) -> list[tuple[PageKind, int | None, int | None, str | None]]:
    """(kind, item, number, corner) of every physical page."""
    return [(page.kind, page.item, page.number, page.corner) for page in plan.pages]


def test_a_simplex_volume_numbers_the_items_only() -> None:
    """Cover 1 page, 目录 1 page, items of 1, 3 and 2 pages, 备考表 1 page."""
    plan = plan_pages((1, 1), [1, 3, 2], 1, duplex=False, position="top_right")
    assert rows(plan) == [
        (C, None, None, None),
        (X, None, None, None),
        (T, 0, 1, "top_right"),
        (T, 1, 2, "top_right"),
        (T, 1, 3, "top_right"),
        (T, 1, 4, "top_right"),
        (T, 2, 5, "top_right"),
        (T, 2, 6, "top_right"),
        (N, None, None, None),
    ]
    assert [item.label for item in plan.items] == ["1", "2–4", "5–6"]
    assert [item.first_physical for item in plan.items] == [3, 4, 7]
    assert plan.numbered == 6


def test_a_duplex_volume_starts_every_part_on_a_right_hand_page() -> None:
    """Same volume duplex: blanks after the cover, the 目录, the first item and the second
    (3 pages, ends on a front); a back page carries its number top left."""
    plan = plan_pages((1, 1), [1, 3, 2], 1, duplex=True, position="top_right")
    assert rows(plan) == [
        (C, None, None, None),  # 1
        (B, None, None, None),  # 2
        (X, None, None, None),  # 3
        (B, None, None, None),  # 4
        (T, 0, 1, "top_right"),  # 5
        (B, None, None, None),  # 6
        (T, 1, 2, "top_right"),  # 7
        (T, 1, 3, "top_left"),  # 8
        (T, 1, 4, "top_right"),  # 9
        (B, None, None, None),  # 10
        (T, 2, 5, "top_right"),  # 11
        (T, 2, 6, "top_left"),  # 12
        (N, None, None, None),  # 13: item 2 ended on a back page, no blank needed
    ]
    assert [item.label for item in plan.items] == ["1", "2–4", "5–6"]
    assert [item.first_physical for item in plan.items] == [5, 7, 11]
    assert plan.numbered == 6
    assert plan.first_physical(PageKind.INDEX) == 3
    assert plan.first_physical(PageKind.NOTES) == 13


def test_an_index_of_two_pages_moves_pages_but_not_numbers() -> None:
    """The 目录 running onto a second page shifts the physical pages, never the 页号 it lists."""
    one = plan_pages((1, 1), [2, 1, 4], 1, duplex=False, position="top_right")
    two = plan_pages((1, 2), [2, 1, 4], 1, duplex=False, position="top_right")
    assert [item.label for item in two.items] == ["1–2", "3", "4–7"]
    assert [item.label for item in one.items] == [item.label for item in two.items]
    assert [item.first_physical for item in two.items] == [4, 6, 7]
    assert [page.kind for page in two.pages[:3]] == [C, X, X]
    # duplex: cover, blank, 目录 on 3–4, the first item on 5 without another blank
    duplex = plan_pages((1, 2), [2, 1, 4], 1, duplex=True, position="top_right")
    assert [page.kind for page in duplex.pages[:5]] == [C, B, X, X, T]
    assert [item.first_physical for item in duplex.items] == [5, 7, 9]
    assert duplex.pages[7].kind is B  # item 2 (one page, on 7) is followed by a blank
    assert duplex.first_physical(PageKind.NOTES) == 13


def test_bottom_right_numbers_mirror_to_bottom_left_on_a_back() -> None:
    simplex = plan_pages((1, 1), [2], 1, duplex=False, position="bottom_right")
    assert [p.corner for p in simplex.pages if p.number] == ["bottom_right", "bottom_right"]
    duplex = plan_pages((1, 1), [2], 1, duplex=True, position="bottom_right")
    assert [p.corner for p in duplex.pages if p.number] == ["bottom_right", "bottom_left"]


def test_unnumbered_pages_carry_no_number_or_corner() -> None:
    plan = plan_pages((1, 3), [1, 2, 1, 5], 2, duplex=True, position="top_right")
    for page in plan.pages:
        numbered = page.kind is PageKind.ITEM
        assert (page.number is not None) == numbered
        assert (page.corner is not None) == numbered
    numbers = [page.number for page in plan.pages if page.number is not None]
    assert numbers == list(range(1, 10))
    starts = [plan.first_physical(kind) for kind in (PageKind.INDEX, PageKind.NOTES)]
    assert all(start % 2 == 1 for start in starts + [i.first_physical for i in plan.items])


def test_page_ref_uses_an_en_dash() -> None:
    assert page_ref(5, 5) == "5"
    assert page_ref(10, 12) == "10\u201312"


def test_a_wrong_position_or_an_empty_item_is_a_chinese_error() -> None:
    with pytest.raises(UserError, match="未知的页号位置“middle”"):
        plan_pages((1, 1), [1], 1, duplex=False, position="middle")
    with pytest.raises(UserError, match="第2件材料没有页面"):
        plan_pages((1, 1), [1, 0, 3], 1, duplex=False, position="top_right")
