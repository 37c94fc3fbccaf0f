"""The check code printed on issued documents: a QR code of ``文号|fingerprint``.

Encoded once per text and shared by the PDF (every page) and the Word header. reportlab's
encoder would try all eight mask patterns for the "best" one, the slowest part of writing a
document; any mask gives a valid, readable code, so the first is used.
"""

from __future__ import annotations

import functools

from reportlab.graphics.barcode import qrencoder

MASK = 0


@functools.lru_cache(maxsize=32)
def qr_modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules, row by row, of the QR code of ``text`` (level M)."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.version = code.calculate_version()
    code.makeImpl(False, MASK)
    count = code.getModuleCount()
    return tuple(tuple(code.isDark(row, column) for column in range(count)) for row in range(count))


def dark_runs(modules: tuple[tuple[bool, ...], ...]) -> list[tuple[int, int, int]]:
    """(row, first column, length) of every horizontal run of dark modules: fewer shapes."""
    runs = []
    for row, line in enumerate(modules):
        start = None
        for column, dark in enumerate((*line, False)):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                runs.append((row, start, column - start))
                start = None
    return runs
