"""The demo's case files (issue 17 §10): scans of signed originals, captioned photos, one
archived case with its frozen volume, a 执法记录仪 record, and 自查 findings to show — none on
the complete case."""

from __future__ import annotations

import hashlib
import io
import math
import re

from pypdf import PdfReader
from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import (
    Case,
    CaseDocument,
    CaseDossier,
    CaseMedia,
    CasePhoto,
    DocumentScan,
    EvidenceFile,
    User,
)
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.dossiers.case_photos import case_photo_rows
from fuanjian_desktop.services.dossiers.volume import dossier_cases, dossier_view, frozen_volume
from fuanjian_desktop.services.inspections.inspections import local_today

INDEX_ROWS = 14  # rows of one 卷内目录 page, template p56
ARCHIVE_NO = re.compile(r"\d{8}")  # §4.3: YYYY + 4-digit running number


def _actor(database: Database, username: str) -> Actor:
    with database.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return Actor.of(user)


def _cases(database: Database, stage: str) -> list[Case]:
    with database.read() as session:
        return list(session.scalars(select(Case).where(Case.stage == stage)))


def test_closed_cases_have_scans_of_signed_documents(demo_database: Database) -> None:
    with demo_database.read() as session:
        scanned = session.execute(
            select(Case.stage, func.count(DocumentScan.id), func.sum(DocumentScan.page_count))
            .join(Case, Case.id == DocumentScan.case_id)
            .group_by(Case.id)
        ).all()
        pages = session.scalars(select(DocumentScan.pages)).all()
        kinds = {
            evidence.extension
            for page_ids in pages
            for evidence in session.scalars(
                select(EvidenceFile).where(EvidenceFile.id.in_(page_ids))
            )
        }
    assert {stage for stage, _, _ in scanned} <= {"closed", "archived"}
    assert len(scanned) >= 3  # several closed cases, not one
    assert kinds == {".jpg"}  # pages as a document scanner saves them


def test_inspection_and_case_photos_have_captions(demo_database: Database) -> None:
    with demo_database.read() as session:
        closed = session.scalars(
            select(Case.id).where(Case.stage.in_(("closed", "archived")))
        ).all()
        photos = [photo for case_id in closed for photo in case_photo_rows(session, case_id)]
        case_photos = session.scalar(select(func.count()).select_from(CasePhoto))
    assert {photo.source for photo in photos} == {"inspection", "case"}
    assert all(photo.caption for photo in photos)
    assert all(photo.taken_at is not None for photo in photos)  # EXIF time on every one
    assert case_photos is not None and case_photos >= 3


def test_one_case_is_archived_with_its_number_and_frozen_volume(
    demo_database: Database,
) -> None:
    archived = _cases(demo_database, "archived")
    assert len(archived) == 1
    case = archived[0]
    with demo_database.read() as session:
        dossier = session.scalar(select(CaseDossier).where(CaseDossier.case_id == case.id))
        assert dossier is not None
        media = session.scalars(select(CaseMedia).where(CaseMedia.case_id == case.id)).all()
    assert dossier.archive_no is not None and ARCHIVE_NO.fullmatch(dossier.archive_no)
    assert case.closed_on is not None and dossier.archive_no[:4] == str(case.closed_on.year)
    assert dossier.archived_on is not None and dossier.archived_on > case.closed_on
    assert dossier.retention == "永久"  # 一般程序
    assert (dossier.filed_by, dossier.checked_by) == ("王芳", "刘洋")  # 内勤 立卷, 中队负责人 检查
    assert dossier.filed_on is not None and case.closed_on < dossier.filed_on < dossier.archived_on
    volume = frozen_volume(demo_database, _actor(demo_database, "wangfang"), case.id)
    assert hashlib.sha256(volume).hexdigest() == dossier.volume_sha256
    # 页数 counts the numbered pages: the cover, the 目录 (14 rows a page, p56) and the 备考表 not
    assert dossier.item_count is not None and dossier.page_count is not None
    index_pages = math.ceil(dossier.item_count / INDEX_ROWS)
    assert len(PdfReader(io.BytesIO(volume)).pages) == 1 + index_pages + dossier.page_count + 1
    assert [row.kind for row in media] == ["audio"]  # the 执法记录仪 record: 音像资料目录


def test_self_check_finds_something_on_a_closed_case_and_nothing_on_the_complete_one(
    demo_database: Database,
) -> None:
    clerk = _actor(demo_database, "wangfang")
    today = local_today()
    rows = dossier_cases(demo_database, clerk, today)
    assert [row for row in rows if not row.archived and row.finding_count > 0]
    with demo_database.read() as session:
        complete = session.scalar(
            select(Case.id).where(
                Case.stage == "closed",
                Case.source == "inspection",
                Case.paid_amount == Case.total_fine,
                Case.procedure == "general",
            )
        )
        receipts = session.scalar(
            select(func.count()).where(
                CaseDocument.case_id == complete, CaseDocument.type_key == "service_receipt"
            )
        )
    assert complete is not None and receipts == 1
    view = dossier_view(demo_database, clerk, complete, today)
    assert [finding.message for finding in view.self_check.findings] == []
    assert view.self_check.score == 100
