"""A one-line label that ends in … when its window gives it less room than its text needs.

The status bar is shared by the user, the squad, the sync state and five buttons; on a 1366 px
screen the sync line gets what is left, which a long Chinese message exceeds. Cut off mid-word
it would mislead; elided, the reader sees that there is more (the tooltip has it all).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel

NARROWEST = 140  # px: never less, so a few words always show


class ElidedLabel(QLabel):
    """Holds the full text (``full_text``) and shows as much of it as fits."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self._full = ""
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        """Show ``text``, elided to the width the label has now (and again when it changes)."""
        self._full = text
        self.updateGeometry()
        self._elide()

    def full_text(self) -> str:
        """The text as given, whatever part of it shows."""
        return self._full

    def sizeHint(self) -> QSize:
        """As wide as the whole text (the layout gives less when it must)."""
        hint = super().sizeHint()
        return QSize(
            self.fontMetrics().horizontalAdvance(self._full) + self._frame(), hint.height()
        )

    def minimumSizeHint(self) -> QSize:
        """Narrow enough for the status bar to shrink it rather than cut what follows."""
        return QSize(NARROWEST, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _frame(self) -> int:
        """What the label adds around its text: margins and the style sheet's padding (the
        status bar's labels have 8 px a side), as the label itself measures them."""
        return super().sizeHint().width() - self.fontMetrics().horizontalAdvance(self.text())

    def _elide(self) -> None:
        room = self.width() - self._frame()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room)
        super().setText(shown)
