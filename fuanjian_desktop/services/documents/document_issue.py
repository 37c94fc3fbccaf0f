"""Making a document's content and 文号: prefilled values, the variant, the frozen sheet.

Shared by the document lifecycle (``services.documents.documents``) and by the procedure steps
that issue documents as they are taken (``services.cases.case_actions``), so a step's document is
filled, numbered and frozen exactly as one a clerk drafts and issues.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from sqlalchemy.orm import Session

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.documents.compose import compose
from fuanjian_desktop.documents.sheet import fingerprint, sheet_to_json
from fuanjian_desktop.documents.spec import TYPED, DocumentSpec, FieldSpec, document_specs
from fuanjian_desktop.domain.documents.document_types import document_type
from fuanjian_desktop.domain.guard.document_guard import missing_fields
from fuanjian_desktop.domain.numbering import Convention
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Case, CaseDocument, Inspection
from fuanjian_desktop.services.documents.document_content import check_content
from fuanjian_desktop.services.documents.document_context import case_context, inspection_context
from fuanjian_desktop.services.documents.document_settings import wording_for
from fuanjian_desktop.services.lookup import fetch
from fuanjian_desktop.services.numbering import numbering_settings, reuse_serial, take_number
from fuanjian_desktop.services.unit_of_work import ActionScope

# numbered with the 案号 of their case, which the very document gave the case
CASE_NUMBERED = frozenset({"filing_approval", "onsite_penalty_decision"})
DATED = "document."  # context keys of the document itself (its issue date and year)


class IncompleteDocument(UserError):
    """A document that cannot be issued while required fields it prints are empty.

    ``fields`` are the field names (the editor marks them), ``labels`` their Chinese labels,
    which the message names. Raised by :func:`freeze`, the one gate every issue passes, so a
    document a procedure step issues is held to the same check as one issued from the editor.
    """

    def __init__(self, document: CaseDocument, fields: tuple[str, ...], labels: tuple[str, ...]):
        super().__init__(f"请先填写：{'、'.join(labels)}。")
        self.type_key = document.type_key
        self.title = document.title
        self.fields = fields
        self.labels = labels


def check_complete(spec: DocumentSpec, document: CaseDocument) -> None:
    """Raise :class:`IncompleteDocument` while a required printed field is empty."""
    missing = missing_fields(spec, document.variant, document.values)
    if missing:
        raise IncompleteDocument(document, tuple(missing), tuple(missing.values()))


def issue_with_content(
    scope: ActionScope,
    document: CaseDocument,
    context: Mapping[str, object],
    on: dt.date,
    *,
    drafted: bool = False,
) -> None:
    """Fill a document a procedure step issues from the case and freeze it.

    ``drafted``: the document is the draft someone prepared for the step (a 听证笔录 typed
    during the hearing); it keeps what was written, and only its empty fields are filled.
    A type still without a spec (``resources/documents/specs``) keeps only its number.
    """
    spec = document_specs().get(document.type_key)
    if spec is None:
        document.number, document.issued_on = document_number(scope, document, on), on
        return
    if drafted:
        variant = document.variant or chosen_variant(spec, None, context)
        document.variant, document.title = variant, spec.title(variant)
        document.values = {
            **{name: context.get(field.source) for name, field in _sourced(spec)},
            **{name: value for name, value in document.values.items() if value},
            **{name: context.get(field.source) for name, field in dated_fields(spec)},
        }
    else:
        fill(document, spec, context, chosen_variant(spec, None, context))
    freeze(scope, document, spec, on)


def dated_fields(spec: DocumentSpec) -> list[tuple[str, FieldSpec]]:
    """The fields taken from the document's own date (签发日期 …): the day of issue, whatever
    day the draft was made."""
    return [(name, field) for name, field in spec.fields.items() if field.source.startswith(DATED)]


def _sourced(spec: DocumentSpec) -> list[tuple[str, FieldSpec]]:
    """The fields filled from the case or inspection (not typed by a person)."""
    return [(name, field) for name, field in spec.fields.items() if field.source != TYPED]


def freeze(scope: ActionScope, document: CaseDocument, spec: DocumentSpec, on: dt.date) -> None:
    """Check the document is complete, take the 文号 and keep the sheet composed with the
    wording in force on ``on``. Every way of issuing a document ends here."""
    check_complete(spec, document)
    check_content(scope.session, document)
    number = document_number(scope, document, on)
    wording = wording_for(scope.session, on)
    sheet = compose(spec, document.values, wording, variant=document.variant, number=number)
    document.number = number
    document.sheet = json.loads(json.dumps(sheet_to_json(sheet)))  # as stored: lists, not tuples
    document.sha256 = fingerprint(sheet)
    document.issued_on = on
    document.issued_at = utc_now()


def document_number(scope: ActionScope, document: CaseDocument, on: dt.date) -> str | None:
    """The 文号 a document issued on ``on`` gets (``None`` for unnumbered kinds).

    Case documents follow the numbering setting: a sequence per document code, or the case's
    serial shared (同一案件共用编号); inspection documents count per code for their squad.
    """
    kind = document_type(document.type_key)
    if not kind.numbered or kind.code is None:
        return None
    entity = ("case_document", document.id)
    if document.inspection_id is not None:
        inspection = fetch(scope.session, Inspection, document.inspection_id)
        return take_number(scope, kind.code, on.year, inspection.squad_id, entity).text
    case = fetch(scope.session, Case, document.case_id or "")
    if document.type_key in CASE_NUMBERED:
        return case.case_no
    if numbering_settings(scope.session).convention is Convention.PER_CASE:
        return reuse_serial(scope, kind.code, case.year, case.serial, case.squad_id, entity).text
    return take_number(scope, kind.code, on.year, case.squad_id, entity).text


def context_for(session: Session, document: CaseDocument, on: dt.date) -> dict[str, object]:
    """What the document's fields are filled from: its case's or its inspection's context."""
    if document.case_id is not None:
        return case_context(session, document.case_id, on)
    return inspection_context(session, document.inspection_id or "", on)


def chosen_variant(
    spec: DocumentSpec, variant: str | None, context: Mapping[str, object]
) -> str | None:
    """The variant asked for, else the party's kind (单位 / 个人); ``None`` for types without."""
    keys = [v.key for v in spec.variants if v.key]
    if not keys:
        return None
    if variant is None:
        party_kind = str(context.get("party.kind", ""))
        return party_kind if party_kind in keys else keys[0]
    if variant not in keys:
        titles = "、".join(v.title for v in spec.variants)
        raise UserError(f"《{spec.title()}》没有“{variant}”式样，可选：{titles}。")
    return variant


def fill(
    document: CaseDocument,
    spec: DocumentSpec,
    context: Mapping[str, object],
    variant: str | None,
) -> None:
    """Prefill every field that names a context key; typed fields start empty."""
    document.variant = variant
    document.title = spec.title(variant)
    document.values = {name: context.get(field.source) for name, field in _sourced(spec)}
