"""One transaction per user action: the change, its audit event and its outbox row together.

A service opens :func:`user_action`, makes its change through the session, and calls
:meth:`ActionScope.record` for each record it created or changed. Everything commits at the
end of the ``with`` block, or nothing does.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import AuditEvent, OutboxEntry
from fuanjian_desktop.security import audit_chain
from fuanjian_desktop.services import archive_lock
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.squad_scope import acting_user


class AuditedRecord(Protocol):
    """A synced record that can describe itself to the audit trail."""

    id: str
    version: int
    updated_at: dt.datetime
    __tablename__: str

    def audit_snapshot(self) -> dict[str, Any]: ...


def json_safe(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Snapshot values converted to JSON types (dates as ISO text, decimals as strings)."""
    return {key: _json_value(value) for key, value in snapshot.items()}


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value


@dataclass
class ActionScope:
    """The open transaction of one user action."""

    session: Session
    actor: Actor
    action: str

    @property
    def allow_archived(self) -> bool:
        """Whether the archive lock (``services.archive_lock``) is lifted for this action's
        session: set only by the dossier services that take 批准归档 and 重新打开案卷."""
        return archive_lock.lifted(self.session)

    @allow_archived.setter
    def allow_archived(self, value: bool) -> None:
        archive_lock.lift(self.session, value)

    def record(
        self, record: AuditedRecord, summary: str, before: dict[str, Any] | None
    ) -> AuditEvent:
        """Bump ``record``'s version and append its audit event and outbox row.

        ``before`` is the record's ``audit_snapshot()`` taken before the change (``None`` for a
        new record).
        """
        record.version = (record.version or 0) + 1
        record.updated_at = utc_now()
        self.session.flush()
        event = self.log(summary, record.__tablename__, record.id, before, record.audit_snapshot())
        self._queue(record, "insert" if before is None else "update", event)
        return event

    def record_deletion(self, record: AuditedRecord, summary: str) -> AuditEvent:
        """Delete ``record``; the audit trail keeps its last values, the outbox the deletion."""
        before = record.audit_snapshot()
        record.version = (record.version or 0) + 1
        event = self.log(summary, record.__tablename__, record.id, before, None)
        self._queue(record, "delete", event)
        self.session.delete(record)
        self.session.flush()
        return event

    def record_immutable(
        self, table: str, entity_id: str, summary: str, after: dict[str, Any]
    ) -> AuditEvent:
        """Append the audit event and outbox row of a new record that never changes and has no
        version of its own (a pinned checklist version, keyed by two columns: ``entity_id`` is
        its sync key, too long for the audit trail's id column, which stays empty)."""
        event = self.log(summary, table, None, None, after)
        self.session.add(
            OutboxEntry(
                entity_type=table,
                entity_id=entity_id,
                entity_version=1,
                operation="insert",
                audit_event_id=event.id,
            )
        )
        return event

    def _queue(self, record: AuditedRecord, operation: str, event: AuditEvent) -> None:
        self.session.add(
            OutboxEntry(
                entity_type=record.__tablename__,
                entity_id=record.id,
                entity_version=record.version,
                operation=operation,
                audit_event_id=event.id,
            )
        )

    def log(
        self,
        summary: str,
        entity_type: str | None = None,
        entity_id: str | None = None,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> AuditEvent:
        """Append an audit event that changes no synced record (e.g. a sign-in).

        The event joins this laptop's hash chain when the session flushes it (``audit_chain``).
        """
        event = AuditEvent(
            id=new_id(),  # set now, so the outbox row can name it without another flush
            occurred_at=utc_now(),
            actor_id=self.actor.user_id,
            actor_name=self.actor.full_name,
            action=self.action,
            summary=summary[:300],
            entity_type=entity_type,
            entity_id=entity_id,
            before=json_safe(before) if before is not None else None,
            after=json_safe(after) if after is not None else None,
        )
        self.session.add(event)
        audit_chain.track(self.session, event)
        return event


@contextmanager
def user_action(database: Database, actor: Actor, action: str) -> Iterator[ActionScope]:
    """Open the single transaction of one user action (``action`` is a short Chinese verb).

    Every flush is checked by the archive lock: a change to an archived case's records raises
    :class:`~fuanjian_desktop.services.archive_lock.ArchivedCaseLocked` and the action is undone.

    The scope's actor is re-read from the user row inside the transaction (roles and squad as
    stored now; an unknown or deactivated account is refused), so a service checks what the
    database says, not the object it was handed.
    """
    with database.write() as session:
        archive_lock.guard(session)
        yield ActionScope(session, acting_user(session, actor), action)
