"""Pick a violation from the catalogue (违法行为目录) by typing part of its code or title.

Only entries whose law is in force on the day given are offered: a case applies the law in
force when the violation happened (行政处罚法第三十七条), and a repealed clause must not be
charged by mistake. The catalogue is read on the workers.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QPushButton, QWidget

from fuanjian_desktop.domain.penalties.violations import ViolationEntry, load_catalogue
from ui.context import AppContext
from ui.errors import show_failure
from ui.widgets.venue_picker import ENTER_KEYS


def entry_text(entry: ViolationEntry) -> str:
    """How a violation reads in lists: its code, then its title."""
    return f"{entry.code}　{entry.title}"


class ViolationPicker(QWidget):
    """A searchable list of the entries valid on ``day`` and 添加; ``picked`` carries a code."""

    picked = Signal(str)

    def __init__(self, context: AppContext, day: dt.date) -> None:
        super().__init__()
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.lineEdit().setPlaceholderText("输入代码或名称搜索违法行为")
        self.combo.lineEdit().installEventFilter(self)
        self.combo.setMinimumContentsLength(24)
        completer = self.combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.add_button = QPushButton("添加")
        self.add_button.clicked.connect(self.add_current)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.add_button)
        context.workers.run(
            lambda: [entry for entry in load_catalogue() if entry.valid_on(day)],
            self._fill,
            lambda error: show_failure(self, error, "违法行为目录未能读取"),
        )

    def _fill(self, entries: list[ViolationEntry]) -> None:
        for entry in entries:
            self.combo.addItem(entry_text(entry), entry.code)
        self.combo.setCurrentIndex(-1)

    def add_current(self) -> None:
        """Offer the entry chosen, or else the first whose code or title contains the text typed."""
        position = self._match(self.combo.currentText().strip())
        if position >= 0:
            self.picked.emit(self.combo.itemData(position))
            self.combo.setCurrentIndex(-1)
            self.combo.clearEditText()

    def _match(self, text: str) -> int:
        exact = self.combo.findText(text)
        if exact >= 0 or not text:
            return exact
        return self.combo.findText(text, Qt.MatchFlag.MatchContains)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter adds the violation typed instead of pressing the dialog's button."""
        if watched is self.combo.lineEdit() and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in ENTER_KEYS:
                self.add_current()
                return True
        return super().eventFilter(watched, event)
