"""Documents for the UI tests: a case with a draft 抽样取证凭证, filled or not, and pixel checks."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtGui import QImage

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.inspections.inspections import local_today
from tests.ui.case_support import TO_INVESTIGATION, CaseTeam, make_case

SAMPLING = "sampling_voucher"  # a case document with text, required and table (rows) fields
FILLED = {
    "time_range": "2026年3月5日9时30分至10时",
    "place": "仓库二楼",
    "items": [{"name": "液化气钢瓶", "spec": "YSP35.5", "quantity": "2瓶"}],
}


def case_draft(database: Database, team: CaseTeam, values: dict[str, object] | None = None) -> str:
    """A case under investigation with a 抽样取证凭证 draft (``values`` saved into it)."""
    case_id = make_case(database, team, TO_INVESTIGATION)
    draft = documents.create_draft(database, team.handler, type_key=SAMPLING, case_id=case_id)
    if values:
        documents.save_draft(database, team.handler, draft, values)
    return draft


def issued_document(database: Database, team: CaseTeam) -> str:
    """A filled 抽样取证凭证, issued today."""
    draft = case_draft(database, team, FILLED)
    documents.issue_document(database, team.handler, draft, local_today())
    return draft


def dark_share(image: QImage) -> float:
    """The share of pixels darker than mid-grey (ink on the page), sampled on a grid."""
    grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
    step = 6
    samples = [
        grey.pixelColor(x, y).value()
        for y in range(0, grey.height(), step)
        for x in range(0, grey.width(), step)
    ]
    return sum(1 for value in samples if value < 128) / len(samples)


def pdf_pages(path: Path) -> int:
    """How many pages the PDF file at ``path`` has (read by pdfium, not by the app)."""
    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()
