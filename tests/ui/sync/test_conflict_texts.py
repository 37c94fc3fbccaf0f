"""How a conflict's field and values read in the 冲突 list: Chinese names, coded values in
Chinese, a number's columns and a record's fields as 名称：值."""

from __future__ import annotations

import datetime as dt

from fuanjian_desktop.services.sync_conflicts import ConflictRow
from ui.sync.conflicts_tab import field_text, value_text

BLOCK = {"prefix": "深福", "year": 2026, "first": 1, "last": 500}


def conflict(field: str | None, kind: str = "field") -> ConflictRow:
    return ConflictRow(
        id="01JCONFLICT000000000000000",
        entity_type="number_block",
        entity_id="01JBLOCK000000000000000000",
        entity_label="号段 深福",
        kind=kind,
        field=field,
        hq_value=None,
        device_value=None,
        detected_at=dt.datetime(2026, 12, 7, tzinfo=dt.UTC),
        uploaded_here=False,
    )


def test_field_names() -> None:
    """A plain field, a child list, the columns of a number, or the whole record."""
    assert field_text(conflict("contact_phone")) == "联系电话"
    assert field_text(conflict("children.case_handler")) == "承办人"
    assert (
        field_text(conflict("prefix,year,first,last", "number")) == "机关代字、年度、起始号、终止号"
    )
    assert field_text(conflict(None, "delete")) == "（整条记录）"


def test_values() -> None:
    """Nothing, yes/no, coded values, lists and a record's fields, one line or a line each."""
    assert value_text("notes", None) == "（空）"
    assert value_text("active", True) == "是"
    assert value_text("roles", ["inspector", "admin"]) == "执法人员、管理员"
    assert value_text("level", "major") == "重大事故隐患"
    assert (
        value_text("prefix,year,first,last", BLOCK)
        == "机关代字：深福；年度：2026；起始号：1；终止号：500"
    )
    assert value_text(None, BLOCK, "\n").splitlines()[-1] == "终止号：500"
