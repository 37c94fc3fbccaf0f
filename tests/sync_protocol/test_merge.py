"""Three-way merge at HQ: hand-written tables of (base, HQ current, pushed) → result, conflicts.

Envelopes are abbreviated to the fields that matter; ``None`` in a table means "no such
envelope" (no base / HQ has no record) and ``"DEL"`` a tombstone.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fuanjian_desktop.sync_protocol.merge import FieldConflict, three_way

DEL = "DEL"
T1 = "2026-03-01T08:00:00+00:00"
T2 = "2026-03-01T09:00:00+00:00"
T3 = "2026-03-01T09:00:00.000001+00:00"


def env(spec: dict[str, Any] | str | None, **children: list[Any]) -> dict[str, Any] | None:
    """An envelope of the given fields (or a tombstone, or nothing)."""
    if spec is None:
        return None
    if spec == DEL:
        return {"table": "t", "id": "R1", "op": "delete", "fields": {}, "children": {}}
    assert isinstance(spec, dict)
    return {"table": "t", "id": "R1", "op": "upsert", "fields": spec, "children": children}


# (case, base fields, HQ current fields, pushed fields, merged fields, conflicts as
#  (field, hq value, device value, kind))
MUTABLE_CASES = [
    ("new at HQ: taken as pushed", None, None, {"name": "甲"}, {"name": "甲"}, []),
    ("only the device changed", {"name": "甲"}, {"name": "甲"}, {"name": "乙"}, {"name": "乙"}, []),
    ("only HQ changed", {"name": "甲"}, {"name": "丙"}, {"name": "甲"}, {"name": "丙"}, []),
    ("both changed alike", {"name": "甲"}, {"name": "乙"}, {"name": "乙"}, {"name": "乙"}, []),
    (
        "both changed differently: HQ kept, conflict with both",
        {"name": "甲"},
        {"name": "丙"},
        {"name": "乙"},
        {"name": "丙"},
        [("name", "丙", "乙", "field")],
    ),
    (
        "different fields changed: both kept",
        {"name": "甲", "notes": "a"},
        {"name": "丙", "notes": "a"},
        {"name": "甲", "notes": "b"},
        {"name": "丙", "notes": "b"},
        [],
    ),
    (
        "device set a value to null",
        {"notes": "a"},
        {"notes": "a"},
        {"notes": None},
        {"notes": None},
        [],
    ),
    (
        "no base: every difference is a conflict",
        None,
        {"name": "甲", "notes": "a"},
        {"name": "乙", "notes": "a"},
        {"name": "甲", "notes": "a"},
        [("name", "甲", "乙", "field")],
    ),
    (
        "updated_at both changed: the later moment, no conflict",
        {"updated_at": T1},
        {"updated_at": T3},
        {"updated_at": T2},
        {"updated_at": T3},
        [],
    ),
    (
        "updated_at: the device's later moment wins",
        {"updated_at": T1},
        {"updated_at": T2},
        {"updated_at": T3},
        {"updated_at": T3},
        [],
    ),
    (
        "JSON values compared as values",
        {"values": {"a": 1}},
        {"values": {"a": 1, "b": [1]}},
        {"values": {"a": 2}},
        {"values": {"a": 1, "b": [1]}},
        [("values", {"a": 1, "b": [1]}, {"a": 2}, "field")],
    ),
]


def conflicts_of(result: Any) -> list[tuple[Any, ...]]:
    """Conflicts as comparable tuples."""
    return [(c.field, c.hq_value, c.device_value, c.kind) for c in result.conflicts]


@pytest.mark.parametrize(
    ("case", "base", "current", "pushed", "merged", "conflicts"),
    MUTABLE_CASES,
    ids=[case[0] for case in MUTABLE_CASES],
)
def test_mutable_fields(
    case: str,
    base: dict[str, Any] | None,
    current: dict[str, Any] | None,
    pushed: dict[str, Any],
    merged: dict[str, Any],
    conflicts: list[tuple[Any, ...]],
) -> None:
    """Only-one-side changes win; both-changed keeps HQ's value and lists both."""
    pushed_envelope = env(pushed)
    assert pushed_envelope is not None
    result = three_way("enterprise", env(base), env(current), pushed_envelope)
    assert result.fields == merged
    assert conflicts_of(result) == conflicts
    assert result.op == "upsert"
    assert result.merged is (merged != pushed)


CAT_A = [{"category": "有限空间"}]
CAT_B = [{"category": "小档口"}]
CAT_AB = [{"category": "小档口"}, {"category": "有限空间"}]


@pytest.mark.parametrize(
    ("base", "current", "pushed", "merged", "conflict"),
    [
        (CAT_A, CAT_A, CAT_AB, CAT_AB, None),  # the device added one
        (CAT_A, CAT_B, CAT_A, CAT_B, None),  # HQ replaced them
        (CAT_A, CAT_B, CAT_AB, CAT_B, ("children.enterprise_category", CAT_B, CAT_AB, "field")),
    ],
)
def test_children_merge_as_one_list(
    base: list[Any], current: list[Any], pushed: list[Any], merged: list[Any], conflict: Any
) -> None:
    """An owned child table is one value: changed on one side wins, on both is a conflict."""
    fields = {"name": "甲"}
    result = three_way(
        "enterprise",
        env(fields, enterprise_category=base),
        env(fields, enterprise_category=current),
        env(fields, enterprise_category=pushed) or {},
    )
    assert result.children == {"enterprise_category": merged}
    assert conflicts_of(result) == ([conflict] if conflict else [])


ISSUED = {
    "status": "issued",
    "sha256": "a" * 64,
    "number": "福田应急罚〔2026〕3号",
    "values": {"x": 1},
}


@pytest.mark.parametrize(
    ("current", "pushed", "merged", "conflicts"),
    [
        # signed content never changes, even when HQ's is the base the device started from
        (
            ISSUED,
            {**ISSUED, "values": {"x": 2}},
            ISSUED,
            [("values", {"x": 1}, {"x": 2}, "immutable")],
        ),
        (
            ISSUED,
            {**ISSUED, "number": "福田应急罚〔2026〕4号"},
            ISSUED,
            [("number", ISSUED["number"], "福田应急罚〔2026〕4号", "immutable")],
        ),
        # serving an issued document still changes its status
        (ISSUED, {**ISSUED, "status": "served"}, {**ISSUED, "status": "served"}, []),
        # a draft (no sha256 yet) merges like any record
        (
            {**ISSUED, "sha256": None},
            {**ISSUED, "sha256": None, "values": {"x": 2}},
            {**ISSUED, "sha256": None, "values": {"x": 2}},
            [],
        ),
    ],
)
def test_issued_documents_are_frozen(
    current: dict[str, Any],
    pushed: dict[str, Any],
    merged: dict[str, Any],
    conflicts: list[tuple[Any, ...]],
) -> None:
    """A different signed field of an issued document is an immutable conflict, never written."""
    result = three_way("case_document", env(current), env(current), env(pushed) or {})
    assert result.fields == merged
    assert conflicts_of(result) == conflicts


def test_archived_case_is_frozen_whole() -> None:
    """Every field and the handlers of an archived case refuse a change."""
    handlers = [{"position": 1, "user_id": "U1", "full_name": "张伟", "cert_no": "1"}]
    current = env({"stage": "archived", "cause": "甲"}, case_handler=handlers)
    pushed = env({"stage": "archived", "cause": "乙"}, case_handler=[]) or {}
    result = three_way("enforcement_case", current, current, pushed)
    assert result.fields == {"stage": "archived", "cause": "甲"}
    assert result.children == {"case_handler": handlers}
    assert conflicts_of(result) == [
        ("cause", "甲", "乙", "immutable"),
        ("children.case_handler", handlers, [], "immutable"),
    ]


def test_a_reopening_of_an_archived_case_is_taken_from_a_push() -> None:
    """重新打开案卷 on a laptop: the stage and stamp change, HQ takes them without a conflict;
    any other field of the still archived case stays frozen."""
    base = env({"stage": "archived", "cause": "甲", "updated_at": T1})
    pushed = env({"stage": "closed", "cause": "甲", "updated_at": T2}) or {}
    result = three_way("enforcement_case", base, base, pushed)
    assert result.fields == {"stage": "closed", "cause": "甲", "updated_at": T2}
    assert result.conflicts == []
    edited = env({"stage": "closed", "cause": "乙", "updated_at": T2}) or {}
    result = three_way("enforcement_case", base, base, edited)
    assert result.fields == {"stage": "closed", "cause": "甲", "updated_at": T2}
    assert conflicts_of(result) == [("cause", "甲", "乙", "immutable")]


def test_a_case_may_be_archived_by_a_push() -> None:
    """Archiving is a change like another: frozen is HQ's current stage, not the pushed one."""
    base = env({"stage": "closed"})
    result = three_way("enforcement_case", base, base, env({"stage": "archived"}) or {})
    assert result.fields == {"stage": "archived"} and result.conflicts == []


def test_computed_case_fields_merge_quietly() -> None:
    """Both sides recomputed the next deadline differently: HQ's stays, nobody is asked."""
    base = env({"next_due_on": "2026-03-10", "next_due_label": "立案"})
    current = env({"next_due_on": "2026-03-20", "next_due_label": "告知"})
    pushed = env({"next_due_on": "2026-03-15", "next_due_label": "调查"}) or {}
    result = three_way("enforcement_case", base, current, pushed)
    assert result.fields == {"next_due_on": "2026-03-20", "next_due_label": "告知"}
    assert result.conflicts == [] and result.merged


def test_taken_numbers_keep_their_identity() -> None:
    """An issued number's serial never changes; voiding it does."""
    number = {"serial": 3, "status": "used", "void_reason": None}
    result = three_way(
        "issued_number",
        env(number),
        env(number),
        env({"serial": 4, "status": "voided", "void_reason": "录入错误"}) or {},
    )
    assert result.fields == {"serial": 3, "status": "voided", "void_reason": "录入错误"}
    assert conflicts_of(result) == [("serial", 3, 4, "immutable")]


def test_append_only_records_never_change() -> None:
    """An audit event or checklist version pushed again with other content is immutable."""
    stored = env({"content_sha256": "a" * 64, "document": {}})
    result = three_way("checklist_version", None, stored, env({"content_sha256": "b" * 64}) or {})
    assert result.fields == {"content_sha256": "a" * 64, "document": {}}
    assert conflicts_of(result) == [("content_sha256", "a" * 64, "b" * 64, "immutable")]
    same = three_way("audit_event", None, stored, stored or {})
    assert same.conflicts == [] and not same.merged


# (case, base, HQ current, pushed, resulting op, conflict kind or None)
DELETE_CASES = [
    ("delete, HQ unchanged: tombstone", {"name": "甲"}, {"name": "甲"}, DEL, "delete", None),
    ("delete, HQ changed since: kept", {"name": "甲"}, {"name": "乙"}, DEL, "upsert", "delete"),
    ("delete without base: kept", None, {"name": "甲"}, DEL, "upsert", "delete"),
    ("delete of a deleted record", {"name": "甲"}, DEL, DEL, "delete", None),
    ("delete of a record HQ never had", None, None, DEL, "delete", None),
    ("change to a record HQ deleted", {"name": "甲"}, DEL, {"name": "乙"}, "delete", "delete"),
    ("unchanged record HQ deleted", {"name": "甲"}, DEL, {"name": "甲"}, "delete", None),
]


@pytest.mark.parametrize(
    ("case", "base", "current", "pushed", "op", "kind"),
    DELETE_CASES,
    ids=[case[0] for case in DELETE_CASES],
)
def test_deletions(
    case: str, base: Any, current: Any, pushed: Any, op: str, kind: str | None
) -> None:
    """Tombstones propagate; a delete meeting a change on the other side is a delete conflict."""
    result = three_way("enterprise", env(base), env(current), env(pushed) or {})
    assert result.op == op
    assert [c.kind for c in result.conflicts] == ([kind] if kind else [])


def test_delete_of_an_issued_document_is_refused() -> None:
    """An issued document cannot be deleted by a push: immutable, HQ's copy stays."""
    result = three_way("case_document", env(ISSUED), env(ISSUED), env(DEL) or {})
    assert result.op == "upsert" and result.fields == ISSUED
    assert result.conflicts == [FieldConflict(None, ISSUED, None, "immutable")]


VALUES = st.sampled_from(["甲", "乙", "丙", None])
FIELDS = st.fixed_dictionaries({"name": VALUES, "notes": VALUES, "address": VALUES})


@given(base=FIELDS, current=FIELDS, pushed=FIELDS)
def test_merge_laws(base: dict[str, Any], current: dict[str, Any], pushed: dict[str, Any]) -> None:
    """For any mutable record: a side that changed nothing yields the other side; every field
    of the result is HQ's or the device's; a conflict is exactly a field both changed apart."""
    result = three_way("enterprise", env(base), env(current), env(pushed) or {})
    if current == base:
        assert result.fields == pushed and result.conflicts == []
    if pushed in (base, current):
        assert result.fields == current and result.conflicts == []
    for name, value in result.fields.items():
        assert value in (current[name], pushed[name])
        if pushed[name] != base[name] and current[name] == base[name]:
            assert value == pushed[name]
    both = [
        name
        for name in base
        if pushed[name] != base[name] != current[name] and pushed[name] != current[name]
    ]
    assert sorted(str(conflict.field) for conflict in result.conflicts) == sorted(both)
