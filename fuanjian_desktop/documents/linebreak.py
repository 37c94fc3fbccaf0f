"""Chinese line breaking for reportlab: no line starts with closing punctuation.

reportlab's CJK wrapping hangs at most one forbidden character and its list lacks ，；：！？》…
(checked in reportlab 5.1.0, ``lib/textsplit.py``), so ``）。`` at a line end still put ``。``
at the start of the next line. Here a single closing mark that does not fit hangs in the margin
(悬挂), and otherwise the break moves back, the way Chinese typesetting pushes a character down
(推入); a run of Latin letters or digits is never split.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus.paragraph import Paragraph, ParaLines, cjkU, makeCJKParaLine

CANNOT_START = frozenset("，。、；：！？）》」』】〕〉］｝”’…—·％‰℃!),.:;?]}%")
CANNOT_END = frozenset("（《「『【〔〈［｛“‘([{")
FUZZ = 1e-6


def break_before(chars: Sequence[str], start: int, overflow: int) -> int:
    """Where the next line starts, when ``chars[overflow]`` is the first that does not fit.

    Moves the break back while the next line would start with closing punctuation, the line
    would end with opening punctuation, or a Latin word or number would be cut. A line keeps at
    least one character, so an impossible case breaks at ``overflow`` after all.
    """
    cut = overflow
    while cut > start + 1 and _bad_break(chars, cut):
        cut -= 1
    if cut == start + 1 and _bad_break(chars, cut):
        return overflow
    return cut


def hangs(chars: Sequence[str], overflow: int) -> bool:
    """Whether the closing mark that does not fit may hang in the margin (悬挂), as one
    closing mark may in Chinese typesetting; a second one after it pushes the break back."""
    after = overflow + 1
    return chars[overflow] in CANNOT_START and (
        after >= len(chars) or chars[after] not in CANNOT_START
    )


def _bad_break(chars: Sequence[str], cut: int) -> bool:
    before, after = chars[cut - 1], chars[cut]
    if after in CANNOT_START or before in CANNOT_END:
        return True
    return before.isascii() and after.isascii() and before.isalnum() and after.isalnum()


class ChineseParagraph(Paragraph):  # type: ignore[misc]
    """A reportlab paragraph (``wordWrap='CJK'``) that breaks lines by :func:`break_before`."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        frags = self.frags
        single = len(frags) == 1 and not hasattr(frags[0], "cbDefn") and not self.style.endDots
        if getattr(self, "_splitpara", 0) and hasattr(self, "blPara"):
            # the first part of a split keeps its lines; reportlab stores them as kind 1
            return frags[0].clone(kind=0, lines=self.blPara.lines) if single else self.blPara
        widths = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
        return _split_plain(frags[0], widths) if single else split_lines(frags, widths)


def _split_plain(frag: Any, widths: list[float]) -> Any:
    """One-font paragraphs (nearly all): lines of plain text, as reportlab's own fast path."""
    text = frag.text if hasattr(frag, "text") else "".join(getattr(frag, "words", []))
    advances = [_advance(frag.fontName, frag.fontSize, char) for char in text]
    lines = []
    start = 0
    for cut, used, width in _cuts(text, advances, widths):
        lines.append((width - used, [text[start:cut]]))
        start = cut
    return frag.clone(kind=0, lines=lines, ascent=frag.fontSize, descent=-0.2 * frag.fontSize)


def _cuts(chars: Sequence[str], advances: list[float], widths: list[float]) -> Any:
    """(end, width used, line width) of each line of ``chars`` broken by :func:`break_before`."""
    start = 0
    used = 0.0
    width = widths[0]
    count = 0
    index = 0
    while index < len(chars):
        used += advances[index]
        if used > width + FUZZ and index > start:
            cut = index + 1 if hangs(chars, index) else break_before(chars, start, index)
            yield cut, sum(advances[start:cut]), width
            count += 1
            width = widths[min(count, len(widths) - 1)]
            start = index = cut
            used = 0.0
            continue
        index += 1
    if start < len(chars):
        yield len(chars), used, width


@functools.cache
def _advance(font: str, size: float, char: str) -> float:
    """Width of one character, remembered per font and size (widths never change)."""
    return float(stringWidth(char, font, size))


def split_lines(frags: Sequence[Any], widths: list[float]) -> Any:
    """The lines of mixed-font ``frags`` within ``widths`` (the last width repeating)."""
    glyphs = [cjkU(char, frag, "utf8") for frag in frags for char in (frag.text or "")]
    advances = [glyph.width for glyph in glyphs]
    lines = []
    start = 0
    for cut, used, width in _cuts(glyphs, advances, widths):
        lines.append(makeCJKParaLine(glyphs[start:cut], width, used, width - used, False, False))
        start = cut
    return ParaLines(kind=1, lines=lines)
