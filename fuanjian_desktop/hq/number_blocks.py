"""HQ hands out 案号/文号 blocks (号段): one per laptop at enrollment, another when it runs low.

``docs/numbering.md`` explains why laptops number from blocks: two laptops working offline can
only never issue the same number if their blocks are disjoint. Before sync an administrator typed
in the block the bureau allocated; now HQ, which sees every block of every laptop, chooses it.
The plan (block size, top-up threshold, when next year's blocks start) is the bureau's and lives
in ``resources/sync/number_plan.json`` with its reasons; the prefix is the one the laptops print
(``resources/documents/numbering.json``).

The overlap rule is the laptop's own (``domain.numbering.check_block``): HQ runs it on every block
it places and on every typed-in block a laptop pushes, so the two sides cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from fuanjian_desktop.domain.numbering import MAX_SERIAL, Block, check_block, next_serial
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.envelopes import hq_envelope
from fuanjian_desktop.hq.models import HqDevice
from fuanjian_desktop.hq.publish import publish
from fuanjian_desktop.hq.sequence import lock_sequence
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import IssuedNumber, NumberBlock
from fuanjian_desktop.resources import load_json_resource

PLAN_RESOURCE = ("sync", "number_plan.json")
HQ_NOTE = "区局分配"


@dataclass(frozen=True)
class NumberPlan:
    """How HQ sizes and renews blocks: ``block_size`` serials each, a new one when fewer than
    ``threshold`` remain, and from ``next_year_from`` (month, day) next year's blocks too."""

    prefix: str
    block_size: int
    threshold: int
    next_year_from: tuple[int, int]

    def years(self, today: dt.date) -> tuple[int, ...]:
        """The years a laptop needs blocks for on ``today``: this one, and from December the
        next (a laptop offline over New Year must still number on 2 January)."""
        if (today.month, today.day) >= self.next_year_from:
            return (today.year, today.year + 1)
        return (today.year,)


@functools.cache
def number_plan() -> NumberPlan:
    """The bureau's plan from ``resources/sync/number_plan.json`` (refused if inconsistent)."""
    data = load_json_resource(*PLAN_RESOURCE)
    prefix = str(load_json_resource("documents", "numbering.json")["prefix"])
    month, day = (int(part) for part in str(data["next_year_from"]).split("-"))
    plan = NumberPlan(prefix, int(data["block_size"]), int(data["threshold"]), (month, day))
    if not 0 < plan.threshold < plan.block_size <= MAX_SERIAL:
        raise UserError(
            "号段计划（resources/sync/number_plan.json）不正确：补发阈值应小于号段大小，"
            f"号段大小不超过{MAX_SERIAL}。"
        )
    return plan


def place_block(known: Iterable[Block], prefix: str, year: int, size: int) -> Block:
    """The lowest run of ``size`` serials of ``prefix``/``year`` that no known block touches.

    Blocks of another prefix or year do not count. The result is checked once more with the
    laptop's own overlap rule, so an allocation error cannot slip out as a block.
    """
    known = list(known)
    series = sorted((b for b in known if (b.prefix, b.year) == (prefix, year)), key=_first)
    start = 1
    for block in series:
        if block.first - start >= size:
            break
        start = max(start, block.last + 1)
    placed = Block(prefix, year, start, start + size - 1)
    if placed.last > MAX_SERIAL:
        raise UserError(
            f"{year}年的文号（{prefix}）已没有连续{size}个未分配的号，区局无法再分配号段。"
            "请调整号段计划（resources/sync/number_plan.json）。"
        )
    check_block(placed, known)
    return placed


def remaining(blocks: Sequence[Block], used: Iterable[int]) -> int:
    """How many serials a laptop can still take for its busiest document code.

    Each code counts upwards on its own (``next_serial``); the serials a laptop used for any
    code bound the code used most, which is the one that runs out first. A serial in two of the
    laptop's blocks (a typed-in block overlapping HQ's) counts once.
    """
    upcoming = next_serial(blocks, used)
    if upcoming is None:
        return 0
    count, reached = 0, upcoming - 1
    for block in sorted(blocks, key=_first):
        start = max(block.first, reached + 1)
        if block.last >= start:
            count += block.last - start + 1
        reached = max(reached, block.last)
    return count


def top_up(session: Session, device_id: str, now: dt.datetime | None = None) -> list[int]:
    """Give ``device_id`` a new block for each year it needs one (fewer than the threshold left).

    Runs inside the caller's transaction (enrollment, a push); returns the revisions published,
    empty when the device has enough. The device's squad receives the block through the pull.
    """
    device = session.get(HqDevice, device_id)
    if device is None:
        raise UserError(f"区局没有登记设备“{device_id}”，无法分配文号号段。")
    plan = number_plan()
    today = (now or dt.datetime.now(dt.UTC)).astimezone().date()
    lock_sequence(session)  # two enrollments at once must not both take one free gap
    revisions: list[int] = []
    for year in plan.years(today):
        known = _known_blocks(session, plan.prefix, year)
        mine = [block for block, owner in known if owner == device_id]
        if remaining(mine, _highest_used(session, device_id, mine)) >= plan.threshold:
            continue
        placed = place_block((block for block, _owner in known), plan.prefix, year, plan.block_size)
        revisions.append(_publish_block(session, placed, device))
    return revisions


def overlapping_block(session: Session, entity_id: str, fields: Mapping[str, Any]) -> str | None:
    """Why a ``number_block`` a laptop pushed collides with another laptop's block, or ``None``.

    A typed-in block (a laptop that could not reach HQ) is accepted when it is disjoint from the
    blocks of every other device of its prefix and year; otherwise the Chinese reason is returned
    for the push to record as a ``number`` conflict. Overlap with the same laptop's own blocks is
    no collision: one laptop cannot issue a number twice (``issued_number`` is unique on it), and
    it happens whenever a laptop that typed a block in is enrolled (HQ allocates before it sees
    the typed-in block in the first push).
    """
    block = Block(
        str(fields["prefix"]), int(fields["year"]), int(fields["first"]), int(fields["last"])
    )
    rows = session.scalars(
        select(NumberBlock).where(
            NumberBlock.prefix == block.prefix,
            NumberBlock.year == block.year,
            NumberBlock.id != entity_id,
            NumberBlock.device_id != str(fields["device_id"]),
        )
    )
    try:
        check_block(block, [_block(row) for row in rows])
    except UserError as refused:
        return refused.message
    return None


def _first(block: Block) -> int:
    return block.first


def _block(row: NumberBlock) -> Block:
    return Block(row.prefix, row.year, row.first, row.last)


def _known_blocks(session: Session, prefix: str, year: int) -> list[tuple[Block, str]]:
    rows = session.scalars(
        select(NumberBlock).where(NumberBlock.prefix == prefix, NumberBlock.year == year)
    )
    return [(_block(row), row.device_id) for row in rows]


def _highest_used(session: Session, device_id: str, blocks: Sequence[Block]) -> list[int]:
    """The highest serial the device issued inside its blocks (as a list for ``remaining``):
    one aggregate, not every number a busy laptop ever issued, on each push."""
    if not blocks:
        return []
    prefix, year = blocks[0].prefix, blocks[0].year
    inside = or_(*(IssuedNumber.serial.between(block.first, block.last) for block in blocks))
    top = session.scalar(
        select(func.max(IssuedNumber.serial)).where(
            IssuedNumber.device_id == device_id,
            IssuedNumber.prefix == prefix,
            IssuedNumber.year == year,
            inside,
        )
    )
    return [] if top is None else [top]


def _publish_block(session: Session, block: Block, device: HqDevice) -> int:
    fields = {
        "prefix": block.prefix,
        "year": block.year,
        "first": block.first,
        "last": block.last,
        "squad_id": device.squad_id,
        "device_id": device.id,
        "note": HQ_NOTE,
    }
    return publish(session, hq_envelope("number_block", new_id(), fields), device.squad_id)
