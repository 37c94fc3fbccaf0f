"""Demo scans: a signed paper original as a scanner would return it, made from the issued PDF.

The demo has no paper, so each page of the issued document is rendered (pypdfium2) and made to
look scanned: printed on slightly grey paper, fed a little askew (0.3–1°), with sensor noise,
and signed by hand in blue-black ink beside every 签名 line the page holds (a pen stroke of
joined Bézier curves, jittered like a hand). The pages come back as JPEG bytes, as a
document scanner saves them. Deterministic for the ``random.Random`` passed in.
"""

from __future__ import annotations

import io
import itertools
import math
import random

import pypdfium2 as pdfium  # type: ignore[import-untyped]  # ships no type information
from PIL import Image, ImageChops, ImageDraw

SCAN_DPI = 110  # an office scanner's "document" setting, kept low so the demo stays quick
SCALE = SCAN_DPI / 72  # pixels per PDF point
INK = (28, 36, 92)  # blue-black ballpoint
PAPER = (236, 234, 228)  # recycled office paper under the scanner lamp
PRINT_BLACK = 48  # toner is never quite black once scanned
SCANNER_LID = 205  # the grey that shows at the corners of a page fed askew
# the labels a form prints before the blank a person signs in (the stroke starts after them)
SIGN_LABELS = ("签名）：", "签名或者盖章）：", "签名：")
SLANT = 0.35  # a fast hand leans right
LABEL_GAP = 12  # points between the label's colon and the pen
RECEIPT_COLUMN = "收件人签名"  # the 送达回执's column: signed on the row of each document
RECEIPT_END = "（印章）"  # the table's rows end above the authority's seal line
RECEIPT_INDENT, RECEIPT_DROP = 40, 16  # points from the header's 名 to a row's signature
SKEW_DEGREES = (0.3, 1.0)
NOISE_SIGMA = 9
JPEG_QUALITY = 72


def scanned_pages(pdf: bytes, rng: random.Random) -> list[bytes]:
    """Every page of ``pdf`` as a scanned, hand-signed JPEG page."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = [document[index] for index in range(len(document))]
        size = (round(pages[0].get_width() * SCALE), round(pages[0].get_height() * SCALE))
        grain = grainy(size, NOISE_SIGMA + rng.random() * 3)  # the sensor's, one per scan
        return [_scan_page(page, grain, rng) for page in pages]
    finally:
        document.close()


def grainy(size: tuple[int, int], sigma: float) -> Image.Image:
    """Sensor noise around 128 (greyscale), in grains of 2×2 pixels: a quarter of the work of
    noise per pixel, and a scan's grain is that coarse anyway."""
    half = Image.effect_noise(((size[0] + 1) // 2, (size[1] + 1) // 2), sigma)
    return half.resize(size, Image.Resampling.NEAREST)


def _scan_page(page: pdfium.PdfPage, grain: Image.Image, rng: random.Random) -> bytes:
    """One page: printed, fed askew (turned in grey, the cheap way), then signed in ink where
    the turned page has its signature lines."""
    printed = page.render(scale=SCALE, grayscale=True).to_pil().convert("L")
    spots = _signature_spots(page, SCALE, printed.height)
    if grain.size != printed.size:
        grain = grain.resize(printed.size)
    shift = (rng.randrange(printed.width), rng.randrange(printed.height))
    angle = rng.uniform(*SKEW_DEGREES) * rng.choice((-1, 1))
    toned = _toned(printed, ImageChops.offset(grain, *shift))
    # bilinear resampling also softens the print, as a scanner's optics do
    fed = _tinted(toned.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=SCANNER_LID))
    pen = ImageDraw.Draw(fed)
    for spot in spots:
        _signature(pen, _turned(spot, angle, fed.size), rng, height=int(0.24 * SCAN_DPI))
    out = io.BytesIO()
    fed.save(out, "JPEG", quality=JPEG_QUALITY, dpi=(SCAN_DPI,) * 2)
    return out.getvalue()


def _turned(spot: tuple[int, int], degrees: float, size: tuple[int, int]) -> tuple[int, int]:
    """Where ``spot`` lands once the page is turned ``degrees`` anticlockwise about its centre
    (as ``Image.rotate`` turns it; y grows downwards)."""
    centre_x, centre_y = size[0] / 2, size[1] / 2
    dx, dy = spot[0] - centre_x, spot[1] - centre_y
    cos, sin = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return round(centre_x + dx * cos + dy * sin), round(centre_y - dx * sin + dy * cos)


def _signature_spots(page: pdfium.PdfPage, scale: float, height: int) -> list[tuple[int, int]]:
    """Where a hand signs, as pixel baselines: right after each ``（签名）：`` label the page
    prints, and in the 收件人签名 column of a 送达回执 on each row naming a document (《…》)."""
    text = page.get_textpage()
    try:
        spots = [
            (right + LABEL_GAP, bottom)
            for label in SIGN_LABELS
            for _left, bottom, right, _top in _boxes(text, label)
        ]
        seal = max((top for _, _, _, top in _boxes(text, RECEIPT_END)), default=0.0)
        for left, header_bottom, _right, _top in _boxes(text, RECEIPT_COLUMN):
            rows = [top for _, _, _, top in _boxes(text, "《") if seal < top < header_bottom]
            spots += [(left - RECEIPT_INDENT, top - RECEIPT_DROP) for top in rows]
        return [(int(x * scale), int(height - y * scale)) for x, y in spots]
    finally:
        text.close()


def _boxes(text: pdfium.PdfTextPage, label: str) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) in PDF points of the last character of each ``label``."""
    searcher = text.search(label)
    boxes = []
    while (found := searcher.get_next()) is not None:
        index, count = found
        boxes.append(text.get_charbox(index + count - 1))
    return boxes


def _toned(printed: Image.Image, grain: Image.Image) -> Image.Image:
    """The printed page in the greys of office paper and toner, with the scanner's ``grain``
    (noise around 128)."""
    span = PAPER[0] - PRINT_BLACK
    toned = printed.point(lambda value: PRINT_BLACK + value * span // 255)
    return ImageChops.add(toned, grain, scale=1.0, offset=-128)


def _tinted(grey: Image.Image) -> Image.Image:
    """The grey scan in the paper's slightly warm colour, as RGB."""
    tints = [PAPER[channel] - PAPER[0] for channel in range(3)]
    channels = [grey.point(lambda value, tint=tint: max(0, value + tint)) for tint in tints]
    return Image.merge("RGB", channels)


def _signature(
    pen: ImageDraw.ImageDraw, start: tuple[int, int], rng: random.Random, height: int
) -> None:
    """A quick cursive signature of two or three 'characters' from ``start`` (its baseline):
    each a zigzag of joined cubic Bézier curves moving right, up and down like a fast hand,
    then one underlining flourish."""
    x, y = start
    for _ in range(rng.randint(2, 3)):
        width = int(height * rng.uniform(1.3, 1.8))
        turns = rng.randint(2, 4)
        points: list[tuple[float, float]] = [
            (x + width * turn // turns + rng.randint(-width // 6, width // 6), y - rise)
            for turn in range(turns + 1)
            for rise in [height if turn % 2 else rng.randint(0, height // 3)]
        ]
        points = [(px + (y - py) * SLANT, py) for px, py in points]
        _stroke(pen, points, rng)
        x += width + rng.randint(2, height // 4)
    _stroke(pen, [(start[0], y + 3), ((start[0] + x) // 2, y - height // 4), (x, y + 2)], rng)


def _stroke(
    pen: ImageDraw.ImageDraw, points: list[tuple[float, float]], rng: random.Random
) -> None:
    """A pen stroke through ``points``: a cubic Bézier between each pair, its control points
    pulled sideways at random, drawn as a polyline a ballpoint wide."""
    path: list[tuple[float, float]] = []
    for (x0, y0), (x3, y3) in itertools.pairwise(points):
        bend = rng.uniform(-0.6, 0.6)
        x1, y1 = x0 + (x3 - x0) / 3 + bend * (y3 - y0), y0 + (y3 - y0) / 3 - bend * (x3 - x0)
        x2, y2 = x0 + 2 * (x3 - x0) / 3 - bend * (y3 - y0), y0 + 2 * (y3 - y0) / 3
        for step in range(12):
            t = step / 12
            u = 1 - t
            path.append(
                (
                    u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                    u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3,
                )
            )
    path.append(points[-1])
    pen.line(path, fill=INK, width=2, joint="curve")
