"""Scans of signed paper originals: attach them to a document, replace or remove them, and
read one back as a single PDF for the volume.

What was signed on paper is the legal original; in the volume its scan stands in the
generated copy's place. A scan is one or more files (PDFs of any number of pages, or JPEG/PNG
pages) in page order; attaching a new scan of the same document replaces the old one. Only a
document that was issued (or served, or later corrected: it was served and stays in the file)
has a signed original; drafts and voided documents are refused. Files are checked by content
and stored (sealed) before the transaction; a refusal of any file stores nothing, so a scan
is never attached with a page missing.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.registry_rules import FieldIssue, InvalidFields
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import NotFound, UserError
from fuanjian_desktop.evidence.scan_check import PDF_EXTENSION, ScanFacts, ScanRejected, check_scan
from fuanjian_desktop.evidence.store import AddedScan, EvidenceStore, read_scan_file
from fuanjian_desktop.models import CaseDocument, DocumentScan, EvidenceFile
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.archive_lock import require_open
from fuanjian_desktop.services.dossiers.case_inspections import case_of_inspection
from fuanjian_desktop.services.dossiers.evidence_files import (
    discard_new,
    evidence_file,
    require_stored,
)
from fuanjian_desktop.services.dossiers.scan_pages import image_page
from fuanjian_desktop.services.inspections.evidence import evidence_store
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.lookup import fetch, fetch_own, fetch_readable
from fuanjian_desktop.services.squad_scope import read_as, require_changeable, squad_of
from fuanjian_desktop.services.unit_of_work import user_action

# statuses of a document with a signed paper original in the file (see the module docstring)
SCANNABLE = ("issued", "served", "superseded")
REFUSED_STATUS = {
    "draft": "文书还是草稿，尚未签发，没有签字的纸质原件，不能附加扫描件；请先签发、打印并签字",
    "voided": "文书已作废，不进入案卷，不能附加扫描件",
}
SCAN_MISSING = "该扫描件不存在（可能已被删除），请刷新后重试。"


class ScanInvalid(InvalidFields):
    """A scan that cannot be attached or removed as asked; each issue names its field."""

    def __init__(self, issues: Sequence[FieldIssue]) -> None:
        super().__init__("扫描件有以下问题，请修改后再保存：", issues)


@dataclass(frozen=True)
class ScanInfo:
    """A document's current scan, as the scan dialog shows it."""

    id: str
    document_id: str
    page_count: int
    scanned_on: dt.date
    attached_by: str
    note: str | None


def scan_page_count(path: Path) -> int:
    """How many pages the file ``path`` adds to a scan (a PDF's pages, an image's one), or a
    Chinese :class:`UserError` naming the file: for showing the count as files are chosen."""
    try:
        facts, _thumbnail = check_scan(read_scan_file(path))
    except ScanRejected as rejected:
        raise UserError(f"“{path.name}”：{rejected.reason}") from rejected
    return facts.page_count


def attach_scan(
    database: Database,
    actor: Actor,
    document_id: str,
    paths: Sequence[Path],
    on: dt.date,
    note: str = "",
) -> str:
    """Attach the files ``paths`` (in page order) as the scan of the document's signed paper
    original, scanned ``on``; replaces an earlier scan of it. Returns the scan's id."""
    actor.require(Permission.KEEP_CASE_RECORDS)
    with read_as(database, actor) as (session, reader):  # refused before any file is stored
        document = fetch(session, CaseDocument, document_id)
        require_changeable(reader, squad_of(session, document), "文书")
        _check(document, paths, on)
        require_open(session, _case_of(session, document))
    store = evidence_store(database)
    added = _store_files(store, paths)
    try:
        files = list(zip(paths, added, strict=True))
        return _attach(database, actor, store, document_id, files, on, note)
    except BaseException:
        discard_new(database, store, [scan.facts for scan in added if scan.created])
        raise


def _check(document: CaseDocument, paths: Sequence[Path], on: dt.date) -> None:
    """Refuse a document without a signed original, no files, or a date before it was issued."""
    if document.status not in SCANNABLE:
        raise UserError(
            f"《{document.title}》{REFUSED_STATUS.get(document.status, '当前状态不能附加扫描件')}。"
        )
    issues = []
    if not paths:
        issues.append(_issue("paths", "请选择至少一个扫描文件（PDF、JPG 或 PNG）"))
    if on > local_today():
        issues.append(_issue("on", "扫描日期不能晚于今天"))
    elif document.issued_on is not None and on < document.issued_on:
        issues.append(
            _issue("on", f"扫描日期不能早于文书的签发日期（{document.issued_on.isoformat()}）")
        )
    if issues:
        raise ScanInvalid(issues)


def _store_files(store: EvidenceStore, paths: Sequence[Path]) -> list[AddedScan]:
    """Store every file, or none: a refused file removes the ones this call newly stored."""
    added: list[AddedScan] = []
    issues: list[FieldIssue] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            scan = store.add_scan_file(path)
        except ScanRejected as rejected:
            issues.append(_issue("paths", f"“{path.name}”：{rejected.reason}"))
            continue
        added.append(scan)
        if scan.facts.sha256 in seen:  # the same page twice: a slip when choosing files
            twin = seen[scan.facts.sha256]
            issues.append(_issue("paths", f"“{path.name}”与“{twin}”是同一个文件，请去掉重复的"))
        seen.setdefault(scan.facts.sha256, path.name)
    if issues:
        for scan in added:
            if scan.created:
                store.remove(scan.facts.sha256, scan.facts.extension)
        raise ScanInvalid(issues)
    return added


def _attach(
    database: Database,
    actor: Actor,
    store: EvidenceStore,
    document_id: str,
    files: list[tuple[Path, AddedScan]],
    on: dt.date,
    note: str,
) -> str:
    with user_action(database, actor, "附加扫描件") as scope:
        scope.actor.require(Permission.KEEP_CASE_RECORDS)
        document = fetch_own(scope, CaseDocument, document_id)
        _check(document, [path for path, _ in files], on)
        for path, added in files:
            require_stored(store, added.facts, path.name, partial(_store_again, store, path))
        pages = [
            evidence_file(
                scope,
                sha256=scan.facts.sha256,
                extension=scan.facts.extension,
                size_bytes=scan.facts.size_bytes,
                name=path.name,
                width=scan.facts.width,
                height=scan.facts.height,
            ).id
            for path, scan in files
        ]
        scan = scope.session.scalar(
            select(DocumentScan).where(DocumentScan.document_id == document.id)
        )
        case_id = _case_of(scope.session, document)  # a query: before a new row is pending
        before = scan.audit_snapshot() if scan is not None else None
        if scan is None:
            scan = DocumentScan(document_id=document.id)
            scope.session.add(scan)
        scan.case_id = case_id
        scan.pages = pages
        scan.page_count = sum(page.facts.page_count for _, page in files)
        scan.scanned_on = on
        scan.attached_by = scope.actor.full_name
        scan.note = note.strip() or None
        verb = "更换扫描件" if before is not None else "附加扫描件"
        scope.record(scan, f"{verb}：{_named(document)}，共 {scan.page_count} 页", before)
        return scan.id


def remove_scan(database: Database, actor: Actor, scan_id: str, reason: str) -> None:
    """Remove a scan (its document's generated copy stands in the volume again); the reason is
    required and kept in the audit trail. The stored files stay (evidence is not deleted)."""
    actor.require(Permission.KEEP_CASE_RECORDS)
    if not reason.strip():
        raise ScanInvalid([_issue("reason", "请填写删除扫描件的原因")])
    with user_action(database, actor, "删除扫描件") as scope:
        scope.actor.require(Permission.KEEP_CASE_RECORDS)
        scan = scope.session.get(DocumentScan, scan_id)
        if scan is None:
            raise NotFound(SCAN_MISSING)
        document = fetch_own(scope, CaseDocument, scan.document_id)
        scope.record_deletion(scan, f"删除扫描件：{_named(document)}，原因：{reason.strip()}")


def scan_of(database: Database, actor: Actor, document_id: str) -> ScanInfo | None:
    """The document's current scan, ``None`` if it has none."""
    with read_as(database, actor) as (session, reader):
        fetch_readable(session, reader, CaseDocument, document_id)
        scan = session.scalar(select(DocumentScan).where(DocumentScan.document_id == document_id))
        if scan is None:
            return None
        return ScanInfo(
            scan.id, scan.document_id, scan.page_count, scan.scanned_on, scan.attached_by, scan.note
        )


def scan_pdf(session: Session, store: EvidenceStore, scan: DocumentScan) -> bytes:
    """The scan's pages as one PDF: PDF pages as they are, each image on an A4 page of its
    own (fitted, aspect ratio kept). Raises ``OSError``/``DamagedCipherFile`` if a stored
    file is missing or altered, as reading any evidence does."""
    from pypdf import PdfReader, PdfWriter  # only when a volume is built

    writer = PdfWriter()
    for evidence_id in scan.pages:
        evidence = fetch(session, EvidenceFile, evidence_id)
        data = store.read_original(evidence.sha256, evidence.extension)
        if evidence.extension != PDF_EXTENSION:
            data = image_page(data)
        writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
    sink = io.BytesIO()
    writer.write(sink)
    return sink.getvalue()


def _store_again(store: EvidenceStore, path: Path) -> ScanFacts:
    return store.add_scan_file(path).facts


def _case_of(session: Session, document: CaseDocument) -> str | None:
    """The case whose file the document's scan belongs to (see ``case_of_inspection``)."""
    return document.case_id or case_of_inspection(session, document.inspection_id or "")


def _named(document: CaseDocument) -> str:
    return f"《{document.title}》{document.number or ''}"


def _issue(field: str, message: str) -> FieldIssue:
    return FieldIssue(field, message, field_label=FIELD_LABELS[field])


FIELD_LABELS = {"paths": "扫描文件", "on": "扫描日期", "note": "说明", "reason": "删除原因"}
