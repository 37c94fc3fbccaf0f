"""The audit trail (行政执法全过程记录) and the outbox that HQ sync will drain.

Both are written only by ``services.unit_of_work`` in the same transaction as the change
they describe, so one never exists without the other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fuanjian_desktop.db.base import Base, UtcDateTime, utc_now
from fuanjian_desktop.ids import new_id


class AuditEvent(Base):
    """Who did what, when, to which record, with the values before and after."""

    __tablename__ = "audit_event"

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


class OutboxEntry(Base):
    """A record version waiting to be sent to HQ; ``sent_at`` stays empty until HQ confirms."""

    __tablename__ = "outbox_entry"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(26))
    entity_version: Mapped[int] = mapped_column(Integer)
    operation: Mapped[str] = mapped_column(String(10))
    audit_event_id: Mapped[str] = mapped_column(String(26))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)
