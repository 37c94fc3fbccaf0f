"""预览打印 and 批量打印: render the chosen documents in the background, then preview them.

One document is rendered per background job, so the progress dialog moves document by
document and 取消 stops before the next one; the window stays responsive throughout. The
preview then shows every page of every chosen document, and its 打印 button sends them to the
printer as one job.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QProgressDialog, QWidget

from ui.context import AppContext
from ui.documents.rendering import document_pages, new_printer, paint_pages, raster_dpi
from ui.errors import show_failure


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
        document_id = self._ids[self._done]
        self._context.workers.run(
            lambda: document_pages(database, document_id, dpi), self._rendered_one, self._failed
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
        dialog.resize(900, 1000)
        dialog.finished.connect(lambda _result: self.deleteLater())
        dialog.open()
        self.preview_dialog = dialog
        return dialog

    def paint(self, printer: QPrinter) -> None:
        """Paint every rendered page onto ``printer`` (the preview's, or a real one)."""
        paint_pages(printer, self.pages)
