"""案卷设置: the administrator chooses how this squad's volumes are bound and numbered.

One choice per setting of the dossier settings (装订顺序: 结果在前 or 按时间顺序; 页号位置;
扫描件的位置), each option with its source shown under the choice, so the administrator sees
on what rule a choice rests before changing it. The form is built from the settings' data: an
option added there appears here without code. Volumes already archived keep their frozen
bytes; a change applies to volumes compiled from now on.
"""

from __future__ import annotations

from dataclasses import asdict, replace

from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QVBoxLayout, QWidget

from fuanjian_desktop.services.dossiers.dossier_settings import (
    FIELDS,
    DossierSettings,
    choices,
    default_settings,
    dossier_settings_in_force,
    field_label,
    save_dossier_settings,
    source_of,
)
from ui.context import AppContext
from ui.dossier.refusals import show_refusal
from ui.widgets.field_errors import FieldErrors
from ui.widgets.form_parts import aligned_form, lay_out_form_dialog

INTRO = "以下设置用于今后编制的案卷；已归档的案卷保持归档时的内容不变。"
SOURCE_STYLE = "color: #5b6675;"


class DossierSettingsDialog(QDialog):
    """A choice per setting with the chosen option's source; saving stores the choices."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("案卷设置")
        self.setMinimumWidth(640)
        self._context = context
        self._current: DossierSettings | None = None
        self.fields: dict[str, QComboBox] = {}
        self.sources: dict[str, QLabel] = {}
        self.errors = FieldErrors()
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        form = aligned_form()
        defaults = asdict(default_settings())
        for field in FIELDS:
            choice = self._choice(field, defaults[field])
            self.errors.add_row(form, f"{field_label(field)}：", field, choice)
        body = QVBoxLayout()
        body.addWidget(intro)
        body.addLayout(form)
        self.save_button = lay_out_form_dialog(self, body, self.errors.general, self.save, "保存")
        self.save_button.setEnabled(False)  # until the values in force are shown
        context.workers.run(
            lambda: dossier_settings_in_force(context.database), self._show, self._failed
        )

    def _choice(self, field: str, default: str) -> QWidget:
        """The options of ``field`` (the default marked) and, under them, the chosen one's
        source."""
        box = QComboBox()
        for value, label in choices(field).items():
            box.addItem(f"{label}（默认）" if value == default else label, value)
        source = QLabel()
        source.setWordWrap(True)
        source.setStyleSheet(SOURCE_STYLE)
        box.currentIndexChanged.connect(
            lambda _index: source.setText(f"依据：{source_of(field, box.currentData())}")
        )
        source.setText(f"依据：{source_of(field, box.currentData())}")
        self.fields[field] = box
        self.sources[field] = source
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(box)
        column.addWidget(source)
        return holder

    def _show(self, settings: DossierSettings) -> None:
        self._current = settings
        for field, value in asdict(settings).items():
            box = self.fields[field]
            box.setCurrentIndex(max(box.findData(value), 0))
        self.save_button.setEnabled(True)
        self.fields[FIELDS[0]].setFocus()

    def changed(self) -> dict[str, str]:
        """The settings whose option the administrator changed."""
        current = asdict(self._current) if self._current is not None else {}
        values = {field: box.currentData() for field, box in self.fields.items()}
        return {field: value for field, value in values.items() if value != current.get(field)}

    def save(self) -> None:
        """Store the choices in the background; a refusal is shown and the form kept."""
        context, changes, current = self._context, self.changed(), self._current
        if current is None:
            return
        if not changes:
            self.accept()
            return
        chosen = replace(current, **changes)
        self.save_button.setEnabled(False)
        self.errors.clear()
        context.workers.run(
            lambda: save_dossier_settings(context.database, context.actor, chosen),
            lambda _none: self.accept(),
            self._failed,
        )

    def _failed(self, error: Exception) -> None:
        show_refusal(self.errors, error)
        self.save_button.setEnabled(self._current is not None)
