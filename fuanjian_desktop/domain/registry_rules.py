"""Validation of an enterprise/venue entry, shared by the edit dialog and the Excel import.

A draft holds the values as typed (text); validation returns the cleaned values and a list of
field issues. The only issue a user may override is a USCC whose check character fails — real
registers contain such codes — and only with a written reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from fuanjian_desktop.domain.codes import (
    check_phone,
    check_resident_id,
    check_uscc,
    normalize_code,
    uscc_well_formed,
)
from fuanjian_desktop.errors import UserError

MAX_FLOOR_AREA = Decimal("1000000")
MIN_OVERRIDE_REASON = 4

FIELD_LABELS = {
    "name": "名称",
    "uscc": "统一社会信用代码",
    "uscc_override_reason": "校验位不符说明",
    "operator_name": "经营者姓名",
    "operator_id_no": "经营者身份证号",
    "address": "地址",
    "street": "街道",
    "community": "社区",
    "grid": "网格",
    "contact_name": "负责人",
    "contact_phone": "联系电话",
    "floor_area": "面积（㎡）",
    "categories": "类别",
    "key_supervision": "重点监管",
    "blacklisted": "黑名单",
    "notes": "备注",
}


@dataclass(frozen=True)
class EnterpriseDraft:
    """An enterprise as entered: text fields exactly as typed or read from a spreadsheet."""

    name: str = ""
    uscc: str = ""
    uscc_override_reason: str = ""
    operator_name: str = ""
    operator_id_no: str = ""
    address: str = ""
    street: str = ""
    community: str = ""
    grid: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    floor_area: str = ""
    categories: tuple[str, ...] = ()
    key_supervision: bool = False
    blacklisted: bool = False
    notes: str = ""


@dataclass(frozen=True)
class FieldIssue:
    """One problem with one field; ``overridable`` issues can be accepted with a reason."""

    field: str
    message: str
    overridable: bool = False
    field_label: str = ""  # for fields outside the enterprise form

    @property
    def label(self) -> str:
        """The field's Chinese label."""
        return self.field_label or FIELD_LABELS.get(self.field, self.field)


class InvalidFields(UserError):
    """Input with field issues; a dialog shows each beside its field, the message lists all."""

    def __init__(self, heading: str, issues: Sequence[FieldIssue]) -> None:
        lines = "\n".join(f"· {issue.label}：{issue.message}" for issue in issues)
        super().__init__(f"{heading}\n{lines}")
        self.issues = list(issues)


@dataclass(frozen=True)
class CleanEnterprise:
    """Validated, normalised values ready to store."""

    name: str
    uscc: str | None
    uscc_override_reason: str | None
    operator_name: str | None
    operator_id_no: str | None
    address: str
    street: str
    community: str | None
    grid: str | None
    contact_name: str | None
    contact_phone: str | None
    floor_area: Decimal | None
    categories: tuple[str, ...]
    key_supervision: bool
    blacklisted: bool
    notes: str | None


@dataclass
class _Checker:
    """Collects the issues of one draft while its fields are cleaned."""

    draft: EnterpriseDraft
    categories: Collection[str]
    streets: Collection[str]
    today: dt.date
    issues: list[FieldIssue] = field(default_factory=list)

    def error(self, field_name: str, message: str, overridable: bool = False) -> None:
        self.issues.append(FieldIssue(field_name, message, overridable))

    def text(self, field_name: str, max_length: int, required: str = "") -> str | None:
        value = " ".join(str(getattr(self.draft, field_name)).split())
        if not value:
            if required:
                self.error(field_name, required)
            return None
        if len(value) > max_length:
            label = FIELD_LABELS[field_name]
            self.error(field_name, f"{label}不能超过{max_length}个字，当前{len(value)}个字。")
        return value


def validate_enterprise(
    draft: EnterpriseDraft,
    categories: Collection[str],
    streets: Collection[str],
    today: dt.date | None = None,
) -> tuple[CleanEnterprise | None, list[FieldIssue]]:
    """Check a draft; return the cleaned values (``None`` if any issue remains) and the issues."""
    checker = _Checker(draft, categories, streets, today or dt.date.today())
    name = checker.text("name", 200, "请填写名称；无字号的个体户可填写“经营者姓名+经营项目”。")
    uscc, reason = _clean_uscc(checker)
    operator_name = checker.text("operator_name", 50)
    operator_id_no = _clean_id(checker)
    if uscc is None and not (operator_name and operator_id_no):
        checker.error(
            "uscc", "请填写统一社会信用代码；无代码的个体工商户须填写经营者姓名和身份证号。"
        )
    address = checker.text("address", 300, "请填写经营场所地址。")
    street = _clean_street(checker)
    phone = _clean_phone(checker)
    area = _clean_area(checker)
    chosen = _clean_categories(checker)
    values = CleanEnterprise(
        name=name or "",
        uscc=uscc,
        uscc_override_reason=reason,
        operator_name=operator_name,
        operator_id_no=operator_id_no,
        address=address or "",
        street=street or "",
        community=checker.text("community", 50),
        grid=checker.text("grid", 50),
        contact_name=checker.text("contact_name", 50),
        contact_phone=phone,
        floor_area=area,
        categories=chosen,
        key_supervision=draft.key_supervision,
        blacklisted=draft.blacklisted,
        notes=checker.text("notes", 2000),
    )
    return (None if checker.issues else values), checker.issues


def _clean_uscc(checker: _Checker) -> tuple[str | None, str | None]:
    """The normalised USCC and, when its check character fails, the accepted override reason."""
    raw = normalize_code(checker.draft.uscc)
    if not raw:
        return None, None
    result = check_uscc(raw)
    if result.ok:
        return result.normalized, None
    if not uscc_well_formed(raw):
        checker.error("uscc", result.reason)
        return raw, None
    reason = " ".join(checker.draft.uscc_override_reason.split())
    if len(reason) >= MIN_OVERRIDE_REASON:
        return raw, reason
    checker.error(
        "uscc",
        f"{result.reason}如核对营业执照确认无误，请在“校验位不符说明”中写明理由。",
        overridable=True,
    )
    return raw, None


def _clean_id(checker: _Checker) -> str | None:
    raw = normalize_code(checker.draft.operator_id_no)
    if not raw:
        return None
    result = check_resident_id(raw, checker.today)
    if not result.ok:
        checker.error("operator_id_no", f"经营者{result.reason}")
    return result.normalized or raw


def _clean_street(checker: _Checker) -> str | None:
    street = checker.text("street", 50, "请选择所属街道。")
    if street and street not in checker.streets:
        known = "、".join(checker.streets)
        checker.error("street", f"街道“{street}”不在本区街道名单中，请从以下街道中选择：{known}。")
    return street


def _clean_phone(checker: _Checker) -> str | None:
    raw = checker.draft.contact_phone.strip()
    if not raw:
        return None
    result = check_phone(raw)
    if not result.ok:
        checker.error("contact_phone", result.reason)
    return result.normalized


def _clean_area(checker: _Checker) -> Decimal | None:
    raw = checker.draft.floor_area.strip().replace(",", "").replace("㎡", "")
    if not raw:
        return None
    try:
        area = Decimal(raw)
    except InvalidOperation:
        checker.error("floor_area", f"面积“{raw}”不是数字，请填写平方米数，如 85.5。")
        return None
    if not area.is_finite() or area <= 0 or area >= MAX_FLOOR_AREA:
        checker.error("floor_area", "面积应大于0且小于1,000,000平方米，请核对。")
        return None
    if area != area.quantize(Decimal("0.01")):
        checker.error("floor_area", "面积最多保留两位小数，请核对。")
        return None
    return area


def _clean_categories(checker: _Checker) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(checker.draft.categories))
    if not chosen:
        checker.error("categories", "请至少选择一个监管类别（如 三小场所·小档口）。")
    unknown = [code for code in chosen if code not in checker.categories]
    if unknown:
        checker.error("categories", f"未知的监管类别：{'、'.join(unknown)}，请从列表中选择。")
    return chosen
