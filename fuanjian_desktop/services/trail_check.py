"""Walk the audit chain and the issued documents: intact, or the first thing that is not.

Used by ``python main.py audit verify``, the 操作日志 page and the crash harness. The walk reads
one device's chain in sequence order and checks, for every event: its number follows the last
one (a gap is a deleted event), its ``prev_hash`` is the last one's hash (a mismatch is an event
deleted, inserted or altered before it), and its own hash is that of its content (a mismatch is
an altered event). Then every outbox row must name an existing event, the triggers that make the
trail append-only must be in place, every issued document must match its fingerprint
(``document_integrity``), and every frozen case-file volume (归档案卷) must be in the evidence
store with the SHA-256 recorded when it was archived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, select, text
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.evidence.maintenance import store_of
from fuanjian_desktop.evidence.store import EvidenceStore
from fuanjian_desktop.models import (
    AuditEvent,
    Case,
    CaseDocument,
    CaseDossier,
    EvidenceFile,
    OutboxEntry,
)
from fuanjian_desktop.security.audit_chain import Break, ChainCursor
from fuanjian_desktop.security.file_cipher import DamagedCipherFile
from fuanjian_desktop.services.documents.document_integrity import DocumentTampered, check_frozen

GUARD_TRIGGERS = ("audit_event_no_update", "audit_event_no_delete")
BATCH = 1000


@dataclass(frozen=True)
class TrailReport:
    """What a walk found: counts of what was verified and the first problem, if any."""

    events: int
    devices: int
    documents: int
    problem: str | None = None
    volumes: int = 0  # frozen case-file volumes verified

    @property
    def intact(self) -> bool:
        """Whether nothing was found wrong."""
        return self.problem is None

    @property
    def summary(self) -> str:
        """One Chinese line for the command line and the 操作日志 page."""
        counted = (
            f"已核验 {self.events} 条操作记录（{self.devices} 台设备）、"
            f"{self.documents} 份已签发文书、{self.volumes} 卷已归档案卷"
        )
        if self.intact:
            return f"记录链完整：{counted}。"
        return f"记录链有问题：{self.problem}"


class ChainBroken(Exception):
    """The first problem found; the walk stops there."""


def verify_trail(database: Database) -> TrailReport:
    """Check the whole trail, every issued document and every frozen volume of ``database``."""
    with database.read() as session:
        events, devices, documents, volumes = 0, 0, 0, 0
        try:
            for device in _devices(session):
                devices += 1
                for _ in _walk_device(session, device):
                    events += 1
            _check_outbox(session)
            _check_guards(session)
            for _ in _check_documents(session):
                documents += 1
            for _ in _check_volumes(session, database):
                volumes += 1
        except ChainBroken as broken:
            return TrailReport(events, devices, documents, str(broken), volumes)
        return TrailReport(events, devices, documents, volumes=volumes)


def _devices(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.device_id).distinct().order_by("device_id")))


def _walk_device(session: Session, device: str) -> Iterator[Row[Any]]:
    """Yield each event of ``device`` once checked; raise :class:`ChainBroken` at a break.

    Rows, not ORM objects: a long trail is read in batches with nothing kept behind.
    """
    cursor = ChainCursor()
    query = (
        select(*AuditEvent.__table__.columns)
        .where(AuditEvent.device_id == device)
        .order_by(AuditEvent.device_seq)
        .execution_options(yield_per=BATCH)
    )
    for event in session.execute(query):
        expected = cursor.expected
        found = cursor.advance(event._asdict())
        if found is not None:
            raise ChainBroken(_described(found, event, expected))
        yield event


def _described(found: Break, event: Row[Any], expected: int) -> str:
    """The Chinese sentence naming the event where the chain breaks and how."""
    if found is Break.MISSING:
        missing = (
            f"第 {expected} 条"
            if event.device_seq == expected + 1
            else f"第 {expected}–{event.device_seq - 1} 条"
        )
        return f"{_named(event)}之前缺少本机{missing}记录：记录被删除了。"
    if found is Break.MISNUMBERED:
        return f"{_named(event)}的序号不对（应为第 {expected} 条）：记录被插入或改动过。"
    if found is Break.UNLINKED:
        return f"{_named(event)}与前一条记录接不上：前一条记录被删除、改动，或在它之前插入了记录。"
    return f"{_named(event)}的内容与它的指纹不符：这条记录被改动过。"


def _named(event: Row[Any]) -> str:
    """An event as a message names it: its number, time, actor, action and id."""
    moment = _local(event.occurred_at)
    return (
        f"第 {event.device_seq} 条记录（{moment}，{event.actor_name}“{event.action}”，"
        f"编号 {event.id}）"
    )


def _local(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _check_outbox(session: Session) -> None:
    """Every outbox row names an event that exists (a deleted newest event leaves its row)."""
    orphan = session.scalar(
        select(OutboxEntry)
        .where(~select(AuditEvent.id).where(AuditEvent.id == OutboxEntry.audit_event_id).exists())
        .order_by(OutboxEntry.seq)
        .limit(1)
    )
    if orphan is not None:
        raise ChainBroken(
            f"待同步队列第 {orphan.seq} 行指向的操作记录（编号 {orphan.audit_event_id}）"
            "不存在：这条记录被删除了。"
        )


def _check_guards(session: Session) -> None:
    """The triggers refusing UPDATE and DELETE are in place (an attacker drops them first)."""
    present = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    missing = [name for name in GUARD_TRIGGERS if name not in present]
    if missing:
        raise ChainBroken(
            f"防止修改、删除操作日志的触发器（{'、'.join(missing)}）被删除了：数据库被人直接改动过。"
        )


def _check_documents(session: Session) -> Iterator[CaseDocument]:
    """Yield each issued document once its frozen content matches its fingerprint."""
    query = (
        select(CaseDocument)
        .where(CaseDocument.sha256.is_not(None))
        .order_by(CaseDocument.created_at, CaseDocument.id)
    )
    for document in session.scalars(query):
        try:
            check_frozen(session, document)
        except DocumentTampered as refused:
            raise ChainBroken(f"{refused.finding}。") from refused
        yield document


def _check_volumes(session: Session, database: Database) -> Iterator[CaseDossier]:
    """Yield each frozen volume once its stored file reads back with the recorded SHA-256.

    The store is opened only when there is a volume (a database without one needs no key for
    evidence). Every later print of an archived case reads these bytes, so a file missing,
    altered or swapped for another is named with its case.
    """
    query = (
        select(CaseDossier, Case.case_no, EvidenceFile)
        .join(Case, Case.id == CaseDossier.case_id)
        .outerjoin(EvidenceFile, EvidenceFile.id == CaseDossier.volume_evidence_id)
        .where(CaseDossier.volume_sha256.is_not(None))
        .order_by(CaseDossier.archived_on, CaseDossier.id)
    )
    store: EvidenceStore | None = None
    for dossier, case_no, stored in session.execute(query):
        store = store or store_of(database)
        problem = _volume_problem(store, dossier, stored)
        if problem:
            raise ChainBroken(
                f"案件{case_no}的归档案卷（归档号 {dossier.archive_no or '无'}）{problem}。"
            )
        yield dossier


def _volume_problem(
    store: EvidenceStore, dossier: CaseDossier, stored: EvidenceFile | None
) -> str | None:
    """What is wrong with a frozen volume's file (Chinese), or ``None``."""
    recorded = dossier.volume_sha256 or ""
    if stored is None or stored.sha256 != recorded:
        return "的证据文件记录与归档时记录的指纹不符：案卷记录被改动过"
    try:
        for _ in store.original_chunks(recorded, stored.extension):
            pass
    except OSError:
        return "的文件在证据库中缺失：案卷文件被删除了"
    except DamagedCipherFile:
        return "的文件与归档时记录的指纹不符：案卷文件被改动或替换过"
    return None
