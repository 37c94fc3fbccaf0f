"""Qt model over the inspection list (``inspections.inspection_rows``).

A squad runs a few hundred inspections a year, so the model holds all rows of the chosen
status at once; the page loads them in the background and hands them over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from fuanjian_desktop.domain.inspection_rules import InspectionStatus
from fuanjian_desktop.services.inspections import InspectionRow
from ui.local_time import local_text

_Index = QModelIndex | QPersistentModelIndex
IN_PROGRESS_BRUSH = QBrush(QColor("#1c6b32"))


@dataclass(frozen=True)
class Column:
    """One column: its header and how to read its text from a row."""

    header: str
    text: Callable[[InspectionRow], str]


COLUMNS = (
    Column("场所", lambda row: row.venue),
    Column("检查表", lambda row: row.title),
    Column("来源", lambda row: row.source),
    Column("状态", lambda row: row.status.label),
    Column("开始时间", lambda row: local_text(row.started_at)),
    Column("检查人员", lambda row: row.inspectors),
    Column("隐患数", lambda row: str(row.hazards)),
)
STATUS_COLUMN = 3


class InspectionTableModel(QAbstractTableModel):
    """Rows of the inspection list, newest first as the core returns them."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[InspectionRow] = []

    def set_rows(self, rows: list[InspectionRow]) -> None:
        """Show a freshly loaded list."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def inspection_id(self, row: int) -> str:
        """The id shown on ``row``."""
        return self._rows[row].id

    def row_of(self, inspection_id: str) -> int:
        """The row showing ``inspection_id``, or -1."""
        ids = [row.id for row in self._rows]
        return ids.index(inspection_id) if inspection_id in ids else -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section].header
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return COLUMNS[index.column()].text(row)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == STATUS_COLUMN:
            return IN_PROGRESS_BRUSH if row.status is InspectionStatus.IN_PROGRESS else None
        return None
