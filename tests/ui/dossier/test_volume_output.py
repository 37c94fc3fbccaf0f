"""Volumes out of the app: the preview from page 1, printing streamed as one job, export to files.

The volumes here are plain PDFs made for the test (the compiled volume has its own tests): what
is checked is the plumbing — every page of every volume in one print job in order, nothing
printed when cancelled, whole files only, page 1 on screen before the thumbnails.
"""

from __future__ import annotations

import io
from types import SimpleNamespace

import pypdfium2 as pdfium
import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from tests.ui.dossier.dossier_support import pdf_pages
from ui.documents.rendering import new_printer
from ui.dossier.page_preview import PagePreview, caption
from ui.dossier.volume_output import ExportVolumes, PrintVolumes, Volume


@pytest.fixture
def context(workers):
    """The output plumbing uses only the workers: no database needed."""
    return SimpleNamespace(workers=workers)


def numbered_pdf(pages: int, mark: str = "") -> bytes:
    """``pages`` A4 pages, each with its number (and ``mark``) printed large."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        sheet.setFont("Helvetica", 48)
        sheet.drawString(100, 700, f"{mark}{number}")
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def page_texts(path) -> list[str]:
    document = pdfium.PdfDocument(str(path))
    try:
        return [page.get_textpage().get_text_range().strip() for page in document]
    finally:
        document.close()


def pdf_printer(path) -> QPrinter:
    printer = new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def finish(qtbot, job):
    """Start ``job`` and wait for what it reports (it deletes itself once done, so the
    signal is caught by a plain slot, not by a blocker that outlives it)."""
    results: list[object] = []
    job.finished.connect(results.append)
    job.start()
    qtbot.waitUntil(lambda: bool(results), timeout=30_000)
    return results[0]


def parent_widget(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_two_volumes_print_as_one_job_in_order(qtbot, context, tmp_path):
    """Every page of each volume, the first volume's then the second's, in one output."""
    volumes = [
        Volume("甲", lambda: numbered_pdf(6, "A")),
        Volume("乙", lambda: numbered_pdf(3, "B")),
    ]
    out = tmp_path / "job.pdf"
    job = PrintVolumes(context, volumes, pdf_printer(out), parent_widget(qtbot))
    assert finish(qtbot, job) == 9
    assert pdf_pages(str(out)) == 9
    # printed as images (what is printed is what is shown): no text layer, so check by size
    assert out.stat().st_size > 9 * 1000


def test_a_cancelled_print_sends_nothing(qtbot, context, tmp_path, wait_idle):
    out = tmp_path / "job.pdf"
    job = PrintVolumes(
        context,
        [Volume("甲", lambda: numbered_pdf(40))],
        pdf_printer(out),
        parent_widget(qtbot),
    )
    finished: list[object] = []
    job.finished.connect(finished.append)
    job.start()
    job.progress.cancel()
    wait_idle()
    qtbot.wait(50)
    wait_idle()
    assert not finished
    assert not out.exists() or pdf_pages(str(out)) < 40


def test_export_writes_whole_files_named_as_asked(qtbot, context, tmp_path):
    targets = [
        (Volume("甲", lambda: numbered_pdf(2)), tmp_path / "a.pdf"),
        (Volume("乙", lambda: numbered_pdf(5)), tmp_path / "b.pdf"),
    ]
    job = ExportVolumes(context, targets, parent_widget(qtbot))
    assert finish(qtbot, job) == [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.pdf"]  # no .part left
    assert [page_texts(tmp_path / name) for name in ("a.pdf", "b.pdf")] == [
        ["1", "2"],
        ["1", "2", "3", "4", "5"],
    ]


def test_page_one_is_shown_before_the_thumbnails_and_any_page_on_demand(qtbot, context, wait_idle):
    preview = PagePreview(context)
    qtbot.addWidget(preview)
    preview.resize(800, 700)
    preview.show()
    with qtbot.waitSignal(preview.first_page_shown, timeout=10_000):
        preview.show_pdf(numbered_pdf(60))
    assert preview.shown_page() == 0
    assert not preview.page.pixmap().isNull()
    assert preview.page_total() == 60
    assert preview.thumbnails_done() < 60  # they follow, a few per background job
    wait_idle()
    assert preview.thumbnails_done() == 60

    preview.show_page(41)
    wait_idle()
    assert preview.shown_page() == 41
    assert not preview.page.pixmap().isNull()


def test_a_new_volume_drops_what_the_old_one_still_had_coming(qtbot, context, wait_idle):
    preview = PagePreview(context)
    qtbot.addWidget(preview)
    preview.show()
    preview.show_pdf(numbered_pdf(30))
    preview.show_pdf(numbered_pdf(4))
    wait_idle()
    assert preview.page_total() == 4
    assert preview.thumbnails_done() == 4


def test_a_thumbnail_is_captioned_by_the_page_number_the_volume_gives_it():
    assert caption(5, "3") == "页号 3"  # the 4 front pages are unnumbered
    assert caption(1, "首页") == "首页"
    assert caption(2, "目录1") == "目录1"
    assert caption(7, "") == "第 7 页"  # a PDF without labels
