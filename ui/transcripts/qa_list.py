"""The record itself: numbered pairs of a question (问) and an answer (答), typed at speaking pace.

Enter in a question goes to its answer; Enter in an answer goes to the next question, making a
new pair at the end, so a whole interview is typed without the mouse. Ctrl+Up / Ctrl+Down move
the current pair, the arrow keys run on from box to box, Backspace in an empty pair removes it,
and × removes a filled one after asking. Once the record has been read back to the person, the
pairs are what they confirmed: the boxes lock and each pair offers 补正… instead.

A stored pair is shown as a sketch and built into widgets only when a click or the keyboard
reaches it (see :mod:`ui.transcripts.qa_pair`), so a twenty-page record opens at once and typing
stays as fast as in a single box (``bench/transcript.py`` measures both).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QMessageBox, QPushButton, QVBoxLayout, QWidget

from fuanjian_desktop.services.transcripts.transcripts import new_entry_id
from ui.transcripts.entry_box import EntryBox
from ui.transcripts.qa_pair import ANSWER, PARTS, QUESTION, Mode, PairSketch, QaPair
from ui.widgets.ask import ask

REMOVE_WARNING = "删除第{number}问及其回答？删除后不能恢复。"
Slot = QaPair | PairSketch


class QaList(QWidget):
    """The pairs of one record. ``edited`` on every change (typed, added, moved, removed);
    ``caret_moved`` names the box whose cursor should be kept in view; ``correct_requested``
    gives the id of the pair whose 补正… was clicked."""

    edited = Signal()
    caret_moved = Signal(QWidget)
    correct_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slots: list[Slot] = []  # every pair in order, built or sketched
        self.mode = Mode.TYPING
        self.confirmation: QMessageBox | None = None  # the open 删除? question
        self._current: QaPair | None = None
        self._loading = False
        self.add_button = QPushButton("＋ 新的一问")
        self.add_button.setAutoDefault(False)
        self.add_button.setToolTip("在最后一个回答里按 Enter 也会新起一问")
        self.add_button.clicked.connect(lambda: self.new_pair_after(None).question.focus_at(True))
        self._fitted_width = -1
        self._fit_timer = QTimer(self, singleShot=True, interval=0)
        self._fit_timer.timeout.connect(self._fit_sketches)
        self._column = QVBoxLayout(self)  # the pairs in order, then the add button
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        self._column.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    # --- contents ------------------------------------------------------------------------

    def set_entries(self, entries: Iterable[Mapping[str, Any]]) -> None:
        """Show stored pairs without announcing an edit; the same pairs in the same order (a
        reload after a 补正) keep their widgets, and only their texts are set."""
        rows = [dict(entry) for entry in entries]
        self._loading = True
        try:
            if [str(row.get("id")) for row in rows] == [slot.entry_id for slot in self.slots]:
                for slot, row in zip(self.slots, rows, strict=True):
                    for part in PARTS:
                        slot.set_text(part, str(row.get(part) or ""))
                return
            self._rebuild(rows)
        finally:
            self._loading = False

    def _rebuild(self, rows: list[dict[str, Any]]) -> None:
        """A sketch for each row, added while the list is hidden (a shown layout would be laid
        out again for each)."""
        shown = self.isVisible()
        self.hide()
        for slot in self.slots:
            self._column.removeWidget(slot)
            slot.deleteLater()
        self._current = None
        self.slots = [
            self._sketch(
                str(row.get("id") or new_entry_id()),
                str(row.get(QUESTION) or ""),
                str(row.get(ANSWER) or ""),
            )
            for row in rows
        ]
        for position, slot in enumerate(self.slots):
            self._column.insertWidget(position, slot)
        self._renumber()
        self._fitted_width = -1
        self._fit_timer.start()
        self.setVisible(shown)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != self._fitted_width:
            self._fit_timer.start()  # once the layout has settled on a width

    def _fit_sketches(self) -> None:
        """Every sketch measured at the list's width (built pairs size themselves)."""
        self._fitted_width = self.width()
        for slot in self.slots:
            if isinstance(slot, PairSketch):
                slot.fit()

    def count(self) -> int:
        """How many pairs the record has."""
        return len(self.slots)

    def pair(self, position: int) -> QaPair:
        """The pair at ``position`` (0-based; -1 the last), built if it was only sketched."""
        slot = self.slots[position]
        return slot if isinstance(slot, QaPair) else self._build(slot)

    def position_of(self, entry_id: str) -> int:
        """Where the pair ``entry_id`` stands (0-based)."""
        return next(n for n, slot in enumerate(self.slots) if slot.entry_id == entry_id)

    def entries(self) -> list[dict[str, str]]:
        """Every pair in order, blank ones included (the printout leaves those out)."""
        return [slot.value() for slot in self.slots]

    def current(self) -> QaPair | None:
        """The pair last typed in (the template panel inserts after it)."""
        return self._current if self._current in self.slots else None

    def set_mode(self, mode: Mode) -> None:
        """Typing, 补正 only, or read-only (see :class:`Mode`)."""
        self.mode = mode
        for slot in self.slots:
            slot.set_mode(mode)
        self.add_button.setVisible(mode is Mode.TYPING)

    # --- changes -------------------------------------------------------------------------

    def new_pair_after(self, pair: QaPair | None, question: str = "") -> QaPair:
        """A new pair right after ``pair`` (at the end for ``None``)."""
        position = len(self.slots) if pair is None else self.slots.index(pair) + 1
        new = self._pair(new_entry_id(), question, "")
        self._column.insertWidget(position, new)
        self.slots.insert(position, new)
        self._current = new
        self._renumber()
        self._announce()
        return new

    def insert_question(self, text: str) -> None:
        """A template question: into the current question when it is empty, else as a new pair
        after the current one; the cursor goes to its answer, ready for what is said."""
        if self.mode is not Mode.TYPING:
            return
        pair = self.current() or (self.pair(-1) if self.slots else None)
        if pair is not None and not pair.text(QUESTION).strip():
            pair.question.set_text(text)  # announced by the box's own change signal
        else:
            pair = self.new_pair_after(pair, text)
        self._current = pair
        pair.answer.focus_at(True)

    def move_pair(self, pair: QaPair, step: int) -> None:
        """Move ``pair`` up (-1) or down (+1) a place; the focus stays in it."""
        position = self.slots.index(pair)
        target = position + step
        if self.mode is not Mode.TYPING or not 0 <= target < len(self.slots):
            return
        self.slots.insert(target, self.slots.pop(position))
        self._column.removeWidget(pair)
        self._column.insertWidget(target, pair)
        self._renumber()
        self._announce()

    def remove(self, pair: QaPair) -> None:
        """Remove ``pair``: at once when blank, after asking when it holds text."""
        if pair.is_blank():
            self._drop(pair)
            return
        number = self.slots.index(pair) + 1
        self._ask(REMOVE_WARNING.format(number=number), lambda: self._drop(pair))

    def _drop(self, pair: QaPair) -> None:
        if pair not in self.slots:
            return
        position = self.slots.index(pair)
        self.slots.remove(pair)
        self._column.removeWidget(pair)
        pair.deleteLater()
        if self._current is pair:
            self._current = None
        self._renumber()
        self._announce()
        if self.slots:
            self.pair(max(0, position - 1)).answer.focus_at(True)

    # --- building ------------------------------------------------------------------------

    def _sketch(self, entry_id: str, question: str, answer: str) -> PairSketch:
        sketch = PairSketch(entry_id, question, answer, self.mode)
        sketch.clicked.connect(lambda what, point: self._sketch_clicked(sketch, what, point))
        return sketch

    def _sketch_clicked(self, sketch: PairSketch, what: str, point: QPoint) -> None:
        """A click on a sketch builds the pair and does what the click meant there."""
        if sketch not in self.slots:
            return
        pair = self._build(sketch)
        if what == "remove":
            self.remove(pair)
        elif what == "correct":
            self.correct_requested.emit(pair.entry_id)
        else:
            pair.activate_layout()  # the boxes where the sketch drew them, for the cursor
            box = pair.box(what)
            box.focus_at(True)
            spot = box.viewport().mapFrom(pair, point)
            box.setTextCursor(box.cursorForPosition(spot))

    def _build(self, sketch: PairSketch) -> QaPair:
        """Replace a sketch with the widgets of its pair (once; the pair stays built)."""
        position = self.slots.index(sketch)
        value = sketch.value()
        pair = self._pair(sketch.entry_id, value[QUESTION], value[ANSWER])
        pair.set_number(position + 1)
        self._column.replaceWidget(sketch, pair)
        self.slots[position] = pair
        sketch.deleteLater()
        return pair

    def _pair(self, entry_id: str, question: str, answer: str) -> QaPair:
        pair = QaPair(entry_id, question, answer)
        pair.set_mode(self.mode)
        pair.remove_requested.connect(lambda: self.remove(pair))
        pair.correct_requested.connect(lambda: self.correct_requested.emit(pair.entry_id))
        for part, box in zip(PARTS, pair.boxes(), strict=True):
            self._wire(pair, part, box)
        return pair

    def _wire(self, pair: QaPair, part: str, box: EntryBox) -> None:
        """The keys of a box drive the record."""
        if part == QUESTION:
            box.advance.connect(lambda: pair.answer.focus_at(True))
            box.erase_empty.connect(lambda: self._erase_question(pair))
        else:
            box.advance.connect(lambda: self._after_answer(pair))
            box.erase_empty.connect(lambda: pair.question.focus_at(True))
        box.leave.connect(lambda step: self._leave(pair, part, step))
        box.move_pair.connect(lambda step: self.move_pair(pair, step))
        box.focused.connect(lambda: self._focused(pair, box))
        box.textChanged.connect(self._announce)
        box.cursorPositionChanged.connect(lambda: self.caret_moved.emit(box))

    # --- keyboard flow -------------------------------------------------------------------

    def _after_answer(self, pair: QaPair) -> None:
        """Enter in an answer: on to the next question, a new one after the last answer."""
        position = self.slots.index(pair)
        if position + 1 < len(self.slots):
            self.pair(position + 1).question.focus_at(True)
        elif self.mode is Mode.TYPING:
            self.new_pair_after(pair).question.focus_at(True)

    def _erase_question(self, pair: QaPair) -> None:
        """Backspace in an empty question: a blank pair (an Enter too many) goes away."""
        if self.mode is Mode.TYPING and pair.is_blank() and len(self.slots) > 1:
            self._drop(pair)

    def _leave(self, pair: QaPair, part: str, step: int) -> None:
        """The arrow keys run through the boxes in reading order: 问1, 答1, 问2 …"""
        target = self.slots.index(pair) * len(PARTS) + PARTS.index(part) + step
        if 0 <= target < len(self.slots) * len(PARTS):
            position, part_at = divmod(target, len(PARTS))
            self.pair(position).box(PARTS[part_at]).focus_at(step < 0)

    def _focused(self, pair: QaPair, box: EntryBox) -> None:
        self._current = pair
        self.caret_moved.emit(box)

    # --- plumbing ------------------------------------------------------------------------

    def _renumber(self) -> None:
        for number, slot in enumerate(self.slots, start=1):
            slot.set_number(number)

    def _announce(self) -> None:
        if not self._loading:
            self.edited.emit()

    def _ask(self, text: str, then: Callable[[], None]) -> None:
        """A window-modal question; ``then`` runs only on 删除."""
        self.confirmation = ask(self, "删除问答", text, "删除", then)
