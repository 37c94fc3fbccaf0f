"""认定违法行为 and 裁量: the violations a case charges and, for each, the fine and its reasons.

For the violation selected on the left the form shows, read-only and with its derivation, the
stage (首次发现 or 逾期未改正), the party type and the legal range the case's records give
(``domain/penalties/penalty_basis.py``); the stage may be changed only where the records leave
room, with a reason that is stored. The officer ticks the circumstances established (grouped as
the law weighs them: 不予处罚, 从轻/减轻, 从重); the calculator
(``domain/penalties/discretion.py``) proposes the 裁量阶次, the band, a fine and the 裁量理由
as they change. Penalties the article makes mandatory at that stage are ticked and cannot be
unticked. The fine and the reason follow the proposal until the officer edits them, and an
amount the penalty article does not allow is flagged at once. All violations are saved
together, before 调查终结 only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.penalties.discretion import (
    Circumstance,
    CircumstanceKind,
    DiscretionFacts,
    DiscretionSuggestion,
    Tier,
    amount_defect,
    range_text,
    suggest,
    yuan_text,
)
from fuanjian_desktop.domain.penalties.penalty_basis import PenaltyBasis, PenaltyStage
from fuanjian_desktop.domain.penalties.violations import ViolationEntry, find_violation
from fuanjian_desktop.services.cases.cases import (
    ChargedViolations,
    ViolationChoice,
    charged_violations,
    provided_penalties,
    set_violations,
)
from ui.context import AppContext
from ui.errors import failure_text
from ui.widgets.form_parts import aligned_form, error_label, lay_out_form_dialog
from ui.widgets.tags import ORANGE
from ui.widgets.violation_picker import ViolationPicker, entry_text

KIND_TITLES = {
    CircumstanceKind.EXEMPTING: "不予处罚情形（行政处罚法第三十三条）",
    CircumstanceKind.MITIGATING: "从轻、减轻情节（行政处罚法第三十二条）",
    CircumstanceKind.AGGRAVATING: "从重情节",
}
GROUP_COLUMNS = (
    (CircumstanceKind.EXEMPTING, CircumstanceKind.MITIGATING),
    (CircumstanceKind.AGGRAVATING,),
)
MAX_FINE = 100_000_000  # yuan; amount_defect names the article's real maximum
LIST_WIDTH = 300
FINE_WIDTH = 200
# the ticks of a circumstance group close together and the groups' frames tight, so the
# dialog fits a 768-px screen
COMPACT_SPACING = 0
COMPACT_MARGINS = (9, 6, 9, 4)


@dataclass(frozen=True)
class Proposal:
    """What the fine and the reason were last set to by the calculator, so that an edit by
    the officer is recognised and kept."""

    fine: int
    reason: str


class DiscretionDialog(QDialog):
    """The case's violations with their 裁量; saved through ``set_violations``."""

    def __init__(
        self, context: AppContext, case_id: str, today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("认定违法行为与裁量")
        self.resize(1100, 690)  # with a title bar, within the 728 px above a laptop's taskbar
        self._context = context
        self._case_id = case_id
        self._today = today
        self._charged = ChargedViolations("unit", False, ())
        self.choices: list[ViolationChoice] = []  # one per list row, as edited so far
        self._proposal = Proposal(0, "")
        self._loading = False  # while an editor is being filled, its signals are not edits
        self.message = error_label()
        self._setup_ui()
        self._load()

    # --- layout --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        columns = QHBoxLayout()
        columns.addWidget(self._list_panel())
        columns.addWidget(self._scrolled(self._editor()), 1)
        self.save_button = lay_out_form_dialog(self, columns, self.message, self.save, "保存")
        self.save_button.setEnabled(False)  # until the violations are loaded

    def _list_panel(self) -> QWidget:
        self.violations = QListWidget()
        self.violations.setWordWrap(True)
        self.violations.currentRowChanged.connect(self._show_row)
        self.picker = ViolationPicker(self._context, self._today)
        self.picker.picked.connect(self.add_violation)
        self.remove_button = QPushButton("移除所选违法行为")
        self.remove_button.clicked.connect(self.remove_violation)
        panel = QWidget()
        panel.setFixedWidth(LIST_WIDTH)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("违法行为："))
        column.addWidget(self.violations, 1)
        column.addWidget(self.picker)
        column.addWidget(self.remove_button)
        self.penalties = QListWidget()
        self.penalties.setWordWrap(True)
        self.penalties.setMaximumHeight(120)
        column.addWidget(QLabel("其他处罚（拟作出的请勾选）："))
        column.addWidget(self.penalties)
        return panel

    def _refresh_penalties(self, checked: set[str]) -> None:
        """List what the charged articles provide besides fines, keeping what was ticked; those
        mandatory at the derived stage are ticked and locked."""
        self.penalties.clear()
        mandatory = {p for choice in self.choices for p in self._basis(choice).mandatory}
        for penalty in provided_penalties([self._basis(choice) for choice in self.choices]):
            item = QListWidgetItem(penalty)
            if penalty in mandatory:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
                item.setToolTip("依法应当作出（处罚条款在该阶段的规定），不能取消")
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = penalty in checked or penalty in mandatory
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.penalties.addItem(item)

    def checked_penalties(self) -> list[str]:
        """The other penalties ticked, in list order."""
        items = (self.penalties.item(row) for row in range(self.penalties.count()))
        return [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]

    def _editor(self) -> QWidget:
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.articles = QLabel()
        self.articles.setWordWrap(True)
        self.circumstances: dict[Circumstance, QCheckBox] = {}
        # one label per line of the derivation: a word-wrapped label of several paragraphs is
        # measured a line short by Qt and loses its last one
        self.basis = [QLabel() for _ in range(3)]  # stage, party type, range and penalties
        for label in self.basis:
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.other_stage = QCheckBox()
        self.basis_reason = QLineEdit()
        self.basis_reason.setPlaceholderText("改按另一阶段的理由（必填，记入案卷和审计日志）")
        self.basis_reason.textChanged.connect(lambda _text: self._edited())
        self.mitigate = QCheckBox("减轻处罚（低于法定最低额；须有第三十二条情节）")
        for box in (self.other_stage, self.mitigate):
            box.toggled.connect(lambda _on: self._recalculate())
        self.suggestion = QLabel()
        self.suggestion.setWordWrap(True)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(f"color: {ORANGE};")
        self.editor = QWidget()
        column = QVBoxLayout(self.editor)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.title)
        column.addWidget(self.articles)
        column.addWidget(self._basis_group())
        column.addLayout(self._circumstance_groups())
        column.addWidget(self.mitigate)
        column.addWidget(self.suggestion)
        column.addWidget(self.warnings)
        column.addLayout(self._decision_form(), 1)
        self.editor.setEnabled(False)
        return self.editor

    @staticmethod
    def _scrolled(editor: QWidget) -> QScrollArea:
        """The editor scrolls rather than squeezing a long derivation out of sight."""
        area = QScrollArea()
        area.setWidget(editor)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        return area

    def _basis_group(self) -> QGroupBox:
        """The derived stage, party type and range, with the other stage where allowed."""
        group = QGroupBox("处罚阶段、对象和法定幅度（依案件记录得出）")
        column = QVBoxLayout(group)
        column.setContentsMargins(*COMPACT_MARGINS)
        for widget in (*self.basis, self.other_stage, self.basis_reason):
            column.addWidget(widget)
        return group

    def _circumstance_groups(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for kinds in GROUP_COLUMNS:
            column = QVBoxLayout()
            for kind in kinds:
                column.addWidget(self._group(kind))
            column.addStretch()
            row.addLayout(column, 1)
        return row

    def _group(self, kind: CircumstanceKind) -> QGroupBox:
        group = QGroupBox(KIND_TITLES[kind])
        column = QVBoxLayout(group)
        column.setSpacing(COMPACT_SPACING)  # a list of ticks, closer than a form's rows
        column.setContentsMargins(*COMPACT_MARGINS)
        for circumstance in (c for c in Circumstance if c.kind is kind):
            box = QCheckBox(circumstance.label)
            box.setToolTip(f"依据：{circumstance.basis}")
            box.toggled.connect(lambda _on: self._recalculate())
            self.circumstances[circumstance] = box
            column.addWidget(box)
        return group

    def _decision_form(self) -> QVBoxLayout:
        self.fine = QSpinBox()
        self.fine.setRange(0, MAX_FINE)
        self.fine.setSuffix(" 元")
        self.fine.setGroupSeparatorShown(True)
        self.fine.setMaximumWidth(FINE_WIDTH)
        self.fine.valueChanged.connect(lambda _value: self._edited())
        self.fine_problem = error_label(hidden=True)
        self.reason = QPlainTextEdit()
        # as tall as its text asks, not Qt's 192-px default: the dialog then needs no scrolling
        self.reason.setSizeAdjustPolicy(QPlainTextEdit.SizeAdjustPolicy.AdjustToContents)
        self.reason.textChanged.connect(self._edited)
        form = aligned_form()
        form.addRow("罚款：", self.fine)
        form.addRow("", self.fine_problem)
        column = QVBoxLayout()
        column.addLayout(form)
        column.addWidget(QLabel("裁量理由（印入告知书和决定书，可修改）："))
        column.addWidget(self.reason, 1)
        return column

    # --- loading -------------------------------------------------------------------------

    def _load(self) -> None:
        database, case_id, actor = self._context.database, self._case_id, self._context.actor
        self._context.workers.run(
            lambda: charged_violations(database, actor, case_id),
            self._show_charged,
            lambda error: self.message.setText(failure_text(error)),
        )

    def _show_charged(self, charged: ChargedViolations) -> None:
        self._charged = charged
        for choice in charged.choices:
            self._append(choice)
        self._refresh_penalties(set(charged.other_penalties))
        self.violations.setCurrentRow(0)
        self.save_button.setEnabled(True)

    def _append(self, choice: ViolationChoice) -> None:
        self.choices.append(choice)
        self.violations.addItem(entry_text(find_violation(choice.code)))

    # --- the list ------------------------------------------------------------------------

    def add_violation(self, code: str) -> None:
        """Charge ``code`` too (or select it, if already charged), on its derived basis."""
        codes = [choice.code for choice in self.choices]
        if code not in codes:
            basis = self._charged.basis(code)
            choice = ViolationChoice(code, target=str(basis.party_type))
            self._append(replace(choice, overdue=basis.stage.overdue))
            self._refresh_penalties(set(self.checked_penalties()))
        self.violations.setCurrentRow(codes.index(code) if code in codes else len(codes))

    def remove_violation(self) -> None:
        """Stop charging the selected violation."""
        row = self.violations.currentRow()
        if row >= 0:
            del self.choices[row]
            self.violations.takeItem(row)
            self._refresh_penalties(set(self.checked_penalties()))

    def _show_row(self, row: int) -> None:
        """Fill the editor with the violation on ``row``, as edited so far."""
        self.editor.setEnabled(row >= 0)
        if row < 0:
            return
        choice = self.choices[row]
        entry = find_violation(choice.code)
        self._loading = True
        self.title.setText(entry_text(entry))
        self.articles.setText(f"违反：{entry.violated_article}\n处罚依据：{entry.penalty_article}")
        for circumstance, box in self.circumstances.items():
            box.setChecked(circumstance in choice.circumstances)
        self._show_stage_choice(choice)
        self.mitigate.setChecked(choice.tier is Tier.MITIGATED)
        suggestion = self._show_suggestion(entry)
        assessed = bool(choice.reason)  # a violation just added has no 裁量 yet
        self.fine.setValue(choice.fine if assessed else suggestion.suggested_fine)
        self.reason.setPlainText(choice.reason if assessed else suggestion.reason)
        self._proposal = Proposal(suggestion.suggested_fine, suggestion.reason)
        self._loading = False
        self._edited()

    # --- the penalty basis ---------------------------------------------------------------

    def _basis(self, choice: ViolationChoice) -> PenaltyBasis:
        """The derived basis of ``choice``, with the other stage where it was chosen with a
        reason and the records leave room for it."""
        derived = self._charged.basis(choice.code)
        if not choice.basis_reason or choice.overdue == derived.stage.overdue:
            return derived
        return self._charged.basis(choice.code, _other(derived.stage))

    def _show_stage_choice(self, choice: ViolationChoice) -> None:
        """Offer the other stage only where the records leave room (then a reason is needed)."""
        derived = self._charged.basis(choice.code)
        chosen = bool(choice.basis_reason) and choice.overdue != derived.stage.overdue
        self.other_stage.setText(f"改按{_other(derived.stage).label}裁量（须记录理由）")
        self.other_stage.setChecked(chosen)
        self.other_stage.setVisible(derived.stage_overridable)
        self.basis_reason.setText(choice.basis_reason if chosen else "")
        self.basis_reason.setVisible(derived.stage_overridable)

    def basis_text(self) -> str:
        """The derivation as shown, one line per label."""
        return "\n".join(label.text() for label in self.basis)

    def _current_basis(self) -> PenaltyBasis:
        """The basis of the violation on screen, as the stage box says."""
        code = self.choices[self.violations.currentRow()].code
        derived = self._charged.basis(code)
        if derived.stage_overridable and self.other_stage.isChecked():
            return self._charged.basis(code, _other(derived.stage))
        return derived

    # --- the calculator ------------------------------------------------------------------

    def facts(self) -> DiscretionFacts:
        """The boxes ticked and the derived basis, as the calculator's facts about the party."""
        ticked = frozenset(c for c, box in self.circumstances.items() if box.isChecked())
        basis = self._current_basis()
        return DiscretionFacts(
            party_kind=str(basis.party_type),
            circumstances=ticked,
            overdue=basis.stage.overdue,
            hazchem_business=self._charged.hazchem_business,
            mitigate=self.mitigate.isChecked(),
        )

    def _show_suggestion(self, entry: ViolationEntry) -> DiscretionSuggestion:
        lines = self._current_basis().derivation.split("\n")
        for label, line in zip(self.basis, lines, strict=True):
            label.setText(line)
            # a word-wrapped label is measured a line short unless told its height for the width
            label.setMinimumHeight(label.heightForWidth(label.width()))
        suggestion = suggest(entry, self.facts())
        self.suggestion.setText(
            f"裁量阶次：<b>{suggestion.tier.label}</b>　"
            f"罚款幅度：{_legal_text(entry, self.facts())}，本阶次 {range_text(suggestion.fine)}　"
            f"建议罚款：<b>{yuan_text(suggestion.suggested_fine)}</b>"
        )
        self.warnings.setText("\n".join(f"· {w}" for w in suggestion.warnings))
        self.warnings.setVisible(bool(suggestion.warnings))
        return suggestion

    def _recalculate(self) -> None:
        """A circumstance changed: propose again; untouched fine and reason follow."""
        row = self.violations.currentRow()
        if self._loading or row < 0:
            return
        suggestion = self._show_suggestion(find_violation(self.choices[row].code))
        self._loading = True
        if self.fine.value() == self._proposal.fine:
            self.fine.setValue(suggestion.suggested_fine)
        if self.reason.toPlainText() == self._proposal.reason:
            self.reason.setPlainText(suggestion.reason)
        self._proposal = Proposal(suggestion.suggested_fine, suggestion.reason)
        self._loading = False
        self._edited()

    def _edited(self) -> None:
        """Keep the row's choice in step with the editor, and check the amount."""
        row = self.violations.currentRow()
        if self._loading or row < 0:
            return
        facts, entry = self.facts(), find_violation(self.choices[row].code)
        chosen = not self.other_stage.isHidden() and self.other_stage.isChecked()
        choice = replace(
            self.choices[row],
            tier=suggest(entry, facts).tier,
            fine=self.fine.value(),
            reason=self.reason.toPlainText().strip(),
            circumstances=tuple(c for c in Circumstance if c in facts.circumstances),
            target=facts.party_kind,
            overdue=facts.overdue,
            basis_reason=self.basis_reason.text().strip() if chosen else "",
        )
        self.choices[row] = choice
        self._refresh_penalties(set(self.checked_penalties()))
        problem = amount_defect(entry, choice.fine, choice.tier, facts.party_kind, facts.overdue)
        self.fine_problem.setText(problem or "")
        self.fine_problem.setVisible(bool(problem))

    # --- saving --------------------------------------------------------------------------

    def save(self) -> None:
        """Save every violation with its 裁量 in the background; a refusal is shown here."""
        context, case_id, choices = self._context, self._case_id, list(self.choices)
        penalties = self.checked_penalties()
        self.save_button.setEnabled(False)
        self.message.clear()
        context.workers.run(
            lambda: set_violations(context.database, context.actor, case_id, choices, penalties),
            lambda _none: self.accept(),
            self._refused,
        )

    def _refused(self, error: Exception) -> None:
        self.message.setText(failure_text(error))
        self.save_button.setEnabled(True)


def _other(stage: PenaltyStage) -> PenaltyStage:
    """The stage a person may choose instead of ``stage``."""
    return PenaltyStage.FIRST if stage.overdue else PenaltyStage.OVERDUE


def _legal_text(entry: ViolationEntry, facts: DiscretionFacts) -> str:
    """The legal range for this party and stage, or that the clause sets no fine there."""
    legal = entry.fine_range(facts.party_kind, facts.overdue)
    return f"法定 {range_text(legal)}" if legal else "该阶段未规定罚款"
