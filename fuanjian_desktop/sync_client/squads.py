"""Which squad a local record belongs to, by the protocol's rule, from this laptop's data.

``sync_protocol.policy.owning_squad`` walks a record's ``squad_id`` or its foreign keys to a
squad-scoped parent; here the parents are looked up in the laptop's database (cached per push).
A record deleted here is judged by the values its deletion's audit event kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.models import AuditEvent, OutboxEntry
from fuanjian_desktop.sync_protocol.codec import key_values, table_of
from fuanjian_desktop.sync_protocol.policy import TablePolicy, owning_squad, policy_of


class LocalSquads:
    """Owning squads of local records, memoised for one session."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._known: dict[tuple[str, str], str | None] = {}
        self._rows: dict[tuple[str, str], dict[str, Any] | None] = {}

    def prefetch(self, keys: Iterable[tuple[str, str]]) -> None:
        """Load the rows of many records at once (a few queries per table, not one each)."""
        by_table: dict[str, list[str]] = {}
        for table, entity_id in keys:
            by_table.setdefault(table, []).append(entity_id)
        for table, ids in by_table.items():
            policy = policy_of(table)
            if len(policy.key_columns) != 1:
                continue  # composite keys are few: looked up one by one
            stored = table_of(table)
            column = stored.columns[policy.key_columns[0]]
            wanted = [column, *(stored.columns[name] for name in _owner_columns(policy))]
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                self._rows.update({(table, entity_id): None for entity_id in chunk})
                for found in self._session.execute(select(*wanted).where(column.in_(chunk))):
                    row = dict(found._mapping)
                    self._rows[(table, str(row[column.name]))] = row

    def of_entity(self, table: str, entity_id: str, last_outbox_seq: int) -> str | None:
        """The squad of a record with outbox rows (the newest row's event for a deleted one)."""
        row = self._row(table, entity_id)
        if row is None:
            row = self._last_known(last_outbox_seq)
        return owning_squad(table, row, self.parent) if row is not None else None

    def parent(self, table: str, entity_id: str) -> str | None:
        """The squad of a parent record (``None`` if it is not stored here)."""
        key = (table, entity_id)
        if key not in self._known:
            row = self._row(table, entity_id)
            self._known[key] = owning_squad(table, row, self.parent) if row is not None else None
        return self._known[key]

    def _row(self, table: str, entity_id: str) -> dict[str, Any] | None:
        if (table, entity_id) in self._rows:
            return self._rows[(table, entity_id)]
        stored = table_of(table)
        keys = key_values(policy_of(table), entity_id)
        query = select(stored).where(
            *(stored.columns[name] == value for name, value in keys.items())
        )
        found = self._session.execute(query).first()
        return dict(found._mapping) if found is not None else None

    def _last_known(self, outbox_seq: int) -> dict[str, Any] | None:
        before = self._session.execute(
            select(AuditEvent.before)
            .join(OutboxEntry, OutboxEntry.audit_event_id == AuditEvent.id)
            .where(OutboxEntry.seq == outbox_seq)
        ).scalar()
        return dict(before) if isinstance(before, dict) else None


def _owner_columns(policy: TablePolicy) -> list[str]:
    """The columns the owning squad is read from (not the whole row: JSON columns are slow to
    decode and a push plans thousands of records)."""
    if policy.has_squad_column:
        return ["squad_id"]
    return [column for column, _parent in policy.owner_links]
