"""The trail check finds each way an attacker with the key can change the record: an altered
audit row, a deleted one, an inserted one, an altered issued document, removed triggers.

Each attack is made with plain SQL on the file (``tests.attacker``), triggers dropped first and,
where it would hide the attack, put back afterwards.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import AuditEvent, CaseDocument, CaseDossier
from fuanjian_desktop.security.audit_chain import hash_of
from fuanjian_desktop.services.trail_check import verify_trail
from tests.attacker import (
    alter_issued_decision,
    altered_sheet,
    drop_guards,
    issued_decision,
    raw_connection,
    restore_guards,
)

APPROVAL = "% 批准立案"  # the demo's 立案 approvals, e.g. "（深福）应急立〔2025〕1号 批准立案"


def counts(database: Database) -> tuple[int, int]:
    """Audit events and issued (fingerprinted) documents, counted with SQL of their own."""
    with database.read() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent))
        documents = session.scalar(
            select(func.count()).select_from(CaseDocument).where(CaseDocument.sha256.is_not(None))
        )
        return events or 0, documents or 0


def an_approval(database: Database) -> AuditEvent:
    """A middle event of the demo trail: its first approval of a 立案 (filing)."""
    with database.read() as session:
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.summary.like(APPROVAL))
            .order_by(AuditEvent.device_seq)
            .limit(1)
        ).one()
        return event


def event_at(database: Database, seq: int) -> AuditEvent:
    with database.read() as session:
        return session.scalars(select(AuditEvent).where(AuditEvent.device_seq == seq)).one()


def test_the_demo_trail_is_intact(demo_database: Database) -> None:
    """Every event, issued document and frozen volume of the demo (its archived case) verifies,
    and all of them are counted."""
    events, documents = counts(demo_database)
    with demo_database.read() as session:
        frozen = select(func.count()).select_from(CaseDossier)
        volumes = session.scalar(frozen.where(CaseDossier.volume_sha256.is_not(None)))
    report = verify_trail(demo_database)
    assert report.problem is None
    assert (report.events, report.devices, report.documents) == (events, 1, documents)
    assert report.volumes == volumes == 1
    assert events > 1000 and documents > 100
    assert report.summary == (
        f"记录链完整：已核验 {events} 条操作记录（1 台设备）、{documents} 份已签发文书、"
        "1 卷已归档案卷。"
    )


def test_an_altered_event_is_named(demo_database: Database) -> None:
    """An approval whose approver and summary were rewritten is found and named by number and id."""
    target = an_approval(demo_database)
    with raw_connection(demo_database) as connection:
        drop_guards(connection)
        connection.execute(
            "UPDATE audit_event SET actor_name = '王五', summary = summary || '（已改）' "
            "WHERE id = ?",
            (target.id,),
        )
        restore_guards(connection)

    report = verify_trail(demo_database)
    assert not report.intact
    assert report.events == target.device_seq - 1
    assert f"第 {target.device_seq} 条记录" in str(report.problem)
    assert target.id in str(report.problem) and "王五" in str(report.problem)
    assert "内容与它的指纹不符：这条记录被改动过" in str(report.problem)


def test_an_altered_before_value_is_found(demo_database: Database) -> None:
    """Changing only a recorded old value (the JSON of ``before``) breaks the event's hash."""
    with demo_database.read() as session:
        target = next(
            event
            for event in session.scalars(select(AuditEvent).order_by(AuditEvent.device_seq))
            if event.before
        )
    before: dict[str, Any] = dict(target.before or {})
    key = next(iter(before))
    before[key] = f"{before[key]}x"
    with raw_connection(demo_database) as connection:
        drop_guards(connection)
        connection.execute(
            "UPDATE audit_event SET before = ? WHERE id = ?",
            (json.dumps(before), target.id),
        )

    report = verify_trail(demo_database)
    assert f"第 {target.device_seq} 条记录" in str(report.problem)
    assert "被改动过" in str(report.problem)


def test_a_deleted_event_leaves_a_gap_that_is_named(demo_database: Database) -> None:
    """Deleting an approval (with its outbox rows) is found at the next event: number missing."""
    target = an_approval(demo_database)
    following = event_at(demo_database, target.device_seq + 1)
    with raw_connection(demo_database) as connection:
        drop_guards(connection)
        connection.execute("DELETE FROM outbox_entry WHERE audit_event_id = ?", (target.id,))
        connection.execute("DELETE FROM audit_event WHERE id = ?", (target.id,))
        restore_guards(connection)

    report = verify_trail(demo_database)
    assert report.events == target.device_seq - 1
    assert f"第 {following.device_seq} 条记录" in str(report.problem)
    assert following.id in str(report.problem)
    assert f"之前缺少本机第 {target.device_seq} 条记录：记录被删除了" in str(report.problem)


def test_a_deleted_newest_event_is_found_by_its_outbox_row(demo_database: Database) -> None:
    """The newest event leaves no gap behind it, but its outbox row still names it."""
    with demo_database.read() as session:
        newest = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_id.is_not(None))
            .order_by(AuditEvent.device_seq.desc())
            .limit(1)
        ).one()
    with raw_connection(demo_database) as connection:
        drop_guards(connection)
        connection.execute("DELETE FROM audit_event WHERE device_seq >= ?", (newest.device_seq,))
        restore_guards(connection)

    report = verify_trail(demo_database)
    assert f"指向的操作记录（编号 {newest.id}）不存在" in str(report.problem)


def test_an_inserted_event_breaks_the_link_of_the_one_after(demo_database: Database) -> None:
    """A forged approval slipped in after a real one, numbers shifted and its own hash correct,
    is found at the event after it: that one names another predecessor."""
    target = an_approval(demo_database)
    following = event_at(demo_database, target.device_seq + 1)
    forged = {
        "id": "01JFORGED00000000000000000",
        "device_id": target.device_id,
        "device_seq": target.device_seq + 1,
        "prev_hash": target.event_hash,
        "occurred_at": target.occurred_at,
        "actor_id": target.actor_id,
        "actor_name": target.actor_name,
        "action": target.action,
        "summary": "同意（补记）",
        "entity_type": target.entity_type,
        "entity_id": target.entity_id,
        "before": None,
        "after": None,
    }
    with raw_connection(demo_database) as connection:
        drop_guards(connection)
        connection.execute(
            "UPDATE audit_event SET device_seq = device_seq + 1000000 WHERE device_seq > ?",
            (target.device_seq,),
        )
        connection.execute(
            "UPDATE audit_event SET device_seq = device_seq - 999999 WHERE device_seq > 1000000"
        )
        connection.execute(
            "INSERT INTO audit_event (id, occurred_at, actor_id, actor_name, action, summary, "
            "entity_type, entity_id, device_id, device_seq, prev_hash, event_hash) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                forged["id"],
                target.occurred_at.strftime("%Y-%m-%d %H:%M:%S.%f"),
                forged["actor_id"],
                forged["actor_name"],
                forged["action"],
                forged["summary"],
                forged["entity_type"],
                forged["entity_id"],
                forged["device_id"],
                forged["device_seq"],
                forged["prev_hash"],
                hash_of(forged),
            ),
        )
        restore_guards(connection)

    report = verify_trail(demo_database)
    assert report.events == target.device_seq + 1  # the forged event itself is well formed
    assert f"第 {target.device_seq + 2} 条记录" in str(report.problem)
    assert following.id in str(report.problem)
    assert "与前一条记录接不上" in str(report.problem)


def test_an_event_appended_without_its_hash_is_found(demo_database: Database) -> None:
    """A row added after the newest with a copied hash does not hash to it."""
    events, _ = counts(demo_database)
    newest = event_at(demo_database, events)
    with raw_connection(demo_database) as connection:
        connection.execute(
            "INSERT INTO audit_event (id, occurred_at, actor_name, action, summary, device_id, "
            "device_seq, prev_hash, event_hash) VALUES (?, ?, '王五', '批准', '同意', ?, ?, ?, ?)",
            (
                "01JFORGED00000000000000001",
                "2026-12-07 10:00:00.000000",
                newest.device_id,
                events + 1,
                newest.event_hash,
                newest.event_hash,
            ),
        )

    report = verify_trail(demo_database)
    assert f"第 {events + 1} 条记录" in str(report.problem)
    assert "内容与它的指纹不符" in str(report.problem)


def test_an_altered_issued_document_is_named(demo_database: Database) -> None:
    """Editing the frozen content of an issued decision is found, naming its title and 文号."""
    document = alter_issued_decision(demo_database)

    report = verify_trail(demo_database)
    assert report.problem == (
        f"《{document.title}》（{document.number}）的内容与签发时记录的指纹不符，签发后被改动过。"
    )
    assert report.events == counts(demo_database)[0]


def test_a_document_rehashed_after_editing_is_caught_by_the_trail(
    demo_database: Database,
) -> None:
    """Content and fingerprint both replaced: the audit trail still holds the signed hash."""
    document = issued_decision(demo_database)
    assert document.sheet is not None
    sheet = altered_sheet(document.sheet)
    rehashed = hashlib.sha256(
        json.dumps(sheet, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()
    with raw_connection(demo_database) as connection:
        connection.execute(
            "UPDATE case_document SET sheet = ?, sha256 = ? WHERE id = ?",
            (json.dumps(sheet), rehashed, document.id),
        )

    report = verify_trail(demo_database)
    assert f"《{document.title}》（{document.number}）" in str(report.problem)
    assert "指纹与操作日志中记录的不符" in str(report.problem)


def test_removed_triggers_are_reported(demo_database: Database) -> None:
    """Dropping the append-only triggers is itself reported, even with every row intact."""
    with raw_connection(demo_database) as connection:
        drop_guards(connection)

    report = verify_trail(demo_database)
    assert "audit_event_no_update、audit_event_no_delete" in str(report.problem)
    assert "触发器" in str(report.problem)
