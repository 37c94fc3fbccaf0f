"""归档: the leader's approval that numbers the volume, freezes it and locks the case.

Refused while the 自查 has a finding that blocks archiving (the message lists them). The volume
is compiled outside the write transaction (it renders every document: seconds), then, in one
audited action opened for the archive step (the archive lock lets it write the archived
case): the 归档号 is taken (``应急案`` of the 结案 year; a reopened case keeps the one it had),
the cover is rendered with it and the volume assembled, its bytes stored once by SHA-256 in
the evidence store and named on the case's dossier, and the ``archive`` step is taken. Every
later print reads those bytes (``volume.frozen_volume``); nothing is ever recompiled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import Stage, find_action
from fuanjian_desktop.dossier.render.cover import NUMBER_CODE
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.store import EvidenceStore
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Case, CaseDossier
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_actions import StepInput, check_performer, take_step
from fuanjian_desktop.services.cases.case_facts import case_events
from fuanjian_desktop.services.dossiers.case_photos import case_photo_rows
from fuanjian_desktop.services.dossiers.evidence_files import discard_new, evidence_file
from fuanjian_desktop.services.dossiers.self_check import case_self_check
from fuanjian_desktop.services.dossiers.volume import dossier_case, with_archive
from fuanjian_desktop.services.dossiers.volume_compile import (
    Compiled,
    compile_volume,
    dossier_of,
    finish,
)
from fuanjian_desktop.services.dossiers.volume_cover import REOPEN_ACTION
from fuanjian_desktop.services.dossiers.volume_items import collect_items
from fuanjian_desktop.services.inspections.evidence import evidence_store
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.lookup import fetch_own
from fuanjian_desktop.services.numbering import take_number
from fuanjian_desktop.services.squad_scope import read_as
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

PDF = ".pdf"


@dataclass(frozen=True)
class ArchiveResult:
    """What archiving recorded: the numbers and the frozen volume's fingerprint."""

    archive_no: str
    archive_number: str
    archived_on: dt.date
    page_count: int
    item_count: int
    sha256: str


@dataclass(frozen=True)
class _Stored:
    sha256: str
    extension: str


def archive_case(database: Database, actor: Actor, case_id: str, on: dt.date) -> ArchiveResult:
    """Approve the archiving of closed case ``case_id`` on ``on``; raise a Chinese error if not."""
    action = find_action("archive")
    store = evidence_store(database)
    with read_as(database, actor) as (session, reader):
        case = dossier_case(session, reader, case_id)
        if case.stage != Stage.CLOSED.value:
            raise UserError(f"案件“{case.case_no}”已归档。")
        check_performer(reader, case, action)
        _check_day(session, case, on)
        compiled = compile_volume(session, store, case, duplex=False, archiving_on=on)
        check = case_self_check(session, case, on, compiled)
        blocking = [finding for finding in check.findings if finding.blocks_archive]
        if blocking:
            lines = "\n".join(f"· {f.item_label}：{f.message}" for f in blocking)
            raise UserError(f"案件“{case.case_no}”不能归档，自查发现以下问题须先解决：\n{lines}")
    stored: list[_Stored] = []
    try:
        with user_action(database, actor, action.label) as scope:
            scope.allow_archived = True
            return _archive(scope, store, compiled, on, stored)
    except Exception:
        discard_new(database, store, stored)
        raise


def _check_day(session: Session, case: Case, on: dt.date) -> None:
    """归档 comes after the 结案 and after the latest reopening of the case."""
    if case.closed_on is not None and on < case.closed_on:
        raise UserError(
            f"归档日期（{on:%Y-%m-%d}）不能早于结案日期（{case.closed_on:%Y-%m-%d}），请核对。"
        )
    reopened = [e.occurred_on for e in case_events(session, case.id) if e.action == REOPEN_ACTION]
    if reopened and on < max(reopened):
        raise UserError(
            f"归档日期（{on:%Y-%m-%d}）不能早于重新打开案卷的日期（{max(reopened):%Y-%m-%d}），请核对。"
        )


def _archive(
    scope: ActionScope, store: EvidenceStore, compiled: Compiled, on: dt.date, stored: list[_Stored]
) -> ArchiveResult:
    case = fetch_own(scope, Case, compiled.case_id)
    take_step(scope, case, find_action("archive"), StepInput(on=on), local_today())
    _check_unchanged(scope, compiled)
    dossier = dossier_of(scope.session, case.id)
    before = dossier.audit_snapshot() if dossier is not None else None
    if dossier is None:
        dossier = CaseDossier(id=new_id(), case_id=case.id, remarks={}, order_overrides=[])
        scope.session.add(dossier)
    if dossier.archive_no is None or dossier.archive_number is None:  # kept on re-archiving
        year = (case.closed_on or on).year
        taken = take_number(scope, NUMBER_CODE, year, case.squad_id, ("case_dossier", dossier.id))
        dossier.archive_number = taken.text
        dossier.archive_no = f"{year}{taken.serial:04d}"
    cover = with_archive(compiled.cover, dossier.archive_number, dossier.archive_no, on)
    pdf = finish(compiled, cover)
    sha256 = hashlib.sha256(pdf).hexdigest()
    if store.add_bytes(pdf, PDF):
        stored.append(_Stored(sha256, PDF))
    evidence = evidence_file(
        scope,
        sha256=sha256,
        extension=PDF,
        size_bytes=len(pdf),
        name=f"案卷{dossier.archive_no}.pdf",
    )
    dossier.archived_on = on
    dossier.convention = compiled.convention  # the frozen volume's order, whatever the setting
    dossier.retention = cover.retention
    dossier.volume_evidence_id = evidence.id
    dossier.volume_sha256 = sha256
    dossier.page_count = compiled.page_count
    dossier.item_count = compiled.item_count
    scope.record(dossier, f"{case.case_no} 归档，归档号 {dossier.archive_no}", before)
    return ArchiveResult(
        dossier.archive_no,
        dossier.archive_number,
        on,
        compiled.page_count,
        compiled.item_count,
        sha256,
    )


def _check_unchanged(scope: ActionScope, compiled: Compiled) -> None:
    """Refuse if the case's items changed while the volume was compiled (a scan attached, a
    document corrected): the frozen volume must be what the records say when it is archived."""
    photos = case_photo_rows(scope.session, compiled.case_id)
    now = sorted(
        (item.key, item.scan_id, item.system_remarks)
        for item in collect_items(scope.session, compiled.case_id, len(photos), None)
    )
    then = sorted((item.key, item.scan_id, item.system_remarks) for item in compiled.items)
    if now != then or len(photos) != len(compiled.photos):
        raise UserError("组卷期间案卷材料有变动（如新附扫描件或更正文书），请重新办理归档。")
