"""Qt model over registry search results: holds only ids, fetches rows a page at a time.

With 100,000 enterprises the view asks only for the rows on screen (``PagedRowModel``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from fuanjian_desktop.services.registry.registry import EnterpriseRow
from ui.models.column_table import Column, PagedRowModel


def _flags(row: EnterpriseRow) -> str:
    marks = [("重点", row.key_supervision), ("黑名单", row.blacklisted)]
    return " ".join(label for label, on in marks if on)


COLUMNS: tuple[Column[EnterpriseRow], ...] = (
    Column("名称", lambda row: row.name),
    Column("统一社会信用代码", lambda row: row.uscc + (" ⚠" if row.uscc_overridden else "")),
    Column("类别", lambda row: row.categories),
    Column("街道/社区", lambda row: f"{row.street} {row.community}".strip()),
    Column("地址", lambda row: row.address),
    Column("负责人", lambda row: row.contact),
    Column("电话", lambda row: row.phone),
    Column("标记", _flags),
)

BLACKLIST_BRUSH = QBrush(QColor("#b3261e"))
KEY_BRUSH = QBrush(QColor("#8a5300"))


class EnterpriseTableModel(PagedRowModel):
    """Rows of the registry list; ``fetch_rows(ids)`` loads the data for a page of ids."""

    def __init__(self, fetch_rows: Callable[[Sequence[str]], list[EnterpriseRow]]) -> None:
        super().__init__(COLUMNS, fetch_rows)

    def style(self, row: EnterpriseRow, column: int, role: int) -> Any:
        """The 标记 column coloured: 黑名单 red, 重点 amber."""
        if role == Qt.ItemDataRole.ForegroundRole and column == len(COLUMNS) - 1:
            return BLACKLIST_BRUSH if row.blacklisted else KEY_BRUSH
        return None

    def missing_row(self, row_id: str) -> EnterpriseRow:
        """Placeholder for an enterprise removed since the search ran."""
        return EnterpriseRow(row_id, "（已删除）", "", "", "", "", "", "", "", False, False, False)
