"""Moments as the inspectors read and type them: local wall-clock time, minute precision.

The core stores timezone-aware UTC; every screen shows the laptop's local time, and a
QDateTimeEdit's value goes back to the core as an aware datetime.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime

MINUTE_FORMAT = "%Y-%m-%d %H:%M"
QT_MINUTE_FORMAT = "yyyy-MM-dd HH:mm"


def local_text(moment: dt.datetime | None) -> str:
    """``2026-03-05 14:30`` in local time; empty for no moment."""
    return moment.astimezone().strftime(MINUTE_FORMAT) if moment else ""


def to_qdatetime(moment: dt.datetime) -> QDateTime:
    """An aware datetime for a QDateTimeEdit (which shows local time).

    Milliseconds are kept although only minutes are shown: an end time defaulting to "now"
    must not fall before a start a fraction of a second earlier.
    """
    return QDateTime.fromMSecsSinceEpoch(round(moment.timestamp() * 1000))


def from_qdatetime(value: QDateTime) -> dt.datetime:
    """What a QDateTimeEdit holds, as an aware datetime the core can compare and store."""
    return dt.datetime.fromtimestamp(value.toMSecsSinceEpoch() / 1000).astimezone()
