"""Identifier checks: 统一社会信用代码 (GB 32100-2015), 居民身份证号码 (GB 11643-1999), phones.

The valid and invalid vectors are the official ones listed in
``/work/shared/domain/checklists-and-violations.md`` §5.1 and §5.2. Where a test needs a check
character it computes it here from the published weights, independently of the code under test.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from fuanjian_desktop.domain.codes import (
    check_phone,
    check_resident_id,
    check_uscc,
    uscc_check_char,
)

VALID_USCC = (
    "91350200776049653A",
    "91350500798359476R",
    "91350503MA31DKY80A",
    "91350200MA31E12PXF",
    "91440101MA5CJQ4N59",
    "913502000728319549",
    "123502001549897397",
    "9135021359498494XQ",
    "91350213678251743X",
)
INVALID_USCC = "91350203M0001QAY9B"
VALID_IDS = ("11010519491231002X", "440524188001010014")

# From §5.1 / §5.2, written out again so the tests do not trust the module's own tables.
SPEC_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
SPEC_USCC_WEIGHTS = [pow(3, i, 31) for i in range(17)]
SPEC_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def spec_uscc_sum(first17: str) -> int:
    """S = Σ index(c_i) × W_i as §5.1 defines it."""
    return sum(
        SPEC_USCC_CHARSET.index(c) * w for c, w in zip(first17, SPEC_USCC_WEIGHTS, strict=True)
    )


def spec_id(first17: str) -> str:
    """A full 18-character ID number: ``first17`` plus its §5.2 check character."""
    total = sum(int(d) * w for d, w in zip(first17, SPEC_ID_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def test_spec_weights_are_the_published_ones() -> None:
    """The weights this file derives equal the tables printed in §5.1 and §5.2."""
    assert SPEC_USCC_WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    assert SPEC_ID_WEIGHTS == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


# --- 统一社会信用代码 -------------------------------------------------------------------


@pytest.mark.parametrize("code", VALID_USCC)
def test_official_valid_uscc_vectors_pass(code: str) -> None:
    """Every valid USCC vector of §5.1 is accepted with no reason and kept as typed."""
    result = check_uscc(code)
    assert result.ok, result.reason
    assert result.reason == ""
    assert result.normalized == code


@pytest.mark.parametrize("code", VALID_USCC)
def test_uscc_check_char_matches_official_vectors(code: str) -> None:
    """uscc_check_char of the first 17 characters gives each vector's 18th character."""
    assert uscc_check_char(code[:17]) == code[17]


def test_official_invalid_uscc_fails_on_check_char() -> None:
    """91350203M0001QAY9B is refused, and the reason names the check character (校验位)."""
    result = check_uscc(INVALID_USCC)
    assert not result.ok
    assert "校验位" in result.reason
    assert "“9”" in result.reason and "“B”" in result.reason


@pytest.mark.parametrize("code", ["91350200776049653", "91350200776049653AA", "9135", ""])
def test_uscc_of_wrong_length_is_refused(code: str) -> None:
    """A USCC that is not 18 characters long is refused with a Chinese reason."""
    result = check_uscc(code)
    assert not result.ok
    assert "18位" in result.reason


def test_wrong_length_reason_says_how_long_it_is() -> None:
    """The length message tells the user how many characters were actually typed."""
    assert "当前为17位" in check_uscc(VALID_USCC[0][:17]).reason


@pytest.mark.parametrize("letter", ["I", "O", "S", "V", "Z"])
def test_uscc_with_forbidden_letter_is_refused(letter: str) -> None:
    """The letters I, O, S, V and Z never occur in a USCC; the reason names the offending one."""
    code = VALID_USCC[2][:10] + letter + VALID_USCC[2][11:]
    assert len(code) == 18
    result = check_uscc(code)
    assert not result.ok
    assert f"“{letter}”" in result.reason
    assert "校验位" not in result.reason


def test_uscc_with_letters_in_region_code_is_refused() -> None:
    """Positions 3-8 (the region code) must be digits."""
    result = check_uscc("91A50200776049653A")
    assert not result.ok
    assert "第3至8位" in result.reason


def test_lower_case_uscc_is_normalised() -> None:
    """A USCC typed in lower case is accepted and normalised to upper case."""
    result = check_uscc("91350503ma31dky80a")
    assert result.ok
    assert result.normalized == "91350503MA31DKY80A"


def test_spaces_in_uscc_are_stripped() -> None:
    """Spaces, tabs and full-width spaces typed inside a USCC are ignored."""
    result = check_uscc(" 9135 0200\t7760\u30004965 3A ")
    assert result.ok
    assert result.normalized == "91350200776049653A"


def test_uscc_whose_weighted_sum_is_divisible_by_31_has_check_char_zero() -> None:
    """When S mod 31 == 0 the check character is '0' (not an out-of-range index 31)."""
    prefix = "9144030400000000"  # 91 + 福田区 440304 + 8 zeros, one character still to choose
    matches = [c for c in SPEC_USCC_CHARSET if spec_uscc_sum(prefix + c) % 31 == 0]
    assert len(matches) == 1  # weight 28 is invertible mod 31, so exactly one choice works
    first17 = prefix + matches[0]
    assert uscc_check_char(first17) == "0"
    result = check_uscc(first17 + "0")
    assert result.ok, result.reason
    assert not check_uscc(first17 + "1").ok


# --- 居民身份证号码 ---------------------------------------------------------------------


@pytest.mark.parametrize("number", VALID_IDS)
def test_official_valid_id_vectors_pass(number: str) -> None:
    """Both valid ID vectors of §5.2 are accepted."""
    result = check_resident_id(number)
    assert result.ok, result.reason
    assert result.normalized == number


def test_lower_case_x_is_accepted_and_normalised() -> None:
    """A final lower-case x is accepted and stored as X."""
    result = check_resident_id("11010519491231002x")
    assert result.ok
    assert result.normalized == "11010519491231002X"


@pytest.mark.parametrize("birth", ["20000229", "19960229"])
def test_29_february_of_a_leap_year_is_a_real_birth_date(birth: str) -> None:
    """29 February is accepted in a leap year (2000 is one, though divisible by 100)."""
    result = check_resident_id(spec_id(f"440304{birth}123"), today=dt.date(2024, 6, 1))
    assert result.ok, result.reason


@pytest.mark.parametrize("birth", ["19990229", "19000229", "19990230", "19991301"])
def test_impossible_birth_date_is_refused(birth: str) -> None:
    """29 Feb of a non-leap year (1900 included) and other impossible dates are refused."""
    result = check_resident_id(spec_id(f"440304{birth}123"), today=dt.date(2024, 6, 1))
    assert not result.ok
    assert "出生日期" in result.reason
    assert birth in result.reason


def test_birth_date_after_today_is_refused() -> None:
    """A birth date later than ``today`` is refused; the same number is fine a day later."""
    number = spec_id("44030420240602123")
    result = check_resident_id(number, today=dt.date(2024, 6, 1))
    assert not result.ok
    assert "晚于今天" in result.reason
    assert check_resident_id(number, today=dt.date(2024, 6, 2)).ok


def test_wrong_id_check_digit_is_refused_in_chinese() -> None:
    """A wrong last digit is refused, and the Chinese reason gives the expected one."""
    result = check_resident_id("440524188001010015")
    assert not result.ok
    assert CHINESE.search(result.reason)
    assert "校验位" in result.reason
    assert "“4”" in result.reason


@pytest.mark.parametrize("number", ["4405241880010100", "44052418800101001X1", ""])
def test_id_of_wrong_length_is_refused(number: str) -> None:
    """An ID number that is not 18 characters is refused."""
    result = check_resident_id(number)
    assert not result.ok
    assert "18位" in result.reason


def test_id_with_letter_before_the_last_place_is_refused() -> None:
    """Only the last character may be X; letters elsewhere are refused."""
    result = check_resident_id("4405241880010100X4")
    assert not result.ok
    assert "前17位" in result.reason


# --- 电话 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("13800138000", "13800138000"),
        ("199 1234 5678", "19912345678"),
        ("0755-83331234", "0755-83331234"),
        ("075583331234", "075583331234"),
        ("(0755)83331234", "075583331234"),
        ("（0755）8333 1234", "075583331234"),
        ("83331234", "83331234"),
        ("010-62345678-801", "010-62345678-801"),
    ],
)
def test_mobile_and_landline_numbers_are_accepted(typed: str, normalized: str) -> None:
    """Mainland mobiles and landlines (area code, brackets, spaces, extension) are accepted."""
    result = check_phone(typed)
    assert result.ok, result.reason
    assert result.normalized == normalized


@pytest.mark.parametrize(
    "typed", ["12345", "12812345678", "1380013800", "138001380001", "10086abc", "0755-1234567"]
)
def test_malformed_phone_numbers_are_refused(typed: str) -> None:
    """Too short/long, a mobile not starting 13-19, letters, a landline starting 1: refused."""
    result = check_phone(typed)
    assert not result.ok
    assert "电话号码" in result.reason
    assert typed in result.reason
