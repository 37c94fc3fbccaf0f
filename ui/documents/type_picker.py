"""新建文书: choose the kind of document to draft, by its printed title.

Only types with a spec can be drafted, and a type printed in variants (行政处罚决定书（单位）/
（个人）) is offered once per variant, so the clerk picks the paper they mean. The filter line
narrows the forty-odd titles as one types (决定 → every 决定书).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.documents.spec import document_specs


@dataclass(frozen=True)
class DocumentKind:
    """What a new draft is: its type, the variant (``None`` lets the core choose) and title."""

    type_key: str
    variant: str | None
    title: str


def document_kinds(type_keys: Iterable[str] | None = None) -> list[DocumentKind]:
    """The kinds that can be drafted (of ``type_keys`` only, when given), one per variant."""
    specs = document_specs()
    keys = list(specs) if type_keys is None else [key for key in type_keys if key in specs]
    return [
        DocumentKind(key, variant.key or None, variant.title)
        for key in keys
        for variant in specs[key].variants
    ]


class DocumentTypePicker(QDialog):
    """A filterable list of titles; ``chosen`` holds the kind once accepted."""

    def __init__(self, kinds: Sequence[DocumentKind], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("新建文书")
        self.resize(420, 520)
        self.chosen: DocumentKind | None = None
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("输入文书名称筛选，如：决定书")
        self.filter.textChanged.connect(self._narrow)
        self.list = QListWidget()
        for kind in kinds:
            item = QListWidgetItem(kind.title)
            item.setData(Qt.ItemDataRole.UserRole, kind)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("新建草稿")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _narrow(self, text: str) -> None:
        """Hide titles without ``text``; the first one still shown becomes current."""
        first = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(text.strip() not in item.text())
            if first is None and not item.isHidden():
                first = item
        self.list.setCurrentItem(first)

    def accept(self) -> None:
        """Accept only with a title chosen."""
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return
        self.chosen = item.data(Qt.ItemDataRole.UserRole)
        super().accept()
