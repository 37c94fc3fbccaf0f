"""Unique values a push would take from another record: refused as conflicts, never overwritten.

Two laptops can make the same 文号 (a typed-in block overlapping another laptop's), the same
案号 or register the same 统一社会信用代码. HQ keeps the record that had the value first; the
newcomer is stored as a revision but not mirrored, and a ``sync_conflict`` (kind ``number`` for
an issued number or an overlapping number block, ``unique`` otherwise) lists both for a person.

The check runs over a whole push at once: per table and unique column set, one query for the
values pushed, then the values taken twice within the push itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.hq.mirror import mirror_table
from fuanjian_desktop.hq.store import Revision, chunks
from fuanjian_desktop.sync_protocol.codec import decode_value, unique_sets
from fuanjian_desktop.sync_protocol.policy import policy_of

NUMBER_TABLES = frozenset({"issued_number", "number_block"})


@dataclass(frozen=True)
class Collision:
    """``revision`` would take ``columns`` = ``values`` (wire form) that ``holder`` has."""

    revision: Revision
    columns: tuple[str, ...]
    values: dict[str, Any]
    holder: str

    @property
    def kind(self) -> str:
        """``number`` for 文号 and 号段, ``unique`` for any other unique value."""
        return "number" if self.revision.table in NUMBER_TABLES else "unique"


def find_collisions(session: Session, revisions: Sequence[Revision]) -> list[Collision]:
    """The current upserts among ``revisions`` whose unique values another record holds."""
    by_table: dict[str, list[Revision]] = {}
    for item in revisions:
        if item.current and item.op == "upsert":
            by_table.setdefault(item.table, []).append(item)
    found: list[Collision] = []
    for table, items in by_table.items():
        for columns in unique_sets(mirror_table(table)):
            found += _collisions_on(session, table, columns, items)
    return found


def _collisions_on(
    session: Session, table: str, columns: tuple[str, ...], items: list[Revision]
) -> list[Collision]:
    keyed: list[tuple[Revision, tuple[Any, ...]]] = []
    for item in items:
        values = _decoded(table, columns, item)
        if values is not None:
            keyed.append((item, values))
    pushed_ids = {item.entity_id for item, _values in keyed}
    holders = _stored_holders(session, table, columns, [values for _item, values in keyed])
    taken: dict[tuple[Any, ...], str] = {
        values: holder for values, holder in holders.items() if holder not in pushed_ids
    }
    found = []
    for item, values in keyed:
        holder = taken.setdefault(values, item.entity_id)
        if holder != item.entity_id:
            wire = {name: item.fields.get(name) for name in columns}
            found.append(Collision(item, columns, wire, holder))
    return found


def _decoded(table: str, columns: tuple[str, ...], item: Revision) -> tuple[Any, ...] | None:
    """The record's values of ``columns`` as stored; ``None`` if one is NULL (never collides)."""
    stored = mirror_table(table)
    values = []
    for name in columns:
        wire = item.entity_id if name == "id" else item.fields.get(name)
        if wire is None:
            return None
        values.append(decode_value(table, stored.c[name], wire))
    return tuple(values)


def _stored_holders(
    session: Session, table: str, columns: tuple[str, ...], wanted: list[tuple[Any, ...]]
) -> dict[tuple[Any, ...], str]:
    """Which stored record holds each of the ``wanted`` value tuples."""
    stored = mirror_table(table)
    key = stored.c[policy_of(table).key_columns[0]]
    first = stored.c[columns[0]]
    wanted_set = set(wanted)
    firsts = sorted({values[0] for values in wanted_set}, key=repr)
    holders: dict[tuple[Any, ...], str] = {}
    for part in chunks(firsts):
        query = select(key, *(stored.c[name] for name in columns)).where(first.in_(part))
        for row in session.execute(query):
            values = tuple(row[1:])
            if values in wanted_set:
                holders[values] = str(row[0])
    return holders
