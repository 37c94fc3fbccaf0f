"""Number blocks (号段) at every boundary: the laptop's overlap check and HQ's allocator.

The issue asks for the boundary the old check never pinned: a block ending exactly where another
starts, one inside another, identical ones, and other prefixes or years that do not collide.
Every expected value below is written by hand from the rule "serials first–last inclusive, one
prefix and year, no serial in two blocks".
"""

from __future__ import annotations

import datetime as dt

import pytest

from fuanjian_desktop.domain.numbering import Block, check_block
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.number_blocks import NumberPlan, number_plan, place_block, remaining

P, Y = "深福", 2026
HELD = Block(P, Y, 101, 200)

# (candidate first, last, prefix, year) → overlaps HELD (101–200, 深福, 2026)?
OVERLAP_TABLE = [
    pytest.param(200, 300, P, Y, True, id="starts on the other's last serial"),
    pytest.param(201, 300, P, Y, False, id="starts right after the other's last"),
    pytest.param(1, 101, P, Y, True, id="ends on the other's first serial"),
    pytest.param(1, 100, P, Y, False, id="ends right before the other's first"),
    pytest.param(120, 180, P, Y, True, id="inside the other"),
    pytest.param(1, 300, P, Y, True, id="around the other"),
    pytest.param(101, 200, P, Y, True, id="identical"),
    pytest.param(200, 200, P, Y, True, id="one serial, the other's last"),
    pytest.param(101, 200, "深福田", Y, False, id="same serials, other prefix"),
    pytest.param(101, 200, P, 2027, False, id="same serials, other year"),
]


@pytest.mark.parametrize(("first", "last", "prefix", "year", "overlaps"), OVERLAP_TABLE)
def test_laptop_check_block_boundaries(
    first: int, last: int, prefix: str, year: int, overlaps: bool
):
    """The laptop's check_block refuses exactly the candidates sharing a serial with 101–200."""
    candidate = Block(prefix, year, first, last)
    if overlaps:
        with pytest.raises(UserError, match="重叠"):
            check_block(candidate, [HELD])
    else:
        check_block(candidate, [HELD])


# (blocks known, size) → the block HQ places
PLACEMENT_TABLE = [
    pytest.param([], 200, (1, 200), id="first block of the year"),
    pytest.param([(1, 200)], 200, (201, 400), id="starts right after the last one"),
    pytest.param([(1, 200), (401, 600)], 200, (201, 400), id="gap of exactly the size"),
    pytest.param([(1, 200), (400, 600)], 200, (601, 800), id="gap one serial too small"),
    pytest.param([(5, 10)], 4, (1, 4), id="fits before the first block, ending next to it"),
    pytest.param([(5, 10)], 5, (11, 15), id="one too many for the space before"),
    pytest.param([(1, 500), (100, 200)], 200, (501, 700), id="a block inside another"),
    pytest.param([(1, 200), (1, 200)], 200, (201, 400), id="identical blocks"),
    pytest.param([(300, 400), (1, 100)], 150, (101, 250), id="known blocks in any order"),
]


@pytest.mark.parametrize(("known", "size", "expected"), PLACEMENT_TABLE)
def test_allocator_places_the_lowest_free_run(
    known: list[tuple[int, int]], size: int, expected: tuple[int, int]
):
    """HQ takes the lowest run of free serials; touching a neighbour is fine, sharing is not."""
    blocks = [Block(P, Y, first, last) for first, last in known]
    assert place_block(blocks, P, Y, size) == Block(P, Y, *expected)


def test_allocator_ignores_other_prefixes_and_years():
    """Blocks of another prefix or year do not take serials of this series."""
    others = [Block("深福田", Y, 1, 500), Block(P, 2025, 1, 500)]
    assert place_block(others, P, Y, 200) == Block(P, Y, 1, 200)


def test_allocator_refuses_when_the_year_is_full():
    """No run of the size left below 99999: a Chinese refusal, no block past the last serial."""
    with pytest.raises(UserError, match="无法再分配号段"):
        place_block([Block(P, Y, 1, 99_900)], P, Y, 200)
    assert place_block([Block(P, Y, 1, 99_799)], P, Y, 200) == Block(P, Y, 99_800, 99_999)


REMAINING_TABLE = [
    pytest.param([(1, 200)], [], 200, id="nothing used"),
    pytest.param([(1, 200)], [1, 2, 50], 150, id="after the highest used"),
    pytest.param([(1, 200)], [200], 0, id="last serial used"),
    pytest.param([(1, 200), (401, 600)], [200], 200, id="the next block is all left"),
    pytest.param([(1, 200), (401, 600)], [450, 10], 150, id="inside the second block"),
    pytest.param([(101, 200)], [50, 99_000], 100, id="serials outside the blocks ignored"),
    pytest.param([(1, 200), (1, 500)], [50], 450, id="overlapping own blocks count once"),
    pytest.param([(1, 500), (100, 200)], [], 500, id="a block inside another counts once"),
]


@pytest.mark.parametrize(("blocks", "used", "left"), REMAINING_TABLE)
def test_remaining_counts_from_the_busiest_code(
    blocks: list[tuple[int, int]], used: list[int], left: int
):
    """Remaining serials = those above the highest this laptop used (any code) in its blocks."""
    assert remaining([Block(P, Y, first, last) for first, last in blocks], used) == left


def test_next_years_blocks_from_december():
    """From 1 December a laptop also needs next year's block; on 30 November not yet."""
    plan = NumberPlan(P, 200, 30, (12, 1))
    assert plan.years(dt.date(2026, 11, 30)) == (2026,)
    assert plan.years(dt.date(2026, 12, 1)) == (2026, 2027)
    assert plan.years(dt.date(2027, 1, 1)) == (2027,)


def test_shipped_plan_is_consistent():
    """The shipped plan: 200-serial blocks, renewed below 30, the laptops' prefix 深福."""
    assert number_plan() == NumberPlan("深福", 200, 30, (12, 1))
