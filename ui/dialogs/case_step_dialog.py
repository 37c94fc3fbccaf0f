"""One step of a case (批准立案, 送达行政处罚告知书, 登记缴纳罚款 …), whatever the step.

The procedure declares what each step asks for (``ActionChoice.fields``); this dialog builds one
widget per field from that list, so a new step in the core needs no new dialog. The date is
the legal date of the step (e.g. the day the notice was served), never later than today. The
core decides: a refusal, such as the procedure guard listing what is missing, is shown in the
dialog, which stays open with everything typed. A step whose document lacks what a person must
write (听证地点 …) opens the document editor on the draft the step will issue, the empty fields
marked; once they are filled, taking the step again issues that draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.procedure import FIELD_LABELS, SERVED_METHODS, find_action
from fuanjian_desktop.services.cases.case_actions import (
    REMEDY_LABELS,
    REMEDY_RESULTS,
    StepDocumentIncomplete,
    StepInput,
    draft_for_step,
    perform,
)
from fuanjian_desktop.services.cases.case_money_values import surcharge_preview
from fuanjian_desktop.services.cases.case_queries import ActionChoice
from ui.context import AppContext
from ui.documents.editor_dialog import DocumentEditorDialog
from ui.errors import failure_text
from ui.widgets.form_parts import aligned_form, date_edit, error_label, lay_out_form_dialog

SURCHARGE_STEP = "impose_surcharge"  # its amount is derived and shown, never typed
MAX_AMOUNT = 100_000_000  # yuan; far above any fine the catalogue allows
MAX_DAYS = 365
# 听证 must be notified seven days ahead (行政处罚法第六十四条第二项); a good first guess for
# deferral dates too, which the leader then adjusts.
DAYS_AHEAD = 7
Reader = Callable[[], Any]


class CaseStepDialog(QDialog):
    """Takes ``choice`` on the case through :func:`perform`; accepted once the core agreed.
    ``drafted`` tells the case page a draft of the step's document was made for completing."""

    drafted = Signal()

    def __init__(
        self,
        context: AppContext,
        case_id: str,
        choice: ActionChoice,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(choice.label)
        self.setMinimumWidth(520)
        self._context = context
        self._case_id = case_id
        self._choice = choice
        self._today = today
        self.fields: dict[str, QWidget] = {}
        self.editor: DocumentEditorDialog | None = None  # open on a document the step needs
        self._readers: dict[str, Reader] = {}
        self.message = error_label()
        self._setup_ui()

    def _setup_ui(self) -> None:
        source = QLabel(f"法律依据：{find_action(self._choice.code).source}")
        source.setWordWrap(True)
        source.setStyleSheet("color: #5b6675;")
        form = aligned_form()
        self.date = date_edit(self._today)
        self.date.setMaximumDate(QDate(self._today))
        form.addRow("日期：", self.date)
        for name in self._choice.fields:
            self.fields[name] = self._field(name)
            form.addRow(f"{FIELD_LABELS[name]}：", self.fields[name])
        if self._choice.code == SURCHARGE_STEP:
            form.addRow("加处罚款：", self._derived_surcharge())
        body = QVBoxLayout()
        body.addWidget(source)
        body.addLayout(form)
        self.ok_button = lay_out_form_dialog(
            self, body, self.message, self.try_perform, self._choice.label
        )

    def _derived_surcharge(self) -> QLabel:
        """The 加处罚款 the law fixes on the chosen date, with its days and formula: shown, never
        typed (行政处罚法第七十二条第一款第（一）项), recomputed when the date changes."""
        self.derived = QLabel("正在计算……")
        self.derived.setWordWrap(True)
        self.date.dateChanged.connect(lambda _date: self._show_surcharge())
        self._show_surcharge()
        return self.derived

    def _show_surcharge(self) -> None:
        database, case_id, on = self._context.database, self._case_id, self.date.date().toPython()
        actor = self._context.actor
        self._context.workers.run(
            lambda: surcharge_preview(database, actor, case_id, on),
            self.derived.setText,
            lambda error: self.derived.setText(failure_text(error)),
        )

    # --- one widget per field --------------------------------------------------------------

    def _field(self, name: str) -> QWidget:
        """The widget for field ``name``; its reader goes into ``_readers``."""
        builders: dict[str, Callable[[], tuple[QWidget, Reader]]] = {
            "note": _note,
            "served_method": lambda: _choices(SERVED_METHODS),
            "recipient": lambda: _line("签收人姓名"),
            "receiver": lambda: _line("如：福田区消防救援大队"),
            "amount": lambda: _number(MAX_AMOUNT, " 元"),
            "days": lambda: _number(MAX_DAYS, " 天"),
            "until": self._later_date,
            "hearing_date": self._later_date,
            "remedy_kind": _remedy_kinds,
            "remedy_result": self._remedy_results,
        }
        widget, reader = builders[name]()
        self._readers[name] = reader
        return widget

    def _later_date(self) -> tuple[QWidget, Reader]:
        edit = date_edit(self._today + dt.timedelta(days=DAYS_AHEAD))
        return edit, lambda: edit.date().toPython()

    def _remedy_results(self) -> tuple[QWidget, Reader]:
        """Results depend on the route: 复议 is 维持/撤销…, 诉讼 is 胜诉/败诉…."""
        box = QComboBox()
        kind = self.fields["remedy_kind"]
        assert isinstance(kind, QComboBox)

        def fill() -> None:
            box.clear()
            box.addItems(REMEDY_RESULTS[kind.currentData()])

        kind.currentIndexChanged.connect(lambda _index: fill())
        fill()
        return box, box.currentText

    # --- taking the step -----------------------------------------------------------------

    def step_input(self) -> StepInput:
        """The form's content as the core's step input."""
        values = {name: read() for name, read in self._readers.items()}
        return StepInput(on=self.date.date().toPython(), **values)

    def try_perform(self) -> None:
        """Take the step in the background; a refusal is shown here and the form kept."""
        context, case_id, code = self._context, self._case_id, self._choice.code
        step, today = self.step_input(), self._today
        self.ok_button.setEnabled(False)  # one click, one step
        self.message.clear()
        context.workers.run(
            lambda: perform(context.database, context.actor, case_id, code, step, today),
            lambda _none: self.accept(),
            self._refused,
        )

    def _back_from(self, editor: DocumentEditorDialog) -> None:
        """The editor closed: once what was typed there is stored, the step may be taken
        again, and the cursor is on its button, so Enter takes it."""
        self.ok_button.setEnabled(False)

        def ready() -> None:
            self.ok_button.setEnabled(True)
            self.activateWindow()
            self.ok_button.setFocus()

        editor.when_saved(ready)

    def _refused(self, error: Exception) -> None:
        self.message.setText(failure_text(error))
        self.ok_button.setEnabled(True)
        if isinstance(error, StepDocumentIncomplete):
            self._complete_document(error)

    def _complete_document(self, incomplete: StepDocumentIncomplete) -> None:
        """Open the editor on the draft the step will issue, its empty fields marked."""
        context, case_id, type_key = self._context, self._case_id, incomplete.type_key
        hint = (
            f"请填写标红的栏目：{'、'.join(incomplete.labels)}。"
            f"填好后关闭本窗口（Esc），再按“{self._choice.label}”（Enter）。"
        )

        def show(draft_id: str) -> None:
            editor = DocumentEditorDialog(context, draft_id, self)
            editor.mark_missing(incomplete.fields, hint)
            editor.finished.connect(lambda _result: self._back_from(editor))
            editor.open()
            self.editor = editor
            self.drafted.emit()

        context.workers.run(
            lambda: draft_for_step(context.database, context.actor, case_id, type_key),
            show,
            lambda error: self.message.setText(failure_text(error)),
        )


def _note() -> tuple[QWidget, Reader]:
    edit = QPlainTextEdit()
    edit.setPlaceholderText("审批意见、理由或情况说明")
    edit.setFixedHeight(90)
    return edit, edit.toPlainText


def _choices(options: tuple[str, ...]) -> tuple[QWidget, Reader]:
    box = QComboBox()
    box.addItems(options)
    return box, box.currentText


def _line(placeholder: str) -> tuple[QWidget, Reader]:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    return edit, edit.text


def _number(maximum: int, suffix: str) -> tuple[QWidget, Reader]:
    spin = QSpinBox()
    spin.setRange(0, maximum)
    spin.setSuffix(suffix)
    spin.setGroupSeparatorShown(True)
    return spin, spin.value


def _remedy_kinds() -> tuple[QWidget, Reader]:
    box = QComboBox()
    for kind, label in REMEDY_LABELS.items():
        box.addItem(label, kind)
    return box, box.currentData
