"""The close of a transcript: the read-back, the sentence the person writes, and the 补正 rows.

The confirmation "以上笔录我已看过（或已向我宣读过），与我说的相符" is written by the person's own
hand on the paper, so the panel shows it as guidance and the printout leaves ruled lines for it.
What the program records is how the record was checked (本人阅看 / 向其宣读); from then on the
pairs are locked and a change is a 补正 the person signs, made from the pair's 补正… button
with :class:`CorrectionDialog`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.services.transcripts.transcripts import CONFIRMATION, READ_BACK_WAYS
from ui.documents.lifecycle_dialogs import LifecycleDialog

GUIDANCE = "询问结束后，将笔录交被询问人阅看或向其宣读，由其在末页空白处亲笔写明："
SENTENCE_STYLE = (
    "font-family: 'KaiTi', 'STKaiti', serif; font-size: 13pt; color: #3b3b3b;"
    " background: #fbf8ef; border: 1px dashed #c9b98f; padding: 6px;"
)
AFTER_SENTENCE = "并逐页签名（或捺指印）。打印件不印这句话，末页留有空行供其书写。"
READ_BACK_TEXT = "已核对（{how}）。问答已锁定，如需更改请点击问答右侧的“补正…”。"
NOT_READ_BACK = "尚未核对：核对后问答锁定，定稿前必须核对。"
NOTE_STYLE = "color: #5b6675;"
DONE_STYLE = "color: #1c6b32;"
CORRECTION_COLUMNS = (("entry", "补正项"), ("before", "原记录"), ("after", "补正为"))
PART_LABELS = {"q": "问", "a": "答"}
TABLE_MAX_HEIGHT = 260


class ClosingPanel(QWidget):
    """``read_back_requested`` carries the way chosen; ``resume_requested`` reopens the pairs
    for more questions (the record must then be checked again)."""

    read_back_requested = Signal(str)
    resume_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.way = QComboBox()
        self.way.addItems(READ_BACK_WAYS)
        self.read_back_button = _button("记录核对", "记录笔录已交被询问人核对；问答随即锁定")
        self.read_back_button.clicked.connect(
            lambda: self.read_back_requested.emit(self.way.currentText())
        )
        self.resume_button = _button("继续询问", "重新打开问答继续记录；定稿前须再次核对")
        self.resume_button.clicked.connect(self.resume_requested.emit)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.corrections = _correction_table()
        self.no_corrections = QLabel("无补正。")
        self.no_corrections.setStyleSheet(NOTE_STYLE)
        self._setup_ui()

    def _setup_ui(self) -> None:
        guidance = QLabel(GUIDANCE)
        guidance.setWordWrap(True)
        sentence = QLabel(f"“{CONFIRMATION}”")
        sentence.setStyleSheet(SENTENCE_STYLE)
        sentence.setWordWrap(True)
        after = QLabel(AFTER_SENTENCE)
        after.setWordWrap(True)
        after.setStyleSheet(NOTE_STYLE)
        row = QHBoxLayout()
        row.addWidget(QLabel("核对方式："))
        row.addWidget(self.way)
        row.addWidget(self.read_back_button)
        row.addWidget(self.resume_button)
        row.addStretch()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("<b>核对与补正</b>"))
        column.addWidget(guidance)
        column.addWidget(sentence)
        column.addWidget(after)
        column.addLayout(row)
        column.addWidget(self.state)
        column.addWidget(QLabel("补正记录："))
        column.addWidget(self.no_corrections)
        column.addWidget(self.corrections)

    def show_state(
        self, read_back: str, corrections: Sequence[Mapping[str, Any]], final: bool
    ) -> None:
        """How the record was checked (if it was) and the 补正 rows; nothing to do once 定稿."""
        self.state.setText(READ_BACK_TEXT.format(how=read_back) if read_back else NOT_READ_BACK)
        self.state.setStyleSheet(DONE_STYLE if read_back else NOTE_STYLE)
        if read_back:
            self.way.setCurrentText(read_back)
        self.way.setEnabled(not read_back and not final)
        self.read_back_button.setVisible(not read_back and not final)
        self.resume_button.setVisible(bool(read_back) and not final)
        self.corrections.setRowCount(len(corrections))
        for row, correction in enumerate(corrections):
            for column, (key, _label) in enumerate(CORRECTION_COLUMNS):
                self.corrections.setItem(
                    row, column, QTableWidgetItem(str(correction.get(key, "")))
                )
        self._fit_table()
        self.corrections.setVisible(bool(corrections))
        self.no_corrections.setVisible(not corrections)

    def _fit_table(self) -> None:
        """Rows as tall as their wrapped texts, the table as tall as its rows (up to a cap)."""
        table = self.corrections
        table.resizeRowsToContents()
        rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
        height = table.horizontalHeader().height() + rows + 2 * table.frameWidth()
        table.setFixedHeight(min(height, TABLE_MAX_HEIGHT))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_table()  # wrapped texts take more or fewer lines at the new width


class CorrectionDialog(LifecycleDialog):
    """补正 of pair ``number``: which part (问 / 答), what it says, what it is to say."""

    def __init__(self, number: int, pair: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(f"补正第{number}问", "记录补正", parent)
        self._pair = pair
        self.part = QComboBox()
        for key, label in PART_LABELS.items():
            self.part.addItem(f"第{number}{label}", key)
        self.part.setCurrentIndex(1)  # an answer is what the person most often corrects
        self.before = QLabel()
        self.before.setWordWrap(True)
        self.before.setStyleSheet(NOTE_STYLE)
        self.after = QPlainTextEdit()
        self.after.setFixedHeight(110)
        self.part.currentIndexChanged.connect(lambda _index: self._show_part())
        note = QLabel("补正打印在笔录末尾，由被询问人在补正处签名或捺指印确认。")
        note.setWordWrap(True)
        self.form.addRow(note)
        self.form.addRow("补正项：", self.part)
        self.form.addRow("原记录：", self.before)
        self.form.addRow("补正为：", self.after)
        self._show_part()

    def part_key(self) -> str:
        """``q`` or ``a``: the part of the pair corrected."""
        return str(self.part.currentData())

    def new_text(self) -> str:
        """What the part is to say."""
        return self.after.toPlainText().strip()

    def _show_part(self) -> None:
        text = self._pair.get(self.part_key(), "")
        self.before.setText(text or "（空）")
        self.after.setPlainText(text)


def _correction_table() -> QTableWidget:
    table = QTableWidget(0, len(CORRECTION_COLUMNS))
    table.setHorizontalHeaderLabels([label for _key, label in CORRECTION_COLUMNS])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
    return table


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.setToolTip(tip)
    return button
