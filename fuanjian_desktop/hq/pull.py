"""What a laptop pulls: the current revisions it may see, after its cursor, in change order.

A device sees the revisions published to its squad, those published to every device (org units,
the registry master, reference files) and the bureau's users (``Scope.SQUAD_AND_BUREAU``). Of
each record only the current revision is served (a record changed five times since the cursor
arrives once); audit events, append-only, are served as they came. Never served: quarantined
revisions, revisions no longer current, and what the device itself pushed unmerged (it has it).

The cursor is a revision number (``hq.sequence`` explains why it is safe). The high-water mark is
read *before* the page, and the page is limited to it: a page that is not full moves the cursor to
that mark (past revisions the device may not see), a full one to its last revision.

``tables=`` asks for a snapshot instead (enrollment fetches ``squad`` and ``app_user``): every
current visible record of those tables, the cursor ignored and answered as 0.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import Session

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.mirror import mirror_table
from fuanjian_desktop.hq.models import HqDevice
from fuanjian_desktop.hq.store import AUDIT_TABLE, RECORDS, REVISIONS
from fuanjian_desktop.sync_protocol.policy import Scope, policy_of, synced_tables

RecordEnvelope = dict[str, Any]
EXPORT_PAGE = 1000

_revisions = REVISIONS
_records = RECORDS


def pull_page(
    db: HqDatabase, device_id: str, cursor: int, limit: int, tables: list[str] | None
) -> dict[str, Any]:
    """One page of what ``device_id`` has not seen after ``cursor`` (or a ``tables`` snapshot)."""
    if limit < 1:
        raise UserError("每页记录数必须大于 0。")
    with db.read() as session:
        device = session.get(HqDevice, device_id)
        if device is None:
            raise UserError(f"区局不认识设备“{device_id}”，请重新接入。")
        if tables:
            for table in tables:
                policy_of(table)
            query = _current_visible(session, device.squad_id).where(
                _revisions.c.table_name.in_(tables)
            )
            rows = session.execute(query.order_by(_revisions.c.seq))
            records = [revision_envelope(row) for row in rows]
            return {"records": records, "cursor": 0, "more": False}
        return _page(session, device, cursor, limit)


def _page(session: Session, device: HqDevice, cursor: int, limit: int) -> dict[str, Any]:
    high = int(session.scalar(select(func.max(_revisions.c.seq))) or 0)
    query = (
        _current_visible(session, device.squad_id)
        .where(
            _revisions.c.seq > cursor,
            _revisions.c.seq <= high,
            ~and_(_revisions.c.device_id == device.id, _revisions.c.merged == false()),
        )
        .order_by(_revisions.c.seq)
        .limit(limit)
    )
    rows = list(session.execute(query))
    records = [revision_envelope(row) for row in rows]
    if len(rows) == limit:
        return {"records": records, "cursor": rows[-1].seq, "more": True}
    return {"records": records, "cursor": max(cursor, high), "more": False}


def visible_records(
    session: Session, squad_id: str, up_to: int | None = None
) -> Iterator[RecordEnvelope]:
    """Every current record ``squad_id``'s devices may see (revision ≤ ``up_to``), in change
    order, as pull envelopes: what an offline package for the squad carries (``hq export``)."""
    after = 0
    while True:
        query = _current_visible(session, squad_id).where(_revisions.c.seq > after)
        if up_to is not None:
            query = query.where(_revisions.c.seq <= up_to)
        rows = list(session.execute(query.order_by(_revisions.c.seq).limit(EXPORT_PAGE)))
        yield from (revision_envelope(row) for row in rows)
        if len(rows) < EXPORT_PAGE:
            return
        after = rows[-1].seq


def _current_visible(session: Session, squad_id: str) -> Select[Any]:
    """Revisions that are current (or audit events), not quarantined, visible to the squad."""
    current = _records.c.current_seq == _revisions.c.seq
    return (
        select(_revisions)
        .outerjoin(
            _records,
            and_(
                _records.c.table_name == _revisions.c.table_name,
                _records.c.entity_id == _revisions.c.entity_id,
            ),
        )
        .where(
            _revisions.c.quarantined == false(),
            or_(current, _revisions.c.table_name == AUDIT_TABLE),
            _audience(session, squad_id),
        )
    )


def _audience(session: Session, squad_id: str) -> ColumnElement[bool]:
    """Published to every device, to ``squad_id``, or a bureau record of a table the bureau
    shares with every squad (its users)."""
    shared = _bureau_tables()
    squads = mirror_table("squad")
    bureaus = list(session.scalars(select(squads.c.id).where(squads.c.is_bureau)))
    return or_(
        _revisions.c.squad_id.is_(None),
        _revisions.c.squad_id == squad_id,
        and_(_revisions.c.table_name.in_(shared), _revisions.c.squad_id.in_(bureaus)),
    )


def _bureau_tables() -> Sequence[str]:
    return [policy.table for policy in synced_tables() if policy.scope is Scope.SQUAD_AND_BUREAU]


def revision_envelope(row: Any) -> RecordEnvelope:
    """A stored revision (an ``hq_revision`` row) as the envelope a laptop pulls."""
    return {
        "table": row.table_name,
        "id": row.entity_id,
        "version": row.version,
        "op": row.op,
        "fields": row.fields,
        "children": row.children,
        "base_revision": None,
        "audit_event_id": None,
        "revision": row.seq,
        "origin_device": row.device_id,
    }
