"""Demo case files (案卷): scans of signed originals, captioned photos, a 执法记录仪 record and
one archived case, added to the demo's closed cases as a clerk would add them.

Runs after the demo's one transaction, through the services the clerk's clicks call (each its
own transaction): ``attach_scan``, ``attach_photos`` / ``attach_case_photo`` with
``edit_photo_evidence``, ``import_media`` and, last, ``archive_case``, which compiles the
volume from committed records and freezes it. What the demo then shows:

- the complete case (程序完整): every paper-signed document scanned, its inspection's photos
  and a case photo captioned, its 备考表 signed by the clerk and the leader, so its 自查 finds
  nothing;
- the case archived 5 working days after 结案 (行政复议维持): scanned and captioned the same
  way, with a 执法记录仪 audio record and its 备考表 signed off (立卷人 the clerk, 检查人 the
  leader), then archived by the squad leader — 归档号 and frozen volume;
- the hearing case: only its 听证笔录 and 处罚决定书 scanned, so 自查 lists the other signed
  documents (系统生成副本); the other closed general cases have their 送达回执 scanned; the
  当场处罚 cases nothing.

Scans are made from each issued PDF (``demo_paper``), photos and audio are drawn
(``demo_recordings``). Deterministic for the demo's seed.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo_cases import ARCHIVED, COMPLETE, HEARING
from fuanjian_desktop.demo.demo_paper import scanned_pages
from fuanjian_desktop.demo.demo_recordings import Scene, recorder_audio, site_photo
from fuanjian_desktop.domain.deadlines import add_working_days
from fuanjian_desktop.dossier.self_check import paper_signed
from fuanjian_desktop.models import (
    Case,
    CaseDocument,
    CaseLink,
    Inspection,
    InspectionPhoto,
    User,
)
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.dossiers.archiving import archive_case
from fuanjian_desktop.services.dossiers.case_photos import (
    PhotoInput,
    PhotoRef,
    attach_case_photo,
    edit_photo_evidence,
)
from fuanjian_desktop.services.dossiers.dossier_records import set_backnotes
from fuanjian_desktop.services.dossiers.media import MediaInput, import_media
from fuanjian_desktop.services.dossiers.scans import attach_scan
from fuanjian_desktop.services.dossiers.volume_items import bound_documents, dossier_document
from fuanjian_desktop.services.dossiers.volume_parts import document_pdf
from fuanjian_desktop.services.inspections.evidence import attach_photos

CLERK, LEADER = "wangfang", "liuyang"
FILING_GAP, ARCHIVE_GAP = 3, 5  # working days from 结案 to 立卷 and to 归档
RECEIPT = "service_receipt"
HEARING_SCANS = ("hearing_record", "penalty_decision")
DEVICE = "DSJ-T9-0317"  # the squad's 执法记录仪


@dataclass(frozen=True)
class Shot:
    """A drawn photo and what a person writes under it."""

    scene: Scene
    caption: str
    proves: str


INSPECTION_SHOTS = (
    Shot(Scene.BLOCKED_EXIT, "安全出口被货物堵塞", "当事人占用、堵塞疏散通道、安全出口"),
    Shot(Scene.WIRING, "配电箱周边私拉乱接临时电线", "现场存在电气线路安全隐患"),
)
CASE_SHOTS = (
    Shot(Scene.EXTINGUISHER, "灭火器未放置在指定位置", "消防器材管理不到位"),
    Shot(Scene.BLOCKED_EXIT, "仓库安全出口前堆放纸箱", "当事人占用、堵塞疏散通道、安全出口"),
)


def create_demo_dossiers(
    database: Database,
    cases: dict[str, str],
    seed: int,
) -> None:
    """Scans, photos and audio on the demo's closed cases, then the archived case archived.

    ``cases`` maps each demo story (``Script.shows``) to its case id. The complete and the
    archived case get a scan of every document signed on paper (the volume's own rule).
    """
    rng = random.Random(seed)
    people = _people(database)
    with tempfile.TemporaryDirectory(prefix="demo-scans-") as folder:
        files = _Files(Path(folder))
        for story in (COMPLETE, ARCHIVED):
            _scan(database, people[CLERK], cases[story], _signed_on_paper, files, rng)
        _scan(database, people[CLERK], cases[HEARING], _type_in(HEARING_SCANS), files, rng)
        for case_id in _other_closed(database, set(cases.values()) - _stories(cases)):
            _scan(database, people[CLERK], case_id, _type_in((RECEIPT,)), files, rng)
        _inspection_photos(database, people[CLERK], cases[COMPLETE], files, rng)
        for story, shots in ((COMPLETE, CASE_SHOTS[:1]), (ARCHIVED, CASE_SHOTS)):
            _case_photos(database, people[CLERK], cases[story], shots, files, rng)
        _recording(database, people[CLERK], cases[ARCHIVED], files, rng)
    # the complete case's volume is made up too, ready for the leader's 批准归档
    _sign_off(database, people[CLERK], people[LEADER], cases[COMPLETE], None)
    _archive(database, people[CLERK], people[LEADER], cases[ARCHIVED])


def _stories(cases: dict[str, str]) -> set[str]:
    return {cases[story] for story in (COMPLETE, ARCHIVED, HEARING)}


class _Files:
    """Numbered files in a private temporary folder: what a scanner or a card hands over."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._count = 0

    def write(self, data: bytes, suffix: str) -> Path:
        self._count += 1
        path = self._folder / f"{self._count:04d}{suffix}"
        path.write_bytes(data)
        return path


def _people(database: Database) -> dict[str, Actor]:
    with database.read() as session:
        return {user.username: Actor.of(user) for user in session.scalars(select(User))}


def _signed_on_paper(document: CaseDocument) -> bool:
    return paper_signed(dossier_document(document, scanned=False))


def _type_in(type_keys: Sequence[str]) -> Callable[[CaseDocument], bool]:
    return lambda document: document.type_key in type_keys


def _other_closed(database: Database, candidates: set[str]) -> list[str]:
    """The closed general-procedure cases among ``candidates``, oldest first."""
    with database.read() as session:
        query = (
            select(Case.id)
            .where(Case.id.in_(candidates), Case.stage == "closed", Case.procedure == "general")
            .order_by(Case.closed_on, Case.case_no)
        )
        return list(session.scalars(query))


def _scan(
    database: Database,
    clerk: Actor,
    case_id: str,
    chosen: Callable[[CaseDocument], bool],
    files: _Files,
    rng: random.Random,
) -> None:
    """Scan each chosen document of the case (and of its inspections) on the day it was served
    or, if never served, issued: its pages from the issued PDF, signed by hand."""
    for document_id, on, pdf in _issued_pdfs(database, case_id, chosen):
        paths = [files.write(page, ".jpg") for page in scanned_pages(pdf, rng)]
        attach_scan(database, clerk, document_id, paths, on)


def _issued_pdfs(
    database: Database, case_id: str, chosen: Callable[[CaseDocument], bool]
) -> list[tuple[str, dt.date, bytes]]:
    """(id, day scanned, issued PDF) of each chosen document the case's volume binds."""
    with database.read() as session:
        return [
            (document.id, document.served_on or document.issued_on, document_pdf(session, document))
            for document in bound_documents(session, case_id)
            if chosen(document) and document.issued_on is not None
        ]


def _inspection_photos(
    database: Database, clerk: Actor, case_id: str, files: _Files, rng: random.Random
) -> None:
    """Photos taken at the case's first inspection, attached to it and captioned (where and by
    whom an inspection photo was taken comes from the inspection itself)."""
    with database.read() as session:
        inspection = session.scalars(
            select(Inspection)
            .join(CaseLink, CaseLink.target_id == Inspection.id)
            .where(CaseLink.case_id == case_id, CaseLink.kind == "inspection")
            .order_by(Inspection.started_at)
        ).first()
        if inspection is None:
            return
        inspection_id, started = inspection.id, inspection.started_at
    paths = [
        files.write(site_photo(shot.scene, started + dt.timedelta(minutes=9 * n), rng), ".jpg")
        for n, shot in enumerate(INSPECTION_SHOTS, start=1)
    ]
    attach_photos(database, clerk, inspection_id, "", paths)
    with database.read() as session:
        photo_ids = session.scalars(
            select(InspectionPhoto.id)
            .where(InspectionPhoto.inspection_id == inspection_id)
            .order_by(InspectionPhoto.created_at, InspectionPhoto.id)
        ).all()
    for photo_id, shot in zip(photo_ids, INSPECTION_SHOTS, strict=False):
        caption = PhotoInput(shot.caption)
        edit_photo_evidence(database, clerk, PhotoRef("inspection_photo", photo_id), caption)


def _case_photos(
    database: Database,
    clerk: Actor,
    case_id: str,
    shots: Sequence[Shot],
    files: _Files,
    rng: random.Random,
) -> None:
    """Photos the handlers took at the party's premises after 立案, attached to the case."""
    with database.read() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.filed_on is not None
        place = case.party_address or ""
        photographer = case.handler_rows[0].full_name
        taken = dt.datetime.combine(case.filed_on, dt.time(2, 20), dt.UTC)  # 10:20 in Shenzhen
    for n, shot in enumerate(shots):
        moment = taken + dt.timedelta(minutes=7 * n)
        path = files.write(site_photo(shot.scene, moment, rng), ".jpg")
        details = PhotoInput(shot.caption, place, photographer, shot.proves)
        attach_case_photo(database, clerk, case_id, path, details)


def _recording(
    database: Database, clerk: Actor, case_id: str, files: _Files, rng: random.Random
) -> None:
    """The 执法记录仪's audio of the 处罚决定书 being served, imported into the case."""
    with database.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        handler = case.handler_rows[0]
        served = session.scalar(
            select(CaseDocument.served_on).where(
                CaseDocument.case_id == case_id, CaseDocument.type_key == "penalty_decision"
            )
        )
        assert served is not None
    audio = recorder_audio(rng)
    started = dt.datetime.combine(served, dt.time(7, 5), dt.UTC)  # 15:05 in Shenzhen
    media = MediaInput(
        title="送达行政处罚决定书现场录音",
        kind="audio",
        device=DEVICE,
        officer_id=handler.user_id,
        started_at=started,
        ended_at=started + dt.timedelta(seconds=1),
        step="serve_decision",
    )
    import_media(database, clerk, case_id, files.write(audio, ".wav"), media)


def _archive(database: Database, clerk: Actor, leader: Actor, case_id: str) -> None:
    """The clerk compiles the volume (备考表: 立卷人 herself, 检查人 the leader) and the squad
    leader approves 归档 a week after 结案: 归档号 given, volume frozen."""
    with database.read() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.closed_on is not None
        filed_on = add_working_days(case.closed_on, FILING_GAP)
        on = add_working_days(case.closed_on, ARCHIVE_GAP)
    _sign_off(database, clerk, leader, case_id, filed_on)
    archive_case(database, leader, case_id, on)


def _sign_off(
    database: Database, clerk: Actor, leader: Actor, case_id: str, filed_on: dt.date | None
) -> None:
    """The 备考表 signed: 立卷人 the clerk, 检查人 the leader (立卷时间 ``filed_on``, or the
    archiving day when it comes)."""
    set_backnotes(database, clerk, case_id, "", clerk.full_name, leader.full_name, filed_on)
