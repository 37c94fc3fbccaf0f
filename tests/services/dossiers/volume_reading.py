"""Reading a built volume back the way a reviewer would: the numbers stamped on its pages, and
where each document really starts (found by its own text, printed separately)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.documents.pdf import render_pdf
from fuanjian_desktop.models import Case, DocumentScan
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.documents.documents import document_sheet

CORNER = 60.0  # a page number sits within this many points of a corner of the page


@dataclass(frozen=True)
class ReadPage:
    """One page of a produced PDF as read back: its text and the number in a corner, if any."""

    text: str
    stamp: int | None
    corner: str | None


def pages_of(pdf: bytes) -> list[ReadPage]:
    """Every page of ``pdf`` read back with pdfium (another PDF library than the one that
    wrote it): its text without whitespace, and the lone number printed in a corner."""
    document = pdfium.PdfDocument(pdf)
    try:
        return [_read(document[index]) for index in range(len(document))]
    finally:
        document.close()


def _read(page: pdfium.PdfPage) -> ReadPage:
    width, height = page.get_size()
    text = page.get_textpage()
    corners = {
        "top_left": (0, height - CORNER, CORNER, height),
        "top_right": (width - CORNER, height - CORNER, width, height),
        "bottom_left": (0, 0, CORNER, CORNER),
        "bottom_right": (width - CORNER, 0, width, CORNER),
    }
    found = {name: flat(text.get_text_bounded(*box)) for name, box in corners.items()}
    numbers = {name: int(value) for name, value in found.items() if value.isdigit()}
    assert len(numbers) <= 1, f"numbers in several corners of one page: {numbers}"
    corner, stamp = next(iter(numbers.items()), (None, None))
    return ReadPage(flat(text.get_text_range()), stamp, corner)


def flat(text: str) -> str:
    """Text without whitespace (line breaks differ between a page and its stamped copy)."""
    return "".join(text.split())


def document_first_page_text(database: Database, actor: Actor, document_id: str) -> str:
    """The text of the document's first page, printed on its own."""
    sheet, qr = document_sheet(database, actor, document_id)
    buffer = io.BytesIO()
    render_pdf(sheet, buffer, qr=qr)
    return pages_of(buffer.getvalue())[0].text


def start_after(pages: Sequence[ReadPage], marker: str, after: int) -> int:
    """The first physical page (0-based) past ``after`` whose text holds ``marker``."""
    for index in range(after + 1, len(pages)):
        if marker in pages[index].text:
            return index
    raise AssertionError(f"no page after {after} holds {marker[:40]!r}")


def has_scan(database: Database, document_id: str) -> bool:
    """Whether a scan of the document's signed original was attached."""
    with database.read() as session:
        query = select(DocumentScan.id).where(DocumentScan.document_id == document_id)
        return session.scalar(query) is not None


def page_range(start: int, end: int) -> str:
    """页号 as the 目录 prints it (hand-written rule: a range with an EN DASH)."""
    return str(start) if start == end else f"{start}\u2013{end}"


def complete_case(database: Database) -> Case:
    """The demo's complete case (程序完整): its only closed general-procedure case that began
    with an inspection and was paid in full — scanned and captioned by the demo."""
    with database.read() as session:
        found = session.scalars(
            select(Case).where(
                Case.stage == "closed",
                Case.source == "inspection",
                Case.procedure == "general",
                Case.paid_amount == Case.total_fine,
            )
        ).all()
    assert len(found) == 1
    return found[0]
