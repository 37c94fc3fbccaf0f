"""办案程序设置: the administrator adjusts the bureau's thresholds and periods.

One number per setting of ``resources/procedure/settings.json`` (听证 and 集体讨论 thresholds,
陈述申辩期, 办案期限, 当场处罚 limits …), each with its legal source as a tooltip; the form is
built from that file, so a setting added there appears here without code.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QSpinBox, QWidget

from fuanjian_desktop.domain.procedure_settings import setting_specs
from fuanjian_desktop.services.procedure_settings import save_settings, settings_in_force
from ui.context import AppContext
from ui.errors import failure_text
from ui.widgets.form_parts import error_label, lay_out_form_dialog

CONFIDENCE_NOTES = {"V": "已核实", "V-2": "据二手资料", "U": "待区局确认"}


class ProcedureSettingsDialog(QDialog):
    """A spin box per setting; saving stores only the values that changed.

    The values in force are read, and the changes saved, on the worker thread like every
    other query; the save button waits until the values are shown.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("办案程序设置")
        self._context = context
        self._current: dict[str, int] = {}
        self.fields: dict[str, QSpinBox] = {}
        form = QFormLayout()
        for spec in setting_specs():
            box = QSpinBox()
            box.setRange(0, 10_000_000)
            if spec.key.endswith(("_person", "_unit")):  # the thresholds and limits are fines
                box.setSuffix(" 元")
            note = CONFIDENCE_NOTES.get(spec.confidence, spec.confidence)
            box.setToolTip(f"{spec.source}（默认 {spec.default}，{note}）")
            form.addRow(f"{spec.label}：", box)
            self.fields[spec.key] = box
        self.message = error_label()
        self.save_button = lay_out_form_dialog(self, form, self.message, self.save, "保存")
        self.save_button.setEnabled(False)
        context.workers.run(
            lambda: dict(settings_in_force(context.database).values), self._show, self._failed
        )

    def _show(self, values: dict[str, int]) -> None:
        self._current = values
        for key, box in self.fields.items():
            box.setValue(values[key])
        self.save_button.setEnabled(True)

    def changed(self) -> dict[str, int]:
        """The settings whose value the administrator changed."""
        values = {key: box.value() for key, box in self.fields.items()}
        return {key: value for key, value in values.items() if value != self._current[key]}

    def save(self) -> None:
        """Store the changed values; a refusal is shown in the dialog, which stays open."""
        context, changes = self._context, self.changed()
        self.save_button.setEnabled(False)
        self.message.clear()
        context.workers.run(
            lambda: save_settings(context.database, context.actor, changes),
            lambda _none: self.accept(),
            self._failed,
        )

    def _failed(self, error: Exception) -> None:
        self.message.setText(failure_text(error))
        self.save_button.setEnabled(bool(self._current))
