"""The records the execution of a decision is judged and written from, read from the database.

Payments and the approved 延期 date come from the case's steps (登记缴纳罚款, 批准延期（分期）缴纳),
pending remedies from ``case_remedy``, and each document with the 文号, dates and values it was
issued with. ``case_facts.facts_of`` hands them to the guard, ``case_money_values`` to the
documents, so both read the same records the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.domain.guard.case_guard import DocumentFact
from fuanjian_desktop.domain.guard.document_guard import missing_labels
from fuanjian_desktop.domain.penalties.surcharge import Payment, Suspension
from fuanjian_desktop.models import CaseDocument, CaseEvent, CaseRemedy


def payments_of(events: Sequence[CaseEvent]) -> tuple[Payment, ...]:
    """Each 登记缴纳罚款 step as a dated payment."""
    return tuple(
        Payment(event.occurred_on, int(event.data.get("amount") or 0))
        for event in events
        if event.action == "record_payment"
    )


def deferred_until_of(events: Sequence[CaseEvent]) -> dt.date | None:
    """The date the latest 批准延期（分期）缴纳 allowed the fine to be paid by."""
    until = next(
        (e.data.get("until") for e in reversed(events) if e.action == "approve_deferral"), None
    )
    return dt.date.fromisoformat(str(until)) if until else None


def remedy_spans(session: Session, case_id: str) -> tuple[Suspension, ...]:
    """The 行政复议 and 行政诉讼 of the case, from filing to result (open while 在审)."""
    rows = session.scalars(select(CaseRemedy).where(CaseRemedy.case_id == case_id))
    return tuple(Suspension(row.filed_on, row.concluded_on) for row in rows)


def document_fact(document: CaseDocument) -> DocumentFact:
    """A document record as the guard and the citing documents see it."""
    return DocumentFact(
        document.type_key,
        document.number,
        document.status,
        document.issued_on,
        document.served_on,
        dict(document.values or {}),
        missing_labels(document.type_key, document.variant, document.values or {}),
    )
