"""One pair of the record: its number, the question (问) and the answer (答), × and 补正….

A pair being typed is a :class:`QaPair`: real widgets, two :class:`EntryBox` among them. Built
for every pair of a twenty-page record (300 pairs, 2,000 widgets) that took seconds to open, so
every other pair is a :class:`PairSketch` — one widget that paints the same picture (texts laid
out by the same text engine at the same margins) and becomes a ``QaPair`` the moment a click or
the keyboard reaches it. Only the pairs being typed (the last few, as a rule) are ever built.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import Enum

from PySide6.QtCore import QPoint, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QSizePolicy, QToolButton, QWidget

from ui.transcripts.entry_box import DOCUMENT_MARGIN, EntryBox

QUESTION, ANSWER = "q", "a"
PARTS = (QUESTION, ANSWER)
BACKGROUNDS = {QUESTION: "#f3f6fb", ANSWER: "#ffffff"}
SPEAKERS = {QUESTION: ("问：", "#1f4e8c"), ANSWER: ("答：", "#1c6b32")}
PLACEHOLDERS = {
    QUESTION: "问题（Enter 转到回答）",
    ANSWER: "回答（Enter 转到下一问，Shift+Enter 换行）",
}
NUMBER_COLOR = "#5b6675"
BORDER_COLOR = "#c4c9d0"
# the grid of a pair, shared by the widgets and the sketch so a pair does not shift when built
MARGINS = (2, 3, 2, 5)  # left, top, right, bottom
SPACING = (6, 3)  # between columns, between the two rows
NUMBER_WIDTH = 28
CAPTION_WIDTH = 28
ACTION_WIDTH = 56  # wide enough for 补正…
FRAME = 1  # the box's frame
WIDTH_STEP = 16  # px: a sketch's text width is a multiple of this
ONE_LINE_EACH = 64  # a sketch's height until it has a width to measure the texts at


class Mode(Enum):
    """What may be done to the pairs: typed, only corrected (after the read-back), or nothing."""

    TYPING = "typing"
    CORRECTING = "correcting"
    READ_ONLY = "read_only"


class QaPair(QFrame):
    """One numbered question and its answer being worked on, with × or 补正… beside them."""

    remove_requested = Signal()
    correct_requested = Signal()

    def __init__(self, entry_id: str, question: str = "", answer: str = "") -> None:
        super().__init__()
        self.entry_id = entry_id
        self.mode = Mode.TYPING
        self.number = _caption("", NUMBER_COLOR, bold=False)
        self.number.setFixedWidth(NUMBER_WIDTH)
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.question = EntryBox(PLACEHOLDERS[QUESTION])
        self.answer = EntryBox(PLACEHOLDERS[ANSWER])
        for part, box in zip(PARTS, self.boxes(), strict=True):
            _paint(box, QPalette.ColorRole.Base, BACKGROUNDS[part])
        self.question.set_text(question)
        self.answer.set_text(answer)
        self.remove_button = _tool_button("×", "删除这一问一答", self.remove_requested.emit)
        self.correct_button = _tool_button("补正…", "补正这一问或答", self.correct_requested.emit)
        self.correct_button.hide()
        self._setup_ui()

    def _setup_ui(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(*MARGINS)
        grid.setHorizontalSpacing(SPACING[0])
        grid.setVerticalSpacing(SPACING[1])
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self.number, 0, 0, top)
        for row, (part, box) in enumerate(zip(PARTS, self.boxes(), strict=True)):
            caption = _caption(*SPEAKERS[part])
            caption.setFixedWidth(CAPTION_WIDTH)
            grid.addWidget(caption, row, 1, top)
            grid.addWidget(box, row, 2)
        action = top | Qt.AlignmentFlag.AlignHCenter  # where a sketch draws it
        grid.addWidget(self.remove_button, 0, 3, action)
        grid.addWidget(self.correct_button, 0, 3, action)
        grid.setColumnStretch(2, 1)
        grid.setColumnMinimumWidth(3, ACTION_WIDTH)
        self._grid = grid

    def activate_layout(self) -> None:
        """Lay the pair out now (not at the next event) so its boxes have their places."""
        self._grid.activate()

    def boxes(self) -> tuple[EntryBox, EntryBox]:
        """The question box and the answer box."""
        return self.question, self.answer

    def box(self, part: str) -> EntryBox:
        """The box of ``part`` (``q`` or ``a``)."""
        return self.question if part == QUESTION else self.answer

    def text(self, part: str) -> str:
        """What ``part`` holds."""
        return self.box(part).text()

    def set_text(self, part: str, text: str) -> None:
        """Show a stored text (unchanged text keeps the box's undo history)."""
        if self.text(part) != text:
            self.box(part).set_text(text)

    def value(self) -> dict[str, str]:
        """The pair as the core stores it."""
        return {"id": self.entry_id, QUESTION: self.text(QUESTION), ANSWER: self.text(ANSWER)}

    def is_blank(self) -> bool:
        """Neither question nor answer holds anything but blanks."""
        return not (self.text(QUESTION).strip() or self.text(ANSWER).strip())

    def set_number(self, number: int) -> None:
        """Show the pair's place in the record (1, 2, 3 …)."""
        self.number.setText(f"{number}.")

    def set_mode(self, mode: Mode) -> None:
        """Editable boxes and ×, or locked boxes and 补正…, or locked with neither."""
        self.mode = mode
        for box in self.boxes():
            box.setReadOnly(mode is not Mode.TYPING)
        self.remove_button.setVisible(mode is Mode.TYPING)
        self.correct_button.setVisible(mode is Mode.CORRECTING)


class PairSketch(QWidget):
    """A pair not being worked on, painted as a ``QaPair`` looks. ``clicked`` names what was
    clicked — ``q``, ``a``, ``remove`` or ``correct`` — and where."""

    clicked = Signal(str, QPoint)

    def __init__(self, entry_id: str, question: str, answer: str, mode: Mode) -> None:
        super().__init__()
        self.entry_id = entry_id
        self.mode = mode
        self._texts = {QUESTION: question, ANSWER: answer}
        self._number = ""
        self._heights: dict[int, tuple[int, ...]] = {}  # the boxes' heights by text width
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.IBeamCursor)
        self.setFixedHeight(ONE_LINE_EACH)  # measured when the layout gives it its width

    # --- the same API as QaPair for what a sketch can answer -----------------------------

    def text(self, part: str) -> str:
        """What ``part`` holds."""
        return self._texts[part]

    def set_text(self, part: str, text: str) -> None:
        """Show a stored text."""
        if self._texts[part] != text:
            self._texts[part] = text
            self._remeasure()

    def value(self) -> dict[str, str]:
        """The pair as the core stores it."""
        return {"id": self.entry_id, QUESTION: self._texts[QUESTION], ANSWER: self._texts[ANSWER]}

    def is_blank(self) -> bool:
        """Neither question nor answer holds anything but blanks."""
        return not (self._texts[QUESTION].strip() or self._texts[ANSWER].strip())

    def set_number(self, number: int) -> None:
        """Show the pair's place in the record."""
        if self._number != f"{number}.":
            self._number = f"{number}."
            self.update()

    def set_mode(self, mode: Mode) -> None:
        """Which action (× or 补正…) is drawn."""
        if mode is not self.mode:
            self.mode = mode
            self.update()

    # --- geometry ------------------------------------------------------------------------

    def fit(self) -> None:
        """Take the height the texts need at the present width (the list calls this once a
        change of width has settled). Not Qt's height-for-width: that has the layout ask every
        pair of the record again at each line typed, which made a long record stutter."""
        rects = self._rects(self.width())
        height = rects[ANSWER].bottom() + 1 + MARGINS[3]
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def _rects(self, width: int) -> dict[str, QRect]:
        """The boxes' rectangles at ``width``, as wide as a built pair's boxes. The texts are
        laid out at a width rounded down to a step, so the few pixels a window settles by do
        not have every text of the record measured again."""
        left = MARGINS[0] + NUMBER_WIDTH + CAPTION_WIDTH + 2 * SPACING[0]
        box_width = max(WIDTH_STEP, width - left - SPACING[0] - ACTION_WIDTH - MARGINS[2])
        text_width = _text_width(box_width)
        if text_width not in self._heights:
            self._heights[text_width] = tuple(
                _box_height(self._texts[part], text_width, self.font()) for part in PARTS
            )
        top, rects = MARGINS[1], {}
        for part, height in zip(PARTS, self._heights[text_width], strict=True):
            rects[part] = QRect(left, top, box_width, height)
            top += height + SPACING[1]
        return rects

    def _remeasure(self) -> None:
        self._heights = {}
        self.fit()
        self.update()

    def _action_rect(self) -> QRect:
        return QRect(self.width() - MARGINS[2] - ACTION_WIDTH, MARGINS[1], ACTION_WIDTH, 22)

    # --- painting and clicks -------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rects = self._rects(self.width())
        painter.setPen(QColor(NUMBER_COLOR))
        number = QRect(MARGINS[0], rects[QUESTION].top() + FRAME, NUMBER_WIDTH, 20)
        painter.drawText(
            number, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop, self._number
        )
        bold = QFont(self.font())
        bold.setBold(True)
        for part in PARTS:
            rect = rects[part]
            caption, color = SPEAKERS[part]
            painter.setFont(bold)
            painter.setPen(QColor(color))
            spot = QRect(
                rect.left() - SPACING[0] - CAPTION_WIDTH, rect.top() + FRAME, CAPTION_WIDTH, 20
            )
            painter.drawText(spot, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, caption)
            painter.setFont(self.font())
            painter.fillRect(rect, QColor(BACKGROUNDS[part]))
            painter.setPen(QColor(BORDER_COLOR))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            painter.setPen(self.palette().color(QPalette.ColorRole.Text))
            _draw_text(painter, self._texts[part], rect, self.font())
        self._paint_action(painter)

    def _paint_action(self, painter: QPainter) -> None:
        label = {Mode.TYPING: "×", Mode.CORRECTING: "补正…"}.get(self.mode)
        if label:
            painter.setPen(self.palette().color(QPalette.ColorRole.ButtonText))
            painter.drawText(self._action_rect(), Qt.AlignmentFlag.AlignCenter, label)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._action_rect().contains(point) and self.mode is not Mode.READ_ONLY:
            self.clicked.emit("remove" if self.mode is Mode.TYPING else "correct", point)
            return
        rects = self._rects(self.width())
        self.clicked.emit(ANSWER if point.y() >= rects[ANSWER].top() else QUESTION, point)


@functools.cache
def _measurer() -> QTextDocument:
    """One document to lay texts out with, as an EntryBox lays out its own."""
    document = QTextDocument()
    document.setDocumentMargin(DOCUMENT_MARGIN)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    document.setDefaultTextOption(option)
    return document


def _laid_out(text: str, width: int, font: QFont) -> QTextDocument:
    document = _measurer()
    if document.defaultFont() != font:
        document.setDefaultFont(font)
    document.setPlainText(text)
    document.setTextWidth(width - 2 * FRAME)
    return document


def _box_height(text: str, width: int, font: QFont) -> int:
    """The height an EntryBox of ``width`` takes for ``text``."""
    return int(_laid_out(text, width, font).size().height()) + 2 * FRAME


def _text_width(box_width: int) -> int:
    return box_width - box_width % WIDTH_STEP


def _draw_text(painter: QPainter, text: str, rect: QRect, font: QFont) -> None:
    document = _laid_out(text, _text_width(rect.width()), font)
    painter.save()
    painter.translate(rect.left() + FRAME, rect.top() + FRAME)
    document.drawContents(painter, QRectF(0, 0, rect.width(), rect.height()))
    painter.restore()


def _caption(text: str, color: str, bold: bool = True) -> QLabel:
    """A coloured caption (问 / 答 / the number), coloured by palette: a style sheet per
    widget is what made hundreds of pairs slow to build."""
    label = QLabel(text)
    _paint(label, QPalette.ColorRole.WindowText, color)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


def _paint(widget: QWidget, role: QPalette.ColorRole, color: str) -> None:
    palette = widget.palette()
    palette.setColor(role, QColor(color))
    widget.setPalette(palette)


def _tool_button(text: str, tip: str, slot: Callable[[], None]) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab runs from box to box, not over these
    button.clicked.connect(slot)
    return button
