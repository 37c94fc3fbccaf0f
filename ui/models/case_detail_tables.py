"""The tables of the case page: timeline, deadlines and violations of one case (its documents
are listed by ``ui/documents``).

A case has tens of rows in each, held whole. Deadlines are what a squad answers for, so an
overdue one is red as on the hazard register, one due soon is amber, and each says how it
was computed in its tooltip.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from fuanjian_desktop.services.cases.case_queries import DeadlineView
from ui.models.column_table import Column, Index, RowListModel
from ui.models.hazard_table import OVERDUE_BACKGROUND, OVERDUE_FOREGROUND

DUE_SOON_BACKGROUND = QBrush(QColor("#fff1dc"))
DUE_SOON_FOREGROUND = QBrush(QColor("#8a4b08"))

TimelineRow = tuple[Any, str, str, str, str]
ViolationRow = tuple[str, str, str, str, int, str]

TIMELINE: tuple[Column[TimelineRow], ...] = (
    Column("日期", lambda row: f"{row[0]:%Y-%m-%d}"),
    Column("环节", lambda row: row[1]),
    Column("办理人", lambda row: row[2]),
    Column("阶段变化", lambda row: row[3]),
    Column("意见", lambda row: row[4]),
)
DEADLINES: tuple[Column[DeadlineView], ...] = (
    Column("期限", lambda row: row.label),
    Column("类别", lambda row: row.kind),
    Column("到期日", lambda row: f"{row.due:%Y-%m-%d}"),
    Column("状态", lambda row: row.state),
    Column("法律依据", lambda row: row.source),
)
VIOLATIONS: tuple[Column[ViolationRow], ...] = (
    Column("违法行为", lambda row: row[0]),
    Column("违反条款", lambda row: row[1]),
    Column("处罚依据", lambda row: row[2]),
    Column("裁量阶次", lambda row: row[3]),
    Column("罚款（元）", lambda row: f"{row[4]:,}"),
    Column("裁量理由", lambda row: row[5]),
)


class DeadlineTableModel(RowListModel):
    """The case's deadlines; overdue red, due soon amber, the computation as tooltip."""

    def __init__(self) -> None:
        super().__init__(DEADLINES)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The explanation (起算日, 期间, 顺延) is the tooltip of every cell of the row."""
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            return self.row_at(index.row()).explanation
        return super().data(index, role)

    def style(self, row: DeadlineView, column: int, role: int) -> Any:
        """Red for overdue, amber for due within the reminder days."""
        if row.overdue:
            background, foreground = OVERDUE_BACKGROUND, OVERDUE_FOREGROUND
        elif row.due_soon:
            background, foreground = DUE_SOON_BACKGROUND, DUE_SOON_FOREGROUND
        else:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return background
        return foreground if role == Qt.ItemDataRole.ForegroundRole else None
