"""Small coloured tags (检查中, 已完成, 依据待核实) that read at a glance beside a title."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

BLUE = "#2d6cdf"
GREEN = "#1c7c3a"
ORANGE = "#d9730d"


def tag_label(text: str = "", colour: str = BLUE) -> QLabel:
    """White text on a rounded ``colour`` background."""
    label = QLabel(text)
    set_tag(label, text, colour)
    return label


def set_tag(label: QLabel, text: str, colour: str) -> None:
    """Change an existing tag's text and colour."""
    label.setText(text)
    label.setStyleSheet(
        f"background: {colour}; color: white; border-radius: 3px; padding: 1px 6px;"
        " font-weight: bold;"
    )
