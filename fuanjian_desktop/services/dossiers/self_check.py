"""自查 before archiving: the dossier's facts read from the records, judged by the pure check.

The judgement lives in ``dossier/self_check.py`` (findings mapped to the §4.4 评查 items, the
self-score, the veto items); this module only gathers what it judges: the documents of the
volume with whether each has a scan, the 送达回执's list of served documents, the photos and
audio-video records, the case's steps and milestones, the procedure guard's defects, the
备考表's 立卷人 and 检查人, and —
when the volume was compiled — the 目录's last 页号 and the pages the volume really numbers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy.orm import Session

from fuanjian_desktop.domain.guard.case_guard import case_defects
from fuanjian_desktop.domain.procedure import Procedure
from fuanjian_desktop.dossier.render.model import CheckFinding, SelfCheckInfo
from fuanjian_desktop.dossier.self_check import (
    RECEIPT,
    DossierFacts,
    DossierMedia,
    DossierPhoto,
    SelfCheck,
    self_check,
)
from fuanjian_desktop.models import Case, CaseDocument
from fuanjian_desktop.services.cases.case_facts import facts_of
from fuanjian_desktop.services.dossiers.case_photos import PhotoEvidence, case_photo_rows
from fuanjian_desktop.services.dossiers.media import media_rows
from fuanjian_desktop.services.dossiers.volume_compile import Compiled, dossier_of
from fuanjian_desktop.services.dossiers.volume_cover import case_name
from fuanjian_desktop.services.dossiers.volume_items import (
    bound_documents,
    dossier_document,
    scans_by_document,
)
from fuanjian_desktop.services.dossiers.volume_parts import page_count
from fuanjian_desktop.services.procedure_settings import current_settings

PHOTO_SOURCES = {
    "inspection": "现场检查",
    "recheck": "整改复查",
    "linked": "关联照片",
    "case": "案件照片",
}


def receipt_rows(documents: Sequence[CaseDocument]) -> tuple[str, ...] | None:
    """The 送达回执 in force's served documents (its ``name_no`` column), or ``None``."""
    receipts = [d for d in documents if d.type_key == RECEIPT and d.status != "superseded"]
    if not receipts:
        return None
    rows = receipts[-1].values.get("served_documents") or []
    return tuple(str(row.get("name_no", "")) for row in rows if isinstance(row, dict))


def dossier_photos(photos: Sequence[PhotoEvidence]) -> tuple[DossierPhoto, ...]:
    """The photos as a finding names them: their place in the 照片证据 and where from."""
    return tuple(
        DossierPhoto(
            f"第{number}张（{PHOTO_SOURCES.get(photo.source, photo.source)}"
            f"{_when(photo.taken_at)}）",
            photo.caption,
        )
        for number, photo in enumerate(photos, start=1)
    )


def _when(moment: dt.datetime | None) -> str:
    return f" {moment.astimezone():%Y-%m-%d}" if moment is not None else ""


def dossier_facts(
    session: Session, case: Case, today: dt.date, compiled: Compiled | None
) -> DossierFacts:
    """Everything the 自查 judges of ``case``; the page totals only with ``compiled``."""
    facts = facts_of(session, case, current_settings(session), today)
    dossier = dossier_of(session, case.id)
    documents = bound_documents(session, case.id)
    scans = scans_by_document(session, [d.id for d in documents])
    photos = compiled.photos if compiled is not None else tuple(case_photo_rows(session, case.id))
    return DossierFacts(
        procedure=Procedure(case.procedure),
        steps=tuple(facts.steps),
        milestones=facts.milestones,
        documents=tuple(dossier_document(d, d.id in scans) for d in documents),
        receipt_rows=receipt_rows(documents),
        photos=dossier_photos(photos),
        media=tuple(
            DossierMedia(row.title, row.step_label, row.started_at, row.ended_at, row.gap_reason)
            for row in media_rows(session, case.id)
        ),
        index_total=compiled.plan.items[-1].end if compiled and compiled.plan.items else None,
        # read back from the parts themselves, not from the plan the 目录 was paged by
        volume_total=sum(page_count(pdf) for pdf in compiled.parts) if compiled else None,
        defects=tuple(
            (defect.code, defect.message, str(defect.review_item)) for defect in case_defects(facts)
        ),
        filed_by=dossier.filed_by if dossier else None,
        checked_by=dossier.checked_by if dossier else None,
    )


def case_self_check(
    session: Session, case: Case, today: dt.date, compiled: Compiled | None
) -> SelfCheck:
    """The 自查 of ``case`` on ``today``."""
    return self_check(dossier_facts(session, case, today, compiled))


def check_info(case: Case, check: SelfCheck, today: dt.date) -> SelfCheckInfo:
    """The 案卷自查表 of ``check`` as it prints."""
    return SelfCheckInfo(
        case_name=case_name(case),
        case_no=case.case_no,
        findings=tuple(
            CheckFinding(f.item_label, f.message, f.deduction, f.veto, f.blocks_archive)
            for f in check.findings
        ),
        score=check.score,
        checked_on=today,
    )
