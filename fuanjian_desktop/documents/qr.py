"""The check code printed on issued documents: a QR code of ``文号|fingerprint``.

Encoded once per text and shared by the PDF (every page) and the Word header. reportlab's
encoder would try all eight mask patterns for the "best" one, the slowest part of writing a
document; any mask gives a valid, readable code, so the first is used.

The text is written as UTF-8 bytes after an ECI 000026 (UTF-8) designator: reportlab writes the
bytes without one, and a QR code's byte mode without ECI means ISO-8859-1 by the standard, so
readers guess (zbar read 询问笔录 as Shift-JIS).
"""

from __future__ import annotations

import functools

from reportlab.graphics.barcode import qrencoder

MASK = 0
UTF8_ECI = 26  # the ECI assignment number of UTF-8 (AIM ECI)


class _Utf8Designator(qrencoder.QRECI):  # type: ignore[misc]
    """The ECI segment declaring UTF-8. reportlab counts an ECI segment as 4 bits when it
    chooses the version; its 8-bit assignment number is counted here too."""

    bitlength = 8

    def __init__(self) -> None:
        super().__init__(UTF8_ECI)


@functools.lru_cache(maxsize=32)
def qr_modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The dark (True) and light modules, row by row, of the QR code of ``text`` (level M)."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(_Utf8Designator())
    code.addData(qrencoder.QR8bitByte(text))
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
