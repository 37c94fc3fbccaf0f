"""The table-model plumbing every list shares: columns declared as data, rows held or paged.

A list declares its columns (header + how to read the text from a row) and, if it wants, a
``style`` for colours and fonts; row counting, headers, display text and tooltips live here once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex
TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
PAGE_SIZE = 200  # rows a paged list reads at a time


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column: its header and how to read its text from a row."""

    header: str
    text: Callable[[Row], str]


class ColumnTableModel(QAbstractTableModel):
    """Subclasses give ``columns``, ``row_count()`` and ``row_at()``; ``style`` is optional."""

    def __init__(self, columns: Sequence[Column[Any]]) -> None:
        super().__init__()
        self.columns = tuple(columns)

    def row_count(self) -> int:
        """How many rows the list has."""
        raise NotImplementedError

    def row_at(self, position: int) -> Any:
        """The row object shown at ``position`` (``None`` if it cannot be read)."""
        raise NotImplementedError

    def style(self, row: Any, column: int, role: int) -> Any:
        """Colour, font … for one cell; ``None`` leaves the view's default."""
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return str(section + 1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role in TEXT_ROLES:
            return self.columns[index.column()].text(row)
        return self.style(row, index.column(), role)


class RowListModel(ColumnTableModel):
    """A list small enough to hold whole (rows carry an ``id``), replaced on every reload."""

    def __init__(self, columns: Sequence[Column[Any]]) -> None:
        super().__init__(columns)
        self._rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        """Show a freshly loaded list."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._rows)

    def row_at(self, position: int) -> Any:
        return self._rows[position]

    def row_of(self, row_id: str) -> int:
        """The position of the row with this id, or -1."""
        return next((n for n, row in enumerate(self._rows) if row.id == row_id), -1)


class PagedRowModel(ColumnTableModel):
    """A long list that holds only ids and reads rows a page at a time as the view asks.

    With 100,000 matches the view asks only for the rows on screen; a page of rows is a
    primary-key lookup of a few milliseconds, so scrolling stays smooth without loading all.
    Rows carry an ``id``; a search may hand over the rows it already read with the ids.
    """

    def __init__(
        self, columns: Sequence[Column[Any]], fetch_rows: Callable[[Sequence[str]], list[Any]]
    ) -> None:
        super().__init__(columns)
        self._fetch_rows = fetch_rows
        self._ids: list[str] = []
        self._rows: dict[str, Any] = {}

    def set_ids(self, ids: list[str], rows: Iterable[Any] = ()) -> None:
        """Show a new result set (ids in display order), with any rows read already."""
        self.beginResetModel()
        self._ids = ids
        self._rows = {row.id: row for row in rows}
        self.endResetModel()

    def refresh(self) -> None:
        """Forget the rows read (after an edit) and repaint."""
        self._rows.clear()
        if self._ids:
            last = self.index(len(self._ids) - 1, len(self.columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)

    def id_at(self, position: int) -> str:
        """The id shown at ``position``."""
        return self._ids[position]

    def row_of(self, row_id: str) -> int:
        """The position of the row with this id, or -1."""
        try:
            return self._ids.index(row_id)
        except ValueError:
            return -1

    def row_count(self) -> int:
        return len(self._ids)

    def row_at(self, position: int) -> Any:
        row_id = self._ids[position]
        if row_id not in self._rows:
            self._read_page(position)
        return self._rows[row_id]

    def missing_row(self, row_id: str) -> Any:
        """What to show for an id whose row is gone since the search ran (``None``: blank)."""
        return None

    def _read_page(self, position: int) -> None:
        start = position - position % PAGE_SIZE
        wanted = [i for i in self._ids[start : start + PAGE_SIZE] if i not in self._rows]
        found = {row.id: row for row in self._fetch_rows(wanted)}
        self._rows.update({i: found.get(i) or self.missing_row(i) for i in wanted})
