"""预览打印 and 批量打印: our PDF rasterised with pypdfium2, painted onto the printer's pages."""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from tests.ui.case_support import case_team
from tests.ui.document_support import case_draft, dark_share, issued_document
from ui.documents.printing import PrintJob
from ui.documents.rendering import MAX_RASTER_DPI, document_pdf, new_printer

A4_AT_300_DPI = (2480, 3508)  # 210 × 297 mm


def start_job(qtbot, context, document_ids, preview: bool) -> PrintJob:
    parent = QWidget()
    qtbot.addWidget(parent)
    job = PrintJob(context, document_ids, parent, preview=preview)
    with qtbot.waitSignal(job.ready, timeout=20_000):
        job.start()
    return job


def pdf_pages(source) -> int:
    """Pages of a PDF file or of PDF bytes."""
    document = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    try:
        return len(document)
    finally:
        document.close()


def test_the_preview_shows_the_rendered_pages_of_a_real_document(
    qtbot, make_context, sign_in, demo_database
):
    """An issued document becomes A4 page images at printer resolution (capped), with ink on
    them, and the print preview opens over them."""
    team = case_team(sign_in)
    document_id = issued_document(demo_database, team)
    job = start_job(qtbot, make_context(team.handler), [document_id], preview=True)
    assert job.pages
    first = job.pages[0]
    assert abs(first.width() - A4_AT_300_DPI[0]) <= 2
    assert abs(first.height() - A4_AT_300_DPI[1]) <= 2
    assert dark_share(first) > 0.005  # text, rules and the check code
    assert isinstance(job.preview_dialog, QPrintPreviewDialog)
    assert job.preview_dialog.isVisible()
    assert job.printer.resolution() >= MAX_RASTER_DPI
    job.preview_dialog.close()


def test_batch_print_paints_every_page_of_every_document_into_one_job(
    qtbot, make_context, sign_in, demo_database, tmp_path
):
    """Two documents (one issued, one draft) printed together: one PDF print job holding
    exactly their pages, in order, each with ink."""
    team = case_team(sign_in)
    ids = [issued_document(demo_database, team), case_draft(demo_database, team)]
    expected = sum(pdf_pages(document_pdf(demo_database, sign_in("zhangwei"), i)) for i in ids)
    job = start_job(qtbot, make_context(team.handler), ids, preview=False)
    assert job.preview_dialog is None and len(job.pages) == expected >= 2
    printer = new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "batch.pdf"
    printer.setOutputFileName(str(printed))
    job.paint(printer)
    assert pdf_pages(printed) == expected
    document = pdfium.PdfDocument(str(printed))
    try:
        for page in document:
            bitmap = page.render(scale=0.5, grayscale=True)
            ink = sum(1 for value in bytes(bitmap.buffer) if value < 128)
            assert ink > 100
    finally:
        document.close()


def test_the_printed_pdf_is_the_exported_pdf(make_context, sign_in, demo_database):
    """The PDF printing rasterises is the document's own PDF (a draft is marked 草稿)."""
    team = case_team(sign_in)
    draft = case_draft(demo_database, team)
    pdf = document_pdf(demo_database, sign_in("zhangwei"), draft)
    assert pdf.startswith(b"%PDF")
    document = pdfium.PdfDocument(pdf)
    try:
        text = "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    assert "抽样取证凭证" in text and "草稿" in text
