"""The documents of one case or one inspection, with what a clerk does with them.

新建 drafts a document and opens it in the editor (a 询问笔录 asks first who is questioned);
编辑/查看 opens the current one (Enter on the row or a double click does too), a 笔录 of
questions and answers in the transcript editor; 预览打印 previews the current document and 批量打印
every selected one (Ctrl+A selects all) in a single print job; 导出PDF / 导出Word write the
current one to a file; on a case's list 附加扫描件 attaches the scan of the current issued
document's signed paper original (``ui/dossier/scan_dialog.py``). Every action has its key (or
its Alt letter) on its button. When an editor closes, the cursor is back on its document's row,
so the next key acts on it. The case page shows this list in its 文书 tab, the inspection's 文书
window shows it for an inspection.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.documents.documents import DocumentView
from fuanjian_desktop.services.dossiers.scans import SCANNABLE
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.transcripts import transcripts
from ui.context import AppContext
from ui.documents.editor_dialog import DocumentEditorDialog
from ui.documents.export import PDF, WORD, ExportFormat, ask_path, export_document
from ui.documents.printing import PrintJob
from ui.documents.table import COLUMN_WIDTHS, DocumentTableModel
from ui.documents.type_picker import DocumentKind, DocumentTypePicker
from ui.dossier.scan_dialog import ScanDialog
from ui.errors import failure_text
from ui.shortcuts import (
    BATCH_PRINT,
    EXPORT_PDF,
    EXPORT_WORD,
    NEW,
    OPEN_ROW,
    PRINT_PREVIEW,
    QUICK_DRAFTS,
    keyed,
    shown,
)
from ui.transcripts.editor_dialog import TranscriptEditorDialog, is_transcript_type
from ui.transcripts.new_transcript_dialog import NewTranscriptDialog
from ui.widgets.form_parts import error_label
from ui.widgets.record_table import record_table

QUICK_KINDS = len(QUICK_DRAFTS)  # this many kinds or fewer get a button (and key) each
NOTICE_STYLE = "color: #1c6b32;"


@dataclass(frozen=True)
class DocumentOwner:
    """Whose documents a list shows: a case or an inspection (exactly one of the ids)."""

    case_id: str | None = None
    inspection_id: str | None = None

    def views(self, database: Database, actor: Actor) -> list[DocumentView]:
        """The owner's documents, as the core lists them."""
        if self.case_id is not None:
            return documents.case_document_views(database, actor, self.case_id)
        assert self.inspection_id is not None
        return documents.inspection_document_views(database, actor, self.inspection_id)

    def new_draft(self, database: Database, actor: Actor, kind: DocumentKind, on: dt.date) -> str:
        """A new draft of ``kind`` for the owner, filled from its data; returns its id."""
        return documents.create_draft(
            database,
            actor,
            type_key=kind.type_key,
            case_id=self.case_id,
            inspection_id=self.inspection_id,
            variant=kind.variant,
            on=on,
        )


class DocumentList(QWidget):
    """``loaded`` gives the count after each load; ``changed`` says a document changed."""

    loaded = Signal(int)
    changed = Signal()

    def __init__(
        self,
        context: AppContext,
        kinds: Sequence[DocumentKind],
        can_create: bool,
        today: Callable[[], dt.date] = local_today,
    ) -> None:
        super().__init__()
        self._context = context
        self._kinds = list(kinds)
        self._can_create = can_create
        self._today = today
        self._serial = 0
        self.owner: DocumentOwner | None = None
        self.dialog: QDialog | None = None  # the open dialog, kept alive while it is shown
        self.print_job: PrintJob | None = None
        self._row_to_focus: str | None = None  # the document whose row gets the cursor on load
        self.model = DocumentTableModel()
        self.message = error_label()
        self.notice = QLabel()
        self.notice.setStyleSheet(NOTICE_STYLE)
        self._setup_ui()

    # --- layout --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.table = self._table()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._toolbar())
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.notice)
        self._update_buttons()

    def _toolbar(self) -> QVBoxLayout:
        """The new-draft buttons, then the buttons acting on the selected rows: on one line
        when a picker stands for the kinds, on two when each kind has its button (the window
        stays narrower than a 1366-px screen)."""
        new_row, row = QHBoxLayout(), QHBoxLayout()
        if len(self._kinds) <= QUICK_KINDS:
            keys = QUICK_DRAFTS[: len(self._kinds)]
            self.new_buttons = [
                self._new_button(kind, key) for kind, key in zip(self._kinds, keys, strict=True)
            ]
        else:
            self.new_buttons = [keyed(_button("新建文书…", self.new_document), NEW)]
        for button in self.new_buttons:
            button.setEnabled(self._can_create)
            new_row.addWidget(button)
        new_row.addStretch()
        self.open_button = _button(f"编辑/查看 ({OPEN_ROW})", self.open_current)
        self.open_button.setToolTip(f"打开选中的文书；在列表中按 {OPEN_ROW} 或双击也可")
        self.preview_button = keyed(_button("预览打印", self.preview_current), PRINT_PREVIEW)
        self.batch_button = keyed(_button("批量打印", self.print_selected), BATCH_PRINT)
        self.batch_button.setToolTip(f"选中的文书一起打印（Ctrl+A 全选）（{shown(BATCH_PRINT)}）")
        self.pdf_button = keyed(_button("导出PDF…", lambda: self.export_current(PDF)), EXPORT_PDF)
        self.word_button = keyed(
            _button("导出Word…", lambda: self.export_current(WORD)), EXPORT_WORD
        )
        self.scan_button = _button("附加扫描件(&S)…", self.attach_scan)
        self.scan_button.setToolTip("为选中的已签发文书附加签字原件的扫描件（PDF或图片）")
        self.scan_button.hide()  # a case's list only (show_owner)
        for button in (*self._row_buttons(), self.scan_button):
            row.addWidget(button)
        row.addStretch()
        bar = QVBoxLayout()
        if len(self.new_buttons) > 1:
            bar.addLayout(new_row)
        else:
            row.insertLayout(0, new_row)
        bar.addLayout(row)
        return bar

    def _new_button(self, kind: DocumentKind, keys: str) -> QPushButton:
        button = _button(f"{kind.title}…", lambda: self.create(kind))
        button.setToolTip(f"新建一份{kind.title}草稿，按本次检查的情况预先填写")
        keyed(button, keys)
        return button

    def _row_buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.open_button,
            self.preview_button,
            self.batch_button,
            self.pdf_button,
            self.word_button,
        )

    def _table(self) -> QTableView:
        return record_table(
            self.model,
            COLUMN_WIDTHS,
            selection=QAbstractItemView.SelectionMode.ExtendedSelection,
            on_open=self.open_current,
            on_select=self._update_buttons,
        )

    # --- loading -------------------------------------------------------------------------

    def show_owner(self, owner: DocumentOwner) -> None:
        """List ``owner``'s documents (read again in the background)."""
        self.owner = owner
        self.scan_button.setVisible(owner.case_id is not None)
        self.reload()

    def reload(self) -> None:
        """Read the list again, keeping the current document current; stale answers drop."""
        if self.owner is None:
            return
        self._serial += 1
        serial, owner, database = self._serial, self.owner, self._context.database
        actor = self._context.actor
        self._context.workers.run(
            lambda: owner.views(database, actor),
            lambda rows: self._show(serial, rows),
            lambda error: self.message.setText(failure_text(error)),
        )

    def _show(self, serial: int, rows: list[DocumentView]) -> None:
        if serial != self._serial:
            return
        current = self.current()
        self.model.set_rows(rows)
        if current is not None and self.model.row_of(current.id) >= 0:
            self.table.selectRow(self.model.row_of(current.id))
        elif rows:
            self.table.selectRow(0)  # the keys act on a row from the start
        waiting, self._row_to_focus = self._row_to_focus, None
        if waiting is not None and self.model.row_of(waiting) >= 0:  # a discarded draft is gone
            self.focus_row(waiting)
        self._update_buttons()
        self.loaded.emit(len(rows))

    def current(self) -> DocumentView | None:
        """The document at the table's current row."""
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def selected(self) -> list[DocumentView]:
        """The selected documents, top to bottom."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.row_at(row) for row in rows]

    def _update_buttons(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        for button in self._row_buttons():
            button.setEnabled(bool(selected))
        current = self.current()
        self.scan_button.setEnabled(current is not None and current.status in SCANNABLE)
        label = f"批量打印（{len(selected)}）" if selected else "批量打印"
        self.batch_button.setText(f"{label} ({shown(BATCH_PRINT)})")
        self.batch_button.setShortcut(QKeySequence(BATCH_PRINT))  # setText has reset it

    def focus_row(self, document_id: str) -> None:
        """Select ``document_id``'s row and put the cursor in the table (once it is listed)."""
        row = self.model.row_of(document_id)
        if row < 0:
            self._row_to_focus = document_id  # not yet loaded: the next load focuses it
            return
        self._row_to_focus = None
        self.table.selectRow(row)
        self.table.window().activateWindow()  # back from the editor, which had the keyboard
        self.table.setFocus()

    # --- actions -------------------------------------------------------------------------

    def new_document(self) -> None:
        """Choose a kind, then draft it."""
        picker = DocumentTypePicker(self._kinds, self)
        picker.accepted.connect(lambda: self._picked(picker.chosen))
        picker.open()
        self.dialog = picker

    def _picked(self, kind: DocumentKind | None) -> None:
        if kind is not None:
            self.create(kind)

    def create(self, kind: DocumentKind) -> None:
        """Draft ``kind`` for the owner (filled from its data) and open it in the editor; a
        询问笔录 first asks who is questioned."""
        if self.owner is None:
            return
        if kind.type_key == transcripts.INQUIRY and self.owner.case_id is not None:
            self._new_transcript(self.owner.case_id)
            return
        owner, context, on = self.owner, self._context, self._today()
        self.message.clear()
        context.workers.run(
            lambda: owner.new_draft(context.database, context.actor, kind, on),
            lambda document_id: self._created(kind.type_key, document_id),
            lambda error: self.message.setText(failure_text(error)),
        )

    def _created(self, type_key: str, document_id: str | None) -> None:
        if document_id is None:
            return
        self.reload()
        self.changed.emit()
        self.open_document(document_id, type_key)

    def _new_transcript(self, case_id: str) -> None:
        """Who is questioned first; the transcript then opens in its own editor."""
        dialog = NewTranscriptDialog(self._context, case_id, self)
        dialog.accepted.connect(lambda: self._created(transcripts.INQUIRY, dialog.document_id))
        dialog.open()
        self.dialog = dialog

    def open_current(self) -> None:
        """Open the current document: a draft to edit, an issued one to view."""
        view = self.current()
        if view is not None:
            self.open_document(view.id, view.type_key)

    def open_document(self, document_id: str, type_key: str) -> None:
        """The editor on ``document_id`` (a transcript's own for 笔录 typed as questions and
        answers); every change there reloads this list."""
        editor: DocumentEditorDialog | TranscriptEditorDialog
        if is_transcript_type(type_key):
            editor = TranscriptEditorDialog(self._context, document_id, self)
        else:
            editor = DocumentEditorDialog(self._context, document_id, self, self._today)
        editor.changed.connect(self._edited)
        editor.finished.connect(lambda _result: self.focus_row(editor.document_id))
        editor.open()
        self.dialog = editor

    def _edited(self) -> None:
        self.reload()
        self.changed.emit()

    def attach_scan(self) -> None:
        """附加扫描件 to the current document; the list reloads after each change."""
        view = self.current()
        if view is None:
            return
        dialog = ScanDialog(self._context, view.id, self, self._today)
        dialog.changed.connect(self._edited)
        dialog.finished.connect(lambda _result: self.focus_row(view.id))
        dialog.open()
        self.dialog = dialog

    def preview_current(self) -> None:
        """预览打印 of the current document."""
        view = self.current()
        if view is not None:
            self.print_documents([view.id])

    def print_selected(self) -> None:
        """批量打印: every selected document in one preview and one print job."""
        self.print_documents([view.id for view in self.selected()])

    def print_documents(self, document_ids: Sequence[str], preview: bool = True) -> PrintJob:
        """Render ``document_ids`` with progress, then preview them (see ``PrintJob``)."""
        self.message.clear()
        self.print_job = PrintJob(self._context, document_ids, self, preview=preview)
        self.print_job.start()
        return self.print_job

    def export_current(self, form: ExportFormat) -> None:
        """导出PDF / 导出Word of the current document, to the file the user names."""
        view = self.current()
        path = ask_path(self, view, form) if view is not None else None
        if view is None or path is None:
            return
        self.message.clear()
        self.notice.setText(f"正在导出{form.name}…")
        export_document(self._context, view, form, path, self._exported, self._export_failed)

    def _exported(self, path: Path) -> None:
        self.notice.setText(f"已导出：{path}")

    def _export_failed(self, error: Exception) -> None:
        self.notice.clear()
        self.message.setText(failure_text(error))


def _button(text: str, slot: Callable[[], object]) -> QPushButton:
    """A button Enter never presses: in a dialog the first one would otherwise be default."""
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button
