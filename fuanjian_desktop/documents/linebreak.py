"""Chinese line breaking for reportlab: no line starts with closing punctuation.

reportlab's CJK wrapping hangs at most one forbidden character and its list lacks ，；：！？》…
(checked in reportlab 5.1.0, ``lib/textsplit.py``), so ``）。`` at a line end still put ``。``
at the start of the next line. Here the break moves back instead, the way Chinese typesetting
pushes a character down (推入), and never splits a run of Latin letters or digits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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


def _bad_break(chars: Sequence[str], cut: int) -> bool:
    before, after = chars[cut - 1], chars[cut]
    if after in CANNOT_START or before in CANNOT_END:
        return True
    return before.isascii() and after.isascii() and before.isalnum() and after.isalnum()


class ChineseParagraph(Paragraph):  # type: ignore[misc]
    """A reportlab paragraph (``wordWrap='CJK'``) that breaks lines by :func:`break_before`."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if getattr(self, "_splitpara", 0) and hasattr(self, "blPara"):
            return self.blPara
        widths = list(maxWidths) if isinstance(maxWidths, list | tuple) else [maxWidths]
        return split_lines(self.frags, widths)


def split_lines(frags: Sequence[Any], widths: list[float]) -> Any:
    """The lines of ``frags`` within ``widths`` (one width per line, the last one repeating)."""
    glyphs = [cjkU(char, frag, "utf8") for frag in frags for char in (frag.text or "")]
    lines: list[Any] = []
    start = used = 0
    width = widths[0]
    index = 0
    while index < len(glyphs):
        used += glyphs[index].width
        if used > width + FUZZ and index > start:
            cut = break_before(glyphs, start, index)
            line_width = sum(glyph.width for glyph in glyphs[start:cut])
            lines.append(
                makeCJKParaLine(
                    glyphs[start:cut], width, line_width, width - line_width, False, False
                )
            )
            width = widths[min(len(lines), len(widths) - 1)]
            start = index = cut
            used = 0
            continue
        index += 1
    if start < len(glyphs):
        lines.append(makeCJKParaLine(glyphs[start:], width, used, width - used, False, False))
    return ParaLines(kind=1, lines=lines)
