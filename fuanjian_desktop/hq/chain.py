"""HQ's check of a device's audit hash chain on every push (``security.audit_chain``).

HQ holds the device's *anchor*: the number and hash of the last event it accepted. A push must
continue the chain from exactly there. Events the laptop sends again (at or below the anchor,
e.g. after losing HQ's acknowledgement) must be the very events HQ holds; anything else means
history HQ has already seen was rewritten on the laptop. Every record in the push must name an
audit event of that device (in the push, or already at HQ): a change without its audit event
went around the chain.

A break does not lose data: ``hq.push`` keeps the batch as quarantined revisions, flags the
device with :attr:`ChainCheck.reason` (Chinese, shown by ``hq devices`` and in the app) and
anchors the chain at the batch's last event, so later batches continue from what HQ has seen.
Events of a quarantined batch are not in the mirror: sending them again under a new batch key
counts as a rewrite (a laptop resends a batch under its own key, which HQ answers from
``hq_batch``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.hq.mirror import mirror_table
from fuanjian_desktop.hq.models import HqDevice
from fuanjian_desktop.hq.store import chunks
from fuanjian_desktop.security.audit_chain import Break, ChainCursor

BREAK_REASONS = {
    Break.MISSING: "第 {seq} 条操作记录之前缺少记录（操作日志可能被删除）",
    Break.MISNUMBERED: "第 {seq} 条操作记录编号重复或倒退（操作日志可能被插入或重新编号）",
    Break.UNLINKED: "第 {seq} 条操作记录没有接上前一条（之前的记录可能被删除、插入或修改）",
    Break.ALTERED: "第 {seq} 条操作记录的内容与其哈希不符（记录已被修改）",
}
REWRITTEN = "区局已收到的第 {seq} 条操作记录与本次上传的不一致（已同步的历史被改写）"
FOREIGN = "上传的操作记录属于另一台设备（{device}）"
UNACCOUNTED = "记录 {table}/{entity} 的修改没有对应的操作记录（绕过了操作日志）"


@dataclass(frozen=True)
class ChainCheck:
    """The verdict on a push's events: the new events to store, the anchor they reach, or the
    reason the chain broke (``reason`` set: nothing of the push may become current)."""

    fresh: list[dict[str, Any]]  # decoded events beyond the anchor, in chain order
    anchor_seq: int
    anchor_hash: str
    reason: str | None = None


def check_chain(
    session: Session,
    device: HqDevice,
    events: Sequence[dict[str, Any]],
    record_events: Sequence[tuple[str, str, str | None]],
) -> ChainCheck:
    """Check ``events`` (decoded audit rows of the push, in the order sent) against the
    device's anchor, and that every record ``(table, id, audit_event_id)`` names an event."""
    cursor = ChainCursor(expected=device.anchor_seq + 1, previous=device.anchor_hash)
    known = _known_hashes(session, device, events)
    fresh: list[dict[str, Any]] = []
    for values in events:
        reason = _event_problem(device, values, known, cursor)
        if reason is not None:
            return ChainCheck([], device.anchor_seq, device.anchor_hash, reason)
        if values["device_seq"] > device.anchor_seq:
            fresh.append(values)
    sent = {values["id"] for values in events}
    named = sent | _stored_event_ids(session, device, record_events, sent)
    for table, entity_id, event_id in record_events:
        if event_id is None or event_id not in named:
            reason = UNACCOUNTED.format(table=table, entity=entity_id)
            return ChainCheck([], device.anchor_seq, device.anchor_hash, reason)
    return ChainCheck(fresh, cursor.expected - 1, cursor.previous)


def _event_problem(
    device: HqDevice, values: dict[str, Any], known: dict[int, str], cursor: ChainCursor
) -> str | None:
    if values["device_id"] != device.id:
        return FOREIGN.format(device=values["device_id"])
    seq = values["device_seq"]
    if seq <= device.anchor_seq:
        same = known.get(seq) == values["event_hash"]
        return None if same and not _altered(values) else REWRITTEN.format(seq=seq)
    found = cursor.advance(values)
    return None if found is None else BREAK_REASONS[found].format(seq=seq)


def _altered(values: dict[str, Any]) -> bool:
    """Whether an event's content does not hash to its own hash (checked alone)."""
    check = ChainCursor(expected=values["device_seq"], previous=values["prev_hash"])
    return check.advance(values) is not None


def _known_hashes(
    session: Session, device: HqDevice, events: Sequence[dict[str, Any]]
) -> dict[int, str]:
    """The hashes HQ holds for the re-sent events' numbers (those at or below the anchor)."""
    numbers = sorted(
        {values["device_seq"] for values in events if values["device_seq"] <= device.anchor_seq}
    )
    stored = mirror_table("audit_event")
    found: dict[int, str] = {}
    for part in chunks(numbers):
        query = select(stored.c.device_seq, stored.c.event_hash).where(
            stored.c.device_id == device.id, stored.c.device_seq.in_(part)
        )
        found.update({row.device_seq: row.event_hash for row in session.execute(query)})
    return found


def _stored_event_ids(
    session: Session,
    device: HqDevice,
    record_events: Sequence[tuple[str, str, str | None]],
    sent: set[str],
) -> set[str]:
    """Of the events the records name (other than those ``sent`` now), those HQ already holds
    from this device."""
    wanted = sorted({event for _t, _e, event in record_events if event and event not in sent})
    stored = mirror_table("audit_event")
    found: set[str] = set()
    for part in chunks(wanted):
        query = select(stored.c.id).where(stored.c.device_id == device.id, stored.c.id.in_(part))
        found.update(session.execute(query).scalars())
    return found
