"""Working days follow the State Council's holiday calendar, including weekend make-up days."""

from __future__ import annotations

import datetime as dt

import pytest

from fuanjian_desktop.domain.deadlines import (
    add_working_days,
    compute_deadline,
    is_working_day,
    roll_to_working_day,
)

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
        (D(2018, 12, 29), True),  # Saturday worked for 元旦 2019 (listed in the 2019 notice)
        (D(2018, 12, 31), False),  # Monday, 元旦 2019 放假调休
        (D(2019, 2, 2), True),  # Saturday before 春节 2019, worked
        (D(2019, 2, 3), True),  # Sunday before 春节 2019, worked
        (D(2019, 2, 4), False),  # first day of 春节 2019
        (D(2019, 2, 11), True),  # Monday after 春节 2019
        (D(2019, 4, 28), True),  # Sunday worked for the lengthened 劳动节 2019
        (D(2019, 5, 4), False),  # Saturday, last day of 劳动节 2019 (05-01..04)
        (D(2019, 5, 5), True),  # Sunday worked for 劳动节 2019
        (D(2019, 9, 29), True),  # Sunday worked before 国庆 2019
        (D(2019, 10, 7), False),  # Monday, last day of 国庆 2019
        (D(2019, 10, 12), True),  # Saturday worked after 国庆 2019
        (D(2019, 10, 13), False),  # ordinary Sunday
        (D(2020, 1, 19), True),  # Sunday worked before 春节 2020
        (D(2020, 1, 31), False),  # Friday inside the extended 春节 2020
        (D(2020, 2, 1), False),  # Saturday once set to be worked; the extension made it a day off
        (D(2020, 2, 3), True),  # Monday, work resumed after the extension
        (D(2024, 2, 9), True),  # 除夕 2024: only "encouraged" off, still a working day
        (D(2024, 2, 18), True),  # Sunday worked after 春节 2024
        (D(2024, 9, 14), True),  # Saturday worked before 中秋 2024
        (D(2024, 10, 12), True),  # Saturday worked after 国庆 2024
    ],
)
def test_is_working_day(day: dt.date, working: bool) -> None:
    """Holidays are off, make-up weekend days are worked, other days follow the week."""
    assert is_working_day(day) is working


def test_deadline_across_national_day_skips_the_holiday_and_counts_the_makeup_saturday() -> None:
    """2026-09-24 + 10 working days crosses 中秋 and 国庆 and counts Sat 10-10."""
    deadline = compute_deadline(D(2026, 9, 24), 10)
    assert deadline.due == D(2026, 10, 15)
    assert deadline.days_off_skipped == 11
    assert deadline.explanation == "2026-09-24 起 10 个工作日（跳过 11 天节假日和周末）→ 2026-10-15"


def test_the_start_day_is_not_counted() -> None:
    """One working day after Thursday is Friday; after Friday it is Monday."""
    assert add_working_days(D(2026, 11, 26), 1) == D(2026, 11, 27)
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)


def test_zero_days_means_immediately() -> None:
    """A period of 0 days (立即整改) is due on the start day itself."""
    assert add_working_days(D(2026, 10, 1), 0) == D(2026, 10, 1)


def test_spring_festival_2026() -> None:
    """The worked Saturday before 春节 2026 counts, the nine days off do not."""
    # Fri 13 Feb + 3: Sat 14 (worked), then 15–23 off, then Tue 24, Wed 25
    assert add_working_days(D(2026, 2, 13), 3) == D(2026, 2, 25)


def test_a_year_missing_from_the_calendar_is_flagged() -> None:
    """Counting into 2027 (not yet published) says so in the explanation."""
    deadline = compute_deadline(D(2026, 12, 28), 5)
    assert deadline.uncovered_years == (2027,)
    assert "2027年放假安排尚未录入" in deadline.explanation
    assert compute_deadline(D(2026, 11, 2), 5).uncovered_years == ()


def test_negative_days_are_a_programming_error() -> None:
    """A negative period is a bug, not a user error."""
    with pytest.raises(ValueError):
        compute_deadline(D(2026, 1, 5), -1)


def test_national_day_2019_counts_both_makeup_weekend_days() -> None:
    """2019-09-27 (Fri) + 10 working days → 2019-10-16, skipping 9 days."""
    # Sat 09-28 off; Sun 09-29 worked (1); Mon 09-30 (2); 10-01..07 off (7 days);
    # 10-08 (3), 10-09 (4), 10-10 (5), 10-11 (6); Sat 10-12 worked (7); Sun 10-13 off;
    # 10-14 (8), 10-15 (9), 10-16 (10). Skipped: 09-28, 10-01..07, 10-13 = 9.
    deadline = compute_deadline(D(2019, 9, 27), 10)
    assert deadline.due == D(2019, 10, 16)
    assert deadline.days_off_skipped == 9
    assert deadline.explanation == "2019-09-27 起 10 个工作日（跳过 9 天节假日和周末）→ 2019-10-16"


def test_spring_festival_2019() -> None:
    """2019-02-01 (Fri) + 3 working days → Mon 2019-02-11."""
    # Sat 02-02 worked (1); Sun 02-03 worked (2); 02-04..10 off; Mon 02-11 (3).
    assert add_working_days(D(2019, 2, 1), 3) == D(2019, 2, 11)


def test_spring_festival_2020_with_its_extension() -> None:
    """Thu 2020-01-23 + 1 → Mon 02-03; Fri 01-17 + 2 → Mon 01-20 via the worked Sunday."""
    # 01-24..02-02 are all off (extension to 02-02; Sat 02-01 no longer worked) → 02-03.
    assert add_working_days(D(2020, 1, 23), 1) == D(2020, 2, 3)
    # Sat 01-18 off; Sun 01-19 worked (1); Mon 01-20 (2).
    assert add_working_days(D(2020, 1, 17), 2) == D(2020, 1, 20)
    assert compute_deadline(D(2020, 1, 23), 1).days_off_skipped == 10


def test_spring_festival_2024() -> None:
    """2024-02-08 (Thu) + 2 → Sun 2024-02-18, and + 3 → Mon 02-19."""
    # Fri 02-09 (除夕) worked (1); 02-10..17 off; Sun 02-18 worked (2); Mon 02-19 (3).
    assert add_working_days(D(2024, 2, 8), 2) == D(2024, 2, 18)
    assert add_working_days(D(2024, 2, 8), 3) == D(2024, 2, 19)


def test_the_start_day_is_not_counted_even_when_it_is_a_holiday() -> None:
    """Counting from 国庆 day 2019-10-01: the first working day after it is 10-08."""
    assert add_working_days(D(2019, 10, 1), 1) == D(2019, 10, 8)
    assert add_working_days(D(2019, 9, 28), 1) == D(2019, 9, 29)  # Sat → the worked Sunday


@pytest.mark.parametrize(
    ("day", "rolled"),
    [
        (D(2019, 10, 1), D(2019, 10, 8)),  # 国庆 2019 → first working day after
        (D(2019, 10, 12), D(2019, 10, 12)),  # a worked Saturday needs no roll
        (D(2020, 2, 29), D(2020, 3, 2)),  # ordinary weekend
        (D(2020, 1, 24), D(2020, 2, 3)),  # the extended 春节 2020
        (D(2019, 10, 10), D(2019, 10, 10)),  # already a working day
    ],
)
def test_roll_to_working_day(day: dt.date, rolled: dt.date) -> None:
    """A last day off moves to the next working day; a working day stays."""
    assert roll_to_working_day(day) == rolled
