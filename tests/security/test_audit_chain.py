"""The audit hash chain: the encoding docs/audit-chain.md states, links made at every write,
append-only rows, outbox rows that always name an event, and no fork under two writers."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

import pytest
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import select
from sqlalchemy.exc import DatabaseError

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.models import AuditEvent, LocalSetting, OutboxEntry
from fuanjian_desktop.security.audit_chain import (
    GENESIS,
    Break,
    ChainCursor,
    canonical_event,
    hash_of,
)
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.trail_check import verify_trail
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action
from tests.attacker import raw_connection

# The example of docs/audit-chain.md, written out by hand from the rules stated there.
EXAMPLE = {
    "id": "01JEVT0000000000000000000C",
    "device_id": "01JDEV0000000000000000000A",
    "device_seq": 1,
    "prev_hash": "0" * 64,
    "occurred_at": dt.datetime(
        2026, 12, 7, 10, 30, 5, 123, tzinfo=dt.timezone(dt.timedelta(hours=8))
    ),
    "actor_id": None,
    "actor_name": "张伟",
    "action": "新增企业",
    "summary": "新增“园岭五金店”\n第二行",
    "entity_type": "enterprise",
    "entity_id": "01JENT0000000000000000000B",
    "before": None,
    "after": {
        "name": "园岭五金店",
        "staff": 3,
        "open": True,
        "floor_area": "85.5",
        "categories": ["three_small.shop"],
    },
}
EXAMPLE_TEXT = (
    '{"action":"新增企业","actor_id":null,"actor_name":"张伟",'
    '"after":{"categories":["three_small.shop"],"floor_area":"85.5","name":"园岭五金店",'
    '"open":true,"staff":3},"before":null,"device_id":"01JDEV0000000000000000000A",'
    '"device_seq":1,"entity_id":"01JENT0000000000000000000B","entity_type":"enterprise",'
    '"format":1,"id":"01JEVT0000000000000000000C","occurred_at":"2026-12-07T02:30:05.000123Z",'
    '"prev_hash":"' + "0" * 64 + '","summary":"新增“园岭五金店”\\n第二行"}'
)
EXAMPLE_HASH = "24d9410ea648e1a21ff226c5173faf50c7ebeba8a5a422013f6f3e10a68438f4"  # in the docs


def test_the_documented_example_encodes_and_hashes_as_written() -> None:
    """The example event encodes to the hand-written text; its hash is SHA-256 of those bytes."""
    assert canonical_event(EXAMPLE) == EXAMPLE_TEXT.encode("utf-8")
    assert hashlib.sha256(EXAMPLE_TEXT.encode("utf-8")).hexdigest() == EXAMPLE_HASH
    assert hash_of(EXAMPLE) == EXAMPLE_HASH


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("summary", "新增“园岭五金店”"),
        ("actor_name", "李四"),
        ("device_seq", 2),
        ("prev_hash", "1" * 64),
        ("occurred_at", dt.datetime(2026, 12, 7, 2, 30, 5, 124, tzinfo=dt.UTC)),
        ("after", {**EXAMPLE["after"], "staff": 4}),  # type: ignore[dict-item]
        ("before", {}),
        ("entity_id", None),
    ],
)
def test_every_covered_column_changes_the_hash(column: str, value: object) -> None:
    """Changing any one covered column gives another hash."""
    assert hash_of({**EXAMPLE, column: value}) != hash_of(EXAMPLE)


def chain(database: Database) -> list[AuditEvent]:
    """Every event of the database in chain order."""
    with database.read() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.device_seq)))


def device_of(database: Database) -> str:
    with database.read() as session:
        setting = session.get(LocalSetting, "device_id")
        assert setting is not None
        return setting.value


def test_each_action_links_its_events_to_the_one_before(
    demo_database: Database, inspector: Actor
) -> None:
    """Three events in one action and one in the next: numbered on, each naming its predecessor."""
    (*_, head) = chain(demo_database)
    with user_action(demo_database, inspector, "测试") as scope:
        for word in ("一", "二", "三"):
            scope.log(f"第{word}条", after={"n": (1, 2), "when": "x"})
    with user_action(demo_database, inspector, "测试") as scope:
        scope.log("第四条")

    *_, previous, one, two, three, four = chain(demo_database)
    assert previous.event_hash == head.event_hash
    assert [e.summary for e in (one, two, three, four)] == ["第一条", "第二条", "第三条", "第四条"]
    assert [e.device_seq for e in (one, two, three, four)] == [
        head.device_seq + n for n in (1, 2, 3, 4)
    ]
    assert [e.prev_hash for e in (one, two, three, four)] == [
        head.event_hash,
        one.event_hash,
        two.event_hash,
        three.event_hash,
    ]
    assert {e.device_id for e in (one, four)} == {device_of(demo_database)}
    assert one.after == {"n": [1, 2], "when": "x"}  # hashed as stored: the tuple is a list
    for event in (one, two, three, four):
        assert event.event_hash == hashlib.sha256(canonical_event(stored(event))).hexdigest()


def stored(event: AuditEvent) -> dict[str, object]:
    """The event's covered values as read back from the database."""
    return {name: getattr(event, name) for name in EXAMPLE}


def test_a_new_database_starts_at_the_genesis_hash(
    database: Database, data_folder: DataFolder
) -> None:
    """The first event of a fresh laptop is number 1 and names the all-zero hash."""
    actor = Actor(user_id=None, full_name="系统", squad_id=None, roles=frozenset())
    with database.write() as session:
        ActionScope(session, actor, "初始化").log("第一条")
    (first,) = chain(database)
    assert (first.device_seq, first.prev_hash) == (1, GENESIS)
    assert verify_trail(database).intact


@pytest.mark.parametrize(
    ("statement", "word"),
    [
        ("UPDATE audit_event SET summary = '改过' WHERE device_seq = 2", "不能修改"),
        ("DELETE FROM audit_event WHERE device_seq = 2", "不能删除"),
    ],
)
def test_triggers_refuse_update_and_delete(
    demo_database: Database, statement: str, word: str
) -> None:
    """Plain SQL on the file (key in hand) cannot change or remove an audit row."""
    with (
        pytest.raises(sqlcipher.DatabaseError, match=f"操作日志是执法全过程记录，只能追加，{word}"),
        raw_connection(demo_database) as connection,
    ):
        connection.execute(statement)
    assert verify_trail(demo_database).intact


def test_the_app_cannot_change_a_stored_event_either(demo_database: Database) -> None:
    """Changing a loaded event through the ORM is refused when it is flushed."""
    with (
        pytest.raises(DatabaseError, match="只能追加，不能修改"),
        demo_database.write() as session,
    ):
        event = session.scalars(select(AuditEvent).limit(1)).one()
        event.summary = "改过"


def test_an_outbox_row_cannot_name_a_missing_event(demo_database: Database) -> None:
    """The outbox's event reference is a foreign key: a row naming no event is refused."""
    with pytest.raises(DatabaseError, match="FOREIGN KEY"), demo_database.write() as session:
        session.add(
            OutboxEntry(
                entity_type="enterprise",
                entity_id="01JENT0000000000000000000B",
                entity_version=1,
                operation="insert",
                audit_event_id="01JNOSUCHEVENT000000000000",
            )
        )


def test_two_writers_never_fork_the_chain(
    demo_database: Database, data_folder: DataFolder, inspector: Actor
) -> None:
    """A second writer waits for the first (BEGIN IMMEDIATE) and chains onto its event.

    The first writer seals its event (reads the head, writes the link) and holds the
    transaction open while the second starts; the second's event must name the first's.
    """
    second_db = open_database(data_folder, demo_database.key)
    sealed, second_started = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with user_action(demo_database, inspector, "甲") as scope:
                scope.log("甲的记录")
                scope.session.flush()
                sealed.set()
                second_started.wait(5)
                threading.Event().wait(0.3)  # the second writer is now blocked on the lock
        except BaseException as error:
            errors.append(error)

    def second() -> None:
        sealed.wait(5)
        second_started.set()
        try:
            with user_action(second_db, inspector, "乙") as scope:
                scope.log("乙的记录")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
    finally:
        second_db.close()
    assert errors == []
    *_, of_first, of_second = chain(demo_database)
    assert (of_first.summary, of_second.summary) == ("甲的记录", "乙的记录")
    assert of_second.prev_hash == of_first.event_hash
    assert of_second.device_seq == of_first.device_seq + 1
    assert verify_trail(demo_database).intact


def test_many_concurrent_actions_leave_one_unbroken_chain(
    demo_database: Database, data_folder: DataFolder, inspector: Actor
) -> None:
    """Two databases writing 15 actions each at once: 30 new events numbered without gaps."""
    before = len(chain(demo_database))
    others = [open_database(data_folder, demo_database.key) for _ in range(2)]
    errors: list[BaseException] = []

    def write(database: Database, name: str) -> None:
        try:
            for n in range(15):
                with user_action(database, inspector, name) as scope:
                    scope.log(f"{name}{n}")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(db, f"写{i}")) for i, db in enumerate(others)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        for database in others:
            database.close()
    assert errors == []
    events = chain(demo_database)
    assert len(events) == before + 30
    assert [e.device_seq for e in events] == list(range(1, before + 31))
    report = verify_trail(demo_database)
    assert report.intact and report.events == before + 30


def linked(count: int) -> list[dict[str, object]]:
    """``count`` events of one device chained by hand with :func:`hash_of`."""
    events: list[dict[str, object]] = []
    previous = GENESIS
    for seq in range(1, count + 1):
        values = {**EXAMPLE, "id": f"01JEVT{seq:020d}", "device_seq": seq, "prev_hash": previous}
        previous = hash_of(values)
        events.append({**values, "event_hash": previous})
    return events


def walk(events: list[dict[str, object]], cursor: ChainCursor | None = None) -> list[object]:
    """What the cursor says of each event in turn (stopping at the first break)."""
    cursor = cursor or ChainCursor()
    said: list[object] = []
    for values in events:
        said.append(cursor.advance(values))
        if said[-1] is not None:
            break
    return said


def test_a_cursor_walks_a_whole_chain() -> None:
    """Three linked events: each continues the chain."""
    assert walk(linked(3)) == [None, None, None]


def test_a_cursor_names_each_kind_of_break() -> None:
    """A gap, a repeated number, a foreign predecessor and altered content, each by its kind."""
    one, two, three = linked(3)
    assert walk([one, three]) == [None, Break.MISSING]
    assert walk([one, two, {**two, "id": "01JCOPY"}]) == [None, None, Break.MISNUMBERED]
    assert walk([one, {**two, "prev_hash": "1" * 64}]) == [None, Break.UNLINKED]
    assert walk([one, {**two, "summary": "改过"}]) == [None, Break.ALTERED]


def test_a_receiver_continues_from_an_anchored_head() -> None:
    """HQ, holding event 2's number and hash, checks event 3 alone; a rewritten 3 is refused."""
    _one, two, three = linked(3)
    anchored = ChainCursor(expected=3, previous=str(two["event_hash"]))
    assert walk([three], anchored) == [None]
    rewritten = {**three, "prev_hash": "2" * 64}
    assert walk([rewritten], ChainCursor(3, str(two["event_hash"]))) == [Break.UNLINKED]
