"""Storing revisions: the change sequence, each record's current revision, and the mirror.

Everything here is written table by table, one bulk insert each (``hq.bulk``): a push of 10,000
cases must cost a small multiple of inserting the same rows plainly (``bench/sync_push.py``).
First the revisions, then the ``hq_record`` pointers and the mirror rows of the revisions that
become current. Only the last revision of a record in one call is mirrored.

Audit events are append-only and never merged: they get revisions (pull serves them to the
squad) and mirror rows, but no ``hq_record`` pointer (``hq.pull`` serves them by table).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlalchemy import Table, delete, func, select, tuple_
from sqlalchemy.orm import Session

from fuanjian_desktop.hq.bulk import insert_rows
from fuanjian_desktop.hq.mirror import mirror_table
from fuanjian_desktop.hq.models import HqRecord, HqRevision
from fuanjian_desktop.sync_protocol.codec import (
    DELETE,
    decode_children,
    envelope_values,
    key_values,
)
from fuanjian_desktop.sync_protocol.policy import child_table, policy_of

AUDIT_TABLE = "audit_event"
REVISIONS = cast(Table, HqRevision.__table__)
RECORDS = cast(Table, HqRecord.__table__)
CHUNK = 500  # keys per IN (…): well under SQLite's bound-parameter limit
_T = TypeVar("_T")


@dataclass
class Revision:
    """One version of one record to store.

    ``audience`` is who receives it (``hq_revision.squad_id``, ``None``: every device);
    ``owner`` the squad the record belongs to (``hq_record.squad_id``, checked on the next
    push). ``current``: it becomes the record's state at HQ (pointer and mirror); a quarantined
    or refused revision is only kept. ``seq`` is set when stored.
    """

    table: str
    entity_id: str
    version: int
    op: str
    fields: dict[str, Any]
    children: dict[str, Any]
    device_id: str
    audience: str | None
    owner: str | None
    merged: bool = False
    quarantined: bool = False
    current: bool = True
    seq: int = field(default=0)
    values: dict[str, Any] | None = field(default=None, repr=False)  # decoded row, if known

    @property
    def key(self) -> tuple[str, str]:
        """(table, entity id): the record this is a version of."""
        return self.table, self.entity_id

    def envelope(self) -> dict[str, Any]:
        """The revision as a record envelope (what the mirror row is decoded from)."""
        return {
            "table": self.table,
            "id": self.entity_id,
            "version": self.version,
            "op": self.op,
            "fields": self.fields,
            "children": self.children,
        }


def chunks(items: Sequence[_T], size: int = CHUNK) -> Iterator[Sequence[_T]]:
    """``items`` in slices of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def store_revisions(
    session: Session, revisions: Sequence[Revision], batch_key: str | None, now: dt.datetime
) -> None:
    """Append ``revisions`` to the change sequence (setting their ``seq``) and make the current
    ones current. The caller holds ``hq.sequence.lock_sequence``.

    The numbers are HQ's highest plus one, two … taken under that lock (not from the database's
    sequence): a bulk insert needs no RETURNING (INSERT … RETURNING of many rows cost a third of
    a large push on PostgreSQL), and a rolled-back push leaves no hole.
    """
    if not revisions:
        return
    first = int(session.scalar(select(func.max(REVISIONS.c.seq))) or 0) + 1
    rows = []
    for offset, item in enumerate(revisions):
        item.seq = first + offset
        rows.append(
            {
                "seq": item.seq,
                "table_name": item.table,
                "entity_id": item.entity_id,
                "squad_id": item.audience,
                "version": item.version,
                "op": item.op,
                "fields": item.fields,
                "children": item.children,
                "device_id": item.device_id,
                "batch_key": batch_key,
                "received_at": now,
                "quarantined": item.quarantined,
                "merged": item.merged,
            }
        )
    insert_rows(session, REVISIONS, rows)
    latest = {item.key: item for item in revisions if item.current and not item.quarantined}
    by_table: dict[str, list[Revision]] = defaultdict(list)
    for item in latest.values():
        by_table[item.table].append(item)
    for table, items in by_table.items():
        _make_current(session, table, items)


def _make_current(session: Session, table: str, items: list[Revision]) -> None:
    ids = [item.entity_id for item in items]
    known = set() if table == AUDIT_TABLE else existing_records(session, table, ids)
    if table != AUDIT_TABLE:
        _point_records(session, table, items, known)
    replaced = [entity_id for entity_id in ids if entity_id in known]
    if replaced:
        delete_mirror_rows(session, table, replaced)
    upserts = [item for item in items if item.op != DELETE]
    if upserts:
        insert_mirror_rows(session, table, upserts)


def existing_records(session: Session, table: str, entity_ids: Sequence[str]) -> set[str]:
    """The ids among ``entity_ids`` that HQ has a record pointer for (live or tombstone)."""
    records = RECORDS
    found: set[str] = set()
    for part in chunks(entity_ids):
        query = select(records.c.entity_id).where(
            records.c.table_name == table, records.c.entity_id.in_(part)
        )
        found.update(session.execute(query).scalars())
    return found


def _point_records(session: Session, table: str, items: list[Revision], known: set[str]) -> None:
    records = RECORDS
    stale = [item.entity_id for item in items if item.entity_id in known]
    for part in chunks(stale):
        session.execute(
            delete(records).where(records.c.table_name == table, records.c.entity_id.in_(part))
        )
    insert_rows(
        session,
        records,
        [
            {
                "table_name": table,
                "entity_id": item.entity_id,
                "squad_id": item.owner,
                "current_seq": item.seq,
                "version": item.version,
                "deleted": item.op == DELETE,
                "origin_device": item.device_id,
            }
            for item in items
        ],
    )


def delete_mirror_rows(session: Session, table: str, entity_ids: Sequence[str]) -> None:
    """Remove records (and their owned children: the mirror has no cascading keys)."""
    policy = policy_of(table)
    stored = mirror_table(table)
    for part in chunks(entity_ids):
        for child in policy.children:
            link = child_table(child)
            rows = mirror_table(child)
            session.execute(delete(rows).where(rows.c[link.parent_column].in_(part)))
        if len(policy.key_columns) == 1:
            where = stored.c[policy.key_columns[0]].in_(part)
        else:
            keys = [tuple(key_values(policy, entity_id).values()) for entity_id in part]
            where = tuple_(*(stored.c[name] for name in policy.key_columns)).in_(keys)
        session.execute(delete(stored).where(where))


def insert_mirror_rows(session: Session, table: str, revisions: Iterable[Revision]) -> None:
    """Insert upsert revisions (not yet in the mirror) and their children, in bulk."""
    rows: list[dict[str, Any]] = []
    children: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for revision in revisions:
        values = revision.values or envelope_values(revision.envelope())
        rows.append(values)
        for child, child_rows in decode_children(table, revision.children).items():
            parent_column = child_table(child).parent_column
            children[child] += [{**row, parent_column: values["id"]} for row in child_rows]
    insert_rows(session, mirror_table(table), rows)
    for child, child_rows in children.items():
        insert_rows(session, mirror_table(child), child_rows)


@dataclass(frozen=True)
class Current:
    """HQ's current state of one record: its pointer and the revision it points at."""

    owner: str | None
    deleted: bool
    seq: int
    version: int
    op: str
    fields: dict[str, Any]
    children: dict[str, Any]
    device_id: str

    def envelope(self, table: str, entity_id: str) -> dict[str, Any]:
        """The current revision as a record envelope (merge input)."""
        return {
            "table": table,
            "id": entity_id,
            "version": self.version,
            "op": self.op,
            "fields": self.fields,
            "children": self.children,
        }


def current_states(
    session: Session, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Current]:
    """HQ's current state of each (table, id) it has a record pointer for.

    Core rows, not ORM objects: the pointers are rewritten by Core statements in the same
    transaction, which an identity map would not notice. Two lookups by key (pointers, then
    their revisions), not a join: with the statistics of tables still being filled PostgreSQL
    planned the join as a scan of every revision, per list of 500 ids.
    """
    by_table: dict[str, list[str]] = defaultdict(list)
    for table, entity_id in keys:
        by_table[table].append(entity_id)
    pointers: dict[int, tuple[str, Any]] = {}
    for table, ids in by_table.items():
        for part in chunks(ids):
            query = select(
                RECORDS.c.entity_id,
                RECORDS.c.squad_id,
                RECORDS.c.deleted,
                RECORDS.c.current_seq,
            ).where(RECORDS.c.entity_id.in_(part), RECORDS.c.table_name == table)
            pointers.update({row.current_seq: (table, row) for row in session.execute(query)})
    found: dict[tuple[str, str], Current] = {}
    for seqs in chunks(sorted(pointers)):
        for row in session.execute(select(REVISIONS).where(REVISIONS.c.seq.in_(seqs))):
            table, pointer = pointers[row.seq]
            found[(table, pointer.entity_id)] = Current(
                pointer.squad_id,
                pointer.deleted,
                row.seq,
                row.version,
                row.op,
                row.fields,
                row.children,
                row.device_id,
            )
    return found
