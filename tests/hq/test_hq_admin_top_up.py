"""HQ's number-block top-up on a real HQ database: disjoint blocks per laptop, renewed in time.

Expected blocks are written by hand from the shipped plan: 200 serials a block, a new one when
fewer than 30 remain, next year's from 1 December, prefix 深福.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests.hq.hq_admin_support)

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.envelopes import hq_envelope
from fuanjian_desktop.hq.models import HqDevice, HqRevision
from fuanjian_desktop.hq.number_blocks import overlapping_block, top_up
from fuanjian_desktop.hq.publish import publish
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import NumberBlock
from tests.hq.hq_admin_support import (  # noqa: F401
    add_device,
    hq,
    hq_any,
    hq_db,
    hq_sqlite_url,
    squad_id,
)

JUNE = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)
DECEMBER = dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)


def blocks_of(hq: HqDatabase, device: str) -> list[tuple[int, int, int]]:
    """(year, first, last) of the device's blocks in HQ's mirror."""
    with hq.read() as session:
        rows = session.scalars(
            select(NumberBlock).where(NumberBlock.device_id == device).order_by(NumberBlock.first)
        )
        return [(row.year, row.first, row.last) for row in rows]


def run_top_up(hq: HqDatabase, device: str, now: dt.datetime = JUNE) -> list[int]:
    """``top_up`` in its own transaction, as enrollment and push call it."""
    with hq.write() as session:
        return top_up(session, device, now)


def issue(hq: HqDatabase, device: str, serial: int, code: str = "应急责改") -> None:
    """Mirror a number the laptop issued (as its push would)."""
    fields = {
        "prefix": "深福",
        "code": code,
        "year": 2026,
        "serial": serial,
        "part": 1,
        "text": f"（深福）{code}〔2026〕{serial}号",
        "squad_id": _squad_of(hq, device),
        "device_id": device,
        "entity_type": "enforcement_case",
        "entity_id": new_id(),
        "status": "used",
    }
    with hq.write() as session:
        publish(session, hq_envelope("issued_number", new_id(), fields), fields["squad_id"])


def typed_in_block(hq: HqDatabase, device: str, first: int, last: int) -> None:
    """Mirror a block an administrator typed in on a laptop (as its push would)."""
    fields = {
        "prefix": "深福",
        "year": 2026,
        "first": first,
        "last": last,
        "squad_id": _squad_of(hq, device),
        "device_id": device,
        "note": None,
    }
    with hq.write() as session:
        publish(session, hq_envelope("number_block", new_id(), fields), fields["squad_id"])


def _squad_of(hq: HqDatabase, device: str) -> str:
    with hq.read() as session:
        row = session.get(HqDevice, device)
        assert row is not None
        return row.squad_id


def test_laptops_get_disjoint_blocks_published_to_their_squad(hq_any: HqDatabase):
    """Two 园岭 laptops and a 南园 one: 1–200, 201–400, 401–600, each to its own squad."""
    first = add_device(hq_any, "园岭", "园岭一号机")
    second = add_device(hq_any, "园岭", "园岭二号机")
    other = add_device(hq_any, "南园", "南园一号机")
    revisions = [run_top_up(hq_any, device) for device in (first, second, other)]
    assert [blocks_of(hq_any, d) for d in (first, second, other)] == [
        [(2026, 1, 200)],
        [(2026, 201, 400)],
        [(2026, 401, 600)],
    ]
    with hq_any.read() as session:
        audience = [session.get(HqRevision, seq) for [seq] in revisions]
    assert [r.squad_id for r in audience if r] == [
        squad_id(hq_any, "园岭"),
        squad_id(hq_any, "园岭"),
        squad_id(hq_any, "南园"),
    ]


def test_enough_left_means_no_new_block(hq: HqDatabase):
    """200 unused serials: the second call publishes nothing."""
    device = add_device(hq, "园岭", "园岭一号机")
    run_top_up(hq, device)
    assert run_top_up(hq, device) == []
    assert blocks_of(hq, device) == [(2026, 1, 200)]


def test_threshold_boundary(hq: HqDatabase):
    """Serial 170 used leaves 30 (enough); 171 leaves 29: the next free block, 201–400.
    A number outside the laptop's blocks does not count."""
    device = add_device(hq, "园岭", "园岭一号机")
    run_top_up(hq, device)
    issue(hq, device, 170)
    issue(hq, device, 5, code="应急立")
    issue(hq, device, 950, code="应急罚")  # outside its blocks (typed by hand): not counted
    assert run_top_up(hq, device) == []
    issue(hq, device, 171, code="应急立")
    assert len(run_top_up(hq, device)) == 1
    assert blocks_of(hq, device) == [(2026, 1, 200), (2026, 201, 400)]


def test_typed_in_blocks_are_avoided(hq: HqDatabase):
    """A block typed in on a laptop (250–300) stays its own: HQ places the next one after it."""
    typist = add_device(hq, "南园", "南园一号机")
    typed_in_block(hq, typist, 250, 300)
    first = add_device(hq, "园岭", "园岭一号机")
    second = add_device(hq, "园岭", "园岭二号机")
    run_top_up(hq, first)
    run_top_up(hq, second)
    assert blocks_of(hq, first) == [(2026, 1, 200)]
    assert blocks_of(hq, second) == [(2026, 301, 500)]


def test_december_brings_next_years_block(hq: HqDatabase):
    """From 1 December a laptop also receives a block of the coming year."""
    device = add_device(hq, "园岭", "园岭一号机")
    run_top_up(hq, device, DECEMBER)
    assert blocks_of(hq, device) == [(2026, 1, 200), (2027, 1, 200)]


def test_pushed_block_overlap_is_named(hq: HqDatabase):
    """Another laptop's typed-in block touching HQ's 1–200 at 200 collides; 201–250 does not;
    the same laptop's own typed-in 1–500 does not (it cannot issue a number twice)."""
    device = add_device(hq, "园岭", "园岭一号机")
    run_top_up(hq, device)
    other = add_device(hq, "园岭", "园岭二号机")

    def pushed(first: int, last: int, year: int = 2026, owner: str = other) -> str | None:
        fields = {"prefix": "深福", "year": year, "first": first, "last": last, "device_id": owner}
        with hq.read() as session:
            return overlapping_block(session, new_id(), fields)

    assert "重叠" in (pushed(200, 250) or "")
    assert pushed(201, 250) is None
    assert pushed(1, 200, year=2027) is None
    assert pushed(1, 500, owner=device) is None
    with hq.read() as session:
        own = session.scalars(select(NumberBlock)).one()
        same = {"prefix": own.prefix, "year": own.year, "first": own.first, "last": own.last}
        assert overlapping_block(session, own.id, {**same, "device_id": other}) is None


def test_typed_in_block_of_the_enrolled_laptop_moves_the_next_allocation(hq: HqDatabase):
    """HQ gave the laptop 1–200 at enrollment, then its typed-in 1–500 arrives: it holds 450
    after serial 50, and the next laptop starts at 501."""
    device = add_device(hq, "园岭", "园岭一号机")
    run_top_up(hq, device)
    typed_in_block(hq, device, 1, 500)
    issue(hq, device, 50)
    assert run_top_up(hq, device) == []
    second = add_device(hq, "园岭", "园岭二号机")
    run_top_up(hq, second)
    assert blocks_of(hq, second) == [(2026, 501, 700)]
