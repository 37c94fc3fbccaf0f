"""The audit trail's hash chain: every event carries the SHA-256 of the one before it.

Each laptop (device) keeps its own chain: event ``n`` of a device holds ``device_seq = n`` and
``prev_hash`` = the ``event_hash`` of event ``n - 1`` (:data:`GENESIS` for the first), and its own
``event_hash`` = SHA-256 of the canonical encoding of the columns in :data:`COVERED`. Changing
an event breaks its own hash; deleting one leaves a gap in the numbers and a ``prev_hash`` that
names nothing; inserting one breaks the link of the event after it. Only a rewrite of every event
from the change to the newest one goes unseen here, and headquarters holds the chain head it
last received (the sync protocol), so that too is caught once a laptop has synced.

Events are sealed when the session flushes them: the write transaction holds SQLite's write lock
from its first statement (``BEGIN IMMEDIATE``), so the device's newest event read at that moment
stays the newest until this transaction commits, and two writers cannot fork the chain. The
exact encoding is in ``docs/audit-chain.md``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import event as orm_events
from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import AuditEvent, LocalSetting
from fuanjian_desktop.security.canonical_json import canonical_bytes

CHAIN_FORMAT = 1
GENESIS = "0" * 64
DEVICE_SETTING = "device_id"
# the columns an event's hash covers, in the order docs/audit-chain.md lists them
COVERED = (
    "id",
    "device_id",
    "device_seq",
    "prev_hash",
    "occurred_at",
    "actor_id",
    "actor_name",
    "action",
    "summary",
    "entity_type",
    "entity_id",
    "before",
    "after",
)
_PENDING = "audit_chain_pending"


def timestamp_text(moment: dt.datetime) -> str:
    """A UTC moment as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (always six fraction digits)."""
    if moment.tzinfo is None:
        raise ValueError("an audit timestamp must carry its zone")
    m = moment.astimezone(dt.UTC)
    return (
        f"{m.year:04d}-{m.month:02d}-{m.day:02d}T"
        f"{m.hour:02d}:{m.minute:02d}:{m.second:02d}.{m.microsecond:06d}Z"
    )


def canonical_event(values: Mapping[str, Any]) -> bytes:
    """The bytes an event's hash is taken of: the covered columns and the format number.

    ``values`` maps each name in :data:`COVERED` to the column's value as stored (``before`` and
    ``after`` as the JSON they are stored as, ``occurred_at`` a zoned datetime).
    """
    document: dict[str, Any] = {name: values[name] for name in COVERED}
    document["occurred_at"] = timestamp_text(values["occurred_at"])
    document["format"] = CHAIN_FORMAT
    return canonical_bytes(document)


def hash_of(values: Mapping[str, Any]) -> str:
    """SHA-256 (lower-case hex) of :func:`canonical_event`."""
    return hashlib.sha256(canonical_event(values)).hexdigest()


class Break(Enum):
    """How an event fails to continue its device's chain."""

    MISSING = "missing"  # its number skips one or more: events were deleted
    MISNUMBERED = "misnumbered"  # its number repeats or goes back: inserted or renumbered
    UNLINKED = "unlinked"  # it names another predecessor: one before it deleted/inserted/changed
    ALTERED = "altered"  # its content does not hash to its own hash: it was changed


@dataclass
class ChainCursor:
    """A walk along one device's chain: the number the next event must carry and the hash it
    must name. A fresh cursor starts at the device's first event; a receiver (HQ) that anchored
    a device's head starts from that ``(device_seq, event_hash)`` and checks what is pushed next.
    """

    expected: int = 1
    previous: str = GENESIS

    def advance(self, values: Mapping[str, Any]) -> Break | None:
        """Check the next event (its stored columns); on success move past it.

        ``values`` needs the :data:`COVERED` columns and ``event_hash``.
        """
        if values["device_seq"] > self.expected:
            return Break.MISSING
        if values["device_seq"] < self.expected:
            return Break.MISNUMBERED
        if values["prev_hash"] != self.previous:
            return Break.UNLINKED
        if hash_of(values) != values["event_hash"]:
            return Break.ALTERED
        self.expected, self.previous = self.expected + 1, values["event_hash"]
        return None


def event_values(event: AuditEvent) -> dict[str, Any]:
    """The covered columns of a loaded or new event."""
    return {name: getattr(event, name) for name in COVERED}


def as_stored(snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
    """A before/after snapshot as the JSON column reads it back (tuples become lists …).

    The hash is taken of exactly what a reader will find, not of the Python objects handed in.
    """
    return None if snapshot is None else json.loads(json.dumps(snapshot))


def track(session: Session, new_event: AuditEvent) -> None:
    """Have ``new_event`` chained when ``session`` next flushes, after those tracked before it."""
    pending = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = []
        orm_events.listen(session, "before_flush", _seal_pending)
    pending.append(new_event)


def _seal_pending(session: Session, _context: Any, _instances: Any) -> None:
    """Give every new, unsealed event its device, number and hashes, in the order made."""
    tracked: list[AuditEvent] = session.info.get(_PENDING, [])
    untracked = sorted(
        (item for item in session.new if isinstance(item, AuditEvent) and item not in tracked),
        key=lambda item: item.id or "",
    )
    fresh = [
        item for item in [*tracked, *untracked] if item in session.new and item.event_hash is None
    ]
    tracked.clear()
    if fresh:
        seal(session, fresh)


def seal(session: Session, events: Sequence[AuditEvent]) -> None:
    """Append ``events`` to this device's chain (inside the open write transaction)."""
    device, seq, previous = chain_head(session)
    for item in events:
        seq += 1
        item.id = item.id or new_id()
        item.occurred_at = item.occurred_at or utc_now()
        item.before, item.after = as_stored(item.before), as_stored(item.after)
        item.device_id, item.device_seq, item.prev_hash = device, seq, previous
        item.event_hash = previous = hash_of(event_values(item))


def chain_head(session: Session) -> tuple[str, int, str]:
    """(device id, number, hash) of this device's newest stored event, in one query.

    Before the device's first event: (device id, 0, :data:`GENESIS`). A database without a
    device id (one never migrated to 0008) gets one here, made once.
    """
    newest = (
        select(AuditEvent)
        .where(AuditEvent.device_id == LocalSetting.value)
        .order_by(AuditEvent.device_seq.desc())
        .limit(1)
    )
    query = select(
        LocalSetting.value,
        newest.with_only_columns(AuditEvent.device_seq).scalar_subquery(),
        newest.with_only_columns(AuditEvent.event_hash).scalar_subquery(),
    ).where(LocalSetting.key == DEVICE_SETTING)
    row = session.execute(query).first()
    if row is None:
        made = LocalSetting(key=DEVICE_SETTING, value=new_id())
        session.add(made)
        return made.value, 0, GENESIS
    device, seq, previous = row
    return (device, 0, GENESIS) if seq is None else (device, seq, previous)
