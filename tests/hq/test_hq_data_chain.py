"""The audit chain at HQ: continued from the device's anchor, or the push is quarantined."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.mirror import mirror_table
from fuanjian_desktop.hq.models import HqBatch, HqDevice, HqRevision
from fuanjian_desktop.hq.pull import pull_page
from fuanjian_desktop.ids import new_id
from tests.hq.hq_data_support import (  # noqa: F401
    YUANLING,
    Laptop,
    case,
    hq,
)

USER = new_id()
Change = tuple[dict[str, Any], dict[str, Any]]


def synced_laptop(db: HqDatabase) -> tuple[Laptop, dict[str, Any]]:
    """A laptop whose first push (one case) HQ accepted: anchor at event 1."""
    laptop = Laptop(db, YUANLING).enroll()
    row = case(YUANLING, USER)
    status, body = laptop.push(laptop.batch(laptop.change("enforcement_case", row)))
    assert status == 200 and body["anchor"]["device_seq"] == 1
    return laptop, row


def flag(db: HqDatabase, device_id: str) -> tuple[Any, str | None, int]:
    """(flagged_at, flag_reason, anchor_seq) of a device at HQ."""
    with db.read() as session:
        device = session.get(HqDevice, device_id)
        assert device is not None
        return device.flagged_at, device.flag_reason, device.anchor_seq


def altered(laptop: Laptop, change: Change) -> None:
    """The event's content changed after it was hashed."""
    change[0]["fields"]["summary"] = "改过的摘要"


def skipped(laptop: Laptop, change: Change) -> None:
    """An event before this one was deleted: its number skips one."""
    change[0]["fields"]["device_seq"] += 1


def unlinked(laptop: Laptop, change: Change) -> None:
    """The event names another predecessor."""
    change[0]["fields"]["prev_hash"] = "f" * 64


def unaccounted(laptop: Laptop, change: Change) -> None:
    """The record names no audit event: a change around the audit trail."""
    change[1]["audit_event_id"] = new_id()


BREAKS: dict[str, tuple[Callable[[Laptop, Change], None], str]] = {
    "altered": (altered, "内容与其哈希不符"),
    "missing": (skipped, "之前缺少记录"),
    "unlinked": (unlinked, "没有接上前一条"),
    "unaccounted": (unaccounted, "没有对应的操作记录"),
}


@pytest.mark.parametrize("kind", sorted(BREAKS))
def test_a_broken_chain_is_kept_quarantined_and_flags_the_device(
    hq: HqDatabase,  # noqa: F811
    kind: str,
) -> None:
    """Each kind of break: data kept as quarantined revisions, not mirrored, not pulled; the
    device flagged with a Chinese reason."""
    laptop, row = synced_laptop(hq)
    change = laptop.change("enforcement_case", {**row, "cause": "篡改后的案由"})
    breaking, reason = BREAKS[kind]
    breaking(laptop, change)
    status, body = laptop.push(laptop.batch(change))
    assert status == 200 and body["quarantined"] is True
    flagged_at, flag_reason, _anchor = flag(hq, laptop.device_id)
    assert flagged_at is not None and flag_reason is not None and reason in flag_reason
    cases = mirror_table("enforcement_case")
    with hq.read() as session:
        assert (
            session.scalar(select(cases.c.cause).where(cases.c.id == row["id"])) != "篡改后的案由"
        )
        kept = session.scalars(
            select(HqRevision).where(HqRevision.batch_key == body["batch_key"])
        ).all()
        assert {item.table_name for item in kept} == {"audit_event", "enforcement_case"}
        assert all(item.quarantined for item in kept)
        assert session.get(HqBatch, body["batch_key"]) is not None
    other = Laptop(hq, YUANLING).enroll()
    pulled = pull_page(hq, other.device_id, 0, 1000, None)["records"]
    assert body["batch_key"] not in {None}
    assert all(item["fields"].get("cause") != "篡改后的案由" for item in pulled)
    assert {item["revision"] for item in pulled}.isdisjoint({item.seq for item in kept})


def test_history_rewritten_after_hq_saw_it_is_a_break(hq: HqDatabase) -> None:  # noqa: F811
    """Event 1 sent again with other content than HQ holds (a rewrite of the whole chain
    on the laptop): quarantined."""
    laptop, row = synced_laptop(hq)
    rewritten = Laptop(hq, YUANLING, device_id=laptop.device_id)
    resent = rewritten.change("enforcement_case", {**row, "cause": "重写"})
    _status, body = laptop.push(laptop.batch(resent))
    assert body["quarantined"] is True
    assert "历史被改写" in (flag(hq, laptop.device_id)[1] or "")


def test_events_sent_again_unchanged_are_accepted_once(hq: HqDatabase) -> None:  # noqa: F811
    """The laptop lost HQ's answer and sends change 1 again with change 2 under a new key:
    event 1 is known and identical, event 2 continues; neither event 1 nor the first case's
    version is stored twice, and the first case is answered with its existing revision."""
    laptop = Laptop(hq, YUANLING).enroll()
    first = laptop.change("enforcement_case", case(YUANLING, USER))
    first_answer = laptop.push(laptop.batch(first))[1]["applied"][0]
    second = laptop.change("enforcement_case", case(YUANLING, USER))
    status, body = laptop.push(laptop.batch(first, second))
    assert status == 200 and body["quarantined"] is False
    assert body["anchor"]["device_seq"] == 2
    assert body["applied"][0] == first_answer
    events = mirror_table("audit_event")
    with hq.read() as session:
        assert session.scalar(select(func.count()).select_from(events)) == 2
        revisions = session.scalars(select(HqRevision.table_name)).all()
        assert revisions.count("audit_event") == 2
        assert revisions.count("enforcement_case") == 2


def test_after_a_break_the_chain_continues_from_what_hq_received(
    hq: HqDatabase,  # noqa: F811
) -> None:
    """The anchor moves to the quarantined batch's last event: the laptop's next change,
    chained after it, is applied normally; the device stays flagged until HQ acts."""
    laptop, row = synced_laptop(hq)
    broken = laptop.change("enforcement_case", {**row, "cause": "第一次"})
    altered(laptop, broken)
    _status, body = laptop.push(laptop.batch(broken))
    assert body["quarantined"] is True
    assert body["anchor"] == {"device_seq": 2, "event_hash": laptop.head}
    assert flag_head(hq, laptop) == laptop.head
    fresh = case(YUANLING, USER)
    status, body = laptop.push(laptop.batch(laptop.change("enforcement_case", fresh)))
    assert status == 200 and body["quarantined"] is False
    assert body["anchor"]["device_seq"] == 3
    cases = mirror_table("enforcement_case")
    with hq.read() as session:
        assert session.scalar(select(func.count()).where(cases.c.id == fresh["id"])) == 1
    flagged_at, reason, anchor = flag(hq, laptop.device_id)
    assert flagged_at is not None and reason is not None and "内容与其哈希不符" in reason
    assert anchor == 3


def flag_head(db: HqDatabase, laptop: Laptop) -> str:
    """The chain head HQ anchored for the laptop."""
    with db.read() as session:
        device = session.get(HqDevice, laptop.device_id)
        assert device is not None
        return device.anchor_hash
