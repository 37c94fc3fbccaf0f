"""Records HQ makes itself: org units, reference files, number blocks, sync conflicts.

They enter the change sequence like a laptop's records (a revision by device ``hq``, the record
pointer, the mirror row), so laptops pull them by the same cursor. HQ is the authority for its
own records: no merge, the version is HQ's current one plus one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.hq.models import HQ_DEVICE
from fuanjian_desktop.hq.sequence import lock_sequence
from fuanjian_desktop.hq.store import Revision, current_states, store_revisions
from fuanjian_desktop.sync_protocol.codec import DELETE, UPSERT, InvalidRecord
from fuanjian_desktop.sync_protocol.policy import Scope, policy_of


def audience(table: str, owner: str | None) -> str | None:
    """Who receives a record of ``table`` owned by ``owner``: ``None`` (every device) for the
    tables the policy publishes to all, else the owning squad."""
    return None if policy_of(table).scope is Scope.ALL else owner


def publish(session: Session, envelope: Mapping[str, Any], squad_id: str | None) -> int:
    """Make ``envelope`` (an upsert or delete, wire-encoded) HQ's current state of the record
    and publish it to ``squad_id``'s devices (``None``, or a table the policy publishes to
    all: every device). Returns the revision number. Runs in the caller's transaction."""
    lock_sequence(session)
    table, entity_id = str(envelope["table"]), str(envelope["id"])
    operation = envelope.get("op", UPSERT)
    if operation not in (UPSERT, DELETE):
        raise InvalidRecord(f"同步记录的操作无效：{operation}")
    current = current_states(session, [(table, entity_id)]).get((table, entity_id))
    revision = Revision(
        table=table,
        entity_id=entity_id,
        version=(current.version if current else 0) + 1,
        op=operation,
        fields=dict(envelope.get("fields") or {}) if operation == UPSERT else {},
        children=dict(envelope.get("children") or {}) if operation == UPSERT else {},
        device_id=HQ_DEVICE,
        audience=audience(table, squad_id),
        owner=squad_id,
    )
    store_revisions(session, [revision], None, utc_now())
    return revision.seq
