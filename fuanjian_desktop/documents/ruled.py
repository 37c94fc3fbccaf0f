"""Text written on ruled lines, the way a 笔录 is written: every line sits on a thin rule.

The template's 询问记录 and its 续页 are ruled paper; a record typed into the app keeps that look,
so what was typed and what is added by hand (the closing confirmation, a 补正) read alike. All
lines keep one pitch, the body's leading, so the rules run evenly down the page and across
turns; a turn is split between pages at a line, never inside one.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from fuanjian_desktop.documents.linebreak import ChineseParagraph

RULE_WIDTH = 0.5
RULE_DROP = 4.5  # how far under the baseline the rule runs: below the descenders
FUZZ = 1e-6


def _rule_y(height: float, index: int, style: ParagraphStyle) -> float:
    """Height above the bottom of the rule under line ``index`` of a block ``height`` tall."""
    return float(height - index * style.leading - style.fontSize - RULE_DROP)


class RuledText(Flowable):  # type: ignore[misc]
    """One paragraph on ruled lines: ``speaker`` (问：) in its own face before the first line,
    the text hanging ``hang`` points in, so continuation lines align after the speaker.

    ``rule_from`` starts the first line's rule after a label (询问记录：____), as the template
    does; an empty text keeps one ruled line for the pen.
    """

    def __init__(
        self,
        text: str,
        style: ParagraphStyle,
        *,
        speaker: str = "",
        speaker_font: str = "",
        hang: float = 0.0,
        rule_from: float = 0.0,
        paragraph: ChineseParagraph | None = None,
    ) -> None:
        super().__init__()
        self.style = style
        self.speaker, self.speaker_font = speaker, speaker_font
        self.hang, self.rule_from = hang, rule_from
        self.paragraph = paragraph or (ChineseParagraph(text, style) if text else None)
        self.count = 1

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.count = 1
        if self.paragraph is not None:
            self.paragraph.wrap(availWidth - self.hang, availHeight)
            self.count = max(1, len(self.paragraph.blPara.lines))
        self.height = self.count * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.paragraph is None:
            return []
        parts = self.paragraph.split(availWidth - self.hang, availHeight)
        if len(parts) < 2:
            return [self] if parts else []
        first, rest = parts
        return [
            self._part(first, self.speaker, self.rule_from),
            self._part(rest, "", 0.0),
        ]

    def _part(self, paragraph: ChineseParagraph, speaker: str, rule_from: float) -> RuledText:
        return RuledText(
            "",
            self.style,
            speaker=speaker,
            speaker_font=self.speaker_font,
            hang=self.hang,
            rule_from=rule_from,
            paragraph=paragraph,
        )

    def draw(self) -> None:
        canvas: Any = self.canv
        if self.speaker:  # first, so the text layer reads 问：… in order
            canvas.setFont(self.speaker_font, self.style.fontSize)
            canvas.drawString(0, self.height - self.style.fontSize, self.speaker)
        if self.paragraph is not None:
            self.paragraph.drawOn(canvas, self.hang, self.height - self.paragraph.height)
        canvas.setLineWidth(RULE_WIDTH)
        for index in range(self.count):
            y = _rule_y(self.height, index, self.style)
            canvas.line(self.rule_from if index == 0 else 0, y, self.width, y)


class RuledLines(Flowable):  # type: ignore[misc]
    """Blank ruled lines at the text's pitch filling the rest of the page, at least
    ``minimum`` of them: when fewer fit, they start on the next page and fill that one.
    Without ``fill`` exactly ``minimum`` are ruled (the rest of the page is struck out)."""

    def __init__(self, minimum: int, style: ParagraphStyle, *, fill: bool = True) -> None:
        super().__init__()
        self.minimum, self.style, self.fill = minimum, style, fill
        self.count = minimum

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        fit = int((availHeight + FUZZ) // self.style.leading)
        self.width = availWidth
        self.count = fit if fit >= self.minimum and self.fill else self.minimum
        self.height = self.count * self.style.leading
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """Too few lines fit here: all of them go to the next page; when the record is struck
        out after them, the lines left blank here are struck through first."""
        if self.fill or availHeight + FUZZ < self.style.leading:
            return []
        return [StruckSpace("", self.style), RuledLines(self.minimum, self.style, fill=False)]

    def draw(self) -> None:
        canvas: Any = self.canv
        canvas.setLineWidth(RULE_WIDTH)
        for index in range(self.count):
            y = _rule_y(self.height, index, self.style)
            canvas.line(0, y, self.width, y)


class StruckSpace(Flowable):  # type: ignore[misc]
    """The unused rest of a record's last page struck out, as a clerk does by hand: ``text``
    (以下空白) on the next line, then a diagonal from under it to the bottom right corner. It
    takes what is left of the page and never starts a new one: a full page gets nothing.
    Without ``text`` the diagonal starts at the top (a gap the record continues after)."""

    def __init__(self, text: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.text, self.style = text, style

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        fits = availHeight + FUZZ >= self.style.leading
        self.height = max(0.0, availHeight - FUZZ) if fits else 0.0
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        if not self.height:
            return
        canvas: Any = self.canv
        top = self.height
        if self.text:
            canvas.setFont(self.style.fontName, self.style.fontSize)
            canvas.drawString(2 * self.style.fontSize, top - self.style.fontSize, self.text)
            top -= self.style.leading
        if top >= self.style.leading:  # room for a stroke (under the words)
            canvas.setLineWidth(RULE_WIDTH)
            canvas.line(0, top, self.width, 0)
