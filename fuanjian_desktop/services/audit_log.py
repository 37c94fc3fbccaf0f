"""Reading the audit trail (操作日志) for reviewers, leaders and administrators: its events, and
whether its hash chain and the issued documents are intact."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.models import AuditEvent, User
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.squad_scope import listed_squad, read_as
from fuanjian_desktop.services.trail_check import TrailReport, verify_trail

DEFAULT_LIMIT = 1000


@dataclass(frozen=True)
class AuditEntry:
    """One audit event as the log page shows it."""

    occurred_at: dt.datetime
    actor_name: str
    action: str
    summary: str
    changes: tuple[tuple[str, Any, Any], ...]
    link: str = ""  # its place in the record chain, e.g. 记录链：本机第 12 条，指纹 3f2a…


def recent_events(
    database: Database, actor: Actor, text: str = "", limit: int = DEFAULT_LIMIT
) -> list[AuditEntry]:
    """The newest events first, optionally only those whose actor, action or summary match.

    A squad's users see the events of their squad's users and of the laptop itself (set-up,
    sign-in attempts under unknown names); a bureau viewer sees every squad's.
    """
    actor.require(Permission.VIEW_AUDIT)
    query = select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    for word in text.split():
        pattern = f"%{word}%"
        query = query.where(
            or_(
                AuditEvent.summary.like(pattern),
                AuditEvent.actor_name.like(pattern),
                AuditEvent.action.like(pattern),
            )
        )
    with read_as(database, actor) as (session, reader):
        reader.require(Permission.VIEW_AUDIT)
        squad_id = listed_squad(reader, None)
        if squad_id is not None:
            query = query.outerjoin(User, User.id == AuditEvent.actor_id).where(
                or_(AuditEvent.actor_id.is_(None), User.squad_id == squad_id)
            )
        events = session.scalars(query.limit(limit)).all()
        return [_entry(event) for event in events]


def trail_state(database: Database, actor: Actor) -> TrailReport:
    """The chain's state as the 操作日志 page shows it (those who may view the log only).

    It names no squad's records beyond the first break, so it is not limited to a squad: the
    whole trail is one chain per laptop, and a break anywhere concerns everyone on it.
    """
    with read_as(database, actor) as (_session, reader):
        reader.require(Permission.VIEW_AUDIT)
    return verify_trail(database)


def _entry(event: AuditEvent) -> AuditEntry:
    return AuditEntry(
        event.occurred_at,
        event.actor_name,
        event.action,
        event.summary,
        changed_fields(event.before, event.after),
        f"记录链：第 {event.device_seq} 条，指纹 {event.event_hash[:16]}…",
    )


def changed_fields(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[tuple[str, Any, Any], ...]:
    """(field, old, new) for every field whose value differs between the two snapshots."""
    old, new = before or {}, after or {}
    keys = list(dict.fromkeys([*old, *new]))
    return tuple((key, old.get(key), new.get(key)) for key in keys if old.get(key) != new.get(key))
