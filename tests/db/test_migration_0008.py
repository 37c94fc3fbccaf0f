"""0008 chains the events an older database already holds, in the order they were stored, and
makes the trail append-only from then on."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from alembic import command
from sqlalchemy import select, text

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database, make_engine
from fuanjian_desktop.db.migrate import alembic_config
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.models import AuditEvent, LocalSetting
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.trail_check import verify_trail
from fuanjian_desktop.services.unit_of_work import ActionScope
from tests.attacker import raw_connection

# Stored in this order (rowid 1, 2, 3); the times are deliberately not in that order.
OLD_EVENTS = (
    ("01JOLD0000000000000000000B", "2026-12-01 08:00:00.000001", "新增企业", '{"name": "甲"}'),
    ("01JOLD0000000000000000000A", "2026-11-30 08:00:00.000000", "修改企业", "null"),
    ("01JOLD0000000000000000000C", "2026-12-01 07:59:59.999999", "登录", "null"),
)


def database_at_0007(folder: DataFolder, key: DataKey) -> None:
    """A database migrated only to 0007, holding OLD_EVENTS and an outbox row, then closed."""
    engine = make_engine(folder.database, key)
    config = alembic_config()
    with engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
        for event_id, moment, action, after in OLD_EVENTS:
            connection.exec_driver_sql(
                "INSERT INTO audit_event (id, occurred_at, actor_id, actor_name, action, summary,"
                " entity_type, entity_id, before, after) "
                "VALUES (?, ?, NULL, '张伟', ?, '旧记录', 'enterprise',"
                " '01JENT0000000000000000000B', 'null', ?)",
                (event_id, moment, action, after),
            )
        connection.exec_driver_sql(
            "INSERT INTO outbox_entry (entity_type, entity_id, entity_version, operation,"
            " audit_event_id, created_at) VALUES ('enterprise', '01JENT0000000000000000000B', 1,"
            " 'insert', '01JOLD0000000000000000000B', '2026-12-01 08:00:00.000001')"
        )
    engine.dispose()


@pytest.fixture
def upgraded(data_folder: DataFolder) -> Iterator[Database]:
    """The 0007 database opened by the app (migrated to the head)."""
    key = DataKey.generate()
    database_at_0007(data_folder, key)
    database = open_database(data_folder, key)
    yield database
    database.close()


@pytest.fixture
def system_log() -> Callable[[Database, str], None]:
    """Writes one audit event as the system (no signed-in user needed)."""

    def log(database: Database, summary: str) -> None:
        actor = Actor(user_id=None, full_name="系统", squad_id=None, roles=frozenset())
        with database.write() as session:
            ActionScope(session, actor, "测试").log(summary)

    return log


def chain(database: Database) -> list[AuditEvent]:
    with database.read() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.device_seq)))


def test_stored_events_are_chained_in_stored_order(upgraded: Database) -> None:
    """Numbers 1, 2, 3 follow the storing order, not the times; each names its predecessor."""
    events = chain(upgraded)
    assert [(e.id, e.device_seq) for e in events] == [
        ("01JOLD0000000000000000000B", 1),
        ("01JOLD0000000000000000000A", 2),
        ("01JOLD0000000000000000000C", 3),
    ]
    assert [e.prev_hash for e in events] == ["0" * 64, events[0].event_hash, events[1].event_hash]
    with upgraded.read() as session:
        device = session.get(LocalSetting, "device_id")
    assert device is not None and {e.device_id for e in events} == {device.value}


def test_the_first_old_event_hashes_as_the_documented_encoding_says(upgraded: Database) -> None:
    """The first event's hash is SHA-256 of its canonical text, written out by hand here."""
    first = chain(upgraded)[0]
    text = (
        '{"action":"新增企业","actor_id":null,"actor_name":"张伟","after":{"name":"甲"},'
        f'"before":null,"device_id":"{first.device_id}","device_seq":1,'
        '"entity_id":"01JENT0000000000000000000B","entity_type":"enterprise","format":1,'
        '"id":"01JOLD0000000000000000000B","occurred_at":"2026-12-01T08:00:00.000001Z",'
        f'"prev_hash":"{"0" * 64}","summary":"旧记录"}}'
    )
    assert first.event_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_the_upgraded_trail_verifies_and_goes_on(
    upgraded: Database, system_log: Callable[[Database, str], None]
) -> None:
    """verify_trail passes; the next event written is number 4, linked to number 3."""
    assert verify_trail(upgraded).intact
    system_log(upgraded, "升级后的第一条")
    *_, third, fourth = chain(upgraded)
    assert (fourth.device_seq, fourth.prev_hash) == (4, third.event_hash)
    report = verify_trail(upgraded)
    assert (report.problem, report.events) == (None, 4)


def test_the_upgraded_trail_is_append_only(upgraded: Database) -> None:
    """After the upgrade the old rows can no longer be changed or deleted."""
    for statement in (
        "UPDATE audit_event SET summary = '改过'",
        "DELETE FROM audit_event",
    ):
        with (
            pytest.raises(sqlcipher.DatabaseError, match="操作日志是执法全过程记录"),
            raw_connection(upgraded) as connection,
        ):
            connection.execute(statement)
    assert len(chain(upgraded)) == 3


def test_the_0007_file_is_backed_up_first(upgraded: Database, data_folder: DataFolder) -> None:
    """The upgrade backed the 0007 file up first (the migration changes every audit row)."""
    backups = list(data_folder.backups.iterdir())
    assert len(backups) == 1 and "0007" in backups[0].name


def test_a_new_database_at_the_head_keeps_the_append_only_triggers(database: Database) -> None:
    """Both triggers exist in a database made by every migration up to the head: a later
    migration that rebuilds ``audit_event`` in batch mode must create them again."""
    with database.read() as session:
        names = set(session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")))
    assert {"audit_event_no_update", "audit_event_no_delete"} <= names
