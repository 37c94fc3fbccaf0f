"""结束检查: end time, what was found (pre-written from the answers), the 现场处理措施 taken,
and a refusal to sign.

It opens in 检查情况补充, the field that needs the inspector (the end time is now, the measure
for hazards is ticked already); Tab leaves it and Ctrl+Enter presses 结束检查, the default.

The core decides whether the inspection may end (every item answered, times plausible, a
refusal explained); the dialog shows its issues beside the fields, or under the form for
problems such as items still unanswered.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from fuanjian_desktop import reference
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.inspections.inspections import (
    InspectionFinish,
    InspectionInvalid,
    InspectionView,
    finish_inspection,
)
from ui.context import AppContext
from ui.local_time import QT_MINUTE_FORMAT, from_qdatetime, to_qdatetime
from ui.widgets.field_errors import FieldErrors
from ui.widgets.form_parts import lay_out_form_dialog

REFUSAL_TEXT = "被检查单位负责人拒绝签名（安全生产法第六十八条）"
MEASURES_TITLE = "现场处理措施（安全生产法第六十五条）"
MEASURE_COLUMNS = 2  # two columns keep the dialog short enough for a 768 px high screen
# ticked in advance when hazards were found ("已责令限期整改")
DEFAULT_MEASURE = "rectify_within_deadline"
SUMMARY_HINT = (
    "补充说明（可不填）。检查项数、发现的问题及其依据和整改要求、现场处理措施"
    "由系统根据检查结果写入现场检查记录的“检查情况”，签发前可修改。"
)


class FinishInspectionDialog(QDialog):
    """Ends the inspection through the core; accepted once it is saved as 已完成."""

    def __init__(self, context: AppContext, view: InspectionView, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"结束检查 — {view.enterprise_name}")
        self.setMinimumWidth(620)
        self._context = context
        self._view = view
        self.errors = FieldErrors()
        self.ended_at = QDateTimeEdit(to_qdatetime(dt.datetime.now().astimezone()))
        self.ended_at.setDisplayFormat(QT_MINUTE_FORMAT)
        self.ended_at.setCalendarPopup(True)
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText(SUMMARY_HINT)
        self.summary.setFixedHeight(90)
        self.measures = _measure_boxes(checked=(DEFAULT_MEASURE,) if view.hazards else ())
        self.measures_note = QLineEdit()
        self.measures_note.setPlaceholderText("如：责令停止使用二楼仓库的移动式电暖器")
        self.refused = QCheckBox(REFUSAL_TEXT)
        self.refused.toggled.connect(self._show_refusal_note)
        self.refusal_note = QLineEdit()
        self.refusal_note.setPlaceholderText(
            "写明经过，如：负责人拒绝在检查记录上签名，两名执法人员在场见证"
        )
        self._setup_ui()

    def _setup_ui(self) -> None:
        form = QFormLayout()
        self.errors.add_row(form, "结束时间：", "ended_at", self.ended_at)
        self.errors.add_row(form, "检查情况补充：", "summary", self.summary)
        form.addRow(self._measures_box())
        form.addRow("", self.refused)
        self._refusal_row = self.errors.add_row(
            form, "拒绝签名说明：", "refusal_note", self.refusal_note
        )
        form.setRowVisible(self._refusal_row, False)
        self._form = form
        self.finish_button = lay_out_form_dialog(
            self, form, self.errors.general, self.try_finish, "结束检查"
        )
        self.finish_button.setDefault(True)  # Ctrl+Enter, even from 检查情况补充
        self.summary.setFocus()  # the one field the inspector has to think about

    def _measures_box(self) -> QGroupBox:
        """The measures in a grid, the note under them, and the core's issue about them."""
        box = QGroupBox(MEASURES_TITLE)
        grid = QGridLayout(box)
        for position, check in enumerate(self.measures.values()):
            grid.addWidget(check, *divmod(position, MEASURE_COLUMNS))
        note = QHBoxLayout()
        note.addWidget(QLabel("措施说明："))
        note.addWidget(self.measures_note, 1)
        rows = grid.rowCount()
        grid.addLayout(note, rows, 0, 1, MEASURE_COLUMNS)
        grid.addWidget(self.errors.label_for("onsite_measures"), rows + 1, 0, 1, MEASURE_COLUMNS)
        return box

    def checked_measures(self) -> tuple[str, ...]:
        """Codes of the measures ticked, in the order the 决定书 lists them."""
        return tuple(code for code, check in self.measures.items() if check.isChecked())

    def _show_refusal_note(self, checked: bool) -> None:
        self._form.setRowVisible(self._refusal_row, checked)
        if checked:
            self.refusal_note.setFocus()

    def finish(self) -> InspectionFinish:
        """The form's content."""
        return InspectionFinish(
            ended_at=from_qdatetime(self.ended_at.dateTime()),
            summary=self.summary.toPlainText(),
            refused_to_sign=self.refused.isChecked(),
            refusal_note=self.refusal_note.text() if self.refused.isChecked() else "",
            onsite_measures=self.checked_measures(),
            onsite_measures_note=self.measures_note.text(),
        )

    def try_finish(self) -> None:
        """End the inspection; on a refusal by the core show why, beside the fields."""
        context = self._context
        try:
            finish_inspection(context.database, context.actor, self._view.id, self.finish())
        except InspectionInvalid as invalid:
            self.errors.show(invalid.issues)
            return
        except UserError as error:
            self.errors.show_message(error.message)
            return
        self.accept()


def _measure_boxes(checked: tuple[str, ...]) -> dict[str, QCheckBox]:
    """One checkbox per measure, keyed by code; the tooltip gives its legal basis and caveat."""
    boxes = {}
    for measure in reference.onsite_measures():
        check = QCheckBox(measure.label)
        check.setToolTip(_measure_tip(measure))
        check.setChecked(measure.code in checked)
        boxes[measure.code] = check
    return boxes


def _measure_tip(measure: reference.OnsiteMeasure) -> str:
    """The legal basis, and the caveat when there is one (e.g. 查封、扣押 may exceed what a
    街道 squad is entrusted with)."""
    note = f"\n注意：{measure.note}" if measure.note else ""
    return f"依据：{measure.basis}{note}"
