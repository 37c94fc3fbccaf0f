"""Qt model over registry search results: holds only ids, fetches rows a page at a time.

With 100,000 enterprises the view asks only for the rows on screen; a page of rows is a
primary-key lookup of a few milliseconds, so scrolling stays smooth without loading everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from fuanjian_desktop.services.registry import EnterpriseRow
from ui.models.column_table import Column, ColumnTableModel

PAGE_SIZE = 200


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


class EnterpriseTableModel(ColumnTableModel):
    """Rows of the registry list; ``fetch_rows(ids)`` loads the data for a page of ids."""

    def __init__(self, fetch_rows: Callable[[Sequence[str]], list[EnterpriseRow]]) -> None:
        super().__init__(COLUMNS)
        self._fetch_rows = fetch_rows
        self._ids: list[str] = []
        self._pages: dict[int, list[EnterpriseRow]] = {}

    def set_ids(self, ids: list[str]) -> None:
        """Show a new result set (the ids of matching enterprises, in display order)."""
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()

    def refresh(self) -> None:
        """Forget cached rows (after an edit) and repaint."""
        self._pages.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            )

    def enterprise_id(self, row: int) -> str:
        """The id shown on ``row``."""
        return self._ids[row]

    def row_of(self, enterprise_id: str) -> int:
        """The row showing ``enterprise_id``, or -1."""
        try:
            return self._ids.index(enterprise_id)
        except ValueError:
            return -1

    def row_count(self) -> int:
        return len(self._ids)

    def row_at(self, position: int) -> EnterpriseRow | None:
        return self._row(position)

    def style(self, row: EnterpriseRow, column: int, role: int) -> Any:
        """The 标记 column coloured: 黑名单 red, 重点 amber."""
        if role == Qt.ItemDataRole.ForegroundRole and column == len(COLUMNS) - 1:
            return BLACKLIST_BRUSH if row.blacklisted else KEY_BRUSH
        return None

    def _row(self, position: int) -> EnterpriseRow | None:
        page = position // PAGE_SIZE
        if page not in self._pages:
            ids = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            found = {row.id: row for row in self._fetch_rows(ids)}
            self._pages[page] = [found.get(i) or _gone(i) for i in ids]
        rows_of_page = self._pages[page]
        offset = position % PAGE_SIZE
        return rows_of_page[offset] if offset < len(rows_of_page) else None


def _gone(enterprise_id: str) -> EnterpriseRow:
    """Placeholder for an enterprise removed since the search ran."""
    return EnterpriseRow(
        enterprise_id, "（已删除）", "", "", "", "", "", "", "", False, False, False
    )
