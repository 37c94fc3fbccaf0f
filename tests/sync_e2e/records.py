"""Record-by-record pictures of a laptop's or HQ's synced data, and their differences.

A picture maps every stored record of every synced table (``policy.synced_tables()``, so a
future table is compared too) to its version, travelling fields and owned children, in the wire
encoding: the same record on a laptop (SQLite) and in HQ's mirror (SQLite or PostgreSQL) gives
the same entry, so two pictures compare with ``==`` and a difference names the records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.sync_protocol import codec
from fuanjian_desktop.sync_protocol.policy import Scope, synced_tables

Key = tuple[str, str]  # (table, id)
Picture = dict[Key, str]  # canonical JSON of version, fields and children


def picture(database: Database) -> Picture:
    """Every synced record ``database`` holds."""
    with database.read() as session:
        return picture_of(session)


def picture_of(session: Session) -> Picture:
    """Every synced record the session's database holds."""
    found: Picture = {}
    for policy in synced_tables():
        for envelope in codec.iter_table(session, policy.table):
            content = [envelope["version"], envelope["fields"], envelope["children"]]
            found[(policy.table, envelope["id"])] = json.dumps(
                content, sort_keys=True, ensure_ascii=False
            )
    return found


@dataclass(frozen=True)
class Difference:
    """How picture ``left`` differs from ``right``: records only on either side, and records
    on both with different content."""

    only_left: frozenset[Key]
    only_right: frozenset[Key]
    changed: frozenset[Key]

    @property
    def empty(self) -> bool:
        """Whether the pictures are equal."""
        return not (self.only_left or self.only_right or self.changed)

    def summary(self, limit: int = 8) -> str:
        """The first few differing keys of each kind (for an assertion message)."""
        parts = {"only left": self.only_left, "only right": self.only_right}
        parts["changed"] = self.changed
        return "; ".join(
            f"{name} {len(keys)}: {sorted(keys)[:limit]}" for name, keys in parts.items()
        )


def compare(left: Mapping[Key, str], right: Mapping[Key, str]) -> Difference:
    """The record-by-record difference of two pictures."""
    both = left.keys() & right.keys()
    return Difference(
        frozenset(left.keys() - right.keys()),
        frozenset(right.keys() - left.keys()),
        frozenset(key for key in both if left[key] != right[key]),
    )


def union(pictures: Iterable[Mapping[Key, str]]) -> Picture:
    """All records of several pictures (the same key must have the same content everywhere;
    the caller compares the laptops with each other first)."""
    merged: Picture = {}
    for each in pictures:
        merged.update(each)
    return merged


def tables_of(keys: Iterable[Key]) -> set[str]:
    """The tables some keys belong to."""
    return {table for table, _ in keys}


def shared_scopes() -> frozenset[str]:
    """Tables every squad's laptops receive whatever squad made them (HQ's reference data and
    the registry): ``Scope.ALL``."""
    return frozenset(policy.table for policy in synced_tables() if policy.scope is Scope.ALL)
