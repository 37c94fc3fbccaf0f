"""The checklist as a two-column tree: each section, and under it its applicable items.

Column 0 carries the answer's marker (✓ green, ✗ red, – grey), column 1 the item's number and
check text. Section rows are disabled, so the arrow keys step over them from item to item.
"""

from __future__ import annotations

from itertools import groupby

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from fuanjian_desktop.checklists.model import Item
from fuanjian_desktop.domain.inspection_rules import Answer
from fuanjian_desktop.services.inspections.inspections import InspectionView

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
MARKS = {
    Answer.COMPLIANT: ("✓", QColor("#1c7c3a")),
    Answer.NON_COMPLIANT: ("✗", QColor("#c62828")),
    Answer.NOT_APPLICABLE: ("–", QColor("#7a828c")),
}
SECTION_BRUSH = QBrush(QColor("#e9edf2"))
TEXT_BRUSH = QBrush(QColor("#1d2733"))


class ChecklistItemsModel(QStandardItemModel):
    """Sections and items of one inspection; ``update`` repaints the answers after a save."""

    def __init__(self) -> None:
        super().__init__(0, 2)
        self._markers: dict[str, tuple[QStandardItem, QStandardItem]] = {}

    def load(self, view: InspectionView) -> None:
        """Build the tree for ``view``'s applicable items."""
        self.removeRows(0, self.rowCount())
        self._markers.clear()
        numbered = enumerate(view.items, start=1)
        for title, group in groupby(numbered, key=lambda pair: pair[1].section_title):
            section = _section_row(title)
            for number, item in group:
                section[0].appendRow(self._item_row(number, item))
            self.appendRow(section)
        self.update(view)

    def update(self, view: InspectionView) -> None:
        """Show each item's saved answer."""
        for item_id, (marker, text) in self._markers.items():
            saved = view.answers.get(item_id)
            mark, colour = MARKS[saved.result] if saved else ("", None)
            marker.setText(mark)
            marker.setForeground(QBrush(colour) if colour else TEXT_BRUSH)
            faded = saved is not None and saved.result is Answer.NOT_APPLICABLE
            text.setForeground(QBrush(MARKS[Answer.NOT_APPLICABLE][1]) if faded else TEXT_BRUSH)

    def index_of(self, item_id: str) -> QModelIndex:
        """The text cell of ``item_id`` (invalid if it is not in the tree)."""
        cells = self._markers.get(item_id)
        return cells[1].index() if cells else QModelIndex()

    def item_id_at(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        """The item shown on ``index``'s row, or ``None`` on a section row."""
        if not index.isValid():
            return None
        value = index.sibling(index.row(), 0).data(ITEM_ID_ROLE)
        return value if isinstance(value, str) else None

    def _item_row(self, number: int, item: Item) -> list[QStandardItem]:
        marker = QStandardItem()
        marker.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        marker.setData(item.id, ITEM_ID_ROLE)
        text = QStandardItem(f"{number}. {item.check}")
        text.setToolTip(item.check)
        for cell in (marker, text):
            cell.setEditable(False)
        self._markers[item.id] = (marker, text)
        return [marker, text]


def _section_row(title: str) -> list[QStandardItem]:
    cells = [QStandardItem(title), QStandardItem()]
    font = QFont()
    font.setBold(True)
    for cell in cells:
        cell.setFlags(Qt.ItemFlag.NoItemFlags)
        cell.setFont(font)
        cell.setBackground(SECTION_BRUSH)
        cell.setForeground(TEXT_BRUSH)
    return cells
