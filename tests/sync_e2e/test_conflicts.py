"""Two laptops of a squad change the same field of a record: both values are kept for a person.

HQ is the merge point: the first push wins the field, the second becomes a 冲突 listing both
values on every laptop of the squad, while a different field changed by the second laptop
merges in without a conflict. A 管理员 settles the conflict on one laptop; the settlement syncs
and every laptop ends with the chosen value.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from fuanjian_desktop.hq.database import open_hq
from fuanjian_desktop.models import Enterprise, SyncConflict
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.sync_conflicts import open_conflicts, resolve_conflict
from tests.support.server import HqServer
from tests.sync_e2e.fleet import FieldLaptop, new_laptop, register
from tests.sync_e2e.records import compare, picture

FIRST, SECOND = "甲：仓库已清理", "乙：仓库仍堆放杂物"
PHONE = "13912345678"
pytestmark = [pytest.mark.timeout(300), pytest.mark.usefixtures("cheap_accounts")]


def edit(laptop: FieldLaptop, enterprise_id: str, **changes: str) -> None:
    """Save the enterprise dialog on ``laptop`` with ``changes``."""
    draft = replace(registry.load_draft(laptop.database, enterprise_id), **changes)  # type: ignore[arg-type]
    registry.update_enterprise(laptop.database, laptop.inspector, enterprise_id, draft)


def stored(laptop: FieldLaptop, enterprise_id: str) -> tuple[str | None, str | None]:
    """The enterprise's notes and phone on ``laptop``."""
    with laptop.database.read() as session:
        enterprise = session.get(Enterprise, enterprise_id)
        assert enterprise is not None
        return enterprise.notes, enterprise.contact_phone


def conflicts_at_hq(server: HqServer) -> list[SyncConflict]:
    """HQ's conflict records."""
    db = open_hq(server.db_url)
    try:
        with db.read() as session:
            return list(session.scalars(select(SyncConflict)))
    finally:
        db.close()


def test_the_same_field_changed_on_two_laptops_keeps_both_values(
    hq_server: HqServer, tmp_path: Path
):
    """notes changed on both: a field conflict with both values, HQ's (the first) kept; the
    phone changed on one merges; the 管理员's choice syncs to both laptops."""
    one, two = (new_laptop(tmp_path / n, n, "园岭", hq_server, 5) for n in ("c1", "c2"))
    register(one)
    venue = one.writes[-1].record_id
    one.round()
    two.round()

    edit(one, venue, notes=FIRST)
    edit(two, venue, notes=SECOND, contact_phone=PHONE)
    one.round()
    found = two.round().conflicts
    one.round()

    for laptop in (one, two):
        assert stored(laptop, venue) == (FIRST, PHONE)
    (conflict,) = conflicts_at_hq(hq_server)
    assert found == 1
    assert (conflict.entity_type, conflict.entity_id, conflict.kind) == (
        "enterprise",
        venue,
        "field",
    )
    assert (conflict.field, conflict.hq_value, conflict.device_value) == ("notes", FIRST, SECOND)
    for laptop in (one, two):
        (listed,) = open_conflicts(laptop.database, laptop.admin)
        assert (listed.id, listed.hq_value, listed.device_value) == (conflict.id, FIRST, SECOND)

    resolve_conflict(two.database, two.admin, conflict.id, "device", "现场复核，以乙的记录为准")
    two.round()
    one.round()
    for laptop in (one, two):
        assert stored(laptop, venue) == (SECOND, PHONE)
        assert open_conflicts(laptop.database, laptop.admin) == []
    (settled,) = conflicts_at_hq(hq_server)
    assert settled.resolution == "device" and settled.resolved_at is not None
    assert compare(picture(one.database), picture(two.database)).empty
