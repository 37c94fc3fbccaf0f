"""同步冲突: listed for the squad, settled by a leader, legal reviewer or administrator; the
laptop's value written back as an audited change that the next push carries; settled once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo import DEMO_PASSWORD
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import (
    AuditEvent,
    Enterprise,
    LocalSetting,
    OutboxEntry,
    Squad,
    SyncConflict,
)
from fuanjian_desktop.services.auth import sign_in
from fuanjian_desktop.services.sync_conflicts import may_resolve, open_conflicts, resolve_conflict


def conflict_on_notes(database: Database, kind: str = "field") -> tuple[str, str]:
    """A conflict HQ sent about a 园岭 enterprise's notes; (conflict id, enterprise id)."""
    with database.write() as session:
        squad = session.scalars(select(Squad.id).where(Squad.short_name == "园岭")).one()
        enterprise = session.scalars(
            select(Enterprise.id).where(Enterprise.squad_id == squad)
        ).first()
        assert enterprise is not None
        conflict = SyncConflict(
            squad_id=squad,
            entity_type="enterprise",
            entity_id=enterprise,
            kind=kind,
            field="notes",
            hq_value="区局的备注",
            device_value="本机的备注",
            device_id="D" * 26,
            version=1,
        )
        session.add(conflict)
        session.flush()
        return conflict.id, enterprise


def test_the_squad_sees_its_open_conflicts_with_a_readable_label(demo_database: Database) -> None:
    conflict_id, _enterprise = conflict_on_notes(demo_database)
    rows = open_conflicts(demo_database, sign_in(demo_database, "zhangwei", DEMO_PASSWORD))
    assert [row.id for row in rows] == [conflict_id]
    assert rows[0].entity_label.startswith("企业 ")
    assert (rows[0].hq_value, rows[0].device_value) == ("区局的备注", "本机的备注")
    assert rows[0].uploaded_here is False  # uploaded by device DDD…, not this laptop


def test_a_conflict_this_laptop_uploaded_says_so(demo_database: Database) -> None:
    """The uploaded value is labelled by its laptop: this one when the device ids match."""
    conflict_id, _enterprise = conflict_on_notes(demo_database)
    with demo_database.write() as session:
        here = session.get(LocalSetting, "device_id")
        assert here is not None
        session.get(SyncConflict, conflict_id).device_id = here.value
    rows = open_conflicts(demo_database, sign_in(demo_database, "zhangwei", DEMO_PASSWORD))
    assert [row.uploaded_here for row in rows] == [True]


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("liuyang", True),
        ("chenjing", True),
        ("zhaolei", True),
        ("zhangwei", False),
        ("wangfang", False),
    ],
)
def test_only_leaders_reviewers_and_administrators_settle(
    demo_database: Database, username: str, allowed: bool
) -> None:
    """中队负责人, 法制审核员, 管理员 may; an inspector or a clerk is refused, nothing changes."""
    conflict_id, _enterprise = conflict_on_notes(demo_database)
    actor = sign_in(demo_database, username, DEMO_PASSWORD)
    assert may_resolve(actor) is allowed
    if allowed:
        resolve_conflict(demo_database, actor, conflict_id, "hq", "以区局为准")
        assert open_conflicts(demo_database, actor) == []
    else:
        with pytest.raises(PermissionDenied):
            resolve_conflict(demo_database, actor, conflict_id, "hq", "")
        assert len(open_conflicts(demo_database, actor)) == 1


def test_taking_the_laptops_value_is_an_audited_change_to_push(demo_database: Database) -> None:
    """The field gets the device value; record and conflict both go to the outbox; audited."""
    conflict_id, enterprise_id = conflict_on_notes(demo_database)
    leader = sign_in(demo_database, "liuyang", DEMO_PASSWORD)
    resolve_conflict(demo_database, leader, conflict_id, "device", "现场核实，以本机为准")
    with demo_database.read() as session:
        assert session.get(Enterprise, enterprise_id).notes == "本机的备注"
        settled = session.get(SyncConflict, conflict_id)
        assert (settled.resolution, settled.resolved_by_name) == ("device", "刘洋")
        assert settled.resolution_note == "现场核实，以本机为准"
        queued = set(
            session.execute(
                select(OutboxEntry.entity_type, OutboxEntry.entity_id).where(
                    OutboxEntry.sent_at.is_(None)
                )
            ).all()
        )
        assert {("enterprise", enterprise_id), ("sync_conflict", conflict_id)} <= queued
        summaries = session.scalars(
            select(AuditEvent.summary).where(AuditEvent.action == "处理同步冲突")
        )
        assert any("采用上传的值" in summary for summary in summaries)


def test_a_frozen_conflict_cannot_take_the_laptops_value(demo_database: Database) -> None:
    """An immutable conflict (issued document, archived case) keeps HQ's value."""
    conflict_id, _enterprise = conflict_on_notes(demo_database, kind="immutable")
    leader = sign_in(demo_database, "liuyang", DEMO_PASSWORD)
    with pytest.raises(UserError) as refused:
        resolve_conflict(demo_database, leader, conflict_id, "device", "")
    assert "只能采用区局的值" in refused.value.message
    resolve_conflict(demo_database, leader, conflict_id, "hq", "文书已签发")
    with pytest.raises(UserError) as again:
        resolve_conflict(demo_database, leader, conflict_id, "hq", "")
    assert "已经处理过" in again.value.message


def test_an_unknown_choice_is_refused(demo_database: Database) -> None:
    conflict_id, _enterprise = conflict_on_notes(demo_database)
    leader = sign_in(demo_database, "liuyang", DEMO_PASSWORD)
    with pytest.raises(UserError):
        resolve_conflict(demo_database, leader, conflict_id, "both", "")
