"""The header of a transcript: who, when, where — above the record.

A 询问笔录 gets its own form (:mod:`ui.transcripts.inquiry_header`), laid out like the paper and
helping where the paper cannot: times stamped, the ID number checked, sex and age read from it.
Any other transcript type (陈述申辩笔录) shows the header fields its spec prints, one generic
editor each, so a new type needs a spec, not code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from fuanjian_desktop.documents.spec import DocumentSpec
from ui.documents.fields import FieldEditor, field_editor
from ui.widgets.form_parts import aligned_form

# fields the editor shows elsewhere: the record, how it was checked, the 补正 rows
NOT_IN_HEADER = ("read_back", "corrections", "notice_answer")


class HeaderForm(QWidget):
    """What the editor needs of a header: its values, and ``edited`` on every change;
    ``relation_changed`` when the person's relation to the case changes (the question
    templates follow it)."""

    edited = Signal()
    relation_changed = Signal(str)

    def values(self) -> dict[str, Any]:
        """The header's values as the core stores them (a value still mistyped is left out)."""
        raise NotImplementedError

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Show stored values without announcing an edit."""
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        """A 定稿 transcript is shown, not edited."""
        raise NotImplementedError

    def relation(self) -> str:
        """The person's relation to the case (当事人, 证人 …); empty when the type has none."""
        return ""


class GenericHeader(HeaderForm):
    """The printed header fields of ``spec``, one editor each (as the document editor has)."""

    def __init__(self, spec: DocumentSpec, variant: str | None, qa_field: str) -> None:
        super().__init__()
        self.fields: dict[str, FieldEditor] = {}
        printed = spec.printed_fields(variant)
        skipped = {qa_field, *NOT_IN_HEADER}
        form = aligned_form()
        for name, field in spec.fields.items():
            if name not in printed or name in skipped:
                continue
            editor = field_editor(spec, field)
            editor.edited.connect(self.edited.emit)
            form.addRow(QLabel(f"{field.label}："), editor)
            self.fields[name] = editor
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.fields.items()}

    def set_values(self, values: Mapping[str, Any]) -> None:
        for name, editor in self.fields.items():
            editor.set_value(values.get(name))

    def set_read_only(self, read_only: bool) -> None:
        for editor in self.fields.values():
            editor.set_read_only(read_only)
