"""同步冲突: values HQ would not choose between, listed for a person and settled by one.

HQ writes a ``sync_conflict`` when both sides changed one field, or a frozen record (an issued
document, an archived case) or a number arrived with other content; it keeps its own value
meanwhile. The other value is the one a laptop of the squad uploaded — this one or another
(``uploaded_here`` says which). A squad leader, legal reviewer or administrator of the conflict's
squad settles it: ``hq`` keeps HQ's value; ``device`` writes the uploaded value back into the
changed field (a normal audited change, which the next push carries to HQ). The resolution
itself is an audited change of the conflict record, so it syncs too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.base import Base, utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.errors import NotFound, PermissionDenied, UserError
from fuanjian_desktop.models import LocalSetting, SyncConflict
from fuanjian_desktop.security.audit_chain import DEVICE_SETTING
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.squad_scope import listed_squad, read_as, require_changeable
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action
from fuanjian_desktop.sync_protocol.codec import decode_value, table_of

RESOLVERS = frozenset({Role.SQUAD_LEADER, Role.LEGAL_REVIEWER, Role.ADMIN})
CHOICES = {"hq": "采用区局的值", "device": "采用上传的值"}
# how a record is named in the list: its kind, and the column that names it
_LABELS: dict[str, tuple[str, str | None]] = {
    "enforcement_case": ("案件", "case_no"),
    "enterprise": ("企业", "name"),
    "case_document": ("文书", "title"),
    "hazard": ("隐患", "description"),
    "issued_number": ("文号", "text"),
    "number_block": ("号段", "prefix"),
    "app_user": ("用户", "full_name"),
    "inspection": ("现场检查", None),
    "case_violation": ("违法行为", "title"),
}


@dataclass(frozen=True)
class ConflictRow:
    """One open conflict as the 冲突 list shows it."""

    id: str
    entity_type: str
    entity_id: str
    entity_label: str
    kind: str
    field: str | None
    hq_value: Any
    device_value: Any
    detected_at: dt.datetime
    uploaded_here: bool  # the uploaded value came from this laptop (else another of the squad)


def may_resolve(actor: Actor) -> bool:
    """Whether ``actor`` holds a role that settles conflicts (the UI hides 解决 otherwise)."""
    return bool(actor.roles & RESOLVERS)


def open_conflicts(database: Database, actor: Actor) -> list[ConflictRow]:
    """The unresolved conflicts of the actor's squad (every squad's for a bureau viewer)."""
    with read_as(database, actor) as (session, acting):
        squad = listed_squad(acting, None)
        query = select(SyncConflict).where(SyncConflict.resolved_at.is_(None))
        if squad is not None:
            query = query.where(SyncConflict.squad_id == squad)
        found = session.scalars(query.order_by(SyncConflict.detected_at)).all()
        return [_row(session, conflict) for conflict in found]


def _this_laptop(session: Session) -> str | None:
    row = session.get(LocalSetting, DEVICE_SETTING)
    return row.value if row else None


def resolve_conflict(
    database: Database, actor: Actor, conflict_id: str, choice: str, note: str
) -> None:
    """Settle a conflict with HQ's or the laptop's value; audited, synced."""
    if choice not in CHOICES:
        raise UserError("请选择“采用区局的值”或“采用上传的值”。")
    with user_action(database, actor, "处理同步冲突") as scope:
        if not may_resolve(scope.actor):
            raise PermissionDenied("只有中队负责人、法制审核员或管理员可以处理同步冲突。")
        conflict = scope.session.get(SyncConflict, conflict_id)
        if conflict is None:
            raise NotFound("该冲突记录不存在，请刷新列表。")
        require_changeable(scope.actor, conflict.squad_id, "同步冲突")
        if conflict.resolved_at is not None:
            raise UserError("该冲突已经处理过，请刷新列表。")
        if choice == "device":
            _take_device_value(scope, conflict)
        before = conflict.audit_snapshot()
        conflict.resolved_at = utc_now()
        conflict.resolved_by_id = scope.actor.user_id
        conflict.resolved_by_name = scope.actor.full_name
        conflict.resolution = choice
        conflict.resolution_note = note.strip() or None
        label = _row(scope.session, conflict).entity_label
        scope.record(conflict, f"处理同步冲突（{label}）：{CHOICES[choice]}", before)


def _take_device_value(scope: ActionScope, conflict: SyncConflict) -> None:
    """Write the uploaded value into the conflicting field (only a plain field can take one)."""
    field = conflict.field
    stored = table_of(conflict.entity_type)
    if conflict.kind != "field" or field is None or field not in stored.columns:
        raise UserError(
            "这类冲突（已签发的文书、已归档的案件或编号）只能采用区局的值，请在备注中说明。"
        )
    record = scope.session.get(_model_of(conflict.entity_type), conflict.entity_id)
    if record is None:
        raise NotFound("冲突涉及的记录在本机已不存在，请先同步。")
    before = record.audit_snapshot()
    value = decode_value(conflict.entity_type, stored.columns[field], conflict.device_value)
    setattr(record, field, value)
    scope.record(record, f"按上传的值处理同步冲突：{field}", before)


def _model_of(table: str) -> Any:
    for mapper in Base.registry.mappers:
        if getattr(mapper.local_table, "name", None) == table:
            return mapper.class_
    raise UserError(f"未知的数据表“{table}”。")


def _row(session: Session, conflict: SyncConflict) -> ConflictRow:
    return ConflictRow(
        id=conflict.id,
        entity_type=conflict.entity_type,
        entity_id=conflict.entity_id,
        entity_label=_label(session, conflict.entity_type, conflict.entity_id),
        kind=conflict.kind,
        field=conflict.field,
        hq_value=conflict.hq_value,
        device_value=conflict.device_value,
        detected_at=conflict.detected_at,
        uploaded_here=conflict.device_id == _this_laptop(session),
    )


def _label(session: Session, table: str, entity_id: str) -> str:
    """``案件 粤…〔2026〕3号``-style name of the record (kind and id when unknown here)."""
    kind, column = _LABELS.get(table, (table, None))
    if column is not None and table in Base.metadata.tables:
        stored = Base.metadata.tables[table]
        name = session.execute(
            select(stored.columns[column]).where(stored.columns["id"] == entity_id)
        ).scalar()
        if name:
            return f"{kind} {str(name)[:40]}"
    return f"{kind} {entity_id}"
