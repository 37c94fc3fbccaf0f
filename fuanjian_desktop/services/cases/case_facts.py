"""From stored case rows to the plain facts the guard and the deadline engine judge.

Milestone dates come from the case's events in order (an event dates its milestones; a return
to 调查取证 clears the later ones), so the timeline is the single source of truth. Deadlines are
recomputed from those facts and stored, with the earliest open one copied onto the case for
the case list's "due soon / overdue" filters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fuanjian_desktop.domain.case_deadlines import CaseDeadline, DeadlineKind, DeadlineState
from fuanjian_desktop.domain.guard.case_guard import (
    CaseFacts,
    HandlerFact,
    ViolationFact,
    with_deadlines,
)
from fuanjian_desktop.domain.inspection_rules import HazardStatus
from fuanjian_desktop.domain.penalties.discretion import Tier
from fuanjian_desktop.domain.penalties.penalty_basis import OrderFact
from fuanjian_desktop.domain.procedure import Procedure, Stage
from fuanjian_desktop.domain.procedure_settings import ProcedureSettings
from fuanjian_desktop.models import (
    Case,
    CaseDeadlineRow,
    CaseDocument,
    CaseEvent,
    CaseLink,
    CaseViolation,
    Enterprise,
    Hazard,
    Inspection,
    RecheckFinding,
)
from fuanjian_desktop.services.cases.coercion_records import case_steps, onsite_seizure_on
from fuanjian_desktop.services.cases.execution_records import (
    deferred_until_of,
    document_fact,
    payments_of,
    remedy_spans,
)


def case_events(session: Session, case_id: str) -> list[CaseEvent]:
    """The case's events in the order they happened (legal date, then recording order)."""
    query = select(CaseEvent).where(CaseEvent.case_id == case_id)
    return list(session.scalars(query.order_by(CaseEvent.occurred_on, CaseEvent.id)))


def milestones_of(events: Sequence[CaseEvent]) -> dict[str, dt.date]:
    """Each milestone's date after replaying the events (resets undo earlier dates)."""
    dates: dict[str, dt.date] = {}
    for event in events:
        for key in event.data.get("resets", ()):
            dates.pop(key, None)
        dates.update({key: dt.date.fromisoformat(on) for key, on in event.milestones.items()})
    return dates


def extensions_of(events: Sequence[CaseEvent]) -> tuple[tuple[dt.date, int], ...]:
    """Each 批准案件延期 step: when it was approved and by how many days."""
    return tuple(
        (event.occurred_on, int(event.data.get("days") or 0))
        for event in events
        if event.action == "approve_extension"
    )


def case_violations(session: Session, case_id: str) -> list[CaseViolation]:
    """The violations charged, in their order on the case."""
    query = select(CaseViolation).where(CaseViolation.case_id == case_id)
    return list(session.scalars(query.order_by(CaseViolation.position)))


def case_documents(session: Session, case_id: str) -> list[CaseDocument]:
    """The case's document records in the order they were made."""
    query = select(CaseDocument).where(CaseDocument.case_id == case_id)
    return list(session.scalars(query.order_by(CaseDocument.created_at, CaseDocument.id)))


def facts_of(
    session: Session, case: Case, settings: ProcedureSettings, today: dt.date
) -> CaseFacts:
    """The guard's view of ``case`` on ``today``, deadlines included."""
    violations = case_violations(session, case.id)
    events = case_events(session, case.id)
    facts = CaseFacts(
        procedure=Procedure(case.procedure),
        stage=Stage(case.stage),
        party_kind=case.party_kind,
        party_id_no=case.party_id_no,
        party_id_type=case.party_id_type,
        opened_on=case.opened_on,
        handlers=tuple(HandlerFact(h.user_id, h.full_name, h.cert_no) for h in case.handler_rows),
        violations=tuple(
            ViolationFact(v.code, v.fine, Tier(v.tier), v.target, v.overdue, v.basis_reason)
            for v in violations
        ),
        milestones=milestones_of(events),
        today=today,
        settings=settings,
        other_penalties=tuple(case.other_penalties),
        documents=tuple(document_fact(d) for d in case_documents(session, case.id)),
        reviewer_id=case.reviewer_id,
        extension_days=case.extension_days,
        paid=case.paid_amount,
        payments=payments_of(events),
        deferred_until=deferred_until_of(events),
        remedies=remedy_spans(session, case.id),
        party_name=case.party_name,
        party_operates=party_operates(session, case),
        orders=case_orders(session, case.id),
        steps=case_steps(session, case.id),
        extensions=extensions_of(events),
        onsite_seizure_on=onsite_seizure_on(session, case.id),
    )
    return with_deadlines(facts)


def party_operates(session: Session, case: Case) -> str | None:
    """The registry business a person party runs as its operator (个体经营者), if any: such a
    party answers as the 生产经营单位 (``domain/penalties/penalty_basis.py``)."""
    if case.party_kind != "person" or not case.party_id_no:
        return None
    return operated_business(session, case.party_id_no)


def operated_business(session: Session, id_no: str) -> str | None:
    """The name of the registry business whose operator has resident ID ``id_no``, if any."""
    query = select(Enterprise.name).where(Enterprise.operator_id_no == id_no)
    return session.scalars(query.order_by(Enterprise.name)).first()


def case_orders(session: Session, case_id: str) -> tuple[OrderFact, ...]:
    """The orders to rectify linked to the case (its hazards), with their 复查 findings."""
    linked = select(CaseLink.target_id).where(
        CaseLink.case_id == case_id, CaseLink.kind == "hazard"
    )
    hazards = session.scalars(select(Hazard).where(Hazard.id.in_(linked)).order_by(Hazard.id))
    return tuple(order_of(session, hazard) for hazard in hazards)


def order_of(session: Session, hazard: Hazard) -> OrderFact:
    """A hazard as an order to rectify: what was ordered, by when, and what 复查 found."""
    findings = session.execute(
        select(Inspection.started_at, RecheckFinding.result)
        .join(Inspection, Inspection.id == RecheckFinding.inspection_id)
        .where(RecheckFinding.hazard_id == hazard.id)
    )
    rectified = hazard.status == HazardStatus.RECTIFIED.value
    return OrderFact(
        description=hazard.description,
        violation_code=hazard.violation_code,
        found_on=hazard.found_on,
        due_date=hazard.due_date,
        rechecks=tuple(
            (started.astimezone().date(), result == HazardStatus.RECTIFIED.value)
            for started, result in findings
        ),
        rectified_on=hazard.closed_on if rectified else None,
    )


def store_deadlines(session: Session, case: Case, deadlines: Sequence[CaseDeadline]) -> None:
    """Replace the case's stored deadlines and its next due date (none once the case ended)."""
    session.execute(delete(CaseDeadlineRow).where(CaseDeadlineRow.case_id == case.id))
    ended = Stage(case.stage).is_final
    session.add_all(_deadline_row(case.id, deadline, ended) for deadline in deadlines)
    open_acts = [
        d
        for d in deadlines
        if not ended and d.rule.kind is DeadlineKind.ACT and d.state is DeadlineState.OPEN
    ]
    nearest = min(open_acts, key=lambda d: d.due, default=None)
    case.next_due_on = nearest.due if nearest else None
    case.next_due_label = nearest.rule.label if nearest else None


def _deadline_row(case_id: str, deadline: CaseDeadline, ended: bool) -> CaseDeadlineRow:
    state = deadline.state
    if ended and state is DeadlineState.OPEN:
        state = DeadlineState.CANCELLED  # the case ended: nothing is still due
    return CaseDeadlineRow(
        case_id=case_id,
        rule_id=deadline.rule.id,
        kind=str(deadline.rule.kind),
        label=deadline.rule.label,
        start=deadline.start,
        due=deadline.due,
        state=str(state),
        closed_on=deadline.closed_on,
        source=deadline.rule.source,
        explanation=deadline.explanation,
    )
