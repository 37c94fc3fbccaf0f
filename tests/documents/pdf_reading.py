"""Reading back the PDFs we write: text lines per page, fonts (per character, not embedded)
and the horizontal rules drawn."""

from __future__ import annotations

import ctypes
import io
import re

import pypdfium2
import pypdfium2.raw as pdfium
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

CLOSING = "，。、；：！？）》」』】〕…”’"
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
FOOT_LINES = 8  # the foot of a page: repeated signatures, footnote, page count, check code
# the page count, the 续页 mark and the check code's caption (first 12 hex of the hash)
PAGE_FURNITURE = re.compile(r"^(共\s*\d+\s*页\s*第\s*\d+\s*页|续页|(续页\s*)?[0-9a-f]{12})$")


def page_lines(pdf: bytes) -> list[list[str]]:
    """The text of each page as laid out, one string per printed line."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            # PDFium reports a hyphen ending a line as U+FFFE (a soft hyphen it would drop): our
            # documents never hyphenate, so it is the printed hyphen of a value (XAC-A4913)
            text = page.get_textpage().get_text_range().replace("\ufffe", "-")
            pages.append([line.strip() for line in text.splitlines() if line.strip()])
        return pages
    finally:
        document.close()


def pdf_text(pdf: bytes) -> str:
    """All text of the document, lines joined."""
    return "\n".join(line for page in page_lines(pdf) for line in page)


def body_text(pdf: bytes, furniture: str = "") -> str:
    """The text without what the foot of every page carries (page count, check code, 续页, and
    the lines of ``furniture``: the footnote and a 续页 document's signature block), so a value
    running over a page break reads as one."""
    footer = re.sub(r"\s+", "", furniture)

    def is_furniture(line: str) -> bool:
        compact = re.sub(r"\s+", "", line)
        return bool(PAGE_FURNITURE.match(line)) or (bool(compact) and compact in footer)

    return "\n".join(
        line
        for lines in page_lines(pdf)
        for position, line in enumerate(lines)
        if position < len(lines) - FOOT_LINES or not is_furniture(line)
    )


def lines_starting_with_closing(pdf: bytes) -> list[str]:
    """Lines whose first character is closing punctuation (must be none)."""
    return [line for page in page_lines(pdf) for line in page if line[0] in CLOSING]


def font_names(pdf: bytes) -> set[str]:
    """Base names of every font the pages use."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        names |= {str(reference.get_object().get("/BaseFont")) for reference in fonts.values()}
    return names


def unembedded_fonts(pdf: bytes) -> list[str]:
    """Base names of every font used on any page without an embedded font program."""
    missing = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for reference in fonts.values():
            font = reference.get_object()
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else DictionaryObject()
            if not any(key in descriptor for key in FONT_FILES):
                missing.append(str(font.get("/BaseFont")))
    return sorted(set(missing))


def char_fonts(pdf: bytes, page: int) -> list[tuple[str, str]]:
    """Each character of a page with the family name of the font it is drawn in."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        text_page = document[page].get_textpage()
        buffer = ctypes.create_string_buffer(256)
        flags = ctypes.c_int()
        found = []
        for index in range(text_page.count_chars()):
            char = text_page.get_text_range(index, 1)
            pdfium.FPDFText_GetFontInfo(text_page.raw, index, buffer, 256, ctypes.byref(flags))
            found.append((char, buffer.value.decode("utf-8", "replace")))
        return found
    finally:
        document.close()


def horizontal_rules(pdf: bytes) -> list[list[tuple[float, float, float]]]:
    """Per page, every horizontal line drawn: (height above the page foot, left, right)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            rules = []
            for path in page.get_objects(filter=(pdfium.FPDF_PAGEOBJ_PATH,)):
                left, bottom, right, top = path.get_bounds()
                if top - bottom < 2 and right - left > 10:
                    rules.append(((top + bottom) / 2, left, right))
            pages.append(sorted(rules, reverse=True))
        return pages
    finally:
        document.close()
