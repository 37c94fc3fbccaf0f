"""Identifier checks: 统一社会信用代码 (GB 32100-2015), 居民身份证号码 (GB 11643-1999), phones.

Each check returns a :class:`CodeCheck` instead of raising, because the caller decides how
hard a failure is: a USCC whose check character fails is only a warning (real registers hold
such codes), a malformed ID number is an error.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3}-?)?[2-9]\d{6,7}(-\d{1,6})?$")


@dataclass(frozen=True)
class CodeCheck:
    """Outcome of an identifier check: ``reason`` is a Chinese explanation, empty when ok."""

    ok: bool
    reason: str = ""
    normalized: str = ""


def normalize_code(text: str) -> str:
    """Strip spaces (including full-width ones) and upper-case, as people type codes loosely."""
    return re.sub(r"\s+", "", text.replace("\u3000", "")).upper()


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a USCC.

    When the weighted sum is divisible by 31 the check character is '0' (index 0), a case
    some public implementations get wrong by indexing position 31.
    """
    total = sum(
        USCC_CHARSET.index(char) * weight
        for char, weight in zip(first17, USCC_WEIGHTS, strict=True)
    )
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_well_formed(code: str) -> bool:
    """Whether a normalised USCC has the right length, characters and structure."""
    return bool(_USCC_SHAPE.match(code))


def check_uscc(text: str) -> CodeCheck:
    """Check a 统一社会信用代码: length, character set, structure and the check character."""
    code = normalize_code(text)
    if not code:
        return CodeCheck(False, "统一社会信用代码为空，请填写18位代码。")
    if len(code) != 18:
        return CodeCheck(
            False, f"统一社会信用代码应为18位，当前为{len(code)}位，请核对营业执照。", code
        )
    bad = sorted({char for char in code if char not in USCC_CHARSET})
    if bad:
        return CodeCheck(
            False,
            f"统一社会信用代码含有不允许的字符“{''.join(bad)}”（代码中不使用 I、O、S、V、Z），"
            "请核对营业执照（常见原因：数字0误写成字母O，数字1误写成字母I）。",
            code,
        )
    if not uscc_well_formed(code):
        return CodeCheck(
            False, "统一社会信用代码第3至8位应为数字（登记管理机关行政区划码），请核对。", code
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return CodeCheck(
            False,
            f"统一社会信用代码校验位不符：第18位应为“{expected}”，实际为“{code[17]}”，"
            "请核对是否抄错。",
            code,
        )
    return CodeCheck(True, "", code)


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character (ISO 7064 MOD 11-2) for 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def check_resident_id(text: str, today: dt.date | None = None) -> CodeCheck:
    """Check an 18-digit 居民身份证号码: shape, a real birth date not in the future, check digit."""
    number = normalize_code(text)
    if not number:
        return CodeCheck(False, "身份证号码为空，请填写18位号码。")
    if len(number) != 18:
        return CodeCheck(False, f"身份证号码应为18位，当前为{len(number)}位，请核对。", number)
    if not _ID_SHAPE.match(number):
        return CodeCheck(False, "身份证号码前17位应为数字，最后一位为数字或X，请核对。", number)
    birth_problem = _birth_date_problem(number[6:14], today or dt.date.today())
    if birth_problem:
        return CodeCheck(False, birth_problem, number)
    expected = id_check_char(number[:17])
    if number[17] != expected:
        return CodeCheck(
            False,
            f"身份证号码校验位不符：最后一位应为“{expected}”，实际为“{number[17]}”，请核对是否抄错。",
            number,
        )
    return CodeCheck(True, "", number)


def _birth_date_problem(digits: str, today: dt.date) -> str:
    """Why the 8-digit birth date of an ID number is impossible, or '' when it is a real date."""
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return f"身份证号码中的出生日期“{digits}”不是有效日期，请核对第7至14位。"
    if born > today:
        return f"身份证号码中的出生日期“{born:%Y年%m月%d日}”晚于今天，请核对第7至14位。"
    if born.year < 1880:
        return f"身份证号码中的出生年份“{born.year}”不合理，请核对第7至14位。"
    return ""


def check_phone(text: str) -> CodeCheck:
    """Check a mainland mobile (11 digits starting 1) or a landline with optional area code."""
    number = re.sub(r"[\s()（）]", "", text)
    if _MOBILE.match(number) or _LANDLINE.match(number):
        return CodeCheck(True, "", number)
    return CodeCheck(
        False,
        f"电话号码“{text}”格式不正确：手机号应为以1开头的11位数字，固定电话如 0755-83331234。",
        number,
    )
