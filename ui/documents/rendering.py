"""From a stored document to pages a printer can take: the PDF, its page images, the painting.

PySide6-Essentials has no QtPdf, so printing rasterises the PDF we render ourselves with
pypdfium2 and paints the images onto the printer: what is printed is exactly what is exported.
The first two steps run on the workers (they take a while for long documents); painting runs on
the UI thread, which is where Qt wants a painter on a printer.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import QImage, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.documents.pdf import render_pdf
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.documents.documents import document_sheet, document_view

Renderer = Callable[..., Any]  # render_pdf / render_docx: (sheet, target, *, qr, draft)
POINTS_PER_INCH = 72
METRES_PER_INCH = 0.0254
# A 1200 dpi A4 page is 140 million pixels; 300 dpi is sharp for printed text and keeps a
# batch of documents within a laptop's memory.
MAX_RASTER_DPI = 300
# pdfium is not thread-safe and the workers run two jobs at once.
_PDFIUM_LOCK = threading.Lock()
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')


def render_document(
    database: Database,
    actor: Actor,
    document_id: str,
    renderer: Renderer,
    target: str | Path | IO[bytes],
) -> None:
    """Draw the stored document with ``renderer`` (PDF or Word) into ``target``; a draft is
    marked 草稿, an issued document carries its check code."""
    view = document_view(database, actor, document_id)
    sheet, qr = document_sheet(database, actor, document_id)
    renderer(sheet, target, qr=qr, draft=view.status == "draft")


def document_pdf(database: Database, actor: Actor, document_id: str) -> bytes:
    """The document's PDF, in memory (for printing)."""
    buffer = io.BytesIO()
    render_document(database, actor, document_id, render_pdf, buffer)
    return buffer.getvalue()


def rasterise(pdf: bytes, dpi: int, pages: range | None = None) -> list[QImage]:
    """Every page of ``pdf`` (or those of ``pages``, 0-based) as a greyscale image at ``dpi``:
    enforcement documents are black on white, and a grey image takes a third of the memory of
    a colour one. A long volume is rasterised a few pages at a time, never all at once."""
    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            chosen = range(len(document)) if pages is None else pages
            return [_page_image(document[number], dpi) for number in chosen]
        finally:
            document.close()


def page_count(pdf: bytes) -> int:
    """How many pages ``pdf`` has."""
    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


def page_labels(pdf: bytes) -> list[str]:
    """Each page's label as the PDF names it ("" where it names none): a dossier labels its
    numbered pages by their 页号 and the others 首页, 目录1, 空白, 备考表."""
    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(pdf)
        try:
            return [document.get_page_label(number) for number in range(len(document))]
        finally:
            document.close()


def _page_image(page: pdfium.PdfPage, dpi: int) -> QImage:
    bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True, optimize_mode="print")
    data = bytes(bitmap.buffer)
    image = QImage(
        data, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_Grayscale8
    )
    image.setDotsPerMeterX(round(dpi / METRES_PER_INCH))
    image.setDotsPerMeterY(round(dpi / METRES_PER_INCH))
    return image.copy()  # the copy owns its pixels; ``data`` may go


def document_pages(database: Database, actor: Actor, document_id: str, dpi: int) -> list[QImage]:
    """The pages of one document ready to print (one background job per document)."""
    return rasterise(document_pdf(database, actor, document_id), dpi)


def new_printer() -> QPrinter:
    """An A4 printer that lets our PDF's own margins stand (the page is painted whole)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setFullPage(True)
    return printer


def raster_dpi(printer: QPrinter) -> int:
    """The printer's resolution, capped where more pixels no longer show on paper."""
    return min(printer.resolution(), MAX_RASTER_DPI)


def paint_pages(printer: QPrinter, pages: Sequence[QImage]) -> None:
    """Paint each page image onto its own printer page, scaled to the page rect."""
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("打印机无法开始打印，请检查打印机是否可用。")
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)  # legible when scaled
    try:
        for number, image in enumerate(pages):
            if number:
                printer.newPage()
            paint_page(painter, printer, image)
    finally:
        painter.end()


def paint_page(painter: QPainter, printer: QPrinter, image: QImage) -> None:
    """Paint one page image onto the printer's current page, scaled to the page rect."""
    target = printer.pageRect(QPrinter.Unit.DevicePixel)
    painter.drawImage(_fitted(QRectF(image.rect()).size(), target), image)


def _fitted(size: QSizeF, page: QRectF) -> QRectF:
    """``size`` scaled to fit ``page`` (keeping its proportions), centred, at painter origin."""
    scaled = size.scaled(page.size(), Qt.AspectRatioMode.KeepAspectRatio)
    left = (page.width() - scaled.width()) / 2
    top = (page.height() - scaled.height()) / 2
    return QRectF(left, top, scaled.width(), scaled.height())


def default_file_name(title: str, number: str | None, suffix: str) -> str:
    """The title and 文号 as a file name (行政处罚决定书（深福）应急罚〔2026〕3号.pdf), without
    the characters Windows refuses."""
    stem = _UNSAFE_IN_FILE_NAMES.sub("", f"{title}{number or ''}") or "文书"
    return f"{stem}{suffix}"
