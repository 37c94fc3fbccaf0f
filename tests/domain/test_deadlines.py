"""Working days follow the State Council's holiday calendar, including weekend make-up days."""

from __future__ import annotations

import datetime as dt

import pytest

from fuanjian_desktop.domain.deadlines import add_working_days, compute_deadline, is_working_day

D = dt.date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 10, 1), False),  # 国庆节
        (D(2026, 10, 10), True),  # Saturday worked (调休上班)
        (D(2026, 10, 11), False),  # ordinary Sunday
        (D(2026, 2, 14), True),  # Saturday before 春节, worked
        (D(2026, 2, 23), False),  # Monday, last day of 春节
        (D(2025, 10, 8), False),  # 2025 国庆中秋, 8 days
        (D(2026, 11, 26), True),  # an ordinary Thursday
    ],
)
def test_is_working_day(day: dt.date, working: bool) -> None:
    assert is_working_day(day) is working


def test_deadline_across_national_day_skips_the_holiday_and_counts_the_makeup_saturday() -> None:
    deadline = compute_deadline(D(2026, 9, 24), 10)
    assert deadline.due == D(2026, 10, 15)
    assert deadline.days_off_skipped == 11
    assert deadline.explanation == "2026-09-24 起 10 个工作日（跳过 11 天节假日和周末）→ 2026-10-15"


def test_the_start_day_is_not_counted() -> None:
    assert add_working_days(D(2026, 11, 26), 1) == D(2026, 11, 27)
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)


def test_zero_days_means_immediately() -> None:
    assert add_working_days(D(2026, 10, 1), 0) == D(2026, 10, 1)


def test_spring_festival_2026() -> None:
    # Fri 13 Feb + 3: Sat 14 (worked), then 15–23 off, then Tue 24, Wed 25
    assert add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)


def test_a_year_missing_from_the_calendar_is_flagged() -> None:
    deadline = compute_deadline(D(2026, 12, 28), 5)
    assert deadline.uncovered_years == (2027,)
    assert "2027年放假安排尚未录入" in deadline.explanation
    assert compute_deadline(D(2026, 11, 2), 5).uncovered_years == ()


def test_negative_days_are_a_programming_error() -> None:
    with pytest.raises(ValueError):
        compute_deadline(D(2026, 1, 5), -1)
