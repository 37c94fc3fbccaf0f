"""Rules of an on-site inspection: sources, answers, hazard states, and who may inspect.

Pure functions over plain values; the services load and store, these decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from fuanjian_desktop.domain.codes import check_phone, check_resident_id
from fuanjian_desktop.domain.registry_rules import FieldIssue

MIN_INSPECTORS = 2  # 行政处罚法第四十二条: no fewer than two enforcement officers
CLOCK_TOLERANCE = dt.timedelta(minutes=10)


class InspectionSource(StrEnum):
    """Why the inspectors came (检查来源)."""

    ROUTINE = "routine"
    PLANNED = "planned"
    RANDOM = "random"
    COMPLAINT = "complaint"
    SPECIAL = "special"
    RECHECK = "recheck"

    @property
    def label(self) -> str:
        """Chinese name."""
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    InspectionSource.ROUTINE: "日常巡查",
    InspectionSource.PLANNED: "计划检查",
    InspectionSource.RANDOM: "双随机抽查",
    InspectionSource.COMPLAINT: "投诉举报",
    InspectionSource.SPECIAL: "专项检查",
    InspectionSource.RECHECK: "复查",
}


class InspectionStatus(StrEnum):
    """Whether the inspectors are still on site."""

    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        """Chinese name."""
        return "检查中" if self is InspectionStatus.IN_PROGRESS else "已完成"


class Answer(StrEnum):
    """The result of one item; keys 1/2/3 in the inspection view."""

    COMPLIANT = "compliant"
    NON_COMPLIANT = "non_compliant"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        """Chinese name."""
        return ANSWER_LABELS[self]


ANSWER_LABELS = {
    Answer.COMPLIANT: "符合",
    Answer.NON_COMPLIANT: "不符合",
    Answer.NOT_APPLICABLE: "不涉及",
}


class HazardStatus(StrEnum):
    """Stored state of a hazard. "逾期" is derived: pending past its due date."""

    PENDING = "pending"
    RECTIFIED = "rectified"
    NOT_RECTIFIED = "not_rectified"
    TRANSFERRED = "transferred"


UNMET = "未做到："
# the default description of hazards stored before 2026-12: "不符合：" + the requirement
NOT_COMPLIANT = "不符合："


def default_description(requirement: str) -> str:
    """A new hazard's description: a sentence stating the problem (未做到：要求), which the
    inspector then edits in place, adding where and what was seen. Documents print it as is."""
    return f"{UNMET}{requirement}"


def problem_text(description: str) -> str:
    """A hazard as a document states the problem: an older default description (不符合：要求)
    reads 未做到：要求; any other (the default of today, or the inspector's) stays as written."""
    requirement = description.removeprefix(NOT_COMPLIANT)
    return default_description(requirement) if requirement != description else description


HAZARD_STATUS_LABELS = {
    HazardStatus.PENDING: "待整改",
    HazardStatus.RECTIFIED: "已整改",
    HazardStatus.NOT_RECTIFIED: "逾期未整改",
    HazardStatus.TRANSFERRED: "移交立案",
}


def is_overdue(status: HazardStatus, due: dt.date, today: dt.date) -> bool:
    """Pending past its due date, or found not rectified at a 复查."""
    if status is HazardStatus.NOT_RECTIFIED:
        return True
    return status is HazardStatus.PENDING and due < today


def hazard_status_label(status: HazardStatus, due: dt.date, today: dt.date) -> str:
    """What the register shows: a pending hazard past its due date reads 逾期未整改."""
    if status is HazardStatus.PENDING and due < today:
        return HAZARD_STATUS_LABELS[HazardStatus.NOT_RECTIFIED]
    return HAZARD_STATUS_LABELS[status]


def can_transfer(status: HazardStatus, due: dt.date, today: dt.date) -> bool:
    """Only an overdue or not-rectified hazard goes to a case (移交立案)."""
    return is_overdue(status, due, today)


@dataclass(frozen=True)
class Inspector:
    """A possible inspector: an active user with the inspector role."""

    user_id: str
    full_name: str
    cert_no: str


@dataclass(frozen=True)
class SitePerson:
    """现场负责人 as typed: name required, the rest checked when given."""

    name: str = ""
    position: str = ""
    phone: str = ""
    id_no: str = ""


def check_inspectors(chosen: Sequence[Inspector]) -> list[FieldIssue]:
    """At least two different inspectors, each with an 执法证号."""
    issues = []
    distinct = {inspector.user_id for inspector in chosen}
    if len(distinct) < MIN_INSPECTORS:
        issues.append(
            _issue(
                "inspectors",
                "执法人员",
                "现场检查须由两名以上持证执法人员进行（行政处罚法第四十二条），请至少选择两人。",
            )
        )
    for inspector in chosen:
        if not inspector.cert_no.strip():
            issues.append(
                _issue(
                    "inspectors",
                    "执法人员",
                    f"{inspector.full_name}没有登记执法证号，不能作为检查人员；请在用户管理中补录。",
                )
            )
    return issues


def check_site_person(person: SitePerson, today: dt.date) -> list[FieldIssue]:
    """现场负责人: a name is required; a phone or ID number, when given, must be valid."""
    issues = []
    if not person.name.strip():
        issues.append(_issue("site_person_name", "现场负责人", "请填写现场负责人姓名。"))
    if person.phone.strip():
        phone = check_phone(person.phone)
        if not phone.ok:
            issues.append(_issue("site_person_phone", "负责人电话", phone.reason))
    if person.id_no.strip():
        id_check = check_resident_id(person.id_no, today)
        if not id_check.ok:
            issues.append(_issue("site_person_id_no", "负责人身份证号", id_check.reason))
    return issues


def check_times(
    started: dt.datetime, ended: dt.datetime | None, now: dt.datetime
) -> list[FieldIssue]:
    """Start not in the future; end after start and not in the future."""
    issues = []
    if started > now + CLOCK_TOLERANCE:
        issues.append(_issue("started_at", "开始时间", "开始时间晚于当前时间，请核对。"))
    if ended is not None:
        if ended < started:
            issues.append(_issue("ended_at", "结束时间", "结束时间早于开始时间，请核对。"))
        elif ended > now + CLOCK_TOLERANCE:
            issues.append(_issue("ended_at", "结束时间", "结束时间晚于当前时间，请核对。"))
    return issues


def _issue(field: str, label: str, message: str) -> FieldIssue:
    return FieldIssue(field, message, field_label=label)
