"""Qt model over hazard register rows: overdue rows stand out, 重大事故隐患 is in bold.

A squad has hundreds of open hazards, not tens of thousands, so the rows are held whole; the
register and the 工作台 both use this model, so a hazard looks the same on both.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from fuanjian_desktop.checklists.model import HazardLevel
from fuanjian_desktop.domain.inspection_rules import HazardStatus
from fuanjian_desktop.services.inspections.hazards import HazardRow
from ui.models.column_table import Column, RowListModel

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


COLUMNS: tuple[Column[HazardRow], ...] = (
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


class HazardTableModel(RowListModel):
    """Rows of hazards as the service returned them (soonest due first)."""

    def __init__(self) -> None:
        super().__init__(COLUMNS)
        self._bold = _bold()

    def hazard(self, row: int) -> HazardRow:
        """The hazard shown on ``row``."""
        hazard: HazardRow = self.row_at(row)
        return hazard

    def style(self, row: HazardRow, column: int, role: int) -> Any:
        """Overdue rows in red; the level of a 重大事故隐患 in bold."""
        if role == Qt.ItemDataRole.BackgroundRole and row.overdue:
            return OVERDUE_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue:
            return OVERDUE_FOREGROUND
        if role == Qt.ItemDataRole.FontRole and column == LEVEL_COLUMN:
            return self._bold if row.level is HazardLevel.MAJOR else None
        return None
