"""The 操作日志 shows field names and coded values in Chinese."""

from __future__ import annotations

from fuanjian_desktop.db.base import Base
from fuanjian_desktop.domain.audit_labels import field_label, value_label
from fuanjian_desktop.models import Hazard, Inspection, InspectionAnswer, RecheckFinding


def test_coded_values_read_in_chinese() -> None:
    assert (field_label("status"), value_label("status", "pending")) == ("状态", "待整改")
    assert value_label("status", "in_progress") == "检查中"
    assert value_label("result", "non_compliant") == "不符合"
    assert value_label("result", "rectified") == "已整改"
    assert value_label("level", "major") == "重大事故隐患"
    assert value_label("roles", ["inspector", "clerk"]) == ["执法人员", "内勤"]
    assert value_label("summary", "原样") == "原样"


def test_every_audited_field_of_the_inspection_entities_has_a_chinese_name() -> None:
    entities: list[type[Base]] = [Inspection, InspectionAnswer, Hazard, RecheckFinding]
    unnamed = [
        f"{entity.__tablename__}.{column.key}"
        for entity in entities
        for column in entity.__table__.columns
        if column.key not in Inspection._unaudited_columns and field_label(column.key) == column.key
    ]
    assert unnamed == []
