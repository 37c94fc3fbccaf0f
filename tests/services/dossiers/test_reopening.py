"""Reopening an archived case file: the leader's approval with a reason, recorded; then the case
changes again, and archiving it again locks it again (issue 17, "reopening").

The case is a closed 园岭 case of the demo, archived by the 批准归档 step taken as the dossier
service takes it (an action with the lock lifted), so these tests do not depend on the volume.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import Stage
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.evidence.maintenance import store_of
from fuanjian_desktop.models import (
    AuditEvent,
    Case,
    CaseDocument,
    CaseDossier,
    CaseEvent,
    EvidenceFile,
)
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.archive_lock import ArchivedCaseLocked
from fuanjian_desktop.services.cases.case_facts import facts_of
from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.dossiers import archiving, dossier_records
from fuanjian_desktop.services.dossiers.reopening import reopen_case
from fuanjian_desktop.services.procedure_settings import current_settings
from fuanjian_desktop.services.trail_check import verify_trail
from tests.archived import archive

TODAY = dt.date.today()
REASON = "发现送达回执漏附，需补充扫描件"
SignIn = Callable[[str], Actor]


def case_row(database: Database, case_id: str) -> Case:
    with database.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case


def events_of(database: Database, case_id: str) -> list[CaseEvent]:
    with database.read() as session:
        query = select(CaseEvent).where(CaseEvent.case_id == case_id)
        return list(session.scalars(query.order_by(CaseEvent.created_at)))


def audit_count(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


@pytest.fixture
def archived(demo_database: Database, sign_in: SignIn) -> str:
    """A closed 园岭 case of the demo, archived today by its leader 刘洋."""
    leader = sign_in("liuyang")
    with demo_database.read() as session:
        case_id = session.scalars(
            select(Case.id).where(Case.squad_id == leader.squad_id, Case.stage == str(Stage.CLOSED))
        ).first()
    assert case_id is not None, "the demo has no closed case of 园岭"
    archive(demo_database, leader, case_id, TODAY)
    assert case_row(demo_database, case_id).stage == str(Stage.ARCHIVED)
    return case_id


def test_the_leader_reopens_with_a_reason_and_it_is_recorded(
    demo_database: Database, sign_in: SignIn, archived: str
) -> None:
    """已归档 → 已结案; the timeline names the step, the leader, the day and the reason; the
    归档 milestone is undone; the audit trail has the change of the case."""
    leader = sign_in("liuyang")
    trail = audit_count(demo_database)
    reopen_case(demo_database, leader, archived, f"  {REASON} ", TODAY)
    assert case_row(demo_database, archived).stage == str(Stage.CLOSED)
    last = events_of(demo_database, archived)[-1]
    assert (last.action, last.stage_before, last.stage_after) == (
        "reopen_archive",
        "archived",
        "closed",
    )
    assert (last.actor_name, last.occurred_on, last.note) == ("刘洋", TODAY, REASON)
    assert last.data.get("resets") == ["archived"]
    with demo_database.read() as session:
        case = session.get(Case, archived)
        assert case is not None
        facts = facts_of(session, case, current_settings(session), TODAY)
        assert "archived" not in facts.milestones
        summaries = list(
            session.scalars(select(AuditEvent.summary).where(AuditEvent.entity_id == archived))
        )
    assert audit_count(demo_database) > trail
    assert any("重新打开案卷" in summary for summary in summaries)
    with demo_database.read() as session:
        logged = session.scalars(
            select(AuditEvent.summary).where(AuditEvent.entity_id == last.id)
        ).all()
    assert f"{case.case_no} 重新打开案卷，理由：{REASON}" in logged


def test_a_reopened_case_changes_and_archiving_again_locks_it_again(
    demo_database: Database, sign_in: SignIn, archived: str
) -> None:
    """After reopening a document can be drafted; after archiving again it cannot."""
    leader, zhang = sign_in("liuyang"), sign_in("zhangwei")
    with pytest.raises(ArchivedCaseLocked):
        documents.create_draft(
            demo_database, zhang, type_key="investigation_report", case_id=archived
        )
    reopen_case(demo_database, leader, archived, REASON, TODAY)
    draft = documents.create_draft(
        demo_database, zhang, type_key="investigation_report", case_id=archived
    )
    documents.discard_draft(demo_database, zhang, draft)
    archive(demo_database, leader, archived, TODAY)
    assert case_row(demo_database, archived).stage == str(Stage.ARCHIVED)
    with pytest.raises(ArchivedCaseLocked):
        documents.create_draft(
            demo_database, zhang, type_key="investigation_report", case_id=archived
        )
    actions = [event.action for event in events_of(demo_database, archived)][-3:]
    assert actions == ["archive", "reopen_archive", "archive"]


@pytest.mark.parametrize(
    ("username", "reason", "error", "message"),
    [
        ("liuyang", "  ", UserError, "须写明理由"),
        ("wangfang", REASON, UserError, "须由中队负责人办理"),  # the clerk
        ("zhangwei", REASON, UserError, "须由中队负责人办理"),  # a handler
        ("sunhao", REASON, PermissionDenied, "不属于您所在中队"),  # 南园's leader
    ],
)
def test_reopening_is_refused_without_a_reason_or_by_anyone_but_the_leader(
    demo_database: Database,
    sign_in: SignIn,
    archived: str,
    username: str,
    reason: str,
    error: type[Exception],
    message: str,
) -> None:
    """Refused with the Chinese reason; the case stays archived and nothing is written."""
    actor = sign_in(username)  # signing in is audited itself
    trail, timeline = audit_count(demo_database), len(events_of(demo_database, archived))
    with pytest.raises(error, match=message):
        reopen_case(demo_database, actor, archived, reason, TODAY)
    assert case_row(demo_database, archived).stage == str(Stage.ARCHIVED)
    assert (audit_count(demo_database), len(events_of(demo_database, archived))) == (
        trail,
        timeline,
    )


def test_only_an_archived_case_is_reopened(
    demo_database: Database, sign_in: SignIn, archived: str
) -> None:
    """Reopening twice: the second is refused by the stage, naming it."""
    leader = sign_in("liuyang")
    reopen_case(demo_database, leader, archived, REASON, TODAY)
    with pytest.raises(UserError, match=r"已结案.*重新打开案卷"):
        reopen_case(demo_database, leader, archived, REASON, TODAY)


def test_an_issued_document_is_voided_only_after_reopening(
    demo_database: Database, sign_in: SignIn, archived: str
) -> None:
    """What the lock refused on the archived case passes once the leader reopened it."""
    zhang = sign_in("zhangwei")
    with demo_database.read() as session:
        issued = session.scalars(
            select(CaseDocument.id).where(
                CaseDocument.case_id == archived,
                CaseDocument.status == "issued",
                CaseDocument.type_key != "filing_approval",
            )
        ).first()
    assert issued is not None
    with pytest.raises(ArchivedCaseLocked):
        documents.void_document(demo_database, zhang, issued, "作废")
    reopen_case(demo_database, sign_in("liuyang"), archived, REASON, TODAY)
    documents.void_document(demo_database, zhang, issued, "作废")


def test_the_demos_archived_case_reopened_changed_and_archived_again(
    demo_database: Database, sign_in: SignIn
) -> None:
    """Through the dossier services end to end: the demo's archived case (frozen by
    archive_case) is reopened, its 备考表 written, and archived again: the 归档号 is kept, a new
    volume is frozen, the old one's file stays in the store, and audit verify passes."""
    leader, clerk = sign_in("liuyang"), sign_in("wangfang")
    with demo_database.read() as session:
        dossier = session.scalars(
            select(CaseDossier)
            .join(Case, Case.id == CaseDossier.case_id)
            .where(Case.squad_id == leader.squad_id, Case.stage == str(Stage.ARCHIVED))
        ).first()
        assert dossier is not None and dossier.volume_sha256, "the demo has no archived case"
        old_volume = session.get(EvidenceFile, dossier.volume_evidence_id)
        assert old_volume is not None
    case_id, archive_no, old_sha = dossier.case_id, dossier.archive_no, dossier.volume_sha256
    with pytest.raises(ArchivedCaseLocked):
        dossier_records.set_backnotes(demo_database, clerk, case_id, "补充说明", "王芳", "刘洋")
    reopen_case(demo_database, leader, case_id, REASON, TODAY)
    dossier_records.set_backnotes(demo_database, clerk, case_id, "补充说明", "王芳", "刘洋")
    result = archiving.archive_case(demo_database, leader, case_id, TODAY)
    assert result.archive_no == archive_no and result.sha256 != old_sha
    with demo_database.read() as session:
        frozen = session.scalar(select(CaseDossier).where(CaseDossier.case_id == case_id))
        assert frozen is not None
        assert (frozen.archive_no, frozen.volume_sha256) == (archive_no, result.sha256)
        assert frozen.notes == "补充说明"
    assert store_of(demo_database).holds_original(old_sha, old_volume.extension)
    assert case_row(demo_database, case_id).stage == str(Stage.ARCHIVED)
    report = verify_trail(demo_database)
    assert report.intact, report.problem
