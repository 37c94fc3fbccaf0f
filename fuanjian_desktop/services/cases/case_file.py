"""One case's records as its documents draw on them, read once: the *case file* (案卷).

The timeline gives each step's date, note and data (the 调查终结 opinion, the 陈述申辩, the
receiving authority of a 移送, the days of an extension); the documents give the 文号 of what
was issued; the links give the evidence. :mod:`case_document_values` and
:mod:`case_money_values` turn it into the ``case.*`` keys of a document's context.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.domain.documents.document_types import IN_FORCE
from fuanjian_desktop.domain.penalties.surcharge import Suspension
from fuanjian_desktop.models import (
    Case,
    CaseDeadlineRow,
    CaseDocument,
    CaseEvent,
    CaseLink,
    CaseViolation,
    Inspection,
    RecheckFinding,
)
from fuanjian_desktop.services.cases.case_facts import (
    case_documents,
    case_events,
    case_violations,
    milestones_of,
)
from fuanjian_desktop.services.cases.execution_records import remedy_spans

PAYMENT_RULE = "payment"  # the 缴纳罚款期 of resources/procedure/deadlines.json


@dataclass(frozen=True)
class CaseFile:
    """The records of one case a document draws on."""

    case: Case
    events: Sequence[CaseEvent]
    milestones: dict[str, dt.date]
    violations: Sequence[CaseViolation]
    documents: Sequence[CaseDocument]
    inspections: Sequence[Inspection]  # linked, and the 复查 of its linked hazards
    photos: int
    payment_due: dt.date | None  # the stored 缴纳罚款期, once the decision was served
    remedies: tuple[Suspension, ...] = ()  # 复议 / 诉讼 filed, pending until their result

    def last_event(self, action: str) -> CaseEvent | None:
        """The latest step ``action`` taken (a step taken again after 退回 replaces the first)."""
        return next((e for e in reversed(self.events) if e.action == action), None)

    def note(self, action: str) -> str:
        """The note of the latest ``action`` step, empty when never taken."""
        event = self.last_event(action)
        return (event.note or "") if event else ""

    def data(self, action: str, key: str) -> str:
        """A value the latest ``action`` step recorded (移送机关, 延长天数 …), as text."""
        event = self.last_event(action)
        return str(event.data.get(key) or "") if event else ""

    def on(self, *milestones: str) -> str:
        """The date of the first of ``milestones`` reached, as documents write it."""
        return written_date(
            next((self.milestones[m] for m in milestones if m in self.milestones), None)
        )

    def latest(self, *type_keys: str) -> CaseDocument | None:
        """The latest document in force (issued or served) of one of ``type_keys``."""
        found = [d for d in self.documents if d.type_key in type_keys and d.status in IN_FORCE]
        return found[-1] if found else None

    def number(self, *type_keys: str) -> str:
        """The 文号 of :meth:`latest`, empty when there is none."""
        document = self.latest(*type_keys)
        return (document.number or "") if document else ""


def read_case_file(session: Session, case: Case) -> CaseFile:
    """The case's events, violations, documents, evidence and payment deadline."""
    events = case_events(session, case.id)
    links = list(session.scalars(select(CaseLink).where(CaseLink.case_id == case.id)))
    return CaseFile(
        case=case,
        events=events,
        milestones=milestones_of(events),
        violations=case_violations(session, case.id),
        documents=case_documents(session, case.id),
        inspections=_evidence_inspections(session, links),
        photos=sum(1 for link in links if link.kind == "photo"),
        remedies=remedy_spans(session, case.id),
        payment_due=session.scalar(
            select(CaseDeadlineRow.due).where(
                CaseDeadlineRow.case_id == case.id, CaseDeadlineRow.rule_id == PAYMENT_RULE
            )
        ),
    )


def _evidence_inspections(session: Session, links: Sequence[CaseLink]) -> list[Inspection]:
    """The linked inspections and the 复查 that found the linked hazards, oldest first."""
    inspection_ids = [link.target_id for link in links if link.kind == "inspection"]
    hazard_ids = [link.target_id for link in links if link.kind == "hazard"]
    rechecks = select(RecheckFinding.inspection_id).where(RecheckFinding.hazard_id.in_(hazard_ids))
    query = select(Inspection).where(
        Inspection.id.in_(inspection_ids) | Inspection.id.in_(rechecks)
    )
    return list(session.scalars(query.order_by(Inspection.started_at)))
