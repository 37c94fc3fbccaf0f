"""Which inspections belong to a case's file, and which case an inspection's paper belongs to.

A case links the inspections that found its violations (``CaseLink(kind="inspection")``); the
复查 of such an inspection (an inspection with ``follow_up_of_id``) is part of the same story
and of the same file, though the case does not link it itself.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.models import CaseLink, Inspection

INSPECTION_LINK = "inspection"


def linked_inspections(session: Session, case_id: str) -> list[Inspection]:
    """The inspections the case links, by start time."""
    linked = select(CaseLink.target_id).where(
        CaseLink.case_id == case_id, CaseLink.kind == INSPECTION_LINK
    )
    query = select(Inspection).where(Inspection.id.in_(linked)).order_by(Inspection.started_at)
    return list(session.scalars(query))


def rechecks_of(session: Session, inspections: list[Inspection]) -> list[Inspection]:
    """The 复查 of ``inspections`` (and the 复查 of those), by start time, none repeated."""
    known = {inspection.id for inspection in inspections}
    found: list[Inspection] = []
    parents = list(known)
    while parents:
        query = select(Inspection).where(Inspection.follow_up_of_id.in_(parents))
        children = [child for child in session.scalars(query) if child.id not in known]
        known.update(child.id for child in children)
        found.extend(children)
        parents = [child.id for child in children]
    return sorted(found, key=lambda inspection: inspection.started_at)


def case_of_inspection(session: Session, inspection_id: str) -> str | None:
    """The case whose file holds the inspection's papers: the one case linking it or the
    inspection it re-checks; ``None`` when no case, or several, do (the owner is unclear)."""
    chain: list[str] = []
    current: str | None = inspection_id
    while current is not None and current not in chain:
        chain.append(current)
        current = session.scalar(select(Inspection.follow_up_of_id).where(Inspection.id == current))
    query = select(CaseLink.case_id).where(
        CaseLink.kind == INSPECTION_LINK, CaseLink.target_id.in_(chain)
    )
    cases = set(session.scalars(query))
    return cases.pop() if len(cases) == 1 else None
