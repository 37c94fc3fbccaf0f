"""The ``inspection.*`` keys of a document's context: the visit, its problems and measures.

The 责令限期整改指令书 lists the hazards an inspection found and sets the date to rectify them
by; the 整改复查意见书 is written at the 复查 but speaks of the order it checks, so for a 复查
the problems are those of the inspection it follows up, and the opinion is its findings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop import reference
from fuanjian_desktop.checklists.model import Template
from fuanjian_desktop.domain.documents.document_text import (
    cited,
    sentences,
    written_date,
    written_moment,
    written_period,
)
from fuanjian_desktop.domain.documents.document_types import IN_FORCE
from fuanjian_desktop.domain.documents.inspection_findings import (
    AnswerCounts,
    FoundProblem,
    findings_text,
)
from fuanjian_desktop.domain.documents.rectification_order import order_terms
from fuanjian_desktop.domain.inspection_rules import (
    Answer,
    HazardStatus,
    InspectionSource,
    problem_text,
)
from fuanjian_desktop.models import (
    CaseDocument,
    Hazard,
    Inspection,
    InspectionAnswer,
    RecheckFinding,
)
from fuanjian_desktop.services.inspections.checklist_versions import pinned_template
from fuanjian_desktop.services.lookup import fetch

# the orders a 复查 checks, preferred in this order, and how the 复查意见书 names them
ORDER_TITLES = {"rectification_order": "责令限期整改", "onsite_measures_decision": "现场处理措施"}
RECHECK_RESULTS = {
    HazardStatus.RECTIFIED.value: "已整改",
    HazardStatus.NOT_RECTIFIED.value: "未整改",
}


def inspection_values(session: Session, inspection: Inspection) -> dict[str, object]:
    """Every ``inspection.*`` key the records of ``inspection`` can fill."""
    ordered = _ordered_inspection(session, inspection)
    hazards = inspection_hazards(session, ordered.id)
    return {
        "inspection.place": inspection.place,
        "inspection.date": written_date(inspection.started_at.astimezone().date()),
        "inspection.started_at": written_moment(inspection.started_at),
        "inspection.ended_at": written_moment(inspection.ended_at),
        "inspection.time_range": written_period(inspection.started_at, inspection.ended_at),
        "inspection.site_person": inspection.site_person_name,
        "inspection.site_person_title": inspection.site_person_position or "",
        "inspection.site_person_phone": inspection.site_person_phone or "",
        "inspection.findings": _findings(session, inspection, hazards),
        "inspection.checklist": _checklist(session, inspection),
        **_rectification(hazards),
        **_order(session, ordered.id),
        **_measures(inspection),
        "inspection.recheck_opinion": _recheck_opinion(session, inspection, hazards),
        "inspection.industry": "、".join(
            reference.category_labels().get(code, code) for code in inspection.venue_categories
        ),
    }


def _findings(session: Session, inspection: Inspection, hazards: Sequence[Hazard]) -> str:
    """检查情况 from the answers and hazards (``domain.documents.inspection_findings``); a
    复查's record states what the 复查 found of each hazard."""
    if inspection.source == InspectionSource.RECHECK.value:
        return _recheck_opinion(session, inspection, hazards)
    results = Counter(
        session.scalars(
            select(InspectionAnswer.result).where(InspectionAnswer.inspection_id == inspection.id)
        )
    )
    counts = AnswerCounts(
        results[Answer.COMPLIANT.value],
        results[Answer.NON_COMPLIANT.value],
        results[Answer.NOT_APPLICABLE.value],
    )
    template = _template(session, inspection)
    checks = {item.id: item.check for item in template.items} if template else {}
    problems = [
        FoundProblem(
            problem_text(h.description), checks.get(h.item_id, ""), h.basis_text, h.days, h.due_date
        )
        for h in hazards
    ]
    title = template.title if template else ""
    return findings_text(
        title, counts, problems, _measure_labels(inspection), inspection.summary or ""
    )


def _template(session: Session, inspection: Inspection) -> Template | None:
    """The checklist version the inspection ran, if any."""
    if not (inspection.template_id and inspection.template_version):
        return None
    return pinned_template(session, inspection.template_id, inspection.template_version)


def inspection_hazards(session: Session, inspection_id: str) -> list[Hazard]:
    """The hazards an inspection found, in the order they were recorded (the walking order)."""
    query = select(Hazard).where(Hazard.inspection_id == inspection_id)
    return list(session.scalars(query.order_by(Hazard.created_at, Hazard.id)))


def _ordered_inspection(session: Session, inspection: Inspection) -> Inspection:
    """The inspection whose rectification order the document speaks of: a 复查's original."""
    if inspection.source == InspectionSource.RECHECK.value and inspection.follow_up_of_id:
        return fetch(session, Inspection, inspection.follow_up_of_id)
    return inspection


def _rectification(hazards: Sequence[Hazard]) -> dict[str, object]:
    """存在的问题, the items to rectify (all of them: the order covers every hazard found) and
    their deadline: the one date they share, or each problem's own
    (``domain.documents.rectification_order``)."""
    terms = order_terms([(problem_text(h.description), h.due_date) for h in hazards])
    return {
        "inspection.problems": list(terms.problems),
        "inspection.rectify_items": terms.items,
        "inspection.rectify_due": terms.due,
        "inspection.rectify_by_item": terms.by_item,
    }


def _order(session: Session, inspection_id: str) -> dict[str, object]:
    """The order in force a 复查 checks: the 责令限期整改指令书, else the 现场处理措施决定书."""
    query = select(CaseDocument).where(
        CaseDocument.inspection_id == inspection_id,
        CaseDocument.type_key.in_(ORDER_TITLES),
        CaseDocument.status.in_(IN_FORCE),
    )
    orders = list(session.scalars(query.order_by(CaseDocument.created_at.desc())))
    order = next((d for key in ORDER_TITLES for d in orders if d.type_key == key), None)
    if order is None:
        return {}
    return {
        "inspection.order_no": order.number or "",
        "inspection.order_on": written_date(order.issued_on),
        "inspection.order_title": ORDER_TITLES[order.type_key],
    }


def _checklist(session: Session, inspection: Inspection) -> str:
    """检查内容: the checklist run and the sections that applied to this venue."""
    template = _template(session, inspection)
    if template is None:
        return ""
    items = template.applicable_items(
        dict(inspection.facts or {}), frozenset(inspection.venue_categories)
    )
    sections = "、".join(dict.fromkeys(item.section_title for item in items if item.section_title))
    return (
        f"按照《{template.title}》，检查{sections}。"
        if sections
        else f"按照《{template.title}》检查。"
    )


def _measures(inspection: Inspection) -> dict[str, object]:
    """现场处理措施 as the 决定书 lists them and their basis."""
    chosen = [m for m in reference.onsite_measures() if m.code in inspection.onsite_measures]
    return {
        "inspection.measures": _measure_labels(inspection),
        "inspection.measures_basis": cited(measure.basis for measure in chosen),
    }


def _measure_labels(inspection: Inspection) -> list[str]:
    """The measures in catalogue order, the inspectors' own wording of others last."""
    chosen = [m.label for m in reference.onsite_measures() if m.code in inspection.onsite_measures]
    note = (inspection.onsite_measures_note or "").strip()
    return chosen + ([note] if note else [])


def _recheck_opinion(session: Session, recheck: Inspection, hazards: Sequence[Hazard]) -> str:
    """经复查，第1项已整改；第2项未整改（…）, then the inspectors' opinion; empty unless a 复查."""
    if recheck.source != InspectionSource.RECHECK.value:
        return ""
    numbers = {hazard.id: number for number, hazard in enumerate(hazards, start=1)}
    findings = session.scalars(
        select(RecheckFinding).where(RecheckFinding.inspection_id == recheck.id)
    )
    verdicts = sorted(
        (numbers[f.hazard_id], RECHECK_RESULTS.get(f.result, f.result), f.note or "")
        for f in findings
        if f.hazard_id in numbers
    )
    lines = [f"第{n}项{verdict}" + (f"（{note}）" if note else "") for n, verdict, note in verdicts]
    return sentences([f"经复查，{'；'.join(lines)}" if lines else "", recheck.summary or ""])
