"""What a case's volume holds, read from its records: one item per document, photos, media.

The rule (COMMON decisions of issue 17): every document of the case and of its linked
inspections that was issued, served, or served and then superseded by a correction goes in;
drafts and voided documents never. A document's scan of its signed paper original stands in its
place. The case's photos are one item (照片证据), its audio-video files another (音像资料目录,
only when there are any). The system's own 备注 are computed here: a superseded document is
``已更正``; a document signed on paper (the 自查's rule, ``dossier.self_check.paper_signed``)
with no scan is ``系统生成副本`` — the generated copy is not the legal original.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fuanjian_desktop.dossier.self_check import DossierDocument, paper_signed
from fuanjian_desktop.models import CaseDocument, CaseMedia, DocumentScan
from fuanjian_desktop.services.dossiers.case_inspections import linked_inspections, rechecks_of

# statuses of a document that belongs in the volume (a superseded one was served: it stays)
BOUND_STATUSES = ("issued", "served", "superseded")
SUPERSEDED_REMARK = "已更正"
GENERATED_COPY_REMARK = "系统生成副本"
# whom a 笔录 (no 文号) records, so a reviewer tells several apart in the 目录: the first value
# of these keys that the record holds (the transcript forms' fields)
TRANSCRIPT_WHO = {
    "inquiry_record": ("interviewee_name",),
    "statement_record": ("speaker_unit", "party_name"),
    "hearing_record": ("party_name",),
}
PHOTOS_KEY = "photos"
MEDIA_KEY = "media"
PHOTOS_ORDER_KEY = "photo_evidence"
MEDIA_ORDER_KEY = "media_index"
PHOTOS_TITLE = "照片证据"
MEDIA_TITLE = "音像资料目录"


@dataclass(frozen=True)
class VolumeItem:
    """One item of the volume before it is ordered and paged.

    ``key`` is the stable item key (``doc:<id>``, ``photos``, ``media``) the person's 备注 and
    order overrides name; ``order_key`` is what the binding order ranks (the document's
    ``type_key``); ``on`` its date (issued, else made) and ``number`` its 文号.
    """

    key: str
    order_key: str
    title: str
    number: str | None
    on: dt.date | None
    made: dt.datetime | None
    system_remarks: tuple[str, ...] = ()
    document_id: str | None = None
    scan_id: str | None = None
    needs_scan: bool = False

    @property
    def heading(self) -> str:
        """文件名称及编号 as the 目录 prints it: the title, then the 文号 if any."""
        return f"{self.title}{self.number}" if self.number else self.title


def inspection_ids(session: Session, case_id: str) -> list[str]:
    """The inspections in the case's file: those it links and their 复查 (their documents,
    such as the 现场检查记录 and the 整改复查意见书, are the case's evidence too)."""
    linked = linked_inspections(session, case_id)
    return [inspection.id for inspection in [*linked, *rechecks_of(session, linked)]]


def bound_documents(session: Session, case_id: str) -> list[CaseDocument]:
    """The documents of the case and of its linked inspections that go into its volume."""
    owners = or_(
        CaseDocument.case_id == case_id,
        CaseDocument.inspection_id.in_(inspection_ids(session, case_id)),
    )
    query = select(CaseDocument).where(owners, CaseDocument.status.in_(BOUND_STATUSES))
    return list(session.scalars(query.order_by(CaseDocument.created_at, CaseDocument.id)))


def dossier_document(document: CaseDocument, scanned: bool) -> DossierDocument:
    """A bound document as the 自查 judges it (and as it decides whether a scan is due)."""
    return DossierDocument(
        item_key=f"doc:{document.id}",
        type_key=document.type_key,
        title=document.title,
        number=document.number,
        status=document.status,
        issued_on=document.issued_on,
        served_on=document.served_on,
        served_method=document.served_method,
        scanned=scanned,
        of_inspection=document.case_id is None,
    )


def document_title(document: CaseDocument) -> str:
    """The document's title; a 笔录 without 文号 names whom it records (and which time)."""
    values = document.values or {}
    who = next(
        (
            str(values[key]).strip()
            for key in TRANSCRIPT_WHO.get(document.type_key, ())
            if values.get(key)
        ),
        "",
    )
    if document.number or not who:
        return document.title
    sequence = str(values.get("sequence") or "").strip()
    return (
        f"{document.title}（{who}，第{sequence}次）" if sequence else f"{document.title}（{who}）"
    )


def document_item(document: CaseDocument, scan: DocumentScan | None) -> VolumeItem:
    """The item of one bound document (with its scan, if one was attached)."""
    needs_scan = paper_signed(dossier_document(document, scan is not None))
    remarks = []
    if document.status == "superseded":
        remarks.append(SUPERSEDED_REMARK)
    if needs_scan and scan is None:
        remarks.append(GENERATED_COPY_REMARK)
    return VolumeItem(
        key=f"doc:{document.id}",
        order_key=document.type_key,
        title=document_title(document),
        number=document.number,
        on=document.issued_on,
        made=document.created_at,
        system_remarks=tuple(remarks),
        document_id=document.id,
        scan_id=scan.id if scan is not None else None,
        needs_scan=needs_scan,
    )


def scans_by_document(session: Session, document_ids: list[str]) -> dict[str, DocumentScan]:
    """The scan of each of ``document_ids`` that has one."""
    query = select(DocumentScan).where(DocumentScan.document_id.in_(document_ids))
    return {scan.document_id: scan for scan in session.scalars(query)}


def collect_items(
    session: Session, case_id: str, photo_count: int, first_photo_on: dt.date | None
) -> list[VolumeItem]:
    """Every item of the case's volume, unordered (the binding order ranks them).

    ``photo_count`` and ``first_photo_on`` come from the case's photo rows (read once by the
    caller, who also renders them): no photos, no 照片证据 item.
    """
    documents = bound_documents(session, case_id)
    scans = scans_by_document(session, [document.id for document in documents])
    items = [document_item(document, scans.get(document.id)) for document in documents]
    if photo_count:
        items.append(
            VolumeItem(PHOTOS_KEY, PHOTOS_ORDER_KEY, PHOTOS_TITLE, None, first_photo_on, None)
        )
    first_media = session.scalar(
        select(CaseMedia.started_at)
        .where(CaseMedia.case_id == case_id)
        .order_by(CaseMedia.started_at)
        .limit(1)
    )
    if first_media is not None:
        media_on = first_media.astimezone().date()
        items.append(VolumeItem(MEDIA_KEY, MEDIA_ORDER_KEY, MEDIA_TITLE, None, media_on, None))
    return items
