"""The demo's scanned page (issue 17 §10): grey paper, fed askew, signed by hand in ink beside
each signature line — and no ink where a page has none."""

from __future__ import annotations

import io
import random

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from fuanjian_desktop.demo.demo_paper import scanned_pages
from fuanjian_desktop.documents.fonts import face


def _page(line: str, height: float) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setFont(face("song").name, 12)
    canvas.drawString(90, height, line)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def signed_form() -> bytes:
    """A one-page form with a signature line, as the documents print one."""
    return _page("当事人（签名）：______________", 200)


def _ink_pixels(image: Image.Image) -> int:
    """Dark bluish pixels: blue-black ink after JPEG's colour smoothing (printed toner is grey,
    r ≈ g ≈ b)."""
    pixels = image.convert("RGB").get_flattened_data()
    return sum(1 for r, g, b in pixels if b > r + 20 and r + g + b < 500)


def test_a_scanned_page_is_grey_skewed_and_signed_in_ink(signed_form: bytes) -> None:
    pages = scanned_pages(signed_form, random.Random(1))
    assert len(pages) == 1
    scan = Image.open(io.BytesIO(pages[0]))
    assert scan.format == "JPEG"
    assert _ink_pixels(scan) > 80  # a pen stroke, not a speck
    width, height = scan.size
    middle = scan.convert("L").crop((width // 3, height // 3, width // 2, height // 2))
    tones = sorted(middle.get_flattened_data())
    paper = tones[len(tones) // 2]
    assert 215 < paper < 245  # grey office paper: neither printer white nor dark
    corners = [scan.convert("L").getpixel(spot) for spot in ((1, 1), (width - 2, height - 2))]
    assert all(value < 215 for value in corners)  # askew: the scanner lid shows


def test_a_page_without_a_signature_line_gets_no_ink() -> None:
    pages = scanned_pages(_page("行政处罚决定书", 700), random.Random(1))
    assert _ink_pixels(Image.open(io.BytesIO(pages[0]))) == 0
