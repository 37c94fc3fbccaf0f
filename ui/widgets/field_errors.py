"""Red messages under the fields of a form, keyed by the core's ``FieldIssue.field`` names.

The core validates and names the field of each problem; a dialog only registers its rows here
and hands over the issues it gets back. Issues about no field of the form (e.g. 还有 3 项未检查)
go to the general label under the form, with their Chinese field label.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from fuanjian_desktop.domain.registry_rules import FieldIssue
from ui.widgets.form_parts import error_label


class FieldErrors:
    """The error labels of one form and its general error label."""

    def __init__(self) -> None:
        self.general = error_label()
        self.labels: dict[str, QLabel] = {}

    def add_row(self, form: QFormLayout, label: str, name: str, field: QWidget) -> QWidget:
        """Add ``field`` to ``form`` with a hidden error label under it; return the row holder."""
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field)
        column.addWidget(self.label_for(name))
        form.addRow(label, holder)
        return holder

    def label_for(self, name: str) -> QLabel:
        """The (hidden until needed) error label of field ``name``, for custom layouts."""
        if name not in self.labels:
            self.labels[name] = error_label(hidden=True)
        return self.labels[name]

    def show(self, issues: Sequence[FieldIssue]) -> None:
        """Put each issue under its field; the rest, and a count, in the general label."""
        self.clear()
        elsewhere = []
        for issue in issues:
            label = self.labels.get(issue.field)
            if label is None:
                elsewhere.append(f"{issue.label}：{issue.message}")
                continue
            label.setText("\n".join(filter(None, [label.text(), issue.message])))
            label.show()
            # a word-wrapped label in a form gets one line unless told its height for the width
            holder = label.parentWidget() or label
            label.setMinimumHeight(label.heightForWidth(holder.width()))
        placed = len(issues) - len(elsewhere)
        summary = [f"有{placed}处需要修改，见红字提示。"] if placed else []
        self.general.setText("\n".join(summary + elsewhere))

    def show_message(self, message: str) -> None:
        """A problem that belongs to no field (e.g. the venue was deleted meanwhile)."""
        self.clear()
        self.general.setText(message)

    def clear(self) -> None:
        """Hide every message."""
        for label in self.labels.values():
            label.clear()
            label.setMinimumHeight(0)
            label.hide()
        self.general.clear()
