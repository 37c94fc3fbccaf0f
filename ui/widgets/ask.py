"""A question with a named 是 button and 取消, asked without blocking the event loop."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget


def ask(
    parent: QWidget,
    title: str,
    text: str,
    yes_text: str,
    then: Callable[[], None],
    *,
    yes_is_default: bool = False,
) -> QMessageBox:
    """Open a window-modal question; ``then`` runs only on ``yes_text``.

    取消 is the default (Enter's answer) unless ``yes_is_default``: the default is set before
    the box opens, since opening it gives the default button the keyboard focus. The box is
    returned for the caller to keep: opened with ``open()`` rather than ``exec()``, it returns
    at once, so tests can find it and click an answer.
    """
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = QMessageBox(QMessageBox.Icon.Question, title, text, yes | no, parent)
    box.button(yes).setText(yes_text)
    box.button(no).setText("取消")
    box.setDefaultButton(yes if yes_is_default else no)

    def answered(button: QAbstractButton) -> None:
        if box.standardButton(button) == yes:
            then()

    box.buttonClicked.connect(answered)
    box.open()
    return box
