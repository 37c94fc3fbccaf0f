"""Reading cases: the filtered case list with its counts, the approvals inbox, one case's page.

The list works like the registry: a filter returns ids in display order (one indexed query),
and rows are loaded a page at a time as the view scrolls, so 100,000 cases filter quickly.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVarTuple

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.case_deadlines import (
    CaseDeadline,
    DeadlineKind,
    DeadlineState,
    deadline_rule,
    load_deadline_rules,
)
from fuanjian_desktop.domain.documents.document_types import status_label
from fuanjian_desktop.domain.guard.case_guard import (
    CaseFacts,
    Defect,
    case_defects,
    facts_after,
    refusals,
)
from fuanjian_desktop.domain.penalties.discretion import Tier
from fuanjian_desktop.domain.procedure import (
    FIELD_LABELS,
    Outcome,
    Procedure,
    Stage,
    actions_from,
    find_action,
)
from fuanjian_desktop.domain.procedure_settings import ProcedureSettings
from fuanjian_desktop.domain.roles import Permission, Role
from fuanjian_desktop.models import (
    Case,
    CaseHandler,
    CaseLink,
    CaseMedia,
    CasePhoto,
    CaseRemedy,
    Enterprise,
    Hazard,
    Inspection,
    Squad,
    User,
)
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_actions import (
    DOSSIER_STEPS,
    REMEDY_LABELS,
    performer_refusal,
)
from fuanjian_desktop.services.cases.case_facts import (
    case_documents,
    case_events,
    case_violations,
    facts_of,
)
from fuanjian_desktop.services.cases.cases import CaseSource
from fuanjian_desktop.services.lookup import fetch, fetch_readable
from fuanjian_desktop.services.procedure_settings import current_settings
from fuanjian_desktop.services.squad_scope import listed_squad, read_as, sees_all_squads
from fuanjian_desktop.services.transcripts.transcript_evidence import transcript_evidence

_Ts = TypeVarTuple("_Ts")
DUE_SOON = "soon"
OVERDUE = "overdue"
APPROVAL_STAGES = {
    Stage.FILING_APPROVAL: Role.SQUAD_LEADER,
    Stage.COLLECTIVE: Role.SQUAD_LEADER,
    Stage.DECISION_APPROVAL: Role.SQUAD_LEADER,
    Stage.CLOSING_APPROVAL: Role.SQUAD_LEADER,
    Stage.LEGAL_REVIEW: Role.LEGAL_REVIEWER,
}


@dataclass(frozen=True)
class CaseFilter:
    """The case list's filters; ``None`` means any."""

    squad_id: str | None = None
    stage: Stage | None = None
    handler_id: str | None = None
    due: str | None = None  # DUE_SOON or OVERDUE
    text: str = ""  # words that the 案号 or the party's name must each contain ("22号 嘉怡")


@dataclass(frozen=True)
class FilterCounts:
    """How many cases each filter value would show, the other filters applied."""

    total: int
    by_stage: dict[Stage, int]
    due_soon: int
    overdue: int
    by_handler: dict[str, int]


@dataclass(frozen=True)
class CaseRow:
    """One line of the case list or the approvals inbox."""

    id: str
    case_no: str
    party_name: str
    cause: str
    procedure: str
    stage: str
    handlers: str
    opened_on: dt.date
    next_due_on: dt.date | None
    next_due_label: str
    next_due_source: str  # the legal source of that deadline, shown beside every reminder
    overdue: bool
    due_soon: bool
    total_fine: int


@dataclass(frozen=True)
class DeadlineView:
    """A deadline on the case page or the 工作台, with its legal source."""

    label: str
    kind: str
    start: dt.date
    due: dt.date
    state: str
    source: str
    explanation: str
    overdue: bool
    due_soon: bool


@dataclass(frozen=True)
class ActionChoice:
    """A next step the case page offers as a button; ``reason`` says why it is disabled."""

    code: str
    label: str
    fields: tuple[str, ...]
    is_approval: bool
    reason: str | None

    @property
    def enabled(self) -> bool:
        """Whether the signed-in user may take the step now."""
        return self.reason is None

    @property
    def in_dossier(self) -> bool:
        """Taken on the 案卷 page (归档, 重新打开案卷), which the button opens."""
        return self.code in DOSSIER_STEPS


@dataclass(frozen=True)
class CaseView:
    """Everything the case page shows."""

    id: str
    case_no: str
    procedure: str
    source: str
    party_name: str
    party_id_no: str
    party_detail: str
    cause: str
    facts: str
    stage: Stage
    outcome: str
    squad: str
    handlers: str
    reviewer: str
    dates: list[tuple[str, dt.date]]
    total_fine: int
    paid: int
    other_penalties: str
    violations: list[tuple[str, str, str, str, int, str]]
    timeline: list[tuple[dt.date, str, str, str, str]]
    documents: list[tuple[str, str, str, str, str]]
    deadlines: list[DeadlineView]
    defects: list[Defect]
    actions: list[ActionChoice]
    evidence: list[str]
    remedies: list[str] = field(default_factory=list)


def search_case_ids(
    database: Database, actor: Actor, case_filter: CaseFilter, today: dt.date
) -> list[str]:
    """Ids of the matching cases, newest first (the actor's squad only, unless a bureau role
    lets them choose any squad or all).

    The ids are taken from the driver's cursor as the plain strings SQLite returns, not as ORM
    or Core rows: a text column needs no conversion, and a row object per id doubles (Core)
    or quadruples (ORM) the time — 90 to 250 ms instead of about 50 ms when the list is all
    100,000 cases, against a 100 ms budget for the whole filter change (``bench/cases.py``).
    """
    with read_as(database, actor) as (session, reader):
        case_filter = _scoped(reader, case_filter)
        query = _filtered(select(Case.id), case_filter, today).order_by(
            Case.opened_on.desc(), Case.id.desc()
        )
        with session.connection().execute(query) as result:
            return [case_id for (case_id,) in result.cursor.fetchall()]


def _scoped(reader: Actor, case_filter: CaseFilter) -> CaseFilter:
    """The filter with its squad as the reader may list (see ``squad_scope.listed_squad``)."""
    return replace(case_filter, squad_id=listed_squad(reader, case_filter.squad_id))


def filter_counts(
    database: Database, actor: Actor, case_filter: CaseFilter, today: dt.date
) -> FilterCounts:
    """The count beside each filter value (each facet counted with the other filters).

    The total is read off the stage facet, which already applies every other filter: its
    entry for the chosen stage, or its sum — one pass over the cases fewer.
    """
    with read_as(database, actor) as (session, reader):
        case_filter = _scoped(reader, case_filter)
        by_stage = _stage_counts(session, case_filter, today)
        chosen = case_filter.stage
        return FilterCounts(
            total=by_stage.get(chosen, 0) if chosen else sum(by_stage.values()),
            by_stage=by_stage,
            due_soon=_due_count(session, case_filter, today, DUE_SOON),
            overdue=_due_count(session, case_filter, today, OVERDUE),
            by_handler=_handler_counts(session, case_filter, today),
        )


def case_rows(
    database: Database, actor: Actor, ids: Sequence[str], today: dt.date
) -> list[CaseRow]:
    """The rows of ``ids`` in that order (a missing id, or one the actor may not read, is
    skipped)."""
    with read_as(database, actor) as (session, reader):
        query = select(Case).where(Case.id.in_(ids))
        if not sees_all_squads(reader):
            query = query.where(Case.squad_id == reader.squad_id)
        cases = {c.id: c for c in session.scalars(query)}
        return [_row(cases[i], today) for i in ids if i in cases]


def approval_ids(database: Database, actor: Actor, today: dt.date) -> list[str]:
    """Cases waiting for this user's approval or review, oldest waiting first.

    Squad leaders see their squad's cases in an approval stage and cases whose 办案期限 is
    due within the reminder days (to decide on an extension); legal reviewers see cases in
    法制审核 they did not handle. Both only of their own squad: approving and reviewing change
    a case, which only its squad may do.
    """
    with read_as(database, actor) as (session, actor):
        stages = [s for s, role in APPROVAL_STAGES.items() if role in actor.roles]
        if not stages:
            return []
        query = select(Case.id).where(
            Case.stage.in_([str(s) for s in stages]), Case.squad_id == actor.squad_id
        )
        mine = select(CaseHandler.case_id).where(CaseHandler.user_id == actor.user_id)
        query = query.where(Case.id.not_in(mine)) if actor.can(Permission.REVIEW_CASES) else query
        ids = list(session.scalars(query.order_by(Case.updated_at)))
        if actor.can(Permission.APPROVE_CASES):
            ids += [i for i in _limit_due_ids(session, actor, today) if i not in ids]
        return ids


def case_view(database: Database, actor: Actor, case_id: str, today: dt.date) -> CaseView:
    """The case page of ``case_id`` for ``actor`` on ``today`` (its squad's users and bureau
    viewers only; the actions offered are those the re-read actor may take)."""
    with read_as(database, actor) as (session, actor):
        case = fetch_readable(session, actor, Case, case_id)
        settings = current_settings(session)
        facts = facts_of(session, case, settings, today)
        return CaseView(
            id=case.id,
            case_no=case.case_no,
            procedure=Procedure(case.procedure).label,
            source=CaseSource(case.source).label,
            party_name=case.party_name,
            party_id_no=case.party_id_no or "",
            party_detail=_party_detail(case),
            cause=case.cause,
            facts=case.facts or "",
            stage=Stage(case.stage),
            outcome=Outcome(case.outcome).label if case.outcome else "",
            squad=fetch(session, Squad, case.squad_id).name,
            handlers=_handlers_text(case),
            reviewer=_user_name(session, case.reviewer_id),
            dates=_dates(case),
            total_fine=case.total_fine,
            paid=case.paid_amount,
            other_penalties="、".join(case.other_penalties),
            violations=_violations(session, case.id),
            timeline=_timeline(session, case.id),
            documents=_documents(session, case.id),
            deadlines=[deadline_view(d, today, settings) for d in facts.deadlines],
            defects=case_defects(facts),
            actions=_actions(actor, case, facts, today),
            evidence=_evidence(session, case.id),
            remedies=_remedies(session, case.id),
        )


def deadline_view(
    deadline: CaseDeadline, today: dt.date, settings: ProcedureSettings
) -> DeadlineView:
    """A computed deadline as the case page and the 工作台 show it."""
    soon = settings["due_soon_days"]
    is_act = deadline.rule.kind is DeadlineKind.ACT
    return DeadlineView(
        label=deadline.rule.label,
        kind="办理期限" if is_act else "当事人权利期间",
        start=deadline.start,
        due=deadline.due,
        state=_state_label(deadline, today),
        source=deadline.rule.source,
        explanation=deadline.explanation,
        overdue=is_act and deadline.is_overdue(today),
        due_soon=deadline.is_due_soon(today, soon),
    )


def _state_label(deadline: CaseDeadline, today: dt.date) -> str:
    if deadline.state is DeadlineState.MET:
        return f"已办结（{deadline.closed_on:%Y-%m-%d}）"
    if deadline.state is DeadlineState.CANCELLED:
        return "不再计算"
    if deadline.rule.kind is DeadlineKind.WAIT:
        return "期间未届满" if deadline.window_open(today) else "已届满"
    return "已逾期" if deadline.is_overdue(today) else "进行中"


def _filtered(query: Select[*_Ts], flt: CaseFilter, today: dt.date) -> Select[*_Ts]:
    query = query.select_from(Case)
    if flt.squad_id is not None:
        query = query.where(Case.squad_id == flt.squad_id)
    if flt.stage is not None:
        query = query.where(Case.stage == str(flt.stage))
    if flt.handler_id is not None:
        handled = select(CaseHandler.case_id).where(CaseHandler.user_id == flt.handler_id)
        query = query.where(Case.id.in_(handled))
    if flt.due == OVERDUE:
        query = query.where(Case.next_due_on < today)
    elif flt.due == DUE_SOON:
        horizon = today + dt.timedelta(days=3)
        query = query.where(Case.next_due_on >= today, Case.next_due_on <= horizon)
    for word in flt.text.split():
        pattern = f"%{escape_like(word)}%"
        query = query.where(
            Case.case_no.like(pattern, escape="\\") | Case.party_name.like(pattern, escape="\\")
        )
    return query


def escape_like(word: str) -> str:
    """``word`` taken literally in a LIKE pattern (its % and _ are not wildcards)."""
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _count(session: Session, query: Select[int]) -> int:
    return int(session.scalar(query) or 0)


def _stage_counts(session: Session, flt: CaseFilter, today: dt.date) -> dict[Stage, int]:
    base = replace(flt, stage=None)
    query = _filtered(select(Case.stage, func.count()), base, today).group_by(Case.stage)
    return {Stage(stage): count for stage, count in session.execute(query)}


def _due_count(session: Session, flt: CaseFilter, today: dt.date, due: str) -> int:
    query = _filtered(select(func.count()), replace(flt, due=due), today)
    return _count(session, query)


def _handler_counts(session: Session, flt: CaseFilter, today: dt.date) -> dict[str, int]:
    """Cases per handler, the handler filter left out.

    Handler rows are counted for the ids of the matching cases (``IN``), not through a join:
    given a join and no statistics, SQLite walks every handler row in ``user_id`` order to save
    a sort and looks each case up (half a second over 100,000 cases); the ``IN`` makes it read
    only the matching cases' handlers. With no other filter every handler row counts, so the
    cases are not read at all.
    """
    base = replace(flt, handler_id=None)
    query = select(CaseHandler.user_id, func.count()).group_by(CaseHandler.user_id)
    if base != CaseFilter():
        query = query.where(CaseHandler.case_id.in_(_filtered(select(Case.id), base, today)))
    return {user_id: count for user_id, count in session.execute(query)}


def _limit_due_ids(session: Session, actor: Actor, today: dt.date) -> list[str]:
    horizon = today + dt.timedelta(days=current_settings(session)["due_soon_days"])
    query = select(Case.id).where(
        Case.squad_id == actor.squad_id,
        Case.next_due_label == deadline_rule("case_limit").label,
        Case.next_due_on <= horizon,
        Case.stage.in_([str(s) for s in (Stage.INVESTIGATION, Stage.LEGAL_REVIEW, Stage.NOTICE)]),
    )
    return list(session.scalars(query.order_by(Case.next_due_on)))


def _row(case: Case, today: dt.date) -> CaseRow:
    due = case.next_due_on
    return CaseRow(
        id=case.id,
        case_no=case.case_no,
        party_name=case.party_name,
        cause=case.cause,
        procedure=Procedure(case.procedure).label,
        stage=Stage(case.stage).label,
        handlers=_handlers_text(case),
        opened_on=case.opened_on,
        next_due_on=due,
        next_due_label=case.next_due_label or "",
        next_due_source=_rule_sources().get(case.next_due_label or "", ""),
        overdue=due is not None and due < today,
        due_soon=due is not None and today <= due <= today + dt.timedelta(days=3),
        total_fine=case.total_fine,
    )


@functools.cache
def _rule_sources() -> dict[str, str]:
    """Each deadline rule's legal source by its label (the case stores the label)."""
    return {rule.label: rule.source for rule in load_deadline_rules()}


def _handlers_text(case: Case) -> str:
    return "、".join(row.full_name for row in case.handler_rows)


def _party_detail(case: Case) -> str:
    parts = [
        ("法定代表人/负责人", case.party_representative),
        ("电话", case.party_phone),
        ("地址", case.party_address),
    ]
    return "；".join(f"{label}：{value}" for label, value in parts if value)


def _user_name(session: Session, user_id: str | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return user.full_name if user else ""


def _dates(case: Case) -> list[tuple[str, dt.date]]:
    dates = [
        ("受案", case.opened_on),
        ("立案", case.filed_on),
        ("决定", case.decided_on),
        ("结案", case.closed_on),
    ]
    return [(label, day) for label, day in dates if day is not None]


def _violations(session: Session, case_id: str) -> list[tuple[str, str, str, str, int, str]]:
    return [
        (v.title, v.violated_article, v.penalty_article, Tier(v.tier).label, v.fine, v.reason)
        for v in case_violations(session, case_id)
    ]


def _timeline(session: Session, case_id: str) -> list[tuple[dt.date, str, str, str, str]]:
    rows = []
    for event in case_events(session, case_id):
        action = find_action(event.action)
        moved = event.stage_before != event.stage_after
        stages = f"{Stage(event.stage_before).label} → {Stage(event.stage_after).label}"
        rows.append(
            (
                event.occurred_on,
                action.label,
                event.actor_name,
                stages if moved else "",
                event.note or "",
            )
        )
    return rows


def _documents(session: Session, case_id: str) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            document.title,
            document.number or "（无文号）",
            status_label(document.type_key, document.status),
            f"{document.issued_on:%Y-%m-%d}" if document.issued_on else "",
            _served_text(document.served_on, document.served_method),
        )
        for document in case_documents(session, case_id)
    ]


def _served_text(on: dt.date | None, method: str | None) -> str:
    return f"{on:%Y-%m-%d} {method or ''}".strip() if on else ""


def _actions(actor: Actor, case: Case, facts: CaseFacts, today: dt.date) -> list[ActionChoice]:
    choices = []
    for action in actions_from(facts.procedure, facts.stage):
        if action.done_in(facts.milestones):
            continue
        reason = performer_refusal(actor, case, action)
        if reason is None:
            after = facts_after(facts, action, today, actor.user_id)
            blocking = refusals(after, action)
            reason = "；".join(defect.message for defect in blocking) or None
        fields = tuple(f for f in action.fields if f in FIELD_LABELS)
        choices.append(ActionChoice(action.code, action.label, fields, action.is_approval, reason))
    return choices


def _evidence(session: Session, case_id: str) -> list[str]:
    links = list(session.scalars(select(CaseLink).where(CaseLink.case_id == case_id)))
    lines = [_evidence_line(session, link) for link in links if link.kind != "photo"]
    lines += transcript_evidence(case_documents(session, case_id))
    photos = sum(1 for link in links if link.kind == "photo")
    lines += [f"现场照片 {photos} 张"] if photos else []
    attached = session.scalar(select(func.count()).where(CasePhoto.case_id == case_id)) or 0
    lines += [f"案件照片 {attached} 张"] if attached else []
    media = session.scalars(
        select(CaseMedia).where(CaseMedia.case_id == case_id).order_by(CaseMedia.started_at)
    )
    return lines + [f"音像资料：{row.title}（{row.step_label}，{row.device}）" for row in media]


def _evidence_line(session: Session, link: CaseLink) -> str:
    if link.kind == "inspection":
        inspection = session.get(Inspection, link.target_id)
        if inspection is not None:
            venue = session.get(Enterprise, inspection.enterprise_id)
            when = inspection.started_at.astimezone()
            return f"现场检查：{when:%Y-%m-%d} {venue.name if venue else ''}"
    if link.kind == "hazard":
        hazard = session.get(Hazard, link.target_id)
        if hazard is not None:
            return f"隐患：{hazard.description}（整改期限{hazard.due_date:%Y-%m-%d}）"
    return f"已删除的{link.kind}"


def _remedies(session: Session, case_id: str) -> list[str]:
    rows = session.scalars(select(CaseRemedy).where(CaseRemedy.case_id == case_id))
    return [f"{REMEDY_LABELS[r.kind]}：{r.result}（{r.filed_on:%Y-%m-%d}提起）" for r in rows]
