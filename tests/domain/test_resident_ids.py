"""Birth date, sex and age read from a 居民身份证号码 (GB 11643-1999)."""

from __future__ import annotations

import datetime as dt

from fuanjian_desktop.domain.resident_ids import age_on, birth_date, sex_of

WOMAN = "11010519491231002X"  # official vector: born 1949-12-31, 17th digit 2
MAN = "440524188001010014"  # official vector: born 1880-01-01, 17th digit 1


def test_birth_date_and_sex_come_from_the_number() -> None:
    """Digits 7–14 are the birth date; an odd 17th digit is a man, an even one a woman."""
    assert birth_date(WOMAN) == dt.date(1949, 12, 31)
    assert (sex_of(WOMAN), sex_of(MAN)) == ("女", "男")
    assert sex_of(" 11010519491231002x ") == "女"  # typed loosely


def test_age_counts_whole_years_on_the_document_date() -> None:
    """The birthday itself completes a year; the day before it does not."""
    assert age_on(WOMAN, dt.date(2026, 12, 30)) == 76
    assert age_on(WOMAN, dt.date(2026, 12, 31)) == 77


def test_an_invalid_number_says_nothing() -> None:
    """A wrong check digit or no number gives no sex and no age, never a guess."""
    assert birth_date("110105194912310021") is None
    assert sex_of(None) == ""
    assert age_on("", dt.date(2026, 1, 1)) is None
