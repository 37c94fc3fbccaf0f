"""Files a clerk would pick in the dossier dialogs: scanned pages as PDF or PNG, a photo, a
recorder clip — made here, never read from the code under test."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from PySide6.QtWidgets import QWidget
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def scanned_pdf(path: Path, pages: int) -> Path:
    """A PDF of ``pages`` A4 pages, each saying its number (as a scanner's PDF would hold)."""
    drawing = canvas.Canvas(str(path), pagesize=A4)
    for page in range(1, pages + 1):
        drawing.drawString(100, 700, f"scanned page {page}")
        drawing.showPage()
    drawing.save()
    return path


def scanned_image(path: Path, shade: int = 200) -> Path:
    """One scanned page as a PNG or JPEG (by ``path``'s suffix), grey like paper."""
    image = Image.new("RGB", (620, 877), (shade, shade, shade - 10))
    image.save(path)
    return path


def not_a_pdf(path: Path) -> Path:
    """A file named .pdf that holds no PDF (a damaged download)."""
    path.write_bytes(b"this is not a pdf at all\n" * 40)
    return path


def png_bytes(colour: tuple[int, int, int]) -> bytes:
    """A small photo's bytes."""
    buffer = io.BytesIO()
    Image.new("RGB", (160, 120), colour).save(buffer, format="PNG")
    return buffer.getvalue()


USABLE_HEIGHT = 728  # a 1366×768 laptop less a 40-px taskbar (as tests/ui/test_dialogs_fit_screen)
TITLE_BAR = 32  # the offscreen platform draws none; a desktop's adds about this much


def fits_the_laptop(dialog: QWidget) -> bool:
    """Whether ``dialog``, with a title bar, lies inside the 1366×768 screen's free area."""
    frame = dialog.frameGeometry()
    free = dialog.screen().availableGeometry()
    return free.contains(frame) and frame.height() + TITLE_BAR <= USABLE_HEIGHT
