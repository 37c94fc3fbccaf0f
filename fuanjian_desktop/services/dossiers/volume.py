"""The case file (案卷) as the clerk sees and prints it: the list, one dossier, its volume.

A closed case's volume is compiled from its records on every request (``volume_compile``), so
it is always what the records say; an archived case's volume is the frozen PDF stored when it
was archived, read back with its SHA-256 checked, and never recompiled. The paper volume of
signed originals gets only the cover, the 目录 (with the page numbers the originals will
carry), the 备考表 and, if the clerk wants them, a sheet of number labels or a stamp list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import Stage
from fuanjian_desktop.dossier.pagination import PagePlan
from fuanjian_desktop.dossier.render.cover import render_cover
from fuanjian_desktop.dossier.render.index import index_page_count
from fuanjian_desktop.dossier.render.labels import render_labels, render_stamp_list
from fuanjian_desktop.dossier.render.model import CoverInfo, StampRow
from fuanjian_desktop.dossier.render.self_check_sheet import render_self_check
from fuanjian_desktop.dossier.self_check import SelfCheck
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.store import EvidenceStore
from fuanjian_desktop.models import Case, EvidenceFile
from fuanjian_desktop.security.file_cipher import DamagedCipherFile
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.dossiers.dossier_settings import DossierSettings
from fuanjian_desktop.services.dossiers.self_check import (
    case_self_check,
    check_info,
)
from fuanjian_desktop.services.dossiers.volume_compile import (
    Compiled,
    Progress,
    VolumeRow,
    compile_volume,
    dossier_of,
    finish,
)
from fuanjian_desktop.services.dossiers.volume_cover import case_name
from fuanjian_desktop.services.dossiers.volume_frozen import front_and_back, frozen_rows
from fuanjian_desktop.services.dossiers.volume_parts import blank_page, joined, page_count
from fuanjian_desktop.services.inspections.evidence import evidence_store
from fuanjian_desktop.services.lookup import fetch_readable
from fuanjian_desktop.services.squad_scope import listed_squad, read_as

DOSSIER_STAGES = (Stage.CLOSED.value, Stage.ARCHIVED.value)
LabelChoice = Literal["none", "labels", "list"]
NOT_CLOSED = "案件“{case_no}”尚未结案（当前：{stage}），结案后才能组卷。"


@dataclass(frozen=True)
class DossierRow:
    """A case of the 案卷 page: closed and ready to check, or archived with its 归档号."""

    case_id: str
    case_no: str
    title: str
    closed_on: dt.date | None
    archived: bool
    archive_no: str | None
    archived_on: dt.date | None
    score: int | None
    vetoed: bool
    blocking: bool
    finding_count: int


@dataclass(frozen=True)
class DossierView:
    """One case's dossier: cover, 目录, 自查, archiving, and the settings it was built with."""

    case_id: str
    case_no: str
    archived: bool
    cover: CoverInfo
    rows: tuple[VolumeRow, ...]
    self_check: SelfCheck
    archive_no: str | None
    archived_on: dt.date | None
    page_count: int
    item_count: int
    settings: DossierSettings
    notes: str
    filed_by: str
    checked_by: str
    overrides: tuple[dict[str, object], ...]

    @property
    def cover_lines(self) -> tuple[tuple[str, str], ...]:
        """The cover's fields as (label, value) lines for a form."""
        cover = self.cover
        return (
            ("案件名称", cover.case_name),
            ("案由", cover.cause),
            ("处理结果", cover.result),
            ("立案日期", _date(cover.filed_on)),
            ("结案日期", _date(cover.closed_on)),
            ("承办人", "、".join(cover.officers)),
            ("归档日期", _date(cover.archived_on)),
            ("归档号", cover.archive_no or ""),
            ("保管期限", cover.retention or ""),
            ("件数", str(cover.item_count or "")),
            ("页数", str(cover.page_count or "")),
        )


@dataclass(frozen=True)
class BuiltVolume:
    """The electronic volume: its PDF, the 目录 rows with their 页号, counts and page plan."""

    pdf: bytes
    rows: tuple[VolumeRow, ...]
    page_count: int
    item_count: int
    plan: PagePlan


def _date(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def dossier_case(session: Session, reader: Actor, case_id: str) -> Case:
    """The closed or archived case ``case_id``, readable by ``reader``."""
    case = fetch_readable(session, reader, Case, case_id)
    if case.stage not in DOSSIER_STAGES:
        raise UserError(NOT_CLOSED.format(case_no=case.case_no, stage=Stage(case.stage).label))
    return case


def dossier_cases(database: Database, actor: Actor, today: dt.date) -> list[DossierRow]:
    """The closed cases with their 自查 status, and the archived ones with their 归档号.

    The 自查 here leaves out the page totals (they need the volume built): the dossier view
    checks those too.
    """
    with read_as(database, actor) as (session, reader):
        query = select(Case).where(Case.stage.in_(DOSSIER_STAGES))
        squad = listed_squad(reader, None)
        if squad is not None:
            query = query.where(Case.squad_id == squad)
        rows = []
        for case in session.scalars(query.order_by(Case.closed_on.desc(), Case.case_no)):
            dossier = dossier_of(session, case.id)
            archived = case.stage == Stage.ARCHIVED.value
            check = None if archived else case_self_check(session, case, today, None)
            rows.append(
                DossierRow(
                    case_id=case.id,
                    case_no=case.case_no,
                    title=case_name(case),
                    closed_on=case.closed_on,
                    archived=archived,
                    archive_no=dossier.archive_no if dossier else None,  # kept if reopened
                    archived_on=dossier.archived_on if dossier and archived else None,
                    score=check.score if check else None,
                    vetoed=check.vetoed if check else False,
                    blocking=check.blocking if check else False,
                    finding_count=len(check.findings) if check else 0,
                )
            )
        return rows


def _view(
    session: Session, store: EvidenceStore, case: Case, compiled: Compiled, today: dt.date
) -> DossierView:
    dossier = dossier_of(session, case.id)
    archived = case.stage == Stage.ARCHIVED.value
    rows = compiled.rows
    if archived and dossier is not None and dossier.volume_evidence_id is not None:
        rows = frozen_rows(rows, stored_volume(session, store, case))
    return DossierView(
        case_id=case.id,
        case_no=case.case_no,
        archived=archived,
        cover=compiled.cover,
        rows=rows,
        self_check=case_self_check(session, case, today, compiled),
        archive_no=dossier.archive_no if dossier else None,
        archived_on=dossier.archived_on if dossier and archived else None,
        page_count=compiled.page_count,
        item_count=compiled.item_count,
        settings=compiled.settings,
        notes=(dossier.notes if dossier else None) or "",
        filed_by=(dossier.filed_by if dossier else None) or "",
        checked_by=(dossier.checked_by if dossier else None) or "",
        overrides=tuple(dossier.order_overrides if dossier else ()),
    )


def dossier_view(database: Database, actor: Actor, case_id: str, today: dt.date) -> DossierView:
    """One case's dossier as the dossier page shows it (its 目录 paged as printed)."""
    store = evidence_store(database)
    with read_as(database, actor) as (session, reader):
        case = dossier_case(session, reader, case_id)
        return _view(
            session, store, case, compile_volume(session, store, case, duplex=False), today
        )


def build_volume(
    database: Database,
    actor: Actor,
    case_id: str,
    today: dt.date,
    *,
    duplex: bool = False,
    progress: Progress | None = None,
) -> BuiltVolume:
    """The electronic volume of a closed case; an archived case's is its frozen PDF (printed
    as frozen: ``duplex`` does not apply), or, for a case archived before volumes were frozen,
    the volume compiled from its records, locked since."""
    store = evidence_store(database)
    with read_as(database, actor) as (session, reader):
        case = dossier_case(session, reader, case_id)
        archived = case.stage == Stage.ARCHIVED.value
        compiled = compile_volume(
            session, store, case, duplex=duplex and not archived, progress=progress
        )
        dossier = dossier_of(session, case.id)
        rows = compiled.rows
        if archived and dossier is not None and dossier.volume_evidence_id is not None:
            pdf = stored_volume(session, store, case)
            rows = frozen_rows(rows, pdf)
            if progress is not None:
                progress(compiled.steps, compiled.steps)
        else:
            pdf = finish(compiled, compiled.cover, progress)
    return BuiltVolume(pdf, rows, compiled.page_count, compiled.item_count, compiled.plan)


def stored_volume(session: Session, store: EvidenceStore, case: Case) -> bytes:
    """The frozen volume of archived ``case``, read back and checked against its SHA-256."""
    dossier = dossier_of(session, case.id)
    evidence = (
        session.get(EvidenceFile, dossier.volume_evidence_id)
        if dossier and dossier.volume_evidence_id
        else None
    )
    if dossier is None or evidence is None:
        raise UserError(f"案件“{case.case_no}”已归档，但没有找到归档时保存的案卷文件。")
    try:
        pdf = store.read_original(evidence.sha256, evidence.extension)
    except (OSError, DamagedCipherFile):
        raise UserError(
            f"案件“{case.case_no}”归档时保存的案卷文件缺失或已被改动，请从备份恢复证据文件。"
        ) from None
    if hashlib.sha256(pdf).hexdigest() != dossier.volume_sha256:
        raise UserError(
            f"案件“{case.case_no}”的案卷文件与归档时记录的指纹不符，可能已被改动，请从备份恢复。"
        )
    return pdf


def frozen_volume(database: Database, actor: Actor, case_id: str) -> bytes:
    """The archived case's volume exactly as it was frozen when archived."""
    store = evidence_store(database)
    with read_as(database, actor) as (session, reader):
        case = fetch_readable(session, reader, Case, case_id)
        if case.stage != Stage.ARCHIVED.value:
            raise UserError(f"案件“{case.case_no}”尚未归档，没有冻结的案卷。")
        return stored_volume(session, store, case)


def _padded(parts: Sequence[bytes], duplex: bool) -> bytes:
    """``parts`` joined; for duplex printing each starts on a right-hand (odd) page."""
    if not duplex:
        return joined(parts)
    padded: list[bytes] = []
    for part in parts:
        padded.append(part)
        if page_count(part) % 2:
            padded.append(blank_page())
    return joined(padded)


def paper_volume(
    database: Database,
    actor: Actor,
    case_id: str,
    *,
    duplex: bool = False,
    labels: LabelChoice = "none",
) -> bytes:
    """For the paper volume of signed originals: cover, 目录, 备考表 [+ labels or stamp list].

    The 目录's 页号 are those the originals will carry: the plan of the electronic volume
    (a scan's pages count as the original's). An archived case's cover, 目录 and 备考表 are
    the frozen volume's own pages.
    """
    store = evidence_store(database)
    with read_as(database, actor) as (session, reader):
        case = dossier_case(session, reader, case_id)
        compiled = compile_volume(session, store, case, duplex=False)
        dossier = dossier_of(session, case.id)
        frozen = (
            stored_volume(session, store, case)
            if case.stage == Stage.ARCHIVED.value and dossier and dossier.volume_evidence_id
            else None
        )
    if frozen is not None:
        parts = front_and_back(frozen, index_page_count(compiled.item_count))
    else:
        parts = [render_cover(compiled.cover), compiled.index_pdf, compiled.notes_pdf]
    stamps = [
        StampRow(row.sequence, row.title, pages.start, pages.end)
        for row, pages in zip(compiled.rows, compiled.plan.items, strict=True)
    ]
    if labels == "labels":
        parts.append(render_labels(compiled.page_count))
    elif labels == "list":
        parts.append(render_stamp_list(stamps))
    return _padded(parts, duplex)


def self_check_sheet(database: Database, actor: Actor, case_id: str, today: dt.date) -> bytes:
    """The 案卷自查表 of the case, to print."""
    store = evidence_store(database)
    with read_as(database, actor) as (session, reader):
        case = dossier_case(session, reader, case_id)
        compiled = compile_volume(session, store, case, duplex=False)
        check = case_self_check(session, case, today, compiled)
        return render_self_check(check_info(case, check, today))


def with_archive(cover: CoverInfo, number: str, archive_no: str, on: dt.date) -> CoverInfo:
    """``cover`` as an archived volume prints it: its own 文号, 归档号 and 归档日期."""
    return replace(cover, number=number, archive_no=archive_no, archived_on=on)
