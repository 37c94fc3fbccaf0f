"""The life of an enforcement document (执法文书): 草稿 → 已签发 → 已送达, corrected or voided.

A draft's values are prefilled from its case or inspection and stay editable (autosaved).
Issuing takes the 文号 and freezes the composed sheet with its SHA-256, so nothing a service
does afterwards changes what was signed: a mistake is put right by a new edition that names
the one it corrects (which becomes 已更正), or by voiding an unserved document with its reason
(its number stays recorded as voided and is never issued again).

Serving a case document dates the event its deadlines start from. The case's milestones come
only from its events (``case_facts.milestones_of``), so the first service of a document whose
service starts a deadline is the procedure step that serves it; serving a later edition records
that step's event again, dated the day of service, and the deadlines are recomputed from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.documents.compose import compose
from fuanjian_desktop.documents.sheet import Sheet, sheet_from_json
from fuanjian_desktop.documents.spec import DocumentSpec, document_spec
from fuanjian_desktop.domain.documents.document_types import IN_FORCE, document_type, status_label
from fuanjian_desktop.domain.procedure import SERVED_METHODS, find_action
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import NotFound, UserError
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Case, CaseDocument, CaseEvent, DocumentScan, Inspection
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_facts import case_documents, case_events, milestones_of
from fuanjian_desktop.services.cases.cases import refresh_case
from fuanjian_desktop.services.documents.document_integrity import check_frozen
from fuanjian_desktop.services.documents.document_issue import (
    CASE_NUMBERED,
    chosen_variant,
    context_for,
    dated_fields,
    fill,
    freeze,
)
from fuanjian_desktop.services.documents.document_settings import wording_for
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.lookup import fetch, fetch_readable
from fuanjian_desktop.services.numbering import void_number
from fuanjian_desktop.services.squad_scope import (
    case_squad,
    inspection_squad,
    read_as,
    require_changeable,
    require_readable,
    squad_of,
)
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

# statuses whose frozen sheet a QR code vouches for (a voided one is printed without it)
VOUCHED = ("issued", "served", "superseded")


class ServiceStart(NamedTuple):
    """How serving a document starts deadlines: the milestone it dates, the procedure step that
    serves the first edition, and the step a later edition's service is recorded as."""

    milestone: str
    first_step: str
    again_step: str


SERVICE_STARTS = {
    "penalty_notice": ServiceStart("notice_served", "serve_notice", "serve_notice"),
    "hearing_rights_notice": ServiceStart("hearing_notice_served", "serve_notice", "serve_notice"),
    "hearing_meeting_notice": ServiceStart(
        "hearing_notice_sent", "schedule_hearing", "schedule_hearing"
    ),
    "penalty_decision": ServiceStart("decision_served", "serve_decision", "serve_decision"),
    "onsite_penalty_decision": ServiceStart("decision_served", "decide_onsite", "serve_decision"),
    "enforcement_reminder": ServiceStart(
        "reminder_served", "serve_enforcement_reminder", "serve_enforcement_reminder"
    ),
}


@dataclass(frozen=True)
class DocumentView:
    """A document as stored, with its status in Chinese (for lists and the editor)."""

    id: str
    case_id: str | None
    inspection_id: str | None
    type_key: str
    title: str
    variant: str | None
    number: str | None
    status: str
    status_label: str
    values: dict[str, Any]
    sheet: dict[str, Any] | None
    sha256: str | None
    issued_on: dt.date | None
    issued_at: dt.datetime | None
    served_on: dt.date | None
    served_method: str | None
    recipient: str | None
    event_id: str | None
    edition: int
    corrects_id: str | None
    correction_reason: str | None
    void_reason: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    scan_pages: int | None = None  # pages of its signed original's scan (案卷), None: no scan

    @property
    def editable(self) -> bool:
        """Only a draft's values may change."""
        return self.status == "draft"


# --- drafts ---------------------------------------------------------------------------------


def create_draft(
    database: Database,
    actor: Actor,
    *,
    type_key: str,
    case_id: str | None = None,
    inspection_id: str | None = None,
    variant: str | None = None,
    on: dt.date | None = None,
    values: Mapping[str, Any] | None = None,
) -> str:
    """Start a document of a case or an inspection, its values prefilled from it; its id.

    ``values`` (what the user chose before the draft existed, such as the person questioned)
    are set over the prefilled ones in the same transaction.
    """
    if (case_id is None) == (inspection_id is None):
        raise UserError("文书须属于一个案件或一次检查（二者选一）。")
    spec = document_spec(type_key)
    with user_action(database, actor, "新建文书") as scope:
        document = CaseDocument(
            id=new_id(), case_id=case_id, inspection_id=inspection_id, type_key=type_key
        )
        _check_owner(scope.session, document)
        _require_writer(scope, document)
        context = context_for(scope.session, document, on or local_today())
        fill(document, spec, context, chosen_variant(spec, variant, context))
        if values:
            _check_fields(document, values)
            document.values = {**document.values, **values}
        document.status = "draft"
        scope.session.add(document)
        scope.record(document, f"新建《{document.title}》草稿", before=None)
        return document.id


def save_draft(
    database: Database, actor: Actor, document_id: str, values: Mapping[str, Any]
) -> None:
    """Autosave edited values into a draft (only drafts change; unknown fields are refused)."""
    with user_action(database, actor, "保存文书草稿") as scope:
        save_values(scope, draft_of(scope, document_id), values)


def save_values(scope: ActionScope, document: CaseDocument, values: Mapping[str, Any]) -> None:
    """Merge ``values`` into a draft inside an open action; nothing is recorded if unchanged."""
    _check_fields(document, values)
    merged = {**document.values, **values}
    if merged == document.values:
        return
    before = document.audit_snapshot()
    document.values = merged
    scope.record(document, f"保存《{document.title}》草稿", before)


def _check_fields(document: CaseDocument, values: Mapping[str, Any]) -> None:
    """Refuse values for fields the document's type does not have."""
    unknown = sorted(set(values) - set(document_spec(document.type_key).fields))
    if unknown:
        raise UserError(f"《{document.title}》没有这些栏目：{'、'.join(unknown)}，请刷新后重试。")


def discard_draft(database: Database, actor: Actor, document_id: str) -> None:
    """Delete a draft (an issued document is voided or corrected instead, never deleted)."""
    with user_action(database, actor, "删除文书草稿") as scope:
        document = draft_of(scope, document_id)
        scope.record_deletion(document, f"删除《{document.title}》草稿")


# --- issuing --------------------------------------------------------------------------------


def issue_document(database: Database, actor: Actor, document_id: str, on: dt.date) -> DocumentView:
    """签发: check every required field, take the 文号 and freeze the sheet as of ``on``."""
    if on > local_today():
        raise UserError(f"签发日期不能晚于今天（{local_today():%Y-%m-%d}），请核对。")
    with user_action(database, actor, "签发文书") as scope:
        return issue_draft(scope, draft_of(scope, document_id), on)


def issue_draft(scope: ActionScope, document: CaseDocument, on: dt.date) -> DocumentView:
    """Issue ``document`` inside an open action (see :func:`issue_document`)."""
    spec = document_spec(document.type_key)
    before = document.audit_snapshot()
    _date_values(document, spec, context_for(scope.session, document, on))
    corrected = _corrected(scope.session, document)
    freeze(scope, document, spec, on)
    document.status = "issued"
    scope.record(document, f"签发《{document.title}》{document.number or ''}", before)
    if corrected is not None:
        _set_status(scope, corrected, "superseded", f"已由第{document.edition}版更正")
    return _view(document)


# --- after issue ----------------------------------------------------------------------------


def serve_document(
    database: Database,
    actor: Actor,
    document_id: str,
    *,
    method: str,
    on: dt.date,
    recipient: str = "",
    today: dt.date | None = None,
) -> None:
    """送达: record how, when and to whom; for a case, the date starts its deadlines."""
    today = today or local_today()
    with user_action(database, actor, "送达文书") as scope:
        document = _writable(scope, document_id)
        _check_service(document, method, on, today)
        before = document.audit_snapshot()
        document.status, document.served_on = "served", on
        document.served_method, document.recipient = method, recipient.strip() or None
        scope.record(document, f"送达《{document.title}》{document.number or ''}", before)
        if document.case_id is not None:
            _date_service(scope, document, fetch(scope.session, Case, document.case_id), today)


def correct_document(database: Database, actor: Actor, document_id: str, reason: str) -> str:
    """Start the next edition of an issued document as a draft (更正); the new draft's id.

    The document stays in force, number and sheet unchanged, until the correction is issued.
    """
    if not reason.strip():
        raise UserError("更正文书须写明更正原因。")
    with user_action(database, actor, "更正文书") as scope:
        original = _writable(scope, document_id)
        if original.status not in IN_FORCE:
            raise UserError(
                f"只有已签发或已送达的文书可以更正，《{original.title}》现为“{_label(original)}”。"
            )
        _check_no_open_correction(scope.session, original)
        draft = CaseDocument(
            id=new_id(),
            case_id=original.case_id,
            inspection_id=original.inspection_id,
            type_key=original.type_key,
            title=original.title,
            variant=original.variant,
            status="draft",
            values=dict(original.values),
            edition=original.edition + 1,
            corrects_id=original.id,
            correction_reason=reason.strip(),
        )
        scope.session.add(draft)
        scope.record(
            draft, f"更正《{original.title}》{original.number or ''}：{reason.strip()}", None
        )
        return draft.id


def void_document(database: Database, actor: Actor, document_id: str, reason: str) -> None:
    """作废 an issued, not yet served document; its 文号 is recorded voided with the reason."""
    if not reason.strip():
        raise UserError("作废文书须写明作废原因。")
    with user_action(database, actor, "作废文书") as scope:
        document = _writable(scope, document_id)
        _check_voidable(document)
        before = document.audit_snapshot()
        document.status, document.void_reason = "voided", reason.strip()
        scope.record(document, f"作废《{document.title}》{document.number or ''}", before)
        if document.number:
            void_number(scope, document.number, reason)
        restored = _corrected(scope.session, document, check=False)
        if restored is not None and restored.status == "superseded":  # in force again
            status = "served" if restored.served_on else "issued"
            label = status_label(restored.type_key, status)
            _set_status(scope, restored, status, f"更正稿已作废，恢复为{label}")


# --- queries --------------------------------------------------------------------------------


def document_view(database: Database, actor: Actor, document_id: str) -> DocumentView:
    """One document as stored (its squad's users and bureau viewers only)."""
    with read_as(database, actor) as (session, reader):
        return _view(fetch_readable(session, reader, CaseDocument, document_id))


def case_document_views(database: Database, actor: Actor, case_id: str) -> list[DocumentView]:
    """The documents of a case in the order they were made."""
    with read_as(database, actor) as (session, reader):
        require_readable(reader, case_squad(session, case_id), "案件")
        return _views(session, case_documents(session, case_id))


def inspection_document_views(
    database: Database, actor: Actor, inspection_id: str
) -> list[DocumentView]:
    """The documents of an inspection in the order they were made."""
    query = select(CaseDocument).where(CaseDocument.inspection_id == inspection_id)
    with read_as(database, actor) as (session, reader):
        require_readable(reader, inspection_squad(session, inspection_id), "检查记录")
        rows = session.scalars(query.order_by(CaseDocument.created_at, CaseDocument.id))
        return _views(session, list(rows))


def document_sheet(database: Database, actor: Actor, document_id: str) -> tuple[Sheet, str | None]:
    """The sheet to print and the QR text (``文号|fingerprint prefix``) that vouches for it.

    An issued document prints its frozen sheet; a draft (or a record made before documents had
    content) is composed live and carries no QR code.
    """
    with read_as(database, actor) as (session, reader):
        return sheet_of(session, fetch_readable(session, reader, CaseDocument, document_id))


def sheet_of(session: Session, document: CaseDocument) -> tuple[Sheet, str | None]:
    """:func:`document_sheet` of a document already loaded (and checked) in ``session``.

    An issued document's frozen sheet is re-hashed first: one altered since it was signed is
    refused (``DocumentTampered``), so its QR code never vouches for changed content.
    """
    check_frozen(session, document)
    if document.sheet is None:
        return _live_sheet(session, document), None
    sheet = sheet_from_json(document.sheet)
    if document.status not in VOUCHED or document.sha256 is None:
        return sheet, None
    return sheet, f"{document.number or document.title}|{document.sha256[:12]}"


# --- helpers --------------------------------------------------------------------------------


def _fetch(session: Session, document_id: str) -> CaseDocument:
    document = session.get(CaseDocument, document_id)
    if document is None:
        raise NotFound("该文书不存在（可能已被删除），请刷新列表。")
    return document


def _check_owner(session: Session, document: CaseDocument) -> None:
    """Refuse a draft for a case or inspection that no longer exists."""
    if document.inspection_id is not None:
        fetch(session, Inspection, document.inspection_id)
    elif session.get(Case, document.case_id) is None:
        raise NotFound("该案件不存在，请刷新列表。")


def _require_writer(scope: ActionScope, document: CaseDocument) -> None:
    """Case documents are written by handlers and clerks, inspection documents by inspectors,
    of the squad the case or inspection belongs to."""
    permission = Permission.KEEP_CASE_RECORDS if document.case_id else Permission.INSPECT
    scope.actor.require(permission)
    require_changeable(scope.actor, squad_of(scope.session, document), "文书")


def _writable(scope: ActionScope, document_id: str) -> CaseDocument:
    document = _fetch(scope.session, document_id)
    _require_writer(scope, document)
    return document


def draft_of(scope: ActionScope, document_id: str) -> CaseDocument:
    """The draft ``document_id`` for a change; an issued document is refused in Chinese."""
    document = _writable(scope, document_id)
    if document.status != "draft":
        raise UserError(
            f"《{document.title}》{document.number or ''}{_label(document)}，"
            "内容不能再修改。如有错误请“更正”（生成新版本）或在送达前“作废”。"
        )
    return document


def _label(document: CaseDocument) -> str:
    return status_label(document.type_key, document.status)


def _date_values(document: CaseDocument, spec: DocumentSpec, context: Mapping[str, object]) -> None:
    """Fields taken from the document's own date (签发日期 …) get the day of issue."""
    dated = {name: context.get(field.source) for name, field in dated_fields(spec)}
    document.values = {**document.values, **dated}


def _corrected(session: Session, document: CaseDocument, check: bool = True) -> CaseDocument | None:
    """The edition ``document`` corrects, if any; with ``check``, refused unless in force."""
    if document.corrects_id is None:
        return None
    corrected = _fetch(session, document.corrects_id)
    if check and corrected.status not in IN_FORCE:
        raise UserError(
            f"被更正的《{corrected.title}》{corrected.number or ''}现为“{_label(corrected)}”，"
            "这份更正稿不能再签发，请删除它。"
        )
    return corrected


def _check_no_open_correction(session: Session, original: CaseDocument) -> None:
    query = select(CaseDocument.id).where(
        CaseDocument.corrects_id == original.id, CaseDocument.status == "draft"
    )
    if session.scalar(query) is not None:
        raise UserError(f"《{original.title}》已有一份更正稿（草稿），请继续编辑它或删除后再更正。")


def _set_status(scope: ActionScope, document: CaseDocument, status: str, why: str) -> None:
    before = document.audit_snapshot()
    document.status = status
    scope.record(document, f"《{document.title}》{document.number or ''}{why}", before)


def _check_service(document: CaseDocument, method: str, on: dt.date, today: dt.date) -> None:
    if document.status != "issued":
        raise UserError(
            f"只有已签发、尚未送达的文书可以送达，《{document.title}》现为“{_label(document)}”。"
        )
    if not document_type(document.type_key).served:
        raise UserError(f"《{document.title}》是内部文书，无需送达。")
    if method not in SERVED_METHODS:
        raise UserError(f"请选择送达方式（{'、'.join(SERVED_METHODS)}）。")
    issued_on = document.issued_on or on
    if not issued_on <= on <= today:
        raise UserError(
            f"送达日期应在签发日期（{issued_on:%Y-%m-%d}）与今天（{today:%Y-%m-%d}）之间，请核对。"
        )


def _check_voidable(document: CaseDocument) -> None:
    if document.status == "draft":
        raise UserError("草稿尚未签发，无需作废，可直接删除。")
    if document.status == "served":
        raise UserError(f"《{document.title}》已送达，不能作废；如有错误请“更正”。")
    if document.status != "issued":
        raise UserError(f"《{document.title}》现为“{_label(document)}”，不能作废。")
    if document.type_key in CASE_NUMBERED:
        raise UserError(f"《{document.title}》的文号就是本案案号，不能单独作废；如有错误请“更正”。")


def _date_service(scope: ActionScope, document: CaseDocument, case: Case, today: dt.date) -> None:
    """Date the milestone the service starts deadlines from, then recompute the deadlines."""
    start = SERVICE_STARTS.get(document.type_key)
    if start is not None:
        if start.milestone not in milestones_of(case_events(scope.session, case.id)):
            raise UserError(
                f"《{document.title}》首次送达须在案件页办理“{find_action(start.first_step).label}”，"
                "由这一步记录送达并开始计算期限。"
            )
        _record_service_event(scope, document, case, start)
    refresh_case(scope.session, case, today)


def _record_service_event(
    scope: ActionScope, document: CaseDocument, case: Case, start: ServiceStart
) -> None:
    """The serving step's event again, dated the day this edition was served, so the case's
    milestone (and the timeline) move to it."""
    assert document.served_on is not None
    event = CaseEvent(
        case_id=case.id,
        action=start.again_step,
        stage_before=case.stage,
        stage_after=case.stage,
        occurred_on=document.served_on,
        actor_id=scope.actor.user_id,
        actor_name=scope.actor.full_name,
        note=f"送达第{document.edition}版《{document.title}》{document.number or ''}",
        milestones={start.milestone: document.served_on.isoformat()},
        data={
            "document_id": document.id,
            "served_method": document.served_method,
            "recipient": document.recipient,
        },
    )
    scope.session.add(event)
    scope.record(event, f"{case.case_no} 送达《{document.title}》", before=None)


def _live_sheet(session: Session, document: CaseDocument) -> Sheet:
    on = document.issued_on or local_today()
    spec = document_spec(document.type_key)
    wording = wording_for(session, on)
    return compose(spec, document.values, wording, variant=document.variant, number=document.number)


def _views(session: Session, documents: Sequence[CaseDocument]) -> list[DocumentView]:
    """The documents as listed, each with the page count of its scan if it has one."""
    ids = [document.id for document in documents]
    query = select(DocumentScan.document_id, DocumentScan.page_count)
    scanned = {
        row.document_id: row.page_count
        for row in session.execute(query.where(DocumentScan.document_id.in_(ids)))
    }
    return [_view(document, scanned.get(document.id)) for document in documents]


def _view(document: CaseDocument, scan_pages: int | None = None) -> DocumentView:
    return DocumentView(
        id=document.id,
        case_id=document.case_id,
        inspection_id=document.inspection_id,
        type_key=document.type_key,
        title=document.title,
        variant=document.variant,
        number=document.number,
        status=document.status,
        status_label=_label(document),
        values=dict(document.values),
        sheet=document.sheet,
        sha256=document.sha256,
        issued_on=document.issued_on,
        issued_at=document.issued_at,
        served_on=document.served_on,
        served_method=document.served_method,
        recipient=document.recipient,
        event_id=document.event_id,
        edition=document.edition,
        corrects_id=document.corrects_id,
        correction_reason=document.correction_reason,
        void_reason=document.void_reason,
        created_at=document.created_at,
        updated_at=document.updated_at,
        scan_pages=scan_pages,
    )
