"""Qt model over the inspection list (``inspections.inspection_rows``).

A squad runs a few hundred inspections a year, so the model holds all rows of the chosen
status at once; the page loads them in the background and hands them over.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from fuanjian_desktop.domain.inspection_rules import InspectionStatus
from fuanjian_desktop.services.inspections.inspections import InspectionRow
from ui.local_time import local_text
from ui.models.column_table import Column, RowListModel

IN_PROGRESS_BRUSH = QBrush(QColor("#1c6b32"))


COLUMNS: tuple[Column[InspectionRow], ...] = (
    Column("场所", lambda row: row.venue),
    Column("检查表", lambda row: row.title),
    Column("来源", lambda row: row.source),
    Column("状态", lambda row: row.status.label),
    Column("开始时间", lambda row: local_text(row.started_at)),
    Column("检查人员", lambda row: row.inspectors),
    Column("隐患数", lambda row: str(row.hazards)),
)
STATUS_COLUMN = 3


class InspectionTableModel(RowListModel):
    """Rows of the inspection list, newest first as the core returns them."""

    def __init__(self) -> None:
        super().__init__(COLUMNS)

    def inspection_id(self, row: int) -> str:
        """The id shown on ``row``."""
        return str(self.row_at(row).id)

    def style(self, row: InspectionRow, column: int, role: int) -> Any:
        """The 检查中 status in green, so an open inspection catches the eye."""
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS_COLUMN:
            return IN_PROGRESS_BRUSH if row.status is InspectionStatus.IN_PROGRESS else None
        return None
