"""What a 居民身份证号码 says about its holder: birth date, sex and age.

Documents about a person (行政处罚决定书（个人）, 询问笔录, 听证笔录) print 性别 and 年龄 beside the
ID number; reading them from the number (GB 11643-1999: digits 7–14 the birth date, digit 17
odd for men) keeps the three consistent. A number that fails the check yields nothing.
"""

from __future__ import annotations

import datetime as dt

from fuanjian_desktop.domain.codes import check_resident_id


def birth_date(id_no: str | None) -> dt.date | None:
    """The holder's birth date, or ``None`` when ``id_no`` is not a valid 18-digit number."""
    number = _valid(id_no)
    if not number:
        return None
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex_of(id_no: str | None) -> str:
    """男 or 女 from the 17th digit; empty for an invalid number."""
    number = _valid(id_no)
    if not number:
        return ""
    return "男" if int(number[16]) % 2 else "女"


def age_on(id_no: str | None, day: dt.date) -> int | None:
    """Age in whole years on ``day`` (the document's date), or ``None`` for an invalid number."""
    born = birth_date(id_no)
    if born is None:
        return None
    had_birthday = (day.month, day.day) >= (born.month, born.day)
    return day.year - born.year - (0 if had_birthday else 1)


def _valid(id_no: str | None) -> str:
    """The number normalised, or empty when it fails the GB 11643 check."""
    check = check_resident_id(id_no or "")
    return check.normalized if check.ok else ""
