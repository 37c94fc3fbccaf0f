"""One question or one answer: a text box that grows with what is typed and lets the keyboard
drive the record.

The inspector types while the person talks, so the hands stay on the keys: Enter finishes the
box (the list moves on), Shift+Enter starts a new line inside it, Ctrl+Up / Ctrl+Down move the
whole pair, and the arrow keys run on into the box above or below at the first or last line.
A box is as tall as its text, so the record reads as one column, like the paper.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextEdit, QWidget

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
DOCUMENT_MARGIN = 3  # around the text inside the frame (a sketched pair uses the same)


class EntryBox(QTextEdit):
    """A plain-text box whose height follows its text; the keys above become signals."""

    advance = Signal()  # Enter: this box is done
    move_pair = Signal(int)  # Ctrl+Up (-1) / Ctrl+Down (+1): move the pair
    leave = Signal(int)  # Up on the first line (-1) / Down on the last (+1)
    erase_empty = Signal()  # Backspace in an empty box
    focused = Signal()  # the box took the focus: its pair is the current one

    def __init__(self, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptRichText(False)  # pasted Word text arrives as plain text
        self.setTabChangesFocus(True)
        self.setPlaceholderText(placeholder)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(DOCUMENT_MARGIN)
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit())
        self._fit()

    def text(self) -> str:
        """What the box holds."""
        return self.toPlainText()

    def set_text(self, text: str) -> None:
        """Replace the text without leaving an undo step (a loaded value is not an edit)."""
        self.setPlainText(text)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height())

    def _height(self) -> int:
        margins = self.contentsMargins()
        return int(self.document().size().height()) + margins.top() + margins.bottom()

    def _fit(self) -> None:
        """Exactly as tall as the text: no inner scroll bar, the record scrolls as a whole."""
        height = self._height()
        if height != self.height():
            self.setFixedHeight(height)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.focused.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handled(event):
            super().keyPressEvent(event)

    def _handled(self, event: QKeyEvent) -> bool:
        """Turn the record's keys into signals; every other key edits the text as usual."""
        key, modifiers = event.key(), event.modifiers()
        shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        control = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if key in ENTER_KEYS and not control:
            if shift:
                self.textCursor().insertText("\n")
            else:
                self.advance.emit()
            return True
        if control and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_pair.emit(-1 if key == Qt.Key.Key_Up else 1)
            return True
        if not modifiers and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            return self._past_edge(-1 if key == Qt.Key.Key_Up else 1)
        if key == Qt.Key.Key_Backspace and not modifiers and not self.text():
            self.erase_empty.emit()
            return True
        return False

    def _past_edge(self, step: int) -> bool:
        """On the first (last) visual line, Up (Down) leaves the box instead of doing nothing."""
        cursor = QTextCursor(self.textCursor())
        move = QTextCursor.MoveOperation.Up if step < 0 else QTextCursor.MoveOperation.Down
        if cursor.movePosition(move):
            return False
        self.leave.emit(step)
        return True

    def focus_at(self, end: bool) -> None:
        """Take the focus with the cursor at the start or the end of the text."""
        cursor = self.textCursor()
        cursor.movePosition(
            QTextCursor.MoveOperation.End if end else QTextCursor.MoveOperation.Start
        )
        self.setTextCursor(cursor)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
