"""The codec's rules, case by case: wire forms, refused envelopes, children, deletes, uniques."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Column, Date, DateTime, Numeric, create_engine, func, select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.base import Base, UtcDateTime
from fuanjian_desktop.models import AuditEvent, CaseHandler, Enterprise, EnterpriseCategory
from fuanjian_desktop.sync_protocol import codec
from fuanjian_desktop.sync_protocol.codec import InvalidRecord

CHINA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def session() -> Iterator[Session]:
    """An in-memory SQLite database with every table of the model (no migrations needed)."""
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as opened:
        yield opened
    engine.dispose()


@pytest.mark.parametrize(
    ("column", "value", "wire"),
    [
        (Column("d", Date), dt.date(2026, 3, 1), "2026-03-01"),
        (
            Column("m", UtcDateTime),
            dt.datetime(2026, 3, 1, 8, 0, tzinfo=CHINA),
            "2026-03-01T00:00:00+00:00",
        ),
        (
            Column("m", UtcDateTime),
            dt.datetime(2026, 3, 1, 0, 0, 0, 5, tzinfo=dt.UTC),
            "2026-03-01T00:00:00.000005+00:00",
        ),
        (Column("n", DateTime), dt.datetime(2026, 3, 1, 12, 30), "2026-03-01T12:30:00"),
        (Column("a", Numeric(12, 2)), Decimal("120.5"), "120.50"),
        (Column("a", Numeric(12, 2)), Decimal("0"), "0.00"),
        (Column("a", Numeric(12, 2)), None, None),
    ],
)
def test_wire_forms(column: Column[Any], value: Any, wire: Any) -> None:
    """Each column type's documented text form, and back to the same value."""
    assert codec.encode_value(column, value) == wire
    if value is not None:
        decoded = codec.decode_value("t", column, wire)
        assert decoded == value


def enterprise_envelope(**fields: Any) -> dict[str, Any]:
    """A whole enterprise envelope as a laptop would push it."""
    base = {
        "name": "深圳市某某餐饮店",
        "uscc": "91440300MA5XXXXXX1",
        "uscc_override_reason": None,
        "operator_name": None,
        "operator_id_no": None,
        "address": "园岭街道百花二路1号",
        "street": "园岭街道",
        "community": "百花社区",
        "grid": None,
        "contact_name": "李四",
        "contact_phone": "13800000000",
        "floor_area": "88.00",
        "key_supervision": False,
        "blacklisted": False,
        "notes": None,
        "squad_id": "01SQUAD0000000000000000000",
        "created_at": "2026-03-01T00:00:00+00:00",
        "updated_at": "2026-03-01T00:00:00+00:00",
    }
    base.update(fields)
    return {
        "table": "enterprise",
        "id": "01ENTERPRISE00000000000000",
        "version": 2,
        "op": "upsert",
        "fields": base,
        "children": {"enterprise_category": [{"category": "有限空间"}, {"category": "三小场所"}]},
        "base_revision": None,
        "audit_event_id": None,
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"fields": {"name": 5}}, "字段 name 的值无效"),
        ({"fields": {"floor_area": "很多"}}, "字段 floor_area 的值无效"),
        ({"fields": {"key_supervision": "yes"}}, "字段 key_supervision 的值无效"),
        ({"fields": {"created_at": "2026-03-01T00:00:00"}}, "字段 created_at 的值无效"),
        ({"fields": {"uscc": "9" * 19}}, "字段 uscc 的值无效"),  # longer than String(18)
        ({"fields": {"search_text": "x"}}, "没有可同步的字段：search_text"),  # derived
        ({"fields": {"version": 3}}, "没有可同步的字段：version"),
        ({"fields": {"color": "red"}}, "没有可同步的字段：color"),
        ({"version": True}, "字段 version 的值无效"),
        ({"table": "outbox_entry"}, "未知的数据表“outbox_entry”"),
        ({"table": None}, "缺少数据表名称"),
        ({"id": ""}, "缺少记录标识"),
        ({"op": "merge"}, "操作无效"),
        ({"children": {"case_handler": []}}, "没有附属表：case_handler"),
        (
            {"children": {"enterprise_category": [{"enterprise_id": "x", "category": "a"}]}},
            "一行无效",
        ),
        ({"children": {"enterprise_category": "a"}}, "内容无效"),
    ],
)
def test_bad_envelopes_are_refused_with_nothing_written(
    session: Session, change: dict[str, Any], message: str
) -> None:
    """Each malformed envelope is a Chinese InvalidRecord/UserError and writes no row."""
    envelope = enterprise_envelope()
    for key, value in change.items():
        if key == "fields":
            envelope["fields"] = {**envelope["fields"], **value}
        else:
            envelope[key] = value
    with pytest.raises(codec.UserError, match=message):
        codec.write_record(session, envelope)
    assert session.scalar(select(func.count()).select_from(Enterprise)) == 0


def test_children_are_replaced_as_a_set(session: Session) -> None:
    """A rewrite with other categories leaves exactly the new set; encoded in key order."""
    codec.write_record(session, enterprise_envelope())
    envelope = enterprise_envelope()
    envelope["children"] = {"enterprise_category": [{"category": "小档口"}]}
    codec.write_record(session, envelope)
    rows = session.scalars(select(EnterpriseCategory.category)).all()
    assert rows == ["小档口"]
    codec.write_record(session, enterprise_envelope())
    encoded = codec.encode_record(session, "enterprise", "01ENTERPRISE00000000000000")
    assert encoded is not None
    assert encoded["children"] == {
        "enterprise_category": [{"category": "三小场所"}, {"category": "有限空间"}]
    }
    assert encoded["version"] == 2


def test_update_overwrites_fields_and_version(session: Session) -> None:
    """An upsert of an existing record writes the new values and version."""
    codec.write_record(session, enterprise_envelope())
    newer = enterprise_envelope(name="深圳市新名称餐饮店")
    newer["version"] = 3
    codec.write_record(session, newer)
    stored = session.execute(select(Enterprise.name, Enterprise.version)).one()
    assert tuple(stored) == ("深圳市新名称餐饮店", 3)
    assert session.scalar(select(Enterprise.search_text)).startswith("深圳市新名称餐饮店")


def test_delete_removes_record_and_children(session: Session) -> None:
    """A tombstone deletes the record and its owned children (no cascade needed); twice is fine."""
    codec.write_record(session, enterprise_envelope())
    tombstone = {"table": "enterprise", "id": "01ENTERPRISE00000000000000", "op": "delete"}
    codec.write_record(session, tombstone)
    codec.write_record(session, tombstone)
    assert session.scalar(select(func.count()).select_from(Enterprise)) == 0
    assert session.scalar(select(func.count()).select_from(EnterpriseCategory)) == 0
    assert codec.encode_record(session, "enterprise", "01ENTERPRISE00000000000000") is None


def audit_envelope(summary: str) -> dict[str, Any]:
    """An audit event envelope (append-only table)."""
    return {
        "table": "audit_event",
        "id": "01EVENT0000000000000000000",
        "version": 1,
        "op": "upsert",
        "fields": {
            "occurred_at": "2026-03-01T01:02:03.000004+00:00",
            "actor_id": None,
            "actor_name": "赵磊",
            "action": "登录",
            "summary": summary,
            "entity_type": None,
            "entity_id": None,
            "before": None,
            "after": {"a": [1, "二"]},
            "device_id": "01DEVICE000000000000000000",
            "device_seq": 1,
            "prev_hash": "0" * 64,
            "event_hash": "f" * 64,
        },
        "children": {},
        "base_revision": None,
        "audit_event_id": None,
    }


def test_append_only_rows_are_never_overwritten_or_deleted(session: Session) -> None:
    """A second write of a stored audit event changes nothing; deleting one is refused."""
    codec.write_record(session, audit_envelope("登录"))
    codec.write_record(session, audit_envelope("篡改"))
    assert session.scalar(select(AuditEvent.summary)) == "登录"
    with pytest.raises(InvalidRecord, match="只能追加"):
        codec.delete_record(session, "audit_event", "01EVENT0000000000000000000")
    stored = session.execute(select(AuditEvent.__table__)).one()._mapping
    assert codec.encode_audit_event(stored) == audit_envelope("登录")


def test_composite_keys_round_trip(session: Session) -> None:
    """A checklist version's id is the JSON array of its key and reads back the same."""
    envelope = {
        "table": "checklist_version",
        "id": '["three_small.shop","2026.1"]',
        "version": 1,
        "op": "upsert",
        "fields": {"content_sha256": "e" * 64, "document": {"items": []}},
        "children": {},
    }
    codec.write_record(session, envelope)
    encoded = codec.encode_record(session, "checklist_version", envelope["id"])
    assert encoded is not None and encoded["fields"] == envelope["fields"]
    for bad in ['["only-one"]', "three_small.shop", '{"a": 1}']:
        with pytest.raises(InvalidRecord, match="记录标识无效"):
            codec.encode_record(session, "checklist_version", bad)


def test_unique_collisions_with_another_record_are_found(session: Session) -> None:
    """Another enterprise with the same USCC collides; the record itself and NULLs do not."""
    codec.write_record(session, enterprise_envelope())
    assert codec.colliding_uniques(session, enterprise_envelope(name="改名")) == []
    twin = enterprise_envelope()
    twin["id"] = "01ENTERPRISE00000000000001"
    assert codec.colliding_uniques(session, twin) == [("uscc",)]
    twin["fields"]["uscc"] = None
    assert codec.colliding_uniques(session, twin) == []


def test_children_rows_keep_their_columns(session: Session) -> None:
    """A case handler row travels with position, user, name and 执法证号, not the case id."""
    rows = [
        {"case_id": "C1", "position": 2, "user_id": "U2", "full_name": "王五", "cert_no": "B"},
        {"case_id": "C1", "position": 1, "user_id": "U1", "full_name": "张伟", "cert_no": None},
    ]
    envelope = codec.encode_row("enforcement_case", _case_row(), {"case_handler": rows})
    assert envelope["children"]["case_handler"] == [
        {"position": 1, "user_id": "U1", "full_name": "张伟", "cert_no": None},
        {"position": 2, "user_id": "U2", "full_name": "王五", "cert_no": "B"},
    ]
    assert CaseHandler.__tablename__ in envelope["children"]


def _case_row() -> dict[str, Any]:
    table = Base.metadata.tables["enforcement_case"]
    row: dict[str, Any] = {column.name: None for column in table.columns}
    row.update(id="C1", version=4)
    return row


def _named(entity_id: str, name: str, categories: list[str]) -> dict[str, Any]:
    envelope = enterprise_envelope(name=name, uscc=None)
    envelope["id"] = entity_id
    envelope["children"] = {"enterprise_category": [{"category": c} for c in categories]}
    return envelope


SEQUENCE = [
    _named("01A0000000000000000000000A", "甲", ["有限空间"]),
    _named("01B0000000000000000000000B", "乙", []),
    _named("01A0000000000000000000000A", "甲二", ["小档口", "三小场所"]),
    {"table": "enterprise", "id": "01B0000000000000000000000B", "op": "delete"},
    _named("01C0000000000000000000000C", "丙", ["小档口"]),
    {"table": "enterprise", "id": "01D0000000000000000000000D", "op": "delete"},
    _named("01B0000000000000000000000B", "乙二", ["有限空间"]),
]


def test_many_at_once_ends_as_one_by_one() -> None:
    """write_records of a mixed run (repeats, deletes, re-inserts) leaves exactly the state
    that writing the envelopes one by one leaves."""
    states = []
    for batched in (False, True):
        engine = create_engine("sqlite://")
        Base.metadata.create_all(engine)
        with Session(engine) as session:
            if batched:
                codec.write_records(session, SEQUENCE)
            else:
                for envelope in SEQUENCE:
                    codec.write_record(session, envelope)
            states.append(list(codec.iter_table(session, "enterprise")))
        engine.dispose()
    one_by_one, at_once = states
    assert at_once == one_by_one
    assert [(e["id"][:3], e["fields"]["name"]) for e in at_once] == [
        ("01A", "甲二"),
        ("01B", "乙二"),
        ("01C", "丙"),
    ]
    assert at_once[0]["children"]["enterprise_category"] == [
        {"category": "三小场所"},
        {"category": "小档口"},
    ]


@given(
    moment=st.datetimes(
        min_value=dt.datetime(1970, 1, 2),
        max_value=dt.datetime(2100, 1, 1),
        timezones=st.sampled_from([dt.UTC, CHINA, dt.timezone(dt.timedelta(hours=-5))]),
    ),
    day=st.dates(),
    amount=st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False),
)
def test_wire_forms_round_trip(moment: dt.datetime, day: dt.date, amount: Decimal) -> None:
    """Any moment (in any zone), date and two-place decimal reads back equal from its wire form,
    moments always written in UTC."""
    moment_column, day_column = Column("m", UtcDateTime), Column("d", Date)
    amount_column = Column("a", Numeric(12, 2))
    wire = codec.encode_value(moment_column, moment)
    assert wire.endswith("+00:00")
    assert codec.decode_value("t", moment_column, wire) == moment
    assert codec.decode_value("t", day_column, codec.encode_value(day_column, day)) == day
    text = codec.encode_value(amount_column, amount)
    assert codec.decode_value("t", amount_column, text) == amount
    assert len(text.partition(".")[2]) == 2


def test_children_are_ordered_by_their_key_values() -> None:
    """Handlers travel in position order 1, 2, 10 (numbers, not text)."""
    rows = [
        {"case_id": "C1", "position": p, "user_id": "U", "full_name": "甲", "cert_no": None}
        for p in (10, 2, 1)
    ]
    envelope = codec.encode_row("enforcement_case", _case_row(), {"case_handler": rows})
    assert [row["position"] for row in envelope["children"]["case_handler"]] == [1, 2, 10]
