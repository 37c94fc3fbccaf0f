"""Dates, times, citations and item numbers as the enforcement documents write them."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from fuanjian_desktop.domain.documents.document_text import (
    cited,
    item_numbers,
    sentences,
    written_date,
    written_moment,
    written_period,
)

LAW = "中华人民共和国安全生产法"
MARCH_5 = dt.date(2026, 3, 5)


@pytest.fixture
def shenzhen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The laptop's clock set to Shenzhen time (UTC+8), restored afterwards."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    """A local wall-clock moment, stored the way the database hands it back (aware UTC)."""
    naive = dt.datetime(day.year, day.month, day.day, hour, minute)
    return naive.astimezone().astimezone(dt.UTC)


def test_dates_have_no_leading_zeros() -> None:
    """``2026年3月5日``, as the templates print dates; no date prints blank."""
    assert written_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert written_date(dt.date(2026, 11, 26)) == "2026年11月26日"
    assert written_date(None) == ""


def test_moments_print_in_local_time_with_two_digit_minutes() -> None:
    """A stored UTC moment prints as the local wall clock: ``2026年3月5日9时05分``."""
    assert written_moment(local(MARCH_5, 9, 5)) == "2026年3月5日9时05分"
    assert written_moment(local(MARCH_5, 14, 30)) == "2026年3月5日14时30分"
    assert written_moment(None) == ""


def test_utc_moments_print_in_shenzhen_time(shenzhen: None) -> None:
    """01:30 UTC is 9时30分 in Shenzhen (UTC+8), and 20:00 UTC is the next morning there."""
    assert written_moment(dt.datetime(2026, 3, 5, 1, 30, tzinfo=dt.UTC)) == "2026年3月5日9时30分"
    assert written_moment(dt.datetime(2026, 3, 5, 20, 0, tzinfo=dt.UTC)) == "2026年3月6日4时00分"


def test_a_period_names_the_year_once_and_leaves_an_open_end_for_the_pen() -> None:
    """检查时间 reads 年月日时分至月日时分; without an end the end is blanks to fill in."""
    start, end = local(MARCH_5, 9, 30), local(MARCH_5, 11, 5)
    assert written_period(start, end) == "2026年3月5日9时30分至3月5日11时05分"
    open_end = written_period(start, None)
    assert open_end.startswith("2026年3月5日9时30分至")
    assert open_end.endswith("月\u3000\u3000日\u3000\u3000时\u3000\u3000分")


def test_a_law_is_named_once_for_its_articles() -> None:
    """Articles of one law follow one title; duplicates drop; another law gets its own title."""
    citations = [
        f"《{LAW}》第二十八条第一款",
        f"《{LAW}》第四十五条",
        f"《{LAW}》第二十八条第一款",
        "《广东省安全生产条例》第十条",
        f"《{LAW}》第九十七条",
    ]
    assert cited(citations) == (
        "《中华人民共和国安全生产法》第二十八条第一款、第四十五条、第九十七条、"
        "《广东省安全生产条例》第十条"
    )
    assert cited(["第十条", "第十条"]) == "第十条"
    assert cited([]) == ""


def test_item_numbers_and_sentences() -> None:
    """上述第1、2、3项; texts run together with each sentence closed by 。."""
    assert item_numbers(3) == "1、2、3"
    assert item_numbers(0) == ""
    assert sentences(["称已整改", "请求从轻处罚。", " "]) == "称已整改。请求从轻处罚。"
