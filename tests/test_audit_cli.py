"""`python main.py audit verify`: the counts verified and exit 0, or the first break and exit 1."""

from __future__ import annotations

from sqlalchemy import func, select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import AuditEvent, CaseDocument, CaseDossier
from tests.attacker import (
    alter_issued_decision,
    drop_guards,
    raw_connection,
)
from tests.test_main_cli import run


def stored_counts(database: Database) -> tuple[int, int, int]:
    """Audit events, fingerprinted documents and frozen case-file volumes, counted directly."""
    with database.read() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        documents = (
            session.scalar(
                select(func.count())
                .select_from(CaseDocument)
                .where(CaseDocument.sha256.is_not(None))
            )
            or 0
        )
        volumes = (
            session.scalar(
                select(func.count())
                .select_from(CaseDossier)
                .where(CaseDossier.volume_sha256.is_not(None))
            )
            or 0
        )
    return events, documents, volumes


def test_the_demo_verifies_and_exits_0(demo_database: Database, data_folder: DataFolder) -> None:
    """Every event (the command's own sign-in included), issued document and frozen volume is
    counted."""
    result = run("audit", "verify", "--data-dir", str(data_folder.root))
    assert result.returncode == 0, result.stderr
    events, documents, volumes = stored_counts(demo_database)
    assert result.stdout == (
        f"记录链完整：已核验 {events} 条操作记录（1 台设备）、{documents} 份已签发文书、"
        f"{volumes} 卷已归档案卷。\n"
    )


def test_a_deleted_event_exits_1_naming_the_break(
    demo_database: Database, data_folder: DataFolder
) -> None:
    """Event 500 deleted: the command names number 501 (its id) and the missing number 500."""
    with demo_database.read() as session:
        following = session.scalars(select(AuditEvent).where(AuditEvent.device_seq == 501)).one()
    with raw_connection(demo_database) as connection:
        drop_guards(connection)
        connection.execute(
            "DELETE FROM outbox_entry WHERE audit_event_id IN "
            "(SELECT id FROM audit_event WHERE device_seq = 500)"
        )
        connection.execute("DELETE FROM audit_event WHERE device_seq = 500")

    result = run("audit", "verify", "--data-dir", str(data_folder.root))
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("记录链有问题：第 501 条记录（")
    assert following.id in result.stdout
    assert "之前缺少本机第 500 条记录：记录被删除了。" in result.stdout


def test_an_altered_document_exits_1_naming_it(
    demo_database: Database, data_folder: DataFolder
) -> None:
    """An issued document edited in the file: named by title and 文号, exit 1."""
    document = alter_issued_decision(demo_database)

    result = run("audit", "verify", "--data-dir", str(data_folder.root))
    assert result.returncode == 1, result.stderr
    assert result.stdout == (
        f"记录链有问题：《{document.title}》（{document.number}）"
        "的内容与签发时记录的指纹不符，签发后被改动过。\n"
    )
