"""Qt model over case rows (``case_queries.case_rows``): the case list, the inbox, the 工作台.

A district may hold 100,000 cases, so the model keeps only ids and reads rows a page at a time.
A case whose next deadline has passed is red and one due within three days amber, the same
warning colours as the hazard register, so a squad sees at a glance what it answers for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from fuanjian_desktop.services.cases.case_queries import CaseRow
from ui.models.column_table import Column, PagedRowModel
from ui.models.hazard_table import OVERDUE_BACKGROUND, OVERDUE_FOREGROUND

DUE_SOON_BACKGROUND = QBrush(QColor("#fff4d6"))
DUE_SOON_FOREGROUND = QBrush(QColor("#8a5300"))


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def next_due_text(row: CaseRow) -> str:
    """E.g. 办案期限 2026-12-30; empty once no deadline runs."""
    return f"{row.next_due_label} {_day(row.next_due_on)}".strip()


CASE_NO: Column[CaseRow] = Column("案号", lambda row: row.case_no)
PARTY: Column[CaseRow] = Column("当事人", lambda row: row.party_name)
COLUMNS: tuple[Column[CaseRow], ...] = (
    CASE_NO,
    PARTY,
    Column("案由", lambda row: row.cause),
    Column("程序", lambda row: row.procedure),
    Column("阶段", lambda row: row.stage),
    Column("承办人", lambda row: row.handlers),
    Column("受案日期", lambda row: _day(row.opened_on)),
    Column("下一期限", next_due_text),
)
REMINDER_COLUMNS: tuple[Column[CaseRow], ...] = (  # the 工作台's 案件期限提醒
    CASE_NO,
    PARTY,
    Column("期限", lambda row: row.next_due_label),
    Column("到期日", lambda row: _day(row.next_due_on)),
    Column("法律依据", lambda row: row.next_due_source),
)


class CaseTableModel(PagedRowModel):
    """Case rows by id; ``fetch_rows(ids)`` reads a page of them when the view needs it."""

    def __init__(
        self,
        fetch_rows: Callable[[Sequence[str]], list[CaseRow]],
        columns: Sequence[Column[CaseRow]] = COLUMNS,
    ) -> None:
        super().__init__(columns, fetch_rows)

    def style(self, row: CaseRow, column: int, role: int) -> Any:
        """Overdue rows in red, rows due within three days in amber."""
        if role == Qt.ItemDataRole.BackgroundRole:
            return _pick(row, OVERDUE_BACKGROUND, DUE_SOON_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            return _pick(row, OVERDUE_FOREGROUND, DUE_SOON_FOREGROUND)
        return None


def _pick(row: CaseRow, overdue: QBrush, due_soon: QBrush) -> QBrush | None:
    if row.overdue:
        return overdue
    return due_soon if row.due_soon else None
