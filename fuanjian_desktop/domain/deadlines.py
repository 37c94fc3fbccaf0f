"""Working-day arithmetic for statutory and rectification deadlines.

The holiday calendar is data (``resources/calendar/holidays.json``, one entry per year as the
State Council publishes it). A year not yet in the calendar is counted Monday to Friday, and the
result says so, so the app can ask the user to check the date by hand.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass

from fuanjian_desktop.resources import load_json_resource

SATURDAY = 5
MAX_RECTIFICATION_DAYS = 365  # longest rectification period, in working days


@dataclass(frozen=True)
class HolidayCalendar:
    """Official days off, weekend days worked (调休上班), and the years the data covers."""

    days_off: frozenset[dt.date]
    weekend_workdays: frozenset[dt.date]
    years: frozenset[int]

    def is_working_day(self, day: dt.date) -> bool:
        """Monday–Friday unless a holiday, plus weekend days declared as working days."""
        if day in self.weekend_workdays:
            return True
        return day.weekday() < SATURDAY and day not in self.days_off


@dataclass(frozen=True)
class Deadline:
    """A computed due date with the trail a document can print and the calendar gaps met."""

    start: dt.date
    working_days: int
    due: dt.date
    days_off_skipped: int
    uncovered_years: tuple[int, ...]

    @property
    def trail(self) -> str:
        """The arithmetic alone, e.g. "2026-09-24 起 10 个工作日（跳过 11 天…）→ 2026-10-15"."""
        return (
            f"{self.start.isoformat()} 起 {self.working_days} 个工作日"
            f"（跳过 {self.days_off_skipped} 天节假日和周末）→ {self.due.isoformat()}"
        )

    @property
    def explanation(self) -> str:
        """The trail plus the caveat for years the calendar does not cover yet."""
        return self.trail + uncovered_years_note(self.uncovered_years)


def uncovered_years_note(years: Iterable[int]) -> str:
    """The caveat a date carries when it was counted through years missing from the calendar.

    Empty when every year is covered, so it can be appended to any explanation.
    """
    listed = "、".join(str(year) for year in sorted(years))
    if not listed:
        return ""
    return f"；{listed}年放假安排尚未录入，已按周一至周五推算，请人工核对"


@functools.cache
def official_calendar() -> HolidayCalendar:
    """The calendar shipped in ``resources/calendar/holidays.json``."""
    data = load_json_resource("calendar", "holidays.json")
    days_off: set[dt.date] = set()
    workdays: set[dt.date] = set()
    for year in data["years"].values():
        for holiday in year["holidays"]:
            first = dt.date.fromisoformat(holiday["from"])
            last = dt.date.fromisoformat(holiday["to"])
            days_off.update(first + dt.timedelta(days=n) for n in range((last - first).days + 1))
        workdays.update(dt.date.fromisoformat(day) for day in year["workdays"])
    return HolidayCalendar(
        frozenset(days_off), frozenset(workdays), frozenset(int(y) for y in data["years"])
    )


def compute_deadline(
    start: dt.date, days: int, calendar: HolidayCalendar | None = None
) -> Deadline:
    """The day ``days`` working days after ``start`` (``start`` itself is not counted).

    ``days == 0`` means "immediately": the due date is ``start``.
    """
    if days < 0:
        raise ValueError("working days must not be negative")
    calendar = calendar or official_calendar()
    day, counted, skipped = start, 0, 0
    uncovered: set[int] = set()
    while counted < days:
        day += dt.timedelta(days=1)
        if day.year not in calendar.years:
            uncovered.add(day.year)
        if calendar.is_working_day(day):
            counted += 1
        else:
            skipped += 1
    return Deadline(start, days, day, skipped, tuple(sorted(uncovered)))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The due date ``days`` working days after ``start`` (the start day is not counted)."""
    return compute_deadline(start, days).due


def roll_to_working_day(day: dt.date) -> dt.date:
    """``day`` if it is a working day, else the first working day after it.

    A period counted in natural days or months whose last day is a holiday or rest day ends on
    the next working day (民事诉讼法第八十五条); a weekend day worked (调休上班) needs no roll.
    """
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day in the official calendar."""
    return official_calendar().is_working_day(day)
