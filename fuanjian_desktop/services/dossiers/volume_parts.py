"""The pages of each item of a volume, as one PDF per item.

A document prints its frozen sheet, exactly as it was issued (the same renderer as the document
print, with its check code); a document with a scan of its signed paper original is that scan,
followed by the generated copy only when the ``scan_placement`` setting says ``behind``. The
photos print two per page in the 照片证据 style, the audio-video files as a 音像资料目录.

Each part comes with its page count as its renderer knows it (no PDF parsed again to count).
An issued document's PDF is kept in memory once rendered, keyed by its fingerprint and check
code: its sheet is frozen (``sheet_of`` re-checks the fingerprint on every read), so the same
key always renders the same bytes, and a dossier opened again, or its 目录 and then its volume,
does not typeset the same documents twice. Drafts are never kept (they have no fingerprint).
A scan is kept the same way, keyed by its page files (stored once by SHA-256, never changed;
a new scan of a document is a new list of files), and the photo pages by all they print.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from sqlalchemy.orm import Session

from fuanjian_desktop.documents.pdf import render_pdf
from fuanjian_desktop.dossier.render.media import render_media_index
from fuanjian_desktop.dossier.render.model import MediaRow, PhotoEntry
from fuanjian_desktop.dossier.render.photos import photo_page_count, render_photos
from fuanjian_desktop.evidence.store import EvidenceStore
from fuanjian_desktop.models import CaseDocument, DocumentScan
from fuanjian_desktop.services.documents.documents import sheet_of
from fuanjian_desktop.services.dossiers.case_photos import PhotoEvidence
from fuanjian_desktop.services.dossiers.media import media_rows
from fuanjian_desktop.services.dossiers.scans import scan_pdf
from fuanjian_desktop.services.dossiers.volume_items import MEDIA_KEY, PHOTOS_KEY, VolumeItem

SCAN_BEHIND = "behind"  # the scan_placement value that keeps the generated copy too
NOT_RECORDED = "未记录"
KEPT_PARTS = 256  # documents' and scans' PDFs kept in memory (tens of MB at most)


@dataclass(frozen=True)
class Rendered:
    """An item's pages as one PDF, and how many there are."""

    pdf: bytes
    pages: int


class _Kept:
    """The parts last rendered: issued documents by (fingerprint, check code), scans by their
    page files; thread-safe (the dossier page compiles ahead in a worker while another
    prints)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, ...], Rendered] = OrderedDict()

    def get(self, key: tuple[str, ...]) -> Rendered | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, ...], rendered: Rendered) -> None:
        with self._lock:
            self._items[key] = rendered
            while len(self._items) > self._size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_KEPT = _Kept(KEPT_PARTS)


def forget_rendered_parts() -> None:
    """Drop every kept PDF (a benchmark measuring a first build)."""
    _KEPT.clear()


def page_count(pdf: bytes) -> int:
    """The number of pages of ``pdf``."""
    return len(PdfReader(io.BytesIO(pdf)).pages)


def rendered_document(session: Session, document: CaseDocument) -> Rendered:
    """The document's issued sheet as PDF, with its check code (a draft's without)."""
    sheet, qr = sheet_of(session, document)  # refuses a sheet altered since it was signed
    key = (document.sha256, qr) if document.sha256 and qr else None
    kept = _KEPT.get(key) if key else None
    if kept is not None:
        return kept
    buffer = io.BytesIO()
    pages = render_pdf(sheet, buffer, qr=qr)
    rendered = Rendered(buffer.getvalue(), pages)
    if key:
        _KEPT.put(key, rendered)
    return rendered


def document_pdf(session: Session, document: CaseDocument) -> bytes:
    """The document's issued sheet as PDF (see :func:`rendered_document`)."""
    return rendered_document(session, document).pdf


def blank_page() -> bytes:
    """One empty A4 page (a duplex back left blank)."""
    writer = PdfWriter()
    writer.add_blank_page(width=A4[0], height=A4[1])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def joined(parts: Sequence[bytes]) -> bytes:
    """Several PDFs as one, in order."""
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def photo_entries(store: EvidenceStore, photos: Sequence[PhotoEvidence]) -> list[PhotoEntry]:
    """The case's photos as the 照片证据 pages print them (an unwritten field: 未记录)."""
    return [
        PhotoEntry(
            caption=photo.caption or NOT_RECORDED,
            taken_at=photo.taken_at,
            place=photo.place or NOT_RECORDED,
            photographer=photo.photographer or NOT_RECORDED,
            proves=photo.proves or NOT_RECORDED,
            sha256=photo.sha256,
            load=lambda photo=photo: photo.read(store),  # type: ignore[misc]
        )
        for photo in photos
    ]


def media_index_rows(session: Session, case_id: str) -> list[MediaRow]:
    """The case's audio-video files as the 音像资料目录 lists them."""
    return [
        MediaRow(
            title=row.title,
            kind=row.kind_label,
            device=row.device,
            officer=row.officer_name,
            started_at=row.started_at,
            ended_at=row.ended_at,
            step=row.step_label,
            sha256=row.sha256,
            gap_reason=row.gap_reason or "",
        )
        for row in media_rows(session, case_id)
    ]


def _photo_pages(store: EvidenceStore, photos: Sequence[PhotoEvidence]) -> Rendered:
    """The 照片证据 pages, kept by everything they print (decoding photos is the slow part)."""
    key = (
        "photos",
        *(
            "|".join(map(str, (p.sha256, p.caption, p.taken_at, p.place, p.photographer, p.proves)))
            for p in photos
        ),
    )
    kept = _KEPT.get(key)
    if kept is None:
        kept = Rendered(render_photos(photo_entries(store, photos)), photo_page_count(len(photos)))
        _KEPT.put(key, kept)
    return kept


def item_pdf(
    session: Session,
    store: EvidenceStore,
    case_id: str,
    item: VolumeItem,
    photos: Sequence[PhotoEvidence],
    scan_placement: str,
) -> Rendered:
    """The pages of one item of the volume."""
    if item.key == PHOTOS_KEY:
        return _photo_pages(store, photos)
    if item.key == MEDIA_KEY:
        pdf = render_media_index(media_index_rows(session, case_id))
        return Rendered(pdf, page_count(pdf))
    assert item.document_id is not None
    document = session.get(CaseDocument, item.document_id)
    assert document is not None
    if item.scan_id is None:
        return rendered_document(session, document)
    scan = session.get(DocumentScan, item.scan_id)
    assert scan is not None
    scanned = _KEPT.get(("scan", *scan.pages))
    if scanned is None:
        pdf = scan_pdf(session, store, scan)
        scanned = Rendered(pdf, page_count(pdf))  # counted: no page of an original left out
        _KEPT.put(("scan", *scan.pages), scanned)
    if scan_placement != SCAN_BEHIND:
        return scanned
    copy = rendered_document(session, document)
    return Rendered(joined([scanned.pdf, copy.pdf]), scanned.pages + copy.pages)
