"""Question templates beside the record: the sets for this person's role and this case.

The sets come from :func:`question_sets` (the opening questions, those for the relation —
负责人, 从业人员, 证人 … — and one set per violation of the case). Double-click or Enter on a
question puts it into the record (see :meth:`QaList.insert_question`); a question already asked
is greyed, so the inspector sees at a glance what is left. The filter narrows the tree as one
types (培训 → every question about training).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.transcript_questions import QuestionSet

ASKED = QBrush(QColor("#8a93a0"))
HINT = "双击或按 Enter 插入问题"
HINT_STYLE = "color: #5b6675;"
INDENT = 14
ROW_PADDING = 6


class QuestionPanel(QWidget):
    """The template tree; ``chosen`` carries the text of the question picked."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("筛选问题，如：培训")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._narrow)
        self.tree = WrappingTree()
        self.tree.itemActivated.connect(self._activated)
        hint = QLabel(HINT)
        hint.setStyleSheet(HINT_STYLE)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("<b>问题模板</b>"))
        column.addWidget(self.filter)
        column.addWidget(self.tree, 1)
        column.addWidget(hint)

    def show_sets(self, sets: Sequence[QuestionSet], asked: Iterable[str] = ()) -> None:
        """Replace the tree with ``sets``, every set open; questions in ``asked`` greyed."""
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for question_set in sets:
            top = QTreeWidgetItem([question_set.title])
            top.setFont(0, bold)
            top.setToolTip(0, question_set.source)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            for question in question_set.questions:
                item = QTreeWidgetItem([question])
                item.setToolTip(0, question)
                top.addChild(item)
            self.tree.addTopLevelItem(top)
            top.setExpanded(True)
        self.mark_asked(asked)
        self._narrow(self.filter.text())

    def sets(self) -> list[QTreeWidgetItem]:
        """The set items (their titles), in order."""
        tops = (self.tree.topLevelItem(n) for n in range(self.tree.topLevelItemCount()))
        return [top for top in tops if top is not None]

    def questions(self) -> list[QTreeWidgetItem]:
        """Every question item, set by set."""
        return [question for top in self.sets() for question in _children(top)]

    def mark_asked(self, asked: Iterable[str]) -> None:
        """Grey the questions the record already holds."""
        texts = {text.strip() for text in asked}
        for item in self.questions():
            if item.text(0) in texts:
                _grey(item)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.parent() is None:  # a set's title: Enter opens or closes it
            item.setExpanded(not item.isExpanded())
            return
        _grey(item)
        self.chosen.emit(item.text(0))

    def _narrow(self, text: str) -> None:
        """Hide the questions without ``text`` and the sets left empty."""
        wanted = text.strip()
        for top in self.sets():
            shown = 0
            for question in _children(top):
                hidden = bool(wanted) and wanted not in question.text(0)
                question.setHidden(hidden)
                shown += not hidden
            top.setHidden(shown == 0)


class WrappingTree(QTreeWidget):
    """A tree whose long questions wrap onto more lines instead of ending in …: the whole
    question is what the inspector decides on."""

    def __init__(self) -> None:
        super().__init__()
        self.setHeaderHidden(True)
        self.setWordWrap(True)
        self.setUniformRowHeights(False)
        self.setIndentation(INDENT)
        self.setItemDelegate(_WrappingDelegate(self))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()  # row heights follow the new width


class _WrappingDelegate(QStyledItemDelegate):
    """Row heights for wrapped text (Qt's own size hint assumes one line)."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        styled = QStyleOptionViewItem(option)
        self.initStyleOption(styled, index)
        depth, parent = 1, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = max(40, self._tree.viewport().width() - self._tree.indentation() * depth - 8)
        bounds = QRect(0, 0, width, 100_000)
        text = styled.fontMetrics.boundingRect(bounds, Qt.TextFlag.TextWordWrap, styled.text)
        return QSize(width, text.height() + ROW_PADDING)


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    children = (item.child(n) for n in range(item.childCount()))
    return [child for child in children if child is not None]


def _grey(item: QTreeWidgetItem) -> None:
    item.setForeground(0, ASKED)
    item.setToolTip(0, f"（已问）{item.text(0)}")
