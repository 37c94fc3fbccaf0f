"""文书设置: the administrator sets the authority's particulars printed on documents.

One line per particular of ``resources/documents/organisation.json`` (执法机关名称, 复议机关,
管辖法院 …), labelled as there, the shipped default and the legal note as its tooltip; a value
still presumed (confidence U) says so, since the 区局 must confirm it before documents go out.
Documents already issued keep what they printed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from fuanjian_desktop.services.documents.document_settings import (
    OrganisationItem,
    organisation_in_force,
    organisation_items,
    save_organisation,
)
from ui.context import AppContext
from ui.errors import failure_text
from ui.widgets.form_parts import aligned_form, error_label, lay_out_form_dialog

PRESUMED = "U"  # confidence of a value not yet seen in a real document
INTRO = "以下信息打印在执法文书上。标“待核实”的默认值为推定，启用前请与区局核实。"


class DocumentSettingsDialog(QDialog):
    """A line per particular; saving stores the values that changed."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("文书设置")
        self.setMinimumWidth(560)
        self._context = context
        self._current: dict[str, str] = {}
        self.fields: dict[str, QLineEdit] = {}
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        form = aligned_form()
        for item in organisation_items():
            self.fields[item.key] = _line(item)
            form.addRow(_caption(item), self.fields[item.key])
        body = QVBoxLayout()
        body.addWidget(intro)
        body.addLayout(form)
        self.message = error_label()
        self.save_button = lay_out_form_dialog(self, body, self.message, self.save, "保存")
        self.save_button.setEnabled(False)  # until the values in force are shown
        context.workers.run(
            lambda: organisation_in_force(context.database), self._show, self._failed
        )

    def _show(self, values: dict[str, str]) -> None:
        self._current = values
        for key, edit in self.fields.items():
            edit.setText(values.get(key, ""))
        self.save_button.setEnabled(True)

    def changed(self) -> dict[str, str]:
        """The particulars the administrator changed."""
        values = {key: edit.text().strip() for key, edit in self.fields.items()}
        return {key: value for key, value in values.items() if value != self._current.get(key)}

    def save(self) -> None:
        """Store the changes in the background; a refusal is shown and the form kept."""
        context, changes = self._context, self.changed()
        if not changes:
            self.accept()
            return
        self.save_button.setEnabled(False)
        self.message.clear()
        context.workers.run(
            lambda: save_organisation(context.database, context.actor, changes),
            lambda _none: self.accept(),
            self._failed,
        )

    def _failed(self, error: Exception) -> None:
        self.message.setText(failure_text(error))
        self.save_button.setEnabled(bool(self._current))


def _caption(item: OrganisationItem) -> str:
    return f"{item.label}（待核实）：" if item.confidence == PRESUMED else f"{item.label}："


def _line(item: OrganisationItem) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(item.default)
    tooltip = f"默认：{item.default or '（空）'}"
    edit.setToolTip(f"{tooltip}\n{item.note}" if item.note else tooltip)
    return edit
