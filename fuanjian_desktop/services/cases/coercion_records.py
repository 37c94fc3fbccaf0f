"""What the case's records say about its 行政强制措施, for the guard's facts.

The steps taken (to count the seizure's extensions) and the 查封、扣押 an inspection linked to
the case took on site (which the case must then approve and decide in writing).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.domain.coercion import coercion_data
from fuanjian_desktop.models import CaseEvent, CaseLink, Inspection


def case_steps(session: Session, case_id: str) -> tuple[tuple[str, dt.date], ...]:
    """Every step of the case (action code, legal date) in the order it happened."""
    query = select(CaseEvent.action, CaseEvent.occurred_on).where(CaseEvent.case_id == case_id)
    rows = session.execute(query.order_by(CaseEvent.occurred_on, CaseEvent.id))
    return tuple((action, on) for action, on in rows)


def onsite_seizure_on(session: Session, case_id: str) -> dt.date | None:
    """The day of the first linked inspection that took 查封、扣押 on site, if any."""
    code = str(coercion_data()["seizure"]["basis_measure"])
    query = (
        select(Inspection)
        .join(CaseLink, CaseLink.target_id == Inspection.id)
        .where(CaseLink.case_id == case_id, CaseLink.kind == "inspection")
        .order_by(Inspection.started_at)
    )
    for inspection in session.scalars(query):
        if code in (inspection.onsite_measures or ()):
            return inspection.started_at.astimezone().date()
    return None
