"""预览打印 and 批量打印: render the chosen documents in the background, then preview them.

One document is rendered per background job, so the progress dialog moves document by
document and 取消 stops before the next one; the window stays responsive throughout. The
preview then opens maximised within the screen's free area and shows every page of every chosen
document; its 打印 (Ctrl+P) opens the print dialog (Enter prints), which sends them to the
printer as one job. Where no printer is installed, Qt offers printing to a PDF file: the file
is proposed in the user's 文档 folder, named 福安监打印-<date and time>.pdf, so Enter writes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.context import AppContext
from ui.documents.rendering import document_pages, new_printer, paint_pages, raster_dpi
from ui.errors import show_failure
from ui.file_dialogs import in_documents
from ui.shortcuts import PRINT, shown

PRINT_FILE_NAME = "福安监打印-{now:%Y%m%d-%H%M%S}.pdf"


class PrintJob(QObject):
    """Renders ``document_ids`` in order; ``ready`` carries all their pages, then the preview
    opens (unless ``preview`` is false, as in tests that paint onto a PDF printer)."""

    ready = Signal(list)  # list[QImage], every page of every document in order

    def __init__(
        self,
        context: AppContext,
        document_ids: Sequence[str],
        parent: QWidget,
        *,
        preview: bool = True,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._ids = list(document_ids)
        self._parent = parent
        self._preview = preview
        self.printer = new_printer()
        self.pages: list[QImage] = []
        self._done = 0  # documents rendered so far
        self.preview_dialog: QPrintPreviewDialog | None = None
        self.progress = QProgressDialog("正在生成文书…", "取消", 0, len(self._ids), parent)
        self.progress.setWindowTitle("预览打印")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)  # a single short document needs no dialog

    def start(self) -> None:
        """Render the first document; each finished one starts the next."""
        self.progress.setValue(0)
        self._next()

    def _next(self) -> None:
        if self.progress.wasCanceled():
            self.deleteLater()
            return
        if self._done == len(self._ids):
            self._finish()
            return
        self.progress.setLabelText(f"正在生成第 {self._done + 1} / {len(self._ids)} 份文书…")
        database, dpi = self._context.database, raster_dpi(self.printer)
        document_id, actor = self._ids[self._done], self._context.actor
        self._context.workers.run(
            lambda: document_pages(database, actor, document_id, dpi),
            self._rendered_one,
            self._failed,
        )

    def _rendered_one(self, pages: list[QImage]) -> None:
        self._done += 1
        self.pages.extend(pages)
        self.progress.setValue(self._done)
        self._next()

    def _failed(self, error: Exception) -> None:
        self.progress.reset()
        show_failure(self._parent, error, "文书未能生成")
        self.deleteLater()

    def _finish(self) -> None:
        self.progress.reset()
        self.ready.emit(self.pages)
        if self._preview:
            self.open_preview()

    def open_preview(self) -> QPrintPreviewDialog:
        """The print preview over all pages; 打印 there prints them as one job."""
        dialog = QPrintPreviewDialog(self.printer, self._parent)
        dialog.setWindowTitle(f"预览打印（共 {len(self.pages)} 页）")
        dialog.paintRequested.connect(self.paint)
        dialog.finished.connect(lambda _result: self.deleteLater())
        _key_print_action(dialog)
        propose_print_file(self.printer)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.showMaximized()  # the pages as large as the screen allows, never off its edge
        self.preview_dialog = dialog
        return dialog

    def paint(self, printer: QPrinter) -> None:
        """Paint every rendered page onto ``printer`` (the preview's, or a real one)."""
        paint_pages(printer, self.pages)


def _key_print_action(dialog: QPrintPreviewDialog) -> None:
    """Give the preview's 打印 tool button the key ``PRINT`` (Qt gives it none); it is found by
    its label in the language Qt's own dialogs are translated to."""
    label = QCoreApplication.translate("QPrintPreviewDialog", "Print")
    for action in dialog.findChildren(QAction):
        if action.text() == label:
            action.setShortcut(QKeySequence(PRINT))
            action.setToolTip(f"{label}（{shown(PRINT)}）")


def propose_print_file(printer: QPrinter) -> None:
    """Where no printer is installed the printer writes a PDF file: name one in the user's 文档
    folder, so the print dialog's Enter prints without typing a path."""
    if printer.outputFormat() != QPrinter.OutputFormat.PdfFormat or printer.outputFileName():
        return
    place = Path(in_documents())
    place.mkdir(parents=True, exist_ok=True)  # the print dialog refuses a missing folder
    printer.setOutputFileName(str(place / PRINT_FILE_NAME.format(now=dt.datetime.now())))
