"""Volumes to the printer and to files: one or many, in the background, with progress.

Printing streams: a volume of 300 pages is 2.6 GB of images at 300 dpi, so pages are rasterised
a few at a time on the workers and painted onto one open printer (one print job for the whole
batch, as the clerk chose in the print dialog). The print dialog comes first, so nothing is
built for a cancelled print; where no printer is installed it proposes a PDF file in 文档.
Export writes one PDF per volume into a folder, named by the 案号.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from fuanjian_desktop.errors import UserError
from ui.context import AppContext
from ui.documents.printing import propose_print_file
from ui.documents.rendering import (
    default_file_name,
    new_printer,
    page_count,
    paint_page,
    raster_dpi,
    rasterise,
)
from ui.errors import show_failure
from ui.file_dialogs import in_documents

PAGES_PER_JOB = 4  # pages rasterised at a time: a few MB each at print resolution


@dataclass(frozen=True)
class Volume:
    """What to print or export: its name (the 案号) and how to build its PDF (on a worker)."""

    name: str
    build: Callable[[], bytes]


class _Steps(QObject):
    """A chain of background steps behind one progress dialog; 取消 stops before the next.

    The chain is nobody's child: its pending step keeps it alive and it goes when the chain
    ends, so a window closed meanwhile cannot delete it under a running step; it then stops
    at the next step, as if cancelled.
    """

    finished = Signal(object)  # what the chain reports when done (pages printed, files written)

    def __init__(self, context: AppContext, parent: QWidget, title: str, steps: int) -> None:
        super().__init__()
        self._context = context
        self._parent = parent
        self.progress = QProgressDialog("", "取消", 0, steps, parent)
        self.progress.setWindowTitle(title)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(300)  # a short job needs no dialog

    def step(self, label: str, work: Callable[[], object], then: Callable[[object], None]) -> None:
        """Run ``work`` on a worker, then ``then`` with its answer, unless cancelled."""
        if not shiboken6.isValid(self.progress) or self.progress.wasCanceled():
            self.stop()
            return
        self.progress.setLabelText(label)
        self._context.workers.run(work, then, self.fail)

    def stop(self) -> None:
        """Cancelled or failed: close the progress (if its window is still there)."""
        if shiboken6.isValid(self.progress):
            self.progress.reset()

    def advance(self, number: int) -> None:
        """Show ``number`` steps done (if the progress's window is still there)."""
        if shiboken6.isValid(self.progress):
            self.progress.setValue(number)

    def fail(self, error: Exception) -> None:
        """Say why, then stop."""
        self.stop()
        if shiboken6.isValid(self._parent):
            show_failure(self._parent, error, "案卷未能输出")

    def done(self, result: object) -> None:
        """All steps ran."""
        self.stop()
        self.finished.emit(result)


class PrintVolumes(_Steps):
    """Prints ``volumes`` in order onto ``printer`` as one job (``start`` begins it)."""

    def __init__(
        self,
        context: AppContext,
        volumes: Sequence[Volume],
        printer: QPrinter,
        parent: QWidget,
    ) -> None:
        super().__init__(context, parent, "打印案卷", len(volumes))
        self._volumes = list(volumes)
        self._printer = printer
        self._painter = QPainter()
        self._printed = 0  # pages painted so far, over all volumes

    def start(self) -> None:
        """Open the printer and build the first volume."""
        if not self._painter.begin(self._printer):
            self.fail(UserError("打印机无法开始打印，请检查打印机是否可用。"))
            return
        self._painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self._build(0)

    def _build(self, number: int) -> None:
        if number == len(self._volumes):
            self._painter.end()
            self.done(self._printed)
            return
        self.advance(number)
        volume = self._volumes[number]
        self.step(
            f"正在生成第 {number + 1} / {len(self._volumes)} 卷：{volume.name}…",
            lambda: _with_count(volume.build()),
            lambda built: self._pages(number, built, 0),
        )

    def _pages(self, number: int, built: object, start: int) -> None:
        pdf, total = built  # type: ignore[misc]
        if start >= total:
            self._build(number + 1)
            return
        pages = range(start, min(start + PAGES_PER_JOB, total))
        dpi = raster_dpi(self._printer)
        self.step(
            f"正在打印第 {number + 1} / {len(self._volumes)} 卷：第 {start + 1} / {total} 页…",
            lambda: rasterise(pdf, dpi, pages),
            lambda images: self._paint(number, built, pages.stop, images),
        )

    def _paint(self, number: int, built: object, next_page: int, images: object) -> None:
        assert isinstance(images, list)
        for image in images:
            assert isinstance(image, QImage)
            if self._printed:
                self._printer.newPage()
            paint_page(self._painter, self._printer, image)
            self._printed += 1
        self._pages(number, built, next_page)

    def stop(self) -> None:
        """A cancelled or failed print sends nothing to the printer."""
        if self._painter.isActive():
            self._printer.abort()
            self._painter.end()
        super().stop()


class ExportVolumes(_Steps):
    """Writes each volume to its path; ``finished`` carries the paths written."""

    def __init__(
        self, context: AppContext, targets: Sequence[tuple[Volume, Path]], parent: QWidget
    ) -> None:
        super().__init__(context, parent, "导出案卷PDF", len(targets))
        self._targets = list(targets)
        self._written: list[Path] = []

    def start(self) -> None:
        """Write the first volume; each written one starts the next."""
        self._write(0)

    def _write(self, number: int) -> None:
        self.advance(number)
        if number == len(self._targets):
            self.done(self._written)
            return
        volume, path = self._targets[number]
        self.step(
            f"正在导出第 {number + 1} / {len(self._targets)} 卷：{volume.name}…",
            lambda: _write_file(path, volume.build()),
            lambda _path: self._written_one(number, path),
        )

    def _written_one(self, number: int, path: Path) -> None:
        self._written.append(path)
        self._write(number + 1)


def _with_count(pdf: bytes) -> tuple[bytes, int]:
    return pdf, page_count(pdf)


def _write_file(path: Path, pdf: bytes) -> Path:
    """Write whole or not at all: a half-written volume never lies in the folder."""
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(pdf)
    partial.replace(path)
    return path


def print_volumes(context: AppContext, volumes: Sequence[Volume], parent: QWidget) -> QPrintDialog:
    """Ask for the printer (Enter prints), then print ``volumes`` as one job."""
    printer = new_printer()
    propose_print_file(printer)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(f"打印案卷（{len(volumes)} 卷）")

    def accepted() -> None:
        PrintVolumes(context, volumes, printer, parent).start()

    dialog.accepted.connect(accepted)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()  # as QDialog.open(), which QPrintDialog hides behind an overload
    return dialog


def file_name(volume: Volume) -> str:
    """案卷（深福）应急立〔2026〕3号.pdf: the 案号 names the file."""
    return default_file_name("案卷", volume.name, ".pdf")


def export_volumes(
    context: AppContext,
    volumes: Sequence[Volume],
    parent: QWidget,
    done: Callable[[list[Path]], None],
) -> ExportVolumes | None:
    """Ask for a folder, then write one PDF per volume into it; ``done`` gets the paths."""
    folder = QFileDialog.getExistingDirectory(parent, "导出案卷PDF到文件夹", in_documents())
    if not folder:
        return None
    return _export(context, [(v, Path(folder) / file_name(v)) for v in volumes], parent, done)


def export_volume(
    context: AppContext, volume: Volume, parent: QWidget, done: Callable[[list[Path]], None]
) -> ExportVolumes | None:
    """Ask for the file (the 案号 proposed), then write the volume there."""
    path, _filter = QFileDialog.getSaveFileName(
        parent, "导出PDF", in_documents(file_name(volume)), "PDF 文件 (*.pdf)"
    )
    if not path:
        return None
    chosen = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
    return _export(context, [(volume, chosen)], parent, done)


def _export(
    context: AppContext,
    targets: Sequence[tuple[Volume, Path]],
    parent: QWidget,
    done: Callable[[list[Path]], None],
) -> ExportVolumes:
    job = ExportVolumes(context, targets, parent)
    job.finished.connect(done)
    job.start()
    return job
