"""Reading back the PDFs we write: text lines per page, and fonts that are not embedded."""

from __future__ import annotations

import io

import pypdfium2
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

CLOSING = "，。、；：！？）》」』】〕…”’"
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def page_lines(pdf: bytes) -> list[list[str]]:
    """The text of each page as laid out, one string per printed line."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = []
        for page in document:
            text = page.get_textpage().get_text_range()
            pages.append([line.strip() for line in text.splitlines() if line.strip()])
        return pages
    finally:
        document.close()


def pdf_text(pdf: bytes) -> str:
    """All text of the document, lines joined."""
    return "\n".join(line for page in page_lines(pdf) for line in page)


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
