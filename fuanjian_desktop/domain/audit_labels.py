"""Chinese names for the fields and coded values the audit trail stores.

The trail keeps column names and codes (``status: pending``) so it stays exact; the 操作日志
page shows them through these tables so a reviewer reads 状态：待整改.
"""

from __future__ import annotations

from typing import Any

from fuanjian_desktop.checklists.model import HazardLevel
from fuanjian_desktop.domain.inspection_rules import (
    ANSWER_LABELS,
    HAZARD_STATUS_LABELS,
    SOURCE_LABELS,
    InspectionStatus,
)
from fuanjian_desktop.domain.registry_rules import FIELD_LABELS as REGISTRY_LABELS
from fuanjian_desktop.domain.roles import ROLE_LABELS

FIELD_LABELS = {
    **REGISTRY_LABELS,
    # people and units
    "username": "用户名",
    "full_name": "姓名",
    "cert_no": "执法证号",
    "active": "启用",
    "roles": "角色",
    "squad_id": "中队",
    "short_name": "简称",
    "is_bureau": "区局",
    "parent_id": "上级单位",
    # inspections
    "enterprise_id": "被检查单位",
    "source": "检查来源",
    "status": "状态",
    "template_id": "检查表",
    "template_version": "检查表版本",
    "follow_up_of_id": "原检查",
    "facts": "现场情况",
    "venue_categories": "场所类别",
    "place": "检查场所",
    "site_person_name": "现场负责人",
    "site_person_position": "负责人职务",
    "site_person_phone": "负责人电话",
    "site_person_id_no": "负责人身份证号",
    "started_at": "开始时间",
    "ended_at": "结束时间",
    "summary": "检查情况",
    "refused_to_sign": "负责人拒绝签名",
    "refusal_note": "拒绝签名说明",
    "onsite_measures": "现场处理措施",
    "onsite_measures_note": "措施说明",
    "created_by_id": "创建人",
    "inspectors": "执法人员",
    "inspection_id": "检查记录",
    "item_id": "检查项",
    "result": "结果",
    "note": "备注",
    "answered_at": "记录时间",
    "answered_by_id": "记录人",
    # hazards
    "description": "隐患描述",
    "level": "隐患等级",
    "rectification": "整改要求",
    "basis_text": "依据",
    "violation_code": "违法行为编码",
    "found_on": "发现日期",
    "days": "整改期限（工作日）",
    "due_date": "整改期限",
    "closed_on": "销号日期",
    "closed_by_id": "销号复查",
    "hazard_id": "隐患",
    # evidence
    "sha256": "SHA-256",
    "extension": "文件类型",
    "size_bytes": "文件大小（字节）",
    "original_name": "原文件名",
    "width": "宽度",
    "height": "高度",
    "captured_at": "拍摄时间",
    "camera": "相机",
    "evidence_id": "证据文件",
    "caption": "说明",
}

_VALUE_LABELS: dict[str, dict[str, str]] = {
    "status": {
        **{status.value: status.label for status in InspectionStatus},
        **{status.value: label for status, label in HAZARD_STATUS_LABELS.items()},
    },
    "result": {
        **{answer.value: label for answer, label in ANSWER_LABELS.items()},
        **{status.value: label for status, label in HAZARD_STATUS_LABELS.items()},
    },
    "level": {level.value: level.label for level in HazardLevel},
    "source": {source.value: label for source, label in SOURCE_LABELS.items()},
    "roles": {role.value: label for role, label in ROLE_LABELS.items()},
}


def field_label(field: str) -> str:
    """The field's Chinese name (the column name itself if none is known)."""
    return FIELD_LABELS.get(field, field)


def value_label(field: str, value: Any) -> Any:
    """A coded value in Chinese (lists item by item); anything else unchanged."""
    names = _VALUE_LABELS.get(field)
    if names is None:
        return value
    if isinstance(value, list):
        return [names.get(item, item) for item in value]
    return names.get(value, value) if isinstance(value, str) else value
