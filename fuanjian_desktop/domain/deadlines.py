"""Working-day arithmetic for statutory and rectification deadlines.

The holiday calendar is data (``resources/calendar/holidays.json``, one entry per year as the
State Council publishes it). A year not yet in the calendar is counted Monday to Friday, and the
result says so, so the app can ask the user to check the date by hand.
"""

from __future__ import annotations

import datetime as dt
import functools
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
    def explanation(self) -> str:
        """E.g. "2026-09-24 起 10 个工作日（跳过 7 天节假日和周末）→ 2026-10-14"."""
        text = (
            f"{self.start.isoformat()} 起 {self.working_days} 个工作日"
            f"（跳过 {self.days_off_skipped} 天节假日和周末）→ {self.due.isoformat()}"
        )
        if self.uncovered_years:
            years = "、".join(str(year) for year in self.uncovered_years)
            text += f"；{years}年放假安排尚未录入，已按周一至周五推算，请人工核对"
        return text


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


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day in the official calendar."""
    return official_calendar().is_working_day(day)
