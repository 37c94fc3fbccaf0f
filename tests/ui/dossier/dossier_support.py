"""The 案卷 page's tests: which demo cases are closed or archived, read straight from the
database (never from the services under test), and the page and view opened as a user."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import Stage
from fuanjian_desktop.models import Case, CaseDossier
from fuanjian_desktop.models.org import Squad
from fuanjian_desktop.services.inspections.inspections import local_today

TODAY = local_today()  # the demo is dated back from the moment it was made
HOME_SQUAD = "园岭"


def squad_case_ids(database: Database, stage: Stage) -> set[str]:
    """The 园岭 cases at ``stage``."""
    with database.read() as session:
        return set(
            session.scalars(
                select(Case.id)
                .join(Squad, Squad.id == Case.squad_id)
                .where(Squad.short_name == HOME_SQUAD, Case.stage == stage.value)
            )
        )


def dossier_of(database: Database, case_id: str) -> CaseDossier | None:
    """The case's stored dossier choices (remarks, overrides, archiving), if any."""
    with database.read() as session:
        dossier = session.scalar(select(CaseDossier).where(CaseDossier.case_id == case_id))
        if dossier is not None:
            session.expunge(dossier)
        return dossier


def open_page(qtbot, context, wait):
    """The 案卷 page at 1366×768 with its list loaded."""
    from ui.dossier.dossier_page import DossierPage  # the tests of the output need no services

    page = DossierPage(context, today=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1196, 740)  # the main window's page area at 1366×768
    page.show()
    wait()
    return page


def pdf_pages(source: bytes | str) -> int:
    """Pages of PDF bytes or of a PDF file."""
    document = pdfium.PdfDocument(source)
    try:
        return len(document)
    finally:
        document.close()


def print_to_pdf(dialog: QPrintDialog, path: Path, qtbot, workers) -> str:
    """Answer the print dialog with a PDF file as the printer; return the file once printed
    (whole volumes at print resolution take a while on a loaded machine)."""
    printer = dialog.printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    dialog.done(QDialog.DialogCode.Accepted)  # as 打印 would, without the form's own settings
    qtbot.waitUntil(lambda: not workers.busy(), timeout=300_000)
    return str(path)
