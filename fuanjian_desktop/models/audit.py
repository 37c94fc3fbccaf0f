"""The audit trail (行政执法全过程记录) and the outbox that HQ sync will drain.

Both are written only by ``services.unit_of_work`` in the same transaction as the change
they describe, so one never exists without the other. Audit rows are append-only: SQLite triggers
(migration 0008) refuse UPDATE and DELETE, each row is a link of its device's hash chain
(``security.audit_chain``), and an outbox row's event must exist (a deferred foreign key).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fuanjian_desktop.db.base import Base, UtcDateTime, utc_now
from fuanjian_desktop.ids import new_id


class AuditEvent(Base):
    """Who did what, when, to which record, with the values before and after.

    ``device_id``, ``device_seq``, ``prev_hash`` and ``event_hash`` make the row a link of the
    hash chain of the laptop that wrote it; they are set when the row is flushed.
    """

    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("device_id", "device_seq"),)

    id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    occurred_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now, index=True)
    actor_id: Mapped[str | None] = mapped_column(String(26))
    actor_name: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(50))
    summary: Mapped[str] = mapped_column(String(300))
    entity_type: Mapped[str | None] = mapped_column(String(50))
    entity_id: Mapped[str | None] = mapped_column(String(26), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    device_id: Mapped[str] = mapped_column(String(26))
    device_seq: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64))
    event_hash: Mapped[str] = mapped_column(String(64))


class OutboxEntry(Base):
    """A record version waiting to be sent to HQ; ``sent_at`` stays empty until HQ confirms."""

    __tablename__ = "outbox_entry"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(26))
    entity_version: Mapped[int] = mapped_column(Integer)
    operation: Mapped[str] = mapped_column(String(10))
    # checked at commit, so the event and its outbox row may be flushed in either order
    audit_event_id: Mapped[str] = mapped_column(
        ForeignKey("audit_event.id", deferrable=True, initially="DEFERRED")
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)
