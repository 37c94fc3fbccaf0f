"""Qt model over hazard register rows: overdue rows stand out, 重大事故隐患 is in bold.

A squad has hundreds of open hazards, not tens of thousands, so the rows are held whole; the
register and the 工作台 both use this model, so a hazard looks the same on both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from fuanjian_desktop.checklists.model import HazardLevel
from fuanjian_desktop.domain.inspection_rules import HazardStatus
from fuanjian_desktop.services.hazards import HazardRow

_Index = QModelIndex | QPersistentModelIndex
_OPEN = (HazardStatus.PENDING, HazardStatus.NOT_RECTIFIED)
OVERDUE_BACKGROUND = QBrush(QColor("#fde7e9"))
OVERDUE_FOREGROUND = QBrush(QColor("#8c1d18"))


def days_left_text(row: HazardRow) -> str:
    """E.g. 剩 3 天, 今天到期, 逾期 5 天; empty once the hazard is closed.

    A hazard found 未整改 at a 复查 is overdue whatever its date says, so it reads so.
    """
    if row.status not in _OPEN:
        return ""
    if row.status is HazardStatus.NOT_RECTIFIED and row.days_left >= 0:
        return "复查未整改"
    if row.days_left > 0:
        return f"剩 {row.days_left} 天"
    if row.days_left == 0:
        return "今天到期"
    return f"逾期 {-row.days_left} 天"


@dataclass(frozen=True)
class Column:
    """One column: its header and how to read its text from a row."""

    header: str
    text: Callable[[HazardRow], str]


COLUMNS = (
    Column("场所", lambda row: row.venue),
    Column("隐患描述", lambda row: row.description),
    Column("等级", lambda row: row.level.label),
    Column("发现日期", lambda row: row.found_on.isoformat()),
    Column("整改期限", lambda row: row.due_date.isoformat()),
    Column("剩余天数", days_left_text),
    Column("状态", lambda row: row.status_label),
    Column("中队", lambda row: row.squad),
)
LEVEL_COLUMN = 2


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


class HazardTableModel(QAbstractTableModel):
    """Rows of hazards as the service returned them (soonest due first)."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[HazardRow] = []
        self._bold = _bold()

    def set_rows(self, rows: list[HazardRow]) -> None:
        """Show a new result set."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def hazard(self, row: int) -> HazardRow:
        """The hazard shown on ``row``."""
        return self._rows[row]

    def row_of(self, hazard_id: str) -> int:
        """The row showing ``hazard_id``, or -1."""
        return next((n for n, row in enumerate(self._rows) if row.id == hazard_id), -1)

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
        if role == Qt.ItemDataRole.BackgroundRole and row.overdue:
            return OVERDUE_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue:
            return OVERDUE_FOREGROUND
        if role == Qt.ItemDataRole.FontRole and index.column() == LEVEL_COLUMN:
            return self._bold if row.level is HazardLevel.MAJOR else None
        return None
