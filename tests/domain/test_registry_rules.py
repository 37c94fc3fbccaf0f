"""Validation of an enterprise entry (shared by the edit dialog and the Excel import)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from fuanjian_desktop import reference
from fuanjian_desktop.domain.registry_rules import (
    CleanEnterprise,
    FieldIssue,
    validate_enterprise,
)
from tests.samples import HARDWARE_SHOP

TODAY = dt.date(2026, 6, 1)
GOOD = HARDWARE_SHOP
BAD_CHECK_CHAR = "91350203M0001QAY9B"
OPERATOR_ID = "440524188001010014"


def validate(**changes: Any) -> tuple[CleanEnterprise | None, list[FieldIssue]]:
    """Validate the good draft with ``changes`` against the shipped categories and streets."""
    draft = dataclasses.replace(GOOD, **changes)
    return validate_enterprise(
        draft, reference.category_labels().keys(), reference.street_names(), today=TODAY
    )


def issues_of(field: str, **changes: Any) -> list[FieldIssue]:
    """The issues on ``field`` (the draft as a whole must then be refused)."""
    clean, issues = validate(**changes)
    assert clean is None
    return [issue for issue in issues if issue.field == field]


def test_good_draft_passes_with_normalised_values() -> None:
    """A complete, correct draft passes with no issues and typed values cleaned."""
    clean, issues = validate(uscc=" 9135 0200 7760 4965 3a ", name="  晨光   五金店 ")
    assert issues == []
    assert clean is not None
    assert clean.uscc == "91350200776049653A"
    assert clean.name == "晨光 五金店"
    assert clean.floor_area == Decimal("85.5")
    assert clean.categories == ("three_small.shop",)
    assert clean.uscc_override_reason is None
    assert clean.operator_name is None and clean.operator_id_no is None


def test_reference_data_is_the_futian_district() -> None:
    """The shipped reference data holds the 10 街道 of 福田 and the three-small shop category."""
    assert len(reference.street_names()) == 10
    assert "园岭街道" in reference.street_names()
    assert "three_small.shop" in reference.category_labels()


def test_wrong_check_char_is_an_overridable_issue() -> None:
    """A USCC failing only its check character is one overridable issue asking for a reason."""
    clean, issues = validate(uscc=BAD_CHECK_CHAR)
    assert clean is None
    assert len(issues) == 1
    (issue,) = issues
    assert issue.field == "uscc"
    assert issue.overridable
    assert "校验位" in issue.message
    assert "校验位不符说明" in issue.message
    assert issue.label == "统一社会信用代码"


def test_wrong_check_char_passes_with_a_written_reason() -> None:
    """With an override reason the same code is accepted and the reason kept with it."""
    clean, issues = validate(uscc=BAD_CHECK_CHAR, uscc_override_reason="  与营业执照原件一致 ")
    assert issues == []
    assert clean is not None
    assert clean.uscc == BAD_CHECK_CHAR
    assert clean.uscc_override_reason == "与营业执照原件一致"


def test_too_short_override_reason_is_not_enough() -> None:
    """A reason under four characters does not override the check-character issue."""
    (issue,) = issues_of("uscc", uscc=BAD_CHECK_CHAR, uscc_override_reason="无误")
    assert issue.overridable


def test_override_reason_is_dropped_for_a_valid_uscc() -> None:
    """A reason typed for a code that passes is not stored (nothing was overridden)."""
    clean, _ = validate(uscc_override_reason="与营业执照原件一致")
    assert clean is not None
    assert clean.uscc_override_reason is None


@pytest.mark.parametrize(
    "uscc",
    ["91350200776049653", "913502007760496", "91350200776O49653A", "91A50200776049653A"],
)
def test_malformed_uscc_is_a_hard_issue_even_with_a_reason(uscc: str) -> None:
    """Wrong length, a forbidden letter or a bad region code cannot be overridden by a reason."""
    issues = issues_of("uscc", uscc=uscc, uscc_override_reason="与营业执照原件一致")
    assert len(issues) == 1
    assert not issues[0].overridable


def test_individual_without_uscc_needs_operator_name_and_id() -> None:
    """A 个体户 with no USCC is refused unless both the operator's name and ID are given."""
    for changes in ({}, {"operator_name": "李四"}, {"operator_id_no": OPERATOR_ID}):
        (issue,) = issues_of("uscc", uscc="", **changes)
        assert "经营者姓名和身份证号" in issue.message
        assert not issue.overridable


def test_individual_with_operator_name_and_id_passes() -> None:
    """A 个体户 identified by operator name and a valid ID needs no USCC."""
    clean, issues = validate(uscc="", operator_name="李四", operator_id_no="11010519491231002x")
    assert issues == []
    assert clean is not None
    assert clean.uscc is None
    assert clean.operator_id_no == "11010519491231002X"


def test_invalid_operator_id_is_an_issue() -> None:
    """An operator ID failing its check digit is an issue on that field, in Chinese."""
    (issue,) = issues_of(
        "operator_id_no", uscc="", operator_name="李四", operator_id_no="440524188001010015"
    )
    assert issue.message.startswith("经营者身份证号码")
    assert "校验位" in issue.message
    assert not issue.overridable


def test_operator_id_born_after_today_is_an_issue() -> None:
    """The validation's ``today`` is used for the ID's birth date check."""
    (issue,) = issues_of("operator_id_no", operator_name="李四", operator_id_no=_born("20260602"))
    assert "晚于今天" in issue.message


def _born(birth: str) -> str:
    """A valid-looking ID number with the given birth date (check digit computed)."""
    first17 = f"440304{birth}123"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(first17, weights, strict=True))
    return first17 + "10X98765432"[total % 11]


def test_unknown_street_is_refused_with_the_list() -> None:
    """A street outside the district is refused and the message lists the known streets."""
    (issue,) = issues_of("street", street="东门街道")
    assert "东门街道" in issue.message
    assert "园岭街道" in issue.message


def test_missing_street_is_refused() -> None:
    """The street is required."""
    (issue,) = issues_of("street", street="  ")
    assert "街道" in issue.message


def test_unknown_category_is_refused() -> None:
    """A category code not in the shipped list is refused and named."""
    (issue,) = issues_of("categories", categories=("three_small.shop", "casino"))
    assert "casino" in issue.message


def test_at_least_one_category_is_required() -> None:
    """An enterprise without any category is refused."""
    (issue,) = issues_of("categories", categories=())
    assert "至少选择一个" in issue.message


def test_duplicate_categories_are_collapsed() -> None:
    """Choosing a category twice stores it once, keeping the order of first choice."""
    clean, _ = validate(categories=("confined_space", "three_small.shop", "confined_space"))
    assert clean is not None
    assert clean.categories == ("confined_space", "three_small.shop")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("85.5", Decimal("85.5")),
        ("1,234.50", Decimal("1234.50")),
        ("60㎡", Decimal("60")),
        ("999999.99", Decimal("999999.99")),
        ("0.01", Decimal("0.01")),
        ("", None),
    ],
)
def test_valid_floor_areas_are_cleaned(typed: str, stored: Decimal | None) -> None:
    """Areas with separators or the ㎡ sign are cleaned to a Decimal; empty means unknown."""
    clean, issues = validate(floor_area=typed)
    assert issues == []
    assert clean is not None
    assert clean.floor_area == stored


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("八十", "不是数字"),
        ("0", "大于0"),
        ("-5", "大于0"),
        ("1000000", "小于1,000,000"),
        ("NaN", "大于0"),
        ("Infinity", "大于0"),
        ("85.555", "两位小数"),
    ],
)
def test_invalid_floor_areas_are_refused(typed: str, hint: str) -> None:
    """Non-numbers, non-positive, too large or over-precise areas are refused with a hint."""
    (issue,) = issues_of("floor_area", floor_area=typed)
    assert hint in issue.message


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0755 8333 1234", "075583331234"), ("（0755）83331234", "075583331234"), ("", None)],
)
def test_good_or_missing_phone_is_accepted(typed: str, stored: str | None) -> None:
    """A landline with spaces or brackets is normalised; an empty phone is allowed."""
    clean, issues = validate(contact_phone=typed)
    assert issues == []
    assert clean is not None
    assert clean.contact_phone == stored


@pytest.mark.parametrize("typed", ["12345", "1380013800", "电话待补"])
def test_bad_phone_is_refused(typed: str) -> None:
    """A phone of the wrong shape is an issue on the phone field, quoting what was typed."""
    (issue,) = issues_of("contact_phone", contact_phone=typed)
    assert typed in issue.message


def test_required_name_and_address() -> None:
    """Name and address are required; each missing one is its own issue."""
    clean, issues = validate(name="", address=" ")
    assert clean is None
    assert {issue.field for issue in issues} == {"name", "address"}


def test_over_long_text_is_refused() -> None:
    """A name over 200 characters is refused with the limit and the actual length."""
    (issue,) = issues_of("name", name="店" * 201)
    assert "200" in issue.message and "201" in issue.message


def test_every_issue_is_reported_at_once() -> None:
    """Several problems are all reported together, so the user can fix them in one go."""
    clean, issues = validate(
        uscc="9135", street="东门街道", floor_area="-1", contact_phone="1", categories=()
    )
    assert clean is None
    assert {issue.field for issue in issues} == {
        "uscc",
        "street",
        "floor_area",
        "contact_phone",
        "categories",
    }
