"""立案: open a case — procedure, source, party, 案由, facts, handlers and the violations charged.

Opened from a hazard that was not rectified, the form starts from the core's draft (the venue
as party, the hazard's violation, the facts and the evidence it links), and the user adjusts
it. The core validates (a party, a 案由, two certified handlers, a valid ID number for a
person) and names the field of each problem, shown beside that field. The squad's inspectors,
the catalogue and the draft load on the workers, and the case is opened there too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.inspection_rules import Inspector
from fuanjian_desktop.domain.penalties.violations import find_violation
from fuanjian_desktop.domain.procedure import Procedure
from fuanjian_desktop.services.cases.cases import (
    CaseInvalid,
    CaseSource,
    HazardPrefill,
    NewCase,
    Party,
    ViolationChoice,
    open_case,
    prefill_from_hazard,
)
from fuanjian_desktop.services.inspections import inspections
from fuanjian_desktop.services.inspections.inspections import local_today
from ui.context import AppContext
from ui.errors import failure_text
from ui.widgets.field_errors import FieldErrors
from ui.widgets.form_parts import aligned_form, lay_out_form_dialog
from ui.widgets.inspector_list import InspectorList
from ui.widgets.venue_picker import VenuePicker
from ui.widgets.violation_picker import ViolationPicker, entry_text

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
PERSON_FIELDS = (
    ("party_name", "姓名：", "当事人姓名（必填）"),
    ("party_id_no", "身份证号：", "18位居民身份证号码（必填）"),
    ("party_phone", "电话：", "手机或 0755-xxxxxxxx"),
    ("party_address", "住址：", "居住地址"),
)
Loaded = tuple[list[Inspector], HazardPrefill | None]


class OpenCaseDialog(QDialog):
    """Collects a ``NewCase``; after ``accept`` the new case's id is in ``case_id``."""

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        hazard_id: str | None = None,
        today: Callable[[], dt.date] = local_today,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("立案")
        self.setMinimumWidth(980)
        self._context = context
        self._today = today
        self._prefill: HazardPrefill | None = None
        self.case_id: str | None = None
        self.errors = FieldErrors()
        self._setup_ui()
        self._load(hazard_id)

    @classmethod
    def from_hazard(
        cls,
        context: AppContext,
        hazard_id: str,
        parent: QWidget | None = None,
        today: Callable[[], dt.date] = local_today,
    ) -> OpenCaseDialog:
        """The form filled in from an unrectified hazard (party, violation, facts, evidence)."""
        return cls(context, parent, hazard_id, today)

    # --- layout --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        columns = QHBoxLayout()
        for form in (self._case_form(), self._people_form()):
            column = QVBoxLayout()
            column.addLayout(form)
            column.addStretch()  # rows keep their height; the shorter column ends early
            columns.addLayout(column, 1)
        self.save_button = lay_out_form_dialog(
            self, columns, self.errors.general, self.try_open, "立案"
        )
        self.save_button.setEnabled(False)  # until the inspectors are listed

    def _case_form(self) -> QFormLayout:
        form = aligned_form()
        self.procedure = QComboBox()
        for procedure in Procedure:
            self.procedure.addItem(procedure.label, procedure.value)
        form.addRow("程序：", self.procedure)
        self.source = QComboBox()
        for source in CaseSource:
            self.source.addItem(source.label, source.value)
        self.errors.add_row(form, "案件来源：", "source", self.source)
        form.addRow("当事人：", self._party_kind())
        form.addRow("", self._party_pages())
        self.cause = QLineEdit()
        self.cause.setPlaceholderText("如：未按规定对从业人员进行安全生产教育和培训")
        self.errors.add_row(form, "案由：", "cause", self.cause)
        self.facts = QPlainTextEdit()
        self.facts.setPlaceholderText("时间、地点、经过，以及违法行为的事实")
        self.facts.setFixedHeight(110)
        form.addRow("违法事实：", self.facts)
        return form

    def _party_kind(self) -> QWidget:
        """Two radio buttons (exclusive, as siblings) switching the party's pages."""
        self.unit_choice = QRadioButton("单位（企业台账）")
        self.person_choice = QRadioButton("个人")
        self.unit_choice.setChecked(True)
        self.person_choice.toggled.connect(lambda on: self.party_pages.setCurrentIndex(int(on)))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.unit_choice)
        layout.addWidget(self.person_choice)
        layout.addStretch()
        return row

    def _party_pages(self) -> QStackedWidget:
        self.venue = VenuePicker(self._context)
        self.venue.chosen.connect(self._venue_chosen)
        self.venue_label = QLabel("未选择")
        unit = QWidget()
        column = QVBoxLayout(unit)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.venue)
        column.addWidget(self.venue_label)
        column.addWidget(self.errors.label_for("party"))
        self.person: dict[str, QLineEdit] = {}
        person = QWidget()
        form = aligned_form()
        form.setContentsMargins(0, 0, 0, 0)
        for name, label, placeholder in PERSON_FIELDS:
            self.person[name] = QLineEdit()
            self.person[name].setPlaceholderText(placeholder)
            self.errors.add_row(form, label, name, self.person[name])
        person.setLayout(form)
        self.party_pages = QStackedWidget()
        self.party_pages.addWidget(unit)
        self.party_pages.addWidget(person)
        return self.party_pages

    def _people_form(self) -> QFormLayout:
        form = aligned_form()
        self.handlers = InspectorList()
        self.handlers.setFixedHeight(110)
        self.errors.add_row(form, "承办人：", "handlers", self.handlers)
        self.violation_picker = ViolationPicker(self._context, self._today())
        self.violation_picker.picked.connect(self.add_violation)
        self.violations = QListWidget()
        self.violations.setFixedHeight(110)
        self.violations.setWordWrap(True)
        self.violations.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.remove_button = QPushButton("移除所选")
        self.remove_button.clicked.connect(self.remove_violation)
        violations = QWidget()
        column = QVBoxLayout(violations)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.violation_picker)
        column.addWidget(self.violations)
        column.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)
        form.addRow("违法行为：", violations)
        self.evidence = QLabel()
        self.evidence.setWordWrap(True)
        self.evidence_caption = QLabel("证据：")
        form.addRow(self.evidence_caption, self.evidence)
        self._show_evidence([])
        return form

    # --- loading -------------------------------------------------------------------------

    def _load(self, hazard_id: str | None) -> None:
        """The squad's inspectors, and the hazard's draft when opened from one."""
        database, actor = self._context.database, self._context.actor

        def work() -> Loaded:
            prefill = prefill_from_hazard(database, actor, hazard_id) if hazard_id else None
            return inspections.available_inspectors(database, actor, actor.squad_id), prefill

        self._context.workers.run(work, self._show_loaded, self._not_loaded)

    def _show_loaded(self, loaded: Loaded) -> None:
        people, prefill = loaded
        self.handlers.set_people(people, self._context.actor.user_id)
        if prefill is not None:
            self._fill_from(prefill)
        self.save_button.setEnabled(True)

    def _not_loaded(self, error: Exception) -> None:
        """E.g. the hazard was rectified meanwhile: say why, and leave 立案 disabled."""
        self.errors.show_message(failure_text(error))

    def _fill_from(self, prefill: HazardPrefill) -> None:
        self._prefill = prefill
        draft = prefill.draft
        self.source.setCurrentIndex(self.source.findData(draft.source))
        if draft.party.enterprise_id:
            self.venue.choose(draft.party.enterprise_id, prefill.party_label)
        self.cause.setText(draft.cause)
        self.facts.setPlainText(draft.facts)
        for choice in draft.violations:
            self.add_violation(choice.code)
        self._show_evidence(prefill.evidence)

    def _show_evidence(self, lines: list[str]) -> None:
        self.evidence.setText("\n".join(f"· {line}" for line in lines))
        self.evidence.setVisible(bool(lines))
        self.evidence_caption.setVisible(bool(lines))

    def _venue_chosen(self, enterprise_id: str) -> None:
        name = self.venue.selected_name() if enterprise_id else ""
        self.venue_label.setText(f"已选：{name}" if name else "未选择")

    # --- violations ----------------------------------------------------------------------

    def add_violation(self, code: str) -> None:
        """Charge the violation ``code`` (once)."""
        if code in self.violation_codes():
            return
        entry = QListWidgetItem(entry_text(find_violation(code)))
        entry.setData(CODE_ROLE, code)
        self.violations.addItem(entry)

    def remove_violation(self) -> None:
        """Drop the selected violation from the list."""
        row = self.violations.currentRow()
        if row >= 0:
            self.violations.takeItem(row)

    def violation_codes(self) -> list[str]:
        """The codes charged, in list order."""
        return [self.violations.item(row).data(CODE_ROLE) for row in range(self.violations.count())]

    # --- opening -------------------------------------------------------------------------

    def party(self) -> Party:
        """The party as chosen: the venue, or the person typed in."""
        if self.unit_choice.isChecked():
            return Party("enterprise", self.venue.selected_id())
        values = {name.removeprefix("party_"): e.text() for name, e in self.person.items()}
        return Party("person", **values)

    def draft(self) -> NewCase:
        """The form's content as the core's draft (keeping the hazard's links, if any)."""
        party = self.party()
        fields = {
            "procedure": Procedure(self.procedure.currentData()),
            "source": self.source.currentData(),
            "party": party,
            "cause": self.cause.text(),
            "facts": self.facts.toPlainText(),
            "handler_ids": self.handlers.checked_ids(),
            # stage and party type are derived from the records when the case is opened
            "violations": tuple(ViolationChoice(c) for c in self.violation_codes()),
        }
        if self._prefill is not None:
            return replace(self._prefill.draft, **fields)
        return NewCase(**fields)

    def try_open(self) -> None:
        """Open the case in the background; problems are shown beside their fields."""
        context, draft = self._context, self.draft()
        self.save_button.setEnabled(False)  # one click, one case number
        self.errors.clear()
        context.workers.run(
            lambda: open_case(context.database, context.actor, draft),
            self._opened,
            self._refused,
        )

    def _opened(self, case_id: str) -> None:
        self.case_id = case_id
        self.accept()

    def _refused(self, error: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, CaseInvalid):
            self.errors.show(error.issues)
        else:
            self.errors.show_message(failure_text(error))
