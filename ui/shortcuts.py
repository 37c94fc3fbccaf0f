"""The app's keyboard shortcuts, named in one table so no two collide within a window.

A button that has a shortcut shows it in its label and tooltip (``keyed``): an inspector learns
the keys by reading the buttons, not a manual. Ctrl+1…9 choose the pages (the main window).
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton

NEW = "Ctrl+N"
FINISH_INSPECTION = "Ctrl+E"
DOCUMENTS = "Ctrl+D"
ADD_PHOTO = "Ctrl+I"
PRINT_PREVIEW = "Ctrl+P"
BATCH_PRINT = "Ctrl+Shift+P"
EXPORT_PDF = "Ctrl+Shift+E"
EXPORT_WORD = "Ctrl+Shift+W"
SAVE = "Ctrl+S"
FIND = "Ctrl+F"
ABOUT = "F1"
REFRESH = "F5"


def keyed(button: QAbstractButton, keys: str) -> QAbstractButton:
    """Give ``button`` the shortcut ``keys`` and show it in its label and tooltip.

    The shortcut is the button's own, so it works while the button is visible in the active
    window and not on a hidden page or behind a dialog.
    """
    sequence = QKeySequence(keys)
    shown = sequence.toString(QKeySequence.SequenceFormat.NativeText)
    button.setShortcut(sequence)
    button.setText(f"{button.text()} ({shown})")
    tip = button.toolTip()
    button.setToolTip(f"{tip}（{shown}）" if tip else f"快捷键：{shown}")
    return button
