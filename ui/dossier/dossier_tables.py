"""The tables of the 案卷 page: the volumes list, the 卷内目录 and the 自查 findings.

Only the 目录's 备注 is a person's to type (the rest is computed from the records); the model
hands what was typed to ``save_remark`` and shows the saved value once the view reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from fuanjian_desktop.dossier.self_check import Finding
from fuanjian_desktop.services.dossiers.volume import DossierRow
from fuanjian_desktop.services.dossiers.volume_compile import VolumeRow
from ui.models.column_table import Column, Index, RowListModel

BLOCKING_BACKGROUND = QColor("#fde2e1")
OVERRIDDEN_BACKGROUND = QColor("#fff4d6")
REMARK_COLUMN = 4


def check_text(row: DossierRow) -> str:
    """E.g. 92 分（3 项问题）, 不合格（一票否决）."""
    if row.score is None:  # an archived volume was checked when it was archived
        return "—" if row.archived else "未自查"
    if row.vetoed:
        return f"不合格（一票否决，{row.finding_count} 项问题）"
    problems = f"（{row.finding_count} 项问题）" if row.finding_count else "（无问题）"
    return f"{row.score} 分{problems}"


def state_text(row: DossierRow) -> str:
    """已归档, 可归档, or why not yet."""
    if row.archived:
        return "已归档"
    return "不能归档：有须先解决的问题" if row.blocking else "可归档"


DOSSIER_COLUMNS: tuple[Column[DossierRow], ...] = (
    Column("案号", lambda row: row.case_no or ""),
    Column("案件名称", lambda row: row.title),
    Column("结案日期", lambda row: str(row.closed_on or "")),
    Column("自查", check_text),
    Column("状态", state_text),
    Column("归档号", lambda row: row.archive_no or ""),
    Column("归档日期", lambda row: str(row.archived_on or "")),
)
DOSSIER_WIDTHS = (200, 300, 95, 190, 190, 90)


class DossierListModel(RowListModel):
    """Closed and archived cases; a case that cannot be archived yet is tinted."""

    def __init__(self) -> None:
        super().__init__(DOSSIER_COLUMNS)

    def case_at(self, position: int) -> DossierRow:
        """The row shown at ``position``."""
        row = self.row_at(position)
        assert isinstance(row, DossierRow)
        return row

    def position_of(self, case_id: str) -> int:
        """The position of the case, or -1."""
        return next((n for n in range(self.row_count()) if self.case_at(n).case_id == case_id), -1)

    def style(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and not row.archived and row.blocking:
            return QBrush(BLOCKING_BACKGROUND)
        return None


INDEX_COLUMNS: tuple[Column[VolumeRow], ...] = (
    Column("序号", lambda row: str(row.sequence)),
    Column("文件名称及编号", lambda row: row.title),
    Column("日期", lambda row: str(row.on or "")),
    Column("页号", lambda row: row.pages_text),
    Column("备注", lambda row: row.remark),
)
INDEX_WIDTHS = (40, 250, 86, 50, 120)


class IndexModel(RowListModel):
    """The 卷内目录: 备注 editable (unless ``read_only``), a moved item tinted with its reason
    as tooltip."""

    def __init__(self, save_remark: Callable[[VolumeRow, str], None]) -> None:
        super().__init__(INDEX_COLUMNS)
        self._save_remark = save_remark
        self.read_only = True

    def item_at(self, position: int) -> VolumeRow:
        """The 目录 row at ``position``."""
        row = self.row_at(position)
        assert isinstance(row, VolumeRow)
        return row

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.column() == REMARK_COLUMN and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.column() == REMARK_COLUMN:
            return self.item_at(index.row()).user_remark or ""
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != REMARK_COLUMN:
            return False
        row = self.item_at(index.row())
        text = str(value).strip()
        if text != (row.user_remark or ""):
            self._save_remark(row, text)
        return True

    def style(self, row: Any, column: int, role: int) -> Any:
        if row.override_reason and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(OVERRIDDEN_BACKGROUND)
        return None


def _mark(finding: Finding) -> str:
    marks = ["一票否决"] if finding.veto else []
    return "、".join([*marks, "须先解决"] if finding.blocks_archive else marks)


FINDING_COLUMNS: tuple[Column[Finding], ...] = (
    Column("评查项目", lambda finding: finding.item_label),
    Column("问题", lambda finding: finding.message),
    Column("扣分", lambda finding: str(finding.deduction) if finding.deduction else ""),
    Column("否决/归档", _mark),
)
FINDING_WIDTHS = (150, 280, 40, 84)


class FindingModel(RowListModel):
    """The 自查 findings; a veto or a finding that stops archiving is tinted."""

    def __init__(self) -> None:
        super().__init__(FINDING_COLUMNS)

    def style(self, row: Any, column: int, role: int) -> Any:
        serious = row.veto or row.blocks_archive
        if serious and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(BLOCKING_BACKGROUND)
        return None
