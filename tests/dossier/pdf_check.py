"""Reading the dossier's PDFs back: text per page, text in a page corner (where a 页号 goes),
images per page, and whether every font — those inside form XObjects too — is embedded."""

from __future__ import annotations

import io

import pypdfium2
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

MM = 72 / 25.4
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
CORNER = (35 * MM, 22 * MM)  # a corner region wide and tall enough for a 3-digit 页号


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page (PDFium, as a viewer extracts it)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def corner_text(pdf: bytes, index: int, corner: str) -> str:
    """The text drawn in ``corner`` (top_right, top_left, bottom_right, bottom_left) of page
    ``index``, stripped, as the page is displayed (rotation applied)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[index]
        width, height = page.get_size()
        rotation = page.get_rotation()
        assert rotation == 0, "corner_text reads unrotated pages only"
        across, down = CORNER
        left = width - across if corner.endswith("right") else 0
        bottom = height - down if corner.startswith("top") else 0
        text = page.get_textpage().get_text_bounded(left, bottom, left + across, bottom + down)
        return str(text).strip()
    finally:
        document.close()


def image_sizes(pdf: bytes) -> list[list[tuple[int, int]]]:
    """Per page, the pixel size of every image it draws."""
    sizes = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        sizes.append([(image.image.width, image.image.height) for image in page.images])
    return sizes


def unembedded_fonts(pdf: bytes) -> list[str]:
    """Every font, on a page or inside a form XObject, without an embedded font program."""
    missing: set[str] = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        _walk(page.get("/Resources"), missing, set())
    return sorted(missing)


def _walk(resources: object, missing: set[str], seen: set[int]) -> None:
    resources = resources.get_object() if resources is not None else None  # type: ignore[attr-defined]
    if not isinstance(resources, DictionaryObject) or id(resources) in seen:
        return
    seen.add(id(resources))
    for reference in resources.get("/Font", DictionaryObject()).values():
        font = reference.get_object()
        fonts = [font]
        if "/DescendantFonts" in font:
            fonts = [child.get_object() for child in font["/DescendantFonts"]]
        for each in fonts:
            descriptor = each.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else DictionaryObject()
            if not any(key in descriptor for key in FONT_FILES):
                missing.add(str(font.get("/BaseFont")))
    for reference in resources.get("/XObject", DictionaryObject()).values():
        xobject = reference.get_object()
        if xobject.get("/Subtype") == "/Form":
            _walk(xobject.get("/Resources"), missing, seen)


def text_boxes(pdf: bytes, index: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each character of page ``index`` with its box (left, bottom, right, top) in points."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        text_page = document[index].get_textpage()
        return [
            (text_page.get_text_range(char, 1), text_page.get_charbox(char))
            for char in range(text_page.count_chars())
        ]
    finally:
        document.close()
