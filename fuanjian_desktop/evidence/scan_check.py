"""Checking a scanned paper original before it is stored: a PDF whose pages all open, or a page
photographed or scanned as JPEG/PNG.

A scan replaces the generated copy in the bound volume, so what is stored must merge later:
the PDF must open, not be encrypted (a password-protected PDF cannot be merged) and have at
least one page with a sensible size; an image must pass the photo check (whole, bounded in
pixels). As with photos, the content decides, never the file name. Each refusal is a
:class:`ScanRejected` with a Chinese reason saying what is wrong and what to do.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from fuanjian_desktop.evidence.photo_check import NOT_A_PHOTO, PhotoRejected, check_photo

# 100 MiB: a 300 dpi colour scan is 0.5-3 MB a page, so this allows a long record, while a file
# far larger is a mistaken choice (a video, a disk image) that would sit in memory whole.
MAX_SCAN_BYTES = 100 * 1024 * 1024
PDF_START = b"%PDF-"
PDF_EXTENSION = ".pdf"
# a page smaller than 1 cm or larger than 2 m on a side is a broken page box, not paper
MIN_PAGE_POINTS = 28.0
MAX_PAGE_POINTS = 5670.0

NOT_A_SCAN = (
    "文件内容不是 PDF、JPG 或 PNG（按内容判断，与文件名无关），请选择扫描仪或手机扫描得到的文件"
)
DAMAGED_PDF = "PDF 文件已损坏或不完整，无法读取其中的页面，请重新扫描或重新复制后再添加"
ENCRYPTED_PDF = "PDF 文件设有密码或已加密，无法装订进案卷，请扫描时不要加密，或另存为不加密的 PDF"
NO_PAGES = "PDF 文件中没有任何页面，请确认选择的文件"
BAD_PAGE = "PDF 第 {page} 页的页面尺寸无效，无法装订，请重新扫描或另存为 PDF 后再添加"
SCAN_TOO_LARGE = (
    f"文件超过 {MAX_SCAN_BYTES // (1024 * 1024)} MB，不像扫描件，"
    "请把扫描分辨率调到 300 dpi 左右或分成几个文件后再添加"
)


class ScanRejected(Exception):
    """A file that cannot be taken as the scan of a paper original; ``reason`` is Chinese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ScanFacts:
    """What the store learned about a scan file: its pages and, for an image, its size."""

    sha256: str
    extension: str
    size_bytes: int
    page_count: int
    width: int | None
    height: int | None


def check_scan(data: bytes) -> tuple[ScanFacts, bytes | None]:
    """The facts of the scan in ``data`` and, for an image, its thumbnail (JPEG bytes)."""
    if data.startswith(PDF_START):
        facts = ScanFacts(
            sha256=hashlib.sha256(data).hexdigest(),
            extension=PDF_EXTENSION,
            size_bytes=len(data),
            page_count=pdf_page_count(data),
            width=None,
            height=None,
        )
        return facts, None
    try:
        photo, thumbnail = check_photo(data)
    except PhotoRejected as rejected:
        reason = NOT_A_SCAN if rejected.reason == NOT_A_PHOTO else rejected.reason
        raise ScanRejected(reason) from rejected
    facts = ScanFacts(photo.sha256, photo.extension, photo.size_bytes, 1, photo.width, photo.height)
    return facts, thumbnail


def pdf_page_count(data: bytes) -> int:
    """How many pages the PDF in ``data`` has, each checked to have a usable page box."""
    from pypdf import PdfReader  # only when scans are attached or bound

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ScanRejected(ENCRYPTED_PDF)
        pages = list(reader.pages)
        sizes = [(float(page.mediabox.width), float(page.mediabox.height)) for page in pages]
    except ScanRejected:
        raise
    except Exception as error:  # a parser fed hostile bytes may raise nearly anything
        raise ScanRejected(DAMAGED_PDF) from error
    if not pages:
        raise ScanRejected(NO_PAGES)
    for number, (width, height) in enumerate(sizes, start=1):
        if not all(MIN_PAGE_POINTS <= abs(side) <= MAX_PAGE_POINTS for side in (width, height)):
            raise ScanRejected(BAD_PAGE.format(page=number))
    return len(pages)
