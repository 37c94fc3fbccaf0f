"""附加扫描件: the scan of a document's signed paper original, which stands in its place in the
volume.

What was signed on paper is the legal original, so the clerk attaches its scan: one or several
files (a PDF of several pages, or JPEG/PNG page images), in the order the pages are bound —
shown numbered and changeable with 上移/下移 — with the page count of each file and the total
read as they are chosen, so a wrong or unreadable file shows before anything is stored. A
document that already has a scan is replaced only after the clerk confirms; 删除扫描件 asks for
the reason, which the audit log keeps. The core checks and stores; a refusal is shown beside
its field and nothing is stored half.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.registry_rules import InvalidFields
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.documents.documents import DocumentView, document_view
from fuanjian_desktop.services.dossiers import scans
from fuanjian_desktop.services.inspections.inspections import local_today
from ui.context import AppContext
from ui.documents.lifecycle_dialogs import ReasonDialog
from ui.dossier.refusals import show_refusal
from ui.errors import failure_text
from ui.file_dialogs import in_documents
from ui.widgets.ask import ask
from ui.widgets.field_errors import FieldErrors
from ui.widgets.form_parts import aligned_form, date_edit, lay_out_form_dialog

SCAN_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")
# file-dialog filter; both cases, since Linux matches patterns case-sensitively
SCAN_FILTER = "扫描件 (" + " ".join(f"*{e} *{e.upper()}" for e in SCAN_EXTENSIONS) + ")"
PATH_ROLE = Qt.ItemDataRole.UserRole + 1
PAGES_ROLE = Qt.ItemDataRole.UserRole + 2  # the file's page count, or its problem as text
PROBLEM = QColor("#b3261e")  # the red of the error labels (form_parts.ERROR_STYLE)
NOTE_MAX = 200
FILE_KEYS = "Alt+A 添加文件，Alt+U / Alt+D 上移下移（也可拖动），Alt+R 移出，Ctrl+Enter 附加"
NO_FILES = "尚未选择文件。PDF 可含多页；图片每个文件一页。"
REMOVE_EXPLANATION = "删除后，案卷中本文书的位置恢复使用系统生成的副本。删除原因记入操作日志。"


@dataclass(frozen=True)
class ScanState:
    """The document and its present scan, read together in the background."""

    document: DocumentView
    scan: scans.ScanInfo | None


def scan_state(context: AppContext, document_id: str) -> ScanState:
    """The document's view and its scan (None if it has none)."""
    database, actor = context.database, context.actor
    return ScanState(
        document_view(database, actor, document_id),
        scans.scan_of(database, actor, document_id),
    )


def page_count_or_problem(path: Path) -> int | str:
    """The file's page count, or the core's reason it is no scan (e.g. a damaged PDF)."""
    try:
        return scans.scan_page_count(path)
    except UserError as error:
        return error.message


class ScanDialog(QDialog):
    """Attach, replace or remove the scan of one issued document or transcript; ``changed``
    is emitted after each stored change (the lists showing the document reload)."""

    changed = Signal()

    def __init__(
        self,
        context: AppContext,
        document_id: str,
        parent: QWidget | None = None,
        today: Callable[[], dt.date] = local_today,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("附加扫描件")
        self.setMinimumWidth(560)
        self._context = context
        self._document_id = document_id
        self._today = today()
        self.state: ScanState | None = None
        self.dialog: QDialog | QMessageBox | None = None  # an open question or reason form
        self.errors = FieldErrors()
        self._setup_ui()
        self.reload()

    # --- layout --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.heading = QLabel("正在读取文书…")
        self.heading.setWordWrap(True)
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.remove_button = QPushButton("删除扫描件(&X)…")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.ask_removal)
        current_row = QHBoxLayout()
        current_row.addWidget(self.current, 1)
        current_row.addWidget(self.remove_button)
        form = aligned_form()
        self.errors.add_row(form, "扫描文件：", "paths", self._file_panel())
        self.date = date_edit(self._today)
        self.date.setMaximumDate(QDate(self._today))
        self.errors.add_row(form, "扫描日期：", "on", self.date)
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText("如：当事人签名页，原件存档案室")
        self.errors.add_row(form, "备注：", "note", self.note)
        body = QVBoxLayout()
        body.addWidget(self.heading)
        body.addLayout(current_row)
        body.addLayout(form)
        self.save_button = lay_out_form_dialog(
            self, body, self.errors.general, self.try_attach, "附加扫描件"
        )
        self.save_button.setEnabled(False)  # until the document is read and files chosen
        self.files.setFocus()

    def _file_panel(self) -> QWidget:
        """The chosen files in page order, their page counts, and the buttons ordering them."""
        self.files = QListWidget()
        self.files.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.files.setMinimumHeight(120)
        self.files.setToolTip(FILE_KEYS)
        self.files.model().rowsMoved.connect(lambda *_: self._renumber())
        self.files.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.add_button = _button("添加文件(&A)…", self.choose_files)
        self.up_button = _button("上移(&U)", lambda: self.move_current(-1))
        self.down_button = _button("下移(&D)", lambda: self.move_current(1))
        self.drop_button = _button("移出(&R)", self.drop_current)
        buttons = QVBoxLayout()
        for button in (self.add_button, self.up_button, self.down_button, self.drop_button):
            buttons.addWidget(button)
        buttons.addStretch()
        self.total = QLabel(NO_FILES)
        self.total.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.files, 1)
        row.addLayout(buttons)
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.total)
        return panel

    # --- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the document and its present scan again."""
        context, document_id = self._context, self._document_id
        context.workers.run(
            lambda: scan_state(context, document_id),
            self._show_state,
            lambda error: show_refusal(self.errors, error),
        )

    def _show_state(self, state: ScanState) -> None:
        self.state = state
        document = state.document
        number = f"  {document.number}" if document.number else ""
        self.heading.setText(f"<b>{document.title}</b>{number}（{document.status_label}）")
        self.current.setText(_scan_text(state.scan))
        self.remove_button.setEnabled(state.scan is not None)
        self.save_button.setText("替换扫描件" if state.scan else "附加扫描件")
        self._update_buttons()

    # --- the files -----------------------------------------------------------------------

    def choose_files(self) -> None:
        """Pick scan files (several at once); they are added after the ones already listed."""
        paths, _ = QFileDialog.getOpenFileNames(self, "选择扫描件", in_documents(), SCAN_FILTER)
        if paths:
            self.add_files([Path(path) for path in paths])

    def add_files(self, paths: Sequence[Path]) -> None:
        """List ``paths`` after the present files and count their pages in the background."""
        for path in paths:
            entry = QListWidgetItem()
            entry.setData(PATH_ROLE, str(path))
            self.files.addItem(entry)
        self.files.setCurrentRow(self.files.count() - 1)
        self._renumber()
        self._context.workers.run(
            lambda: {str(path): page_count_or_problem(path) for path in paths},
            self._counted,
            lambda error: show_refusal(self.errors, error),
        )

    def _counted(self, counts: dict[str, int | str]) -> None:
        for entry in self._entries():
            if entry.data(PATH_ROLE) in counts:
                entry.setData(PAGES_ROLE, counts[entry.data(PATH_ROLE)])
        self._renumber()

    def paths(self) -> list[Path]:
        """The files in page order."""
        return [Path(entry.data(PATH_ROLE)) for entry in self._entries()]

    def page_count(self) -> int:
        """The pages of the files counted so far (a file not readable counts none)."""
        counts = [entry.data(PAGES_ROLE) for entry in self._entries()]
        return sum(count for count in counts if isinstance(count, int))

    def move_current(self, step: int) -> None:
        """Move the current file one place up (-1) or down (+1)."""
        row = self.files.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.files.count():
            return
        entry = self.files.takeItem(row)
        self.files.insertItem(target, entry)
        self.files.setCurrentRow(target)
        self._renumber()

    def drop_current(self) -> None:
        """Take the current file off the list (the file itself is untouched)."""
        row = self.files.currentRow()
        if row >= 0:
            self.files.takeItem(row)
            self._renumber()

    def _entries(self) -> list[QListWidgetItem]:
        return [self.files.item(row) for row in range(self.files.count())]

    def _renumber(self) -> None:
        """Each file's place, name and pages; the total; problems under the list."""
        problems = []
        for place, entry in enumerate(self._entries(), start=1):
            name = Path(entry.data(PATH_ROLE)).name
            pages = entry.data(PAGES_ROLE)
            if pages is None:
                detail = "正在计算页数…"
            elif isinstance(pages, int):
                detail = f"{pages}页"
            else:
                detail = "无法使用"
                problems.append(pages)
            entry.setText(f"{place}. {name}（{detail}）")
            entry.setData(
                Qt.ItemDataRole.ForegroundRole, PROBLEM if isinstance(pages, str) else None
            )
        count = self.files.count()
        self.total.setText(
            f"共{count}个文件，{self.page_count()}页（按列表顺序装订）。" if count else NO_FILES
        )
        label = self.errors.label_for("paths")
        label.setText("\n".join(problems))
        label.setVisible(bool(problems))
        self._update_buttons()

    def _update_buttons(self) -> None:
        row, count = self.files.currentRow(), self.files.count()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)
        self.drop_button.setEnabled(row >= 0)
        counted = all(isinstance(entry.data(PAGES_ROLE), int) for entry in self._entries())
        self.save_button.setEnabled(self.state is not None and count > 0 and counted)

    # --- attaching and removing ----------------------------------------------------------

    def try_attach(self) -> None:
        """Attach the files; a present scan is replaced only after the clerk confirms."""
        if self.state is None or not self.save_button.isEnabled():
            return
        present = self.state.scan
        if present is None:
            self.attach()
            return
        self.dialog = ask(
            self,
            "替换扫描件",
            f"本文书已附扫描件（{present.page_count}页，{present.scanned_on:%Y-%m-%d}）。\n"
            f"用新选的{self.page_count()}页替换吗？",
            "替换",
            self.attach,
        )

    def attach(self) -> None:
        """Store the scan in the background; a refusal is shown beside its field."""
        context, document_id, paths = self._context, self._document_id, self.paths()
        on, note = self.date.date().toPython(), self.note.text().strip()
        self.save_button.setEnabled(False)  # one click, one scan
        self.errors.clear()
        context.workers.run(
            lambda: scans.attach_scan(
                context.database, context.actor, document_id, paths, on, note
            ),
            lambda _scan_id: self._stored(),
            self._refused,
        )

    def _stored(self) -> None:
        self.changed.emit()
        self.accept()

    def _refused(self, error: Exception) -> None:
        show_refusal(self.errors, error, {"paths": self.files, "on": self.date, "note": self.note})
        self._update_buttons()

    def ask_removal(self) -> ReasonDialog:
        """删除扫描件: the reason first; the scan goes once the core has accepted it."""
        dialog = ReasonDialog("删除扫描件", REMOVE_EXPLANATION, "删除扫描件", self)
        dialog.on_submit(lambda _form: self._remove(dialog))
        dialog.open()
        self.dialog = dialog
        return dialog

    def _remove(self, dialog: ReasonDialog) -> None:
        scan = self.state.scan if self.state is not None else None
        if scan is None:
            return
        context, scan_id, reason = self._context, scan.id, dialog.reason_text()
        context.workers.run(
            lambda: scans.remove_scan(context.database, context.actor, scan_id, reason),
            lambda _none: self._removed(dialog),
            lambda error: dialog.refused(_reason_refusal(error)),
        )

    def _removed(self, dialog: ReasonDialog) -> None:
        dialog.accept()
        self.changed.emit()
        self.reload()


def _scan_text(scan: scans.ScanInfo | None) -> str:
    """The present scan in one line, or that there is none."""
    if scan is None:
        return "尚未附加扫描件：案卷中使用系统生成的副本。"
    note = f"；备注：{scan.note}" if scan.note else ""
    return (
        f"已附扫描件：{scan.page_count}页，{scan.scanned_on:%Y-%m-%d}扫描，"
        f"{scan.attached_by}附加{note}。"
    )


def _reason_refusal(error: Exception) -> str:
    """What the reason form says: the field's problem itself (the form has that one field),
    else the whole message."""
    if isinstance(error, InvalidFields):
        return "\n".join(issue.message for issue in error.issues)
    return failure_text(error)


def _button(text: str, slot: Callable[[], object]) -> QPushButton:
    """A button Enter never presses (the dialog's default is 附加扫描件)."""
    button = QPushButton(text)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button
