"""The *context* a document's draft is filled from: every key a spec's ``source`` may name.

The catalogue of keys is the "Context keys" section of ``resources/documents/specs/README.md``;
:data:`CONTEXT_KEYS` is its one implementation and a test keeps the two equal. Both contexts
carry every key, so a spec never meets a missing one: what the records do not hold is ``""``
(``[]`` for a list) and prints as a blank for the pen. Values are text as printed: dates
``2026年3月5日``, moments ``2026年3月5日9时30分`` in local time, amounts ``5000`` (元) with the
``_words`` keys in capitals.

A case's context also carries the inspection it was opened from (its inspectors, place and
problems), since its documents cite that visit; an inspection's context has no case keys.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.models import Case, CaseLink, Enterprise, Inspection, Squad
from fuanjian_desktop.services.cases.case_document_values import case_values
from fuanjian_desktop.services.cases.case_file import read_case_file
from fuanjian_desktop.services.cases.case_money_values import execution_values
from fuanjian_desktop.services.cases.cases import enterprise_party_columns
from fuanjian_desktop.services.cases.coercion_document_values import (
    COERCION_KEYS,
    COERCION_LIST_KEYS,
    coercion_values,
)
from fuanjian_desktop.services.cases.party_document_values import PARTY_COLUMNS, party_values
from fuanjian_desktop.services.documents.inspection_document_values import inspection_values
from fuanjian_desktop.services.lookup import fetch

PARTY_KEYS = tuple(
    f"party.{name}"
    for name in (
        "kind", "name", "address", "postcode", "phone", "representative",
        "representative_title", "credit_code", "id_number", "sex", "age", "work_unit",
        "work_unit_address", "job", "birth_month", "contact", "summary",
    )
)  # fmt: skip
CASE_KEYS = tuple(
    f"case.{name}"
    for name in (
        "no", "name", "cause", "source", "found_on", "filed_on", "summary",
        "facts_and_evidence", "evidence", "violated_articles", "penalty_articles",
        "penalty_text", "fine", "fine_words", "discretion_reason", "filing_opinion",
        "filing_requested_on", "investigation_conclusion", "statement_summary", "hearing_on",
        "hearing_place", "decided_on", "decision_no", "decision_served_on", "payment_due",
        "paid", "surcharge", "surcharge_words", "result", "execution", "closed_on",
        "extension_reason", "extension_days", "transfer_to", "transfer_reason", "notice_no",
        "decision_title", "unpaid", "unpaid_words", "amount_due", "deferred_until",
        "served_documents", "preservation_no", "preservation_on", "preserved_items",
        "surcharge_due", "surcharge_due_words", "surcharge_derivation", "attachments",
    )
)  # fmt: skip
OFFICER_KEYS = (
    "handler1.name", "handler1.cert", "handler2.name", "handler2.cert", "handlers.names",
    "handlers.unit",
    "inspector1.name", "inspector1.cert", "inspector2.name", "inspector2.cert",
)  # fmt: skip
INSPECTION_KEYS = tuple(
    f"inspection.{name}"
    for name in (
        "place", "started_at", "ended_at", "time_range", "site_person", "site_person_title",
        "site_person_phone", "findings", "problems", "rectify_items", "rectify_due",
        "rectify_by_item",
        "measures", "measures_basis", "order_no", "order_on", "recheck_opinion", "industry",
        "date", "checklist", "order_title",
    )
)  # fmt: skip
CONTEXT_KEYS = (
    "document.issued_on",
    "document.year",
    *PARTY_KEYS,
    *CASE_KEYS,
    *OFFICER_KEYS,
    *INSPECTION_KEYS,
    *COERCION_KEYS,
)
LIST_KEYS = frozenset(
    {"case.evidence", "case.served_documents", "case.attachments"}
    | {"inspection.problems", "inspection.measures"}
    | COERCION_LIST_KEYS
)
OFFICER_TITLE = "行政执法人员"  # 职务 of the handlers as the 笔录 print it
Officer = tuple[str, str | None]  # name and 执法证号


def case_context(session: Session, case_id: str, on: dt.date) -> dict[str, object]:
    """The context of a document of case ``case_id`` dated ``on`` (issue date, or today for a
    draft): the party as the case recorded it, the handlers, the case file and the inspection
    the case was opened from."""
    case = fetch(session, Case, case_id)
    handlers = [(row.full_name, row.cert_no) for row in case.handler_rows]
    enterprise = session.get(Enterprise, case.enterprise_id) if case.enterprise_id else None
    inspection = _first_linked_inspection(session, case.id)
    columns = {column: getattr(case, column) for column in PARTY_COLUMNS}
    return _complete(
        _document(on),
        party_values(columns, _contact(enterprise), on),
        _officers("handler", handlers),
        {"handlers.names": "、".join(name for name, _ in handlers)},
        _squad_unit(session, case.squad_id),
        _inspection(session, inspection) if inspection else {},
        case_values(file := read_case_file(session, case)),
        execution_values(file, on),
        coercion_values(file),
    )


def inspection_context(session: Session, inspection_id: str, on: dt.date) -> dict[str, object]:
    """The context of a document of inspection ``inspection_id`` dated ``on``: the inspected
    enterprise as the party, the inspectors, and the visit with its problems and measures."""
    inspection = fetch(session, Inspection, inspection_id)
    enterprise = fetch(session, Enterprise, inspection.enterprise_id)
    return _complete(
        _document(on),
        party_values(enterprise_party_columns(enterprise), _contact(enterprise), on),
        _squad_unit(session, inspection.squad_id),
        _inspection(session, inspection),
    )


def _complete(*parts: Mapping[str, object]) -> dict[str, object]:
    """Every catalogue key, filled from ``parts`` where they have it, blank elsewhere."""
    values: dict[str, object] = {key: [] if key in LIST_KEYS else "" for key in CONTEXT_KEYS}
    for part in parts:
        values.update(part)
    return values


def _document(on: dt.date) -> dict[str, object]:
    return {"document.issued_on": written_date(on), "document.year": str(on.year)}


def _officers(prefix: str, people: Sequence[Officer]) -> dict[str, object]:
    """``handler1.name``, ``handler1.cert`` … for the first two officers (the forms sign two)."""
    values: dict[str, object] = {}
    for position, (name, cert) in enumerate(people[:2], start=1):
        values[f"{prefix}{position}.name"] = name
        values[f"{prefix}{position}.cert"] = cert or ""
    return values


def _contact(enterprise: Enterprise | None) -> str:
    """联系人 as the registry holds it."""
    return (enterprise.contact_name or "") if enterprise else ""


def _squad_unit(session: Session, squad_id: str) -> dict[str, object]:
    """单位及职务 of the officers: the bureau and the squad, then 行政执法人员."""
    squad = fetch(session, Squad, squad_id)
    bureau = session.get(Squad, squad.parent_id) if squad.parent_id else None
    return {"handlers.unit": f"{bureau.name if bureau else ''}{squad.name}\u3000{OFFICER_TITLE}"}


def _inspection(session: Session, inspection: Inspection) -> dict[str, object]:
    inspectors = [(row.full_name, row.cert_no) for row in inspection.inspector_rows]
    return {**_officers("inspector", inspectors), **inspection_values(session, inspection)}


def _first_linked_inspection(session: Session, case_id: str) -> Inspection | None:
    """The earliest inspection linked to the case as evidence (the one it was opened from)."""
    query = (
        select(Inspection)
        .join(CaseLink, CaseLink.target_id == Inspection.id)
        .where(CaseLink.case_id == case_id, CaseLink.kind == "inspection")
        .order_by(Inspection.started_at)
    )
    return session.scalars(query).first()
