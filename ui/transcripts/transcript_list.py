"""The case page's 笔录 tab: the case's transcripts (the party, employees, witnesses …).

One row each — 被询问人, 身份, 询问时间, 状态, 问答数 — with 新建询问笔录 (who is questioned, then
the editor) and 打开 (a double click too). The editor's changes reload the list.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.services.transcripts import transcripts
from fuanjian_desktop.services.transcripts.transcripts import TranscriptSummary
from ui.context import AppContext
from ui.errors import failure_text
from ui.models.column_table import Column, RowListModel
from ui.shortcuts import NEW, OPEN_ROW, keyed
from ui.transcripts.editor_dialog import TranscriptEditorDialog
from ui.transcripts.new_transcript_dialog import NewTranscriptDialog
from ui.widgets.form_parts import error_label
from ui.widgets.record_table import record_table

TRANSCRIPT_COLUMNS: tuple[Column[TranscriptSummary], ...] = (
    Column("笔录", lambda row: row.title),
    Column("被询问人", lambda row: row.interviewee),
    Column("身份", lambda row: row.relation),
    Column("询问时间", lambda row: row.started_at),
    Column("状态", lambda row: row.status_label),
    Column("问答数", lambda row: str(row.entries)),
)
COLUMN_WIDTHS = (150, 110, 90, 140, 70)


class TranscriptList(QWidget):
    """``loaded`` gives the count after each load; ``changed`` says a transcript changed."""

    loaded = Signal(int)
    changed = Signal()

    def __init__(self, context: AppContext, can_create: bool) -> None:
        super().__init__()
        self._context = context
        self._serial = 0
        self.case_id: str | None = None
        self.dialog: QDialog | None = None  # the open dialog, kept alive while it is shown
        self.model = RowListModel(TRANSCRIPT_COLUMNS)
        self.new_button = keyed(_button("新建询问笔录…", self.new_transcript), NEW)
        self.new_button.setEnabled(can_create)
        self.open_button = _button(f"打开 ({OPEN_ROW})", self.open_current)
        self.message = error_label()
        self.table = self._table()
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch()
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self._update_buttons()

    def _table(self) -> QTableView:
        return record_table(
            self.model,
            COLUMN_WIDTHS,
            selection=QAbstractItemView.SelectionMode.SingleSelection,
            on_open=self.open_current,
            on_select=self._update_buttons,
        )

    # --- loading -------------------------------------------------------------------------

    def show_case(self, case_id: str) -> None:
        """List ``case_id``'s transcripts (read in the background)."""
        self.case_id = case_id
        self.reload()

    def reload(self) -> None:
        """Read the list again; a stale answer is dropped."""
        if self.case_id is None:
            return
        self._serial += 1
        serial, case_id, database = self._serial, self.case_id, self._context.database
        actor = self._context.actor
        self._context.workers.run(
            lambda: transcripts.case_transcripts(database, actor, case_id),
            lambda rows: self._show(serial, rows),
            lambda error: self.message.setText(failure_text(error)),
        )

    def _show(self, serial: int, rows: list[TranscriptSummary]) -> None:
        if serial != self._serial:
            return
        current = self.current()
        self.model.set_rows(rows)
        if current is not None and self.model.row_of(current.id) >= 0:
            self.table.selectRow(self.model.row_of(current.id))
        self._update_buttons()
        self.loaded.emit(len(rows))

    def current(self) -> TranscriptSummary | None:
        """The transcript at the table's current row."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        row: TranscriptSummary = self.model.row_at(index.row())
        return row

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    # --- actions -------------------------------------------------------------------------

    def new_transcript(self) -> None:
        """Who is questioned; then the new transcript opens in the editor."""
        if self.case_id is None:
            return
        dialog = NewTranscriptDialog(self._context, self.case_id, self)
        dialog.accepted.connect(lambda: self._created(dialog.document_id))
        dialog.open()
        self.dialog = dialog

    def _created(self, document_id: str | None) -> None:
        if document_id is None:
            return
        self._edited()
        self.open_transcript(document_id)

    def open_current(self) -> None:
        """Open the current transcript in the editor."""
        row = self.current()
        if row is not None:
            self.open_transcript(row.id)

    def open_transcript(self, document_id: str) -> None:
        """The editor on ``document_id``; what changes there reloads this list."""
        editor = TranscriptEditorDialog(self._context, document_id, self)
        editor.changed.connect(self._edited)
        editor.open()
        self.dialog = editor

    def _edited(self) -> None:
        self.reload()
        self.changed.emit()


def _button(text: str, slot: Callable[[], object]) -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button
