"""Small pieces every form shares: the red error label, the 保存/取消 buttons, the layout."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
)

ERROR_STYLE = "color: #b3261e;"
_SAVE = QDialogButtonBox.StandardButton.Save
_CANCEL = QDialogButtonBox.StandardButton.Cancel


def error_label(hidden: bool = False) -> QLabel:
    """A word-wrapped red label for a Chinese error message.

    Only ``hidden`` is set explicitly: ``setHidden(False)`` on a label not yet in a window
    would show it as a window of its own, which takes the activation (and the keyboard) from
    the window that is building it.
    """
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    if hidden:
        label.hide()
    return label


def aligned_form() -> QFormLayout:
    """A form whose labels line up on the right, next to their fields."""
    form = QFormLayout()
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
    return form


def date_edit(day: dt.date) -> QDateEdit:
    """A date field with a calendar, showing ``day`` as 2026-11-26."""
    edit = QDateEdit(QDate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def save_cancel_buttons(save: Callable[[], None], cancel: Callable[[], None]) -> QDialogButtonBox:
    """保存 and 取消 buttons wired to ``save`` and ``cancel``."""
    buttons = QDialogButtonBox(_SAVE | _CANCEL)
    buttons.button(_SAVE).setText("保存")
    buttons.button(_CANCEL).setText("取消")
    buttons.accepted.connect(save)
    buttons.rejected.connect(cancel)
    return buttons


def lay_out_form_dialog(
    dialog: QDialog, body: QLayout, message: QLabel, save: Callable[[], None], save_text: str
) -> QPushButton:
    """The form, a message line for problems not tied to a field, then the buttons; returns the
    save button (renamed ``save_text``, e.g. 开始检查)."""
    buttons = save_cancel_buttons(save, dialog.reject)
    save_button = buttons.button(_SAVE)
    save_button.setText(save_text)
    layout = QVBoxLayout(dialog)
    layout.addLayout(body)
    layout.addWidget(message)
    layout.addWidget(buttons)
    return save_button
