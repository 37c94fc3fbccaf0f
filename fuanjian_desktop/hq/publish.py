"""Records HQ makes itself: org units, reference files, number blocks, sync conflicts.

They enter the change sequence like a laptop's records (a revision by device ``hq``, the record
pointer, the mirror row), so laptops pull them by the same cursor. HQ is the authority for its
own records: no merge, the version is HQ's current one plus one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.hq.models import HQ_DEVICE
from fuanjian_desktop.hq.sequence import lock_sequence
from fuanjian_desktop.hq.store import Revision, chunks, current_states, store_revisions
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
    return publish_many(session, [envelope], squad_id)[0]


def publish_many(
    session: Session, envelopes: Sequence[Mapping[str, Any]], squad_id: str | None
) -> list[int]:
    """:func:`publish` for many records at once (a registry of 100,000 enterprises): one lock,
    one read of HQ's current versions and one bulk write per chunk. Returns the revision
    numbers in the order given."""
    lock_sequence(session)
    numbers: list[int] = []
    for part in chunks(envelopes):
        revisions = [_revision(envelope, squad_id) for envelope in part]
        versions = {
            key: state.version
            for key, state in current_states(session, [item.key for item in revisions]).items()
        }
        for revision in revisions:
            revision.version = versions[revision.key] = versions.get(revision.key, 0) + 1
        store_revisions(session, revisions, None, utc_now())
        numbers += [revision.seq for revision in revisions]
    return numbers


def _revision(envelope: Mapping[str, Any], squad_id: str | None) -> Revision:
    table, entity_id = str(envelope["table"]), str(envelope["id"])
    operation = envelope.get("op", UPSERT)
    if operation not in (UPSERT, DELETE):
        raise InvalidRecord(f"同步记录的操作无效：{operation}")
    return Revision(
        table=table,
        entity_id=entity_id,
        version=0,
        op=operation,
        fields=dict(envelope.get("fields") or {}) if operation == UPSERT else {},
        children=dict(envelope.get("children") or {}) if operation == UPSERT else {},
        device_id=HQ_DEVICE,
        audience=audience(table, squad_id),
        owner=squad_id,
    )
