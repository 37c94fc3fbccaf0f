"""隐患: edit a hazard, record a 复查, hand an unrectified hazard over to a case, list them.

The register and the 工作台 read the same query with different filters, so a hazard shows the
same status everywhere: pending past its due date reads 逾期未整改.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from sqlalchemy import Select, select

from fuanjian_desktop.checklists.model import HazardLevel
from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.deadlines import MAX_RECTIFICATION_DAYS, compute_deadline
from fuanjian_desktop.domain.inspection_rules import (
    Answer,
    HazardStatus,
    InspectionSource,
    InspectionStatus,
    SitePerson,
    can_transfer,
    check_times,
    hazard_status_label,
    is_overdue,
)
from fuanjian_desktop.domain.registry_rules import FieldIssue
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import NotFound, UserError
from fuanjian_desktop.models import Enterprise, Hazard, Inspection, RecheckFinding, Squad
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections.inspections import (
    HazardView,
    InspectionInvalid,
    InspectionStart,
    create_inspection,
    hazard_view,
    local_today,
)
from fuanjian_desktop.services.lookup import fetch, fetch_own, fetch_readable
from fuanjian_desktop.services.squad_scope import listed_squad, read_as, require_changeable
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

RECHECK_WINDOW_DAYS = 7


class HazardFilter(StrEnum):
    """The status filter of the register."""

    OPEN = "open"  # 待整改 or overdue: still needs action
    PENDING = "pending"
    OVERDUE = "overdue"
    RECTIFIED = "rectified"
    TRANSFERRED = "transferred"
    ALL = "all"

    @property
    def label(self) -> str:
        """Chinese name for the filter box."""
        return FILTER_LABELS[self]


FILTER_LABELS = {
    HazardFilter.OPEN: "未销号（待整改和逾期）",
    HazardFilter.PENDING: "待整改（未到期）",
    HazardFilter.OVERDUE: "逾期未整改",
    HazardFilter.RECTIFIED: "已整改",
    HazardFilter.TRANSFERRED: "移交立案",
    HazardFilter.ALL: "全部",
}


@dataclass(frozen=True)
class HazardQuery:
    """Register filters; ``None`` means no restriction."""

    status: HazardFilter = HazardFilter.OPEN
    squad_id: str | None = None
    venue_text: str = ""
    due_from: dt.date | None = None
    due_to: dt.date | None = None


@dataclass(frozen=True)
class HazardRow:
    """One line of the hazard register."""

    id: str
    inspection_id: str
    venue: str
    squad: str
    description: str
    level: HazardLevel
    found_on: dt.date
    due_date: dt.date
    status: HazardStatus
    status_label: str
    overdue: bool
    days_left: int


@dataclass(frozen=True)
class HazardEdit:
    """What the hazard editor may change; the due date follows from ``days``."""

    description: str
    level: HazardLevel
    rectification: str
    days: int


@dataclass(frozen=True)
class RecheckRecord:
    """A 复查: who, when, with whom on site, and the result for each hazard re-checked."""

    inspection_id: str  # the inspection whose hazards are re-checked
    inspector_ids: tuple[str, ...]
    site_person: SitePerson
    started_at: dt.datetime
    ended_at: dt.datetime
    results: Mapping[str, Answer]  # hazard id → COMPLIANT (已整改) or NON_COMPLIANT (未整改)
    notes: Mapping[str, str]
    opinion: str


def hazard_rows(
    database: Database, actor: Actor, query: HazardQuery, today: dt.date | None = None
) -> list[HazardRow]:
    """Hazards matching ``query``, soonest due first: the actor's squad only, unless a bureau
    role lets them choose any squad or all."""
    today = today or local_today()
    with read_as(database, actor) as (session, reader):
        query = replace(query, squad_id=listed_squad(reader, query.squad_id))
        found = session.execute(_select(query, today))
        return [_row(hazard, venue, squad, today) for hazard, venue, squad in found]


def workbench_hazards(
    database: Database, actor: Actor, squad_id: str | None, today: dt.date | None = None
) -> tuple[list[HazardRow], list[HazardRow]]:
    """(due for 复查 in the next 7 days, overdue) for the 工作台."""
    today = today or local_today()
    due_soon = hazard_rows(
        database,
        actor,
        HazardQuery(
            HazardFilter.PENDING,
            squad_id,
            due_from=today,
            due_to=today + dt.timedelta(days=RECHECK_WINDOW_DAYS),
        ),
        today,
    )
    overdue = hazard_rows(database, actor, HazardQuery(HazardFilter.OVERDUE, squad_id), today)
    return due_soon, overdue


def hazard_row(
    database: Database, actor: Actor, hazard_id: str, today: dt.date | None = None
) -> HazardRow:
    """One hazard as the register shows it (venue, squad, status as of ``today``)."""
    today = today or local_today()
    with read_as(database, actor) as (session, reader):
        fetch_readable(session, reader, Hazard, hazard_id)
        found = session.execute(
            _select(HazardQuery(HazardFilter.ALL), today).where(Hazard.id == hazard_id)
        ).first()
        if found is None:
            raise NotFound("该隐患记录不存在，请刷新列表。")
        hazard, venue, squad = found
        return _row(hazard, venue, squad, today)


def load_hazard(database: Database, actor: Actor, hazard_id: str) -> HazardView:
    """One hazard for the editor."""
    with read_as(database, actor) as (session, reader):
        return hazard_view(fetch_readable(session, reader, Hazard, hazard_id))


def hazards_to_recheck(database: Database, actor: Actor, inspection_id: str) -> list[HazardView]:
    """The hazards of an inspection still awaiting a 复查 result, in item order."""
    waiting = (HazardStatus.PENDING.value, HazardStatus.NOT_RECTIFIED.value)
    with read_as(database, actor) as (session, reader):
        fetch_readable(session, reader, Inspection, inspection_id)
        found = session.scalars(
            select(Hazard)
            .where(Hazard.inspection_id == inspection_id, Hazard.status.in_(waiting))
            .order_by(Hazard.item_id)
        )
        return [hazard_view(hazard) for hazard in found]


def update_hazard(database: Database, actor: Actor, hazard_id: str, edit: HazardEdit) -> None:
    """Save the inspector's wording, level and period; the due date is recomputed."""
    actor.require(Permission.MANAGE_HAZARDS)
    issues = _check_edit(edit)
    if issues:
        raise InspectionInvalid(issues)
    with user_action(database, actor, "修改隐患") as scope:
        scope.actor.require(Permission.MANAGE_HAZARDS)
        hazard = fetch_own(scope, Hazard, hazard_id)
        if hazard.status != HazardStatus.PENDING.value:
            raise UserError("该隐患已复查或移交立案，不能再修改。")
        before = hazard.audit_snapshot()
        hazard.description = edit.description.strip()
        hazard.level = edit.level.value
        hazard.rectification = edit.rectification.strip()
        hazard.days = edit.days
        hazard.due_date = compute_deadline(hazard.found_on, edit.days).due
        if hazard.audit_snapshot() != before:
            scope.record(hazard, f"修改隐患：{hazard.description[:60]}", before)


def record_recheck(database: Database, actor: Actor, record: RecheckRecord) -> str:
    """Create the 复查 inspection and settle each hazard re-checked, in one transaction."""
    actor.require(Permission.MANAGE_HAZARDS)
    if not record.results:
        raise UserError("请至少对一项隐患给出复查结果（已整改或未整改）。")
    with user_action(database, actor, "记录复查") as scope:
        scope.actor.require(Permission.MANAGE_HAZARDS)
        fetch_own(scope, Inspection, record.inspection_id)
        return add_recheck(scope, scope.actor, record).id


def add_recheck(scope: ActionScope, actor: Actor, record: RecheckRecord) -> Inspection:
    """The 复查 inspection with its findings, inside an open action (the demo shares it); only
    ``actor``'s own squad re-checks its inspections."""
    original = fetch(scope.session, Inspection, record.inspection_id)
    require_changeable(actor, original.squad_id, "检查记录")
    start = InspectionStart(
        enterprise_id=original.enterprise_id,
        source=InspectionSource.RECHECK,
        template_id=None,
        inspector_ids=record.inspector_ids,
        site_person=record.site_person,
        started_at=record.started_at,
        follow_up_of_id=original.id,
    )
    ended_issues = check_times(record.started_at, record.ended_at, utc_now())
    if ended_issues:
        raise InspectionInvalid(ended_issues)
    recheck = create_inspection(scope, actor, start, None)
    _settle(scope, recheck, record)
    return recheck


def transfer_hazard(
    database: Database, actor: Actor, hazard_id: str, today: dt.date | None = None
) -> None:
    """Mark an overdue or unrectified hazard as handed over for a case (移交立案)."""
    actor.require(Permission.MANAGE_HAZARDS)
    with user_action(database, actor, "隐患移交立案") as scope:
        scope.actor.require(Permission.MANAGE_HAZARDS)
        mark_transferred(scope, fetch_own(scope, Hazard, hazard_id), today or local_today())


def mark_transferred(scope: ActionScope, hazard: Hazard, today: dt.date) -> None:
    """Hand a hazard over for a case inside an open action, if it is overdue."""
    if not can_transfer(HazardStatus(hazard.status), hazard.due_date, today):
        raise UserError("只有逾期未整改的隐患才能移交立案；未到整改期限的请先复查。")
    before = hazard.audit_snapshot()
    hazard.status = HazardStatus.TRANSFERRED.value
    hazard.closed_on = today
    scope.record(hazard, f"隐患移交立案：{hazard.description[:60]}", before)


def _settle(scope: ActionScope, recheck: Inspection, record: RecheckRecord) -> None:
    closed_on = record.ended_at.astimezone().date()
    for hazard_id, result in record.results.items():
        hazard = fetch(scope.session, Hazard, hazard_id)
        if hazard.inspection_id != record.inspection_id:
            raise UserError("复查的隐患不属于所选检查，请重新打开复查窗口。")
        if hazard.status not in (HazardStatus.PENDING.value, HazardStatus.NOT_RECTIFIED.value):
            raise UserError("该隐患已经销号或移交立案，无需复查。")
        rectified = result is Answer.COMPLIANT
        finding = RecheckFinding(
            inspection_id=recheck.id,
            hazard_id=hazard_id,
            result=(HazardStatus.RECTIFIED if rectified else HazardStatus.NOT_RECTIFIED).value,
            note=record.notes.get(hazard_id, "").strip() or None,
        )
        scope.session.add(finding)
        scope.record(finding, f"复查：{hazard.description[:60]}", None)
        before = hazard.audit_snapshot()
        hazard.status = finding.result
        hazard.closed_on = closed_on if rectified else None
        hazard.closed_by_id = recheck.id if rectified else None
        verdict = "已整改" if rectified else "未整改"
        scope.record(hazard, f"复查{verdict}：{hazard.description[:50]}", before)
    before = recheck.audit_snapshot()
    recheck.status = InspectionStatus.COMPLETED.value
    recheck.ended_at = record.ended_at
    recheck.summary = record.opinion.strip() or None
    scope.record(recheck, "复查结束", before)


def _check_edit(edit: HazardEdit) -> list[FieldIssue]:
    issues = []
    if not edit.description.strip():
        issues.append(FieldIssue("description", "请填写隐患描述。", field_label="隐患描述"))
    if not edit.rectification.strip():
        issues.append(FieldIssue("rectification", "请填写整改要求。", field_label="整改要求"))
    if not 0 <= edit.days <= MAX_RECTIFICATION_DAYS:
        issues.append(
            FieldIssue(
                "days",
                f"整改期限应为 0 到 {MAX_RECTIFICATION_DAYS} 个工作日。",
                field_label="整改期限",
            )
        )
    return issues


def _select(query: HazardQuery, today: dt.date) -> Select[Hazard, str, str]:
    statement = (
        select(Hazard, Enterprise.name, Squad.short_name)
        .join(Enterprise, Enterprise.id == Hazard.enterprise_id)
        .join(Squad, Squad.id == Hazard.squad_id)
        .order_by(Hazard.due_date, Enterprise.name)
    )
    pending = Hazard.status == HazardStatus.PENDING.value
    not_rectified = Hazard.status == HazardStatus.NOT_RECTIFIED.value
    overdue = (pending & (Hazard.due_date < today)) | not_rectified
    conditions = {
        HazardFilter.OPEN: pending | not_rectified,
        HazardFilter.PENDING: pending & (Hazard.due_date >= today),
        HazardFilter.OVERDUE: overdue,
        HazardFilter.RECTIFIED: Hazard.status == HazardStatus.RECTIFIED.value,
        HazardFilter.TRANSFERRED: Hazard.status == HazardStatus.TRANSFERRED.value,
    }
    if query.status in conditions:
        statement = statement.where(conditions[query.status])
    if query.squad_id is not None:
        statement = statement.where(Hazard.squad_id == query.squad_id)
    for word in query.venue_text.lower().split():
        statement = statement.where(Enterprise.search_text.contains(word))
    if query.due_from is not None:
        statement = statement.where(Hazard.due_date >= query.due_from)
    if query.due_to is not None:
        statement = statement.where(Hazard.due_date <= query.due_to)
    return statement


def _row(hazard: Hazard, venue: str, squad: str, today: dt.date) -> HazardRow:
    status = HazardStatus(hazard.status)
    return HazardRow(
        id=hazard.id,
        inspection_id=hazard.inspection_id,
        venue=venue,
        squad=squad,
        description=hazard.description,
        level=HazardLevel(hazard.level),
        found_on=hazard.found_on,
        due_date=hazard.due_date,
        status=status,
        status_label=hazard_status_label(status, hazard.due_date, today),
        overdue=is_overdue(status, hazard.due_date, today),
        days_left=(hazard.due_date - today).days,
    )
