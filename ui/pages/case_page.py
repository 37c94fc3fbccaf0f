"""The case page: one case — its facts, what the procedure guard finds, the next steps, and its
timeline, deadlines, violations, documents, transcripts (笔录), evidence and remedies.

The page offers every step the procedure allows at this stage, one button each; a step this
user may not take now stays visible, disabled, with the reason as its tooltip, so nobody has
to guess why 批准立案 is grey. Everything loads on the workers and is read again after each
step, so what the page shows is what the database holds.

From the keyboard: a case opens with the cursor on its first step that can be taken, and
returns there after each step's dialog; Alt+1…9 take the steps this user can take, in the order
shown; Ctrl+PgDown / Ctrl+PgUp go through the tabs and Ctrl+D to 文书, each putting the cursor
in the tab's list, where Enter opens a row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.procedure import Stage, find_action
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.services.cases.case_queries import ActionChoice, CaseView, case_view
from fuanjian_desktop.services.cases.cases import VIOLATION_STAGES
from fuanjian_desktop.services.inspections.inspections import local_today
from ui.context import AppContext
from ui.dialogs.case_step_dialog import CaseStepDialog
from ui.dialogs.discretion_dialog import DiscretionDialog
from ui.dialogs.open_case_dialog import OpenCaseDialog
from ui.documents.document_list import DocumentList, DocumentOwner
from ui.documents.type_picker import document_kinds
from ui.dossier.case_photo_dialog import CasePhotoDialog
from ui.dossier.media_dialog import MediaDialog
from ui.errors import show_failure
from ui.models.case_detail_tables import TIMELINE, VIOLATIONS, DeadlineTableModel
from ui.models.column_table import RowListModel
from ui.shortcuts import CASE_STEPS, DOCUMENTS, NEXT_TAB, PREVIOUS_TAB, keyed, shown
from ui.transcripts.transcript_list import TranscriptList
from ui.widgets.case_header import CaseHeader, GuardPanel

PLACEHOLDER = "没有打开的案件。\n\n请从案件列表中选择一个案件，或立案。"
BUTTONS_PER_ROW = 6
STEP_CAPTION_WIDTH = 40
STEP_ROWS = (("办理：", False), ("审批：", True))  # caption, whether the row holds approvals
# column widths; the last column of each table takes the rest
TIMELINE_WIDTHS = (100, 170, 80, 200)
DEADLINE_WIDTHS = (170, 120, 100, 170)
VIOLATION_WIDTHS = (220, 170, 170, 70, 90)
NOT_EDITABLE = "违法行为和裁量只能在调查终结前修改；如需修改，请先退回补充调查。"
NOT_HANDLER = "只有执法人员可以认定违法行为。"
NO_EVIDENCE = "未关联证据。"
NO_REMEDIES = "未登记行政复议或行政诉讼。"
TAB_TITLES = ("时间线", "期限", "违法行为与裁量", "文书", "笔录", "证据", "救济")
NO_DOSSIER_YET = "结案后才有案卷（在“案卷”页编排、自查、打印和归档）。"
DOSSIER_STAGES = (Stage.CLOSED, Stage.ARCHIVED)
DOCUMENT_TAB = TAB_TITLES.index("文书")  # counted by its own list, which loads separately
TRANSCRIPT_TAB = TAB_TITLES.index("笔录")  # likewise


class CasePage(QWidget):
    """One case and its next steps; ``changed`` tells lists elsewhere to reload."""

    title = "案件"
    changed = Signal()
    open_dossier = Signal(str)  # the case's volume on the 案卷 page

    def __init__(self, context: AppContext, today: Callable[[], dt.date] = local_today) -> None:
        super().__init__()
        self._context = context
        self._today = today
        self._serial = 0
        self.case_id: str | None = None
        self.dialog: QDialog | None = None  # the open dialog, kept alive while it is shown
        self.step_buttons: dict[str, QPushButton] = {}
        self._opening = False  # a newly opened case: the cursor goes to its first step
        self._setup_ui()
        self._setup_keys()

    # --- layout --------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.stack = QStackedWidget()
        self.stack.addWidget(self._placeholder())
        self.stack.addWidget(self._case_panel())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack)

    def _setup_keys(self) -> None:
        """The tab keys, working wherever the cursor is on the page."""
        keys = (
            (NEXT_TAB, lambda: self.show_tab(self.tabs.currentIndex() + 1)),
            (PREVIOUS_TAB, lambda: self.show_tab(self.tabs.currentIndex() - 1)),
            (DOCUMENTS, lambda: self.show_tab(DOCUMENT_TAB)),
        )
        for sequence, slot in keys:
            shortcut = QShortcut(QKeySequence(sequence), self, activated=slot)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def show_tab(self, index: int) -> None:
        """Show tab ``index`` (wrapping round) with the cursor in its list."""
        index %= self.tabs.count()
        self.tabs.setCurrentIndex(index)
        tab = self.tabs.widget(index)
        views = [tab] if isinstance(tab, QAbstractItemView) else []
        views += tab.findChildren(QAbstractItemView)
        (views[0] if views else tab).setFocus()

    def _placeholder(self) -> QWidget:
        label = QLabel(PLACEHOLDER)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: #5b6675; font-size: 12pt;")
        self.new_button = QPushButton("立案…")
        self.new_button.setEnabled(self._context.actor.can(Permission.HANDLE_CASES))
        self.new_button.clicked.connect(self.new_case)
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.addStretch()
        column.addWidget(label)
        column.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignCenter)
        column.addStretch()
        return panel

    def _case_panel(self) -> QWidget:
        self.header = CaseHeader()
        self.guard = GuardPanel()
        self.steps = QWidget()  # replaced by the buttons of each view
        self.tabs = QTabWidget()
        tabs = (
            self._timeline_tab(),
            self._deadline_tab(),
            self._violation_tab(),
            self._document_tab(),
            self._transcript_tab(),
            self._evidence_tab(),
            self._remedy_tab(),
        )
        for tab, title in zip(tabs, TAB_TITLES, strict=True):
            index = self.tabs.addTab(tab, title)
            self.tabs.setTabToolTip(index, f"切换标签：{shown(NEXT_TAB)} / {shown(PREVIOUS_TAB)}")
        self.tabs.setTabToolTip(DOCUMENT_TAB, f"文书（{shown(DOCUMENTS)}）")
        panel = QWidget()
        self._column = QVBoxLayout(panel)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.addWidget(self.header)
        self._column.addWidget(self.guard)
        self._column.addWidget(self.steps)
        self._column.addWidget(self.tabs, 1)
        return panel

    def _timeline_tab(self) -> QTableView:
        self.timeline = RowListModel(TIMELINE)
        return _table(self.timeline, TIMELINE_WIDTHS)

    def _deadline_tab(self) -> QTableView:
        self.deadlines = DeadlineTableModel()
        return _table(self.deadlines, DEADLINE_WIDTHS)

    def _violation_tab(self) -> QWidget:
        self.violations = RowListModel(VIOLATIONS)
        self.discretion_button = QPushButton("认定违法行为…")
        self.discretion_button.clicked.connect(self.edit_violations)
        buttons = QHBoxLayout()
        buttons.addWidget(self.discretion_button)
        buttons.addStretch()
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addLayout(buttons)
        column.addWidget(_table(self.violations, VIOLATION_WIDTHS), 1)
        return tab

    def _document_tab(self) -> DocumentList:
        can_create = self._context.actor.can(Permission.KEEP_CASE_RECORDS)
        self.document_list = DocumentList(self._context, document_kinds(), can_create, self._today)
        self.document_list.loaded.connect(lambda count: self._count_loaded(DOCUMENT_TAB, count))
        self.document_list.changed.connect(self._after_change)  # a served date starts deadlines
        self.documents = self.document_list.model
        return self.document_list

    def _transcript_tab(self) -> TranscriptList:
        can_create = self._context.actor.can(Permission.KEEP_CASE_RECORDS)
        self.transcript_list = TranscriptList(self._context, can_create)
        self.transcript_list.loaded.connect(lambda count: self._count_loaded(TRANSCRIPT_TAB, count))
        self.transcript_list.changed.connect(self._after_change)  # 定稿 adds evidence
        return self.transcript_list

    def _evidence_tab(self) -> QWidget:
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.evidence = QListWidget()
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addWidget(QLabel("<b>违法事实</b>"))
        column.addWidget(self.facts)
        column.addWidget(QLabel("<b>证据</b>"))
        column.addWidget(self.evidence, 1)
        column.addLayout(self._evidence_buttons())
        return tab

    def _evidence_buttons(self) -> QHBoxLayout:
        """照片证据 and 音像资料 of the case (内勤, 执法人员, 负责人), and its 案卷 once closed."""
        self.photo_button = QPushButton("照片证据(&Z)…")
        self.photo_button.clicked.connect(lambda: self._open_evidence(CasePhotoDialog))
        self.media_button = QPushButton("导入音像资料(&Y)…")
        self.media_button.clicked.connect(lambda: self._open_evidence(MediaDialog))
        self.dossier_button = QPushButton("案卷(&J)…")
        self.dossier_button.clicked.connect(self._show_dossier)
        row = QHBoxLayout()
        for button in (self.photo_button, self.media_button, self.dossier_button):
            button.setEnabled(self._context.actor.can(Permission.KEEP_CASE_RECORDS))
            row.addWidget(button)
        row.addStretch()
        return row

    def _remedy_tab(self) -> QListWidget:
        self.remedies = QListWidget()
        return self.remedies

    # --- loading -------------------------------------------------------------------------

    def show_case(self, case_id: str) -> None:
        """Open ``case_id`` on the page; once shown, the cursor is on its first step."""
        self.case_id = case_id
        self._opening = True
        self.refresh()

    def refresh(self) -> None:
        """Read the shown case again in the background; a stale answer is dropped."""
        if self.case_id is None:
            return
        self._serial += 1
        serial, case_id, today = self._serial, self.case_id, self._today()
        database, actor = self._context.database, self._context.actor
        self.document_list.show_owner(DocumentOwner(case_id=case_id))
        self.transcript_list.show_case(case_id)
        self._context.workers.run(
            lambda: case_view(database, actor, case_id, today),
            lambda view: self._show(serial, view),
            lambda error: show_failure(self, error, "案件未能读取"),
        )

    def _show(self, serial: int, view: CaseView) -> None:
        if serial != self._serial:
            return
        self.header.show_view(view)
        self.guard.show_defects(view.defects)
        self._show_steps(view.actions)
        self._show_tabs(view)
        self._update_discretion_button(view)
        self._update_dossier_button(view)
        self.stack.setCurrentIndex(1)
        if self._opening:
            self._opening = False
            self._focus_first_step()

    def _focus_first_step(self) -> None:
        """The cursor on the first step that can be taken, else in the current tab's list."""
        enabled = [button for button in self.step_buttons.values() if button.isEnabled()]
        if enabled:
            enabled[0].setFocus()
        else:
            self.show_tab(self.tabs.currentIndex())

    def _show_steps(self, choices: Sequence[ActionChoice]) -> None:
        """One button per step, approvals on rows of their own; rebuilt for every view."""
        self.step_buttons = {}
        steps = QWidget()
        rows = QVBoxLayout(steps)
        rows.setContentsMargins(0, 0, 0, 0)
        for caption, approvals in STEP_ROWS:
            chosen = [choice for choice in choices if choice.is_approval is approvals]
            for start in range(0, len(chosen), BUTTONS_PER_ROW):
                label = caption if start == 0 else ""
                rows.addLayout(self._step_row(label, chosen[start : start + BUTTONS_PER_ROW]))
        self._column.replaceWidget(self.steps, steps)
        self.steps.deleteLater()
        self.steps = steps

    def _step_row(self, caption: str, choices: list[ActionChoice]) -> QHBoxLayout:
        """A caption (办理/审批, blank on a continued row) and up to a row's worth of buttons."""
        row = QHBoxLayout()
        label = QLabel(caption)
        label.setFixedWidth(STEP_CAPTION_WIDTH)
        row.addWidget(label)
        for choice in choices:
            button = self._step_button(choice)
            keyed_so_far = sum(1 for shown in self.step_buttons.values() if shown.isEnabled())
            if button.isEnabled() and keyed_so_far < len(CASE_STEPS):
                keyed(button, CASE_STEPS[keyed_so_far])
            self.step_buttons[choice.code] = button
            row.addWidget(button)
        row.addStretch()
        return row

    def _step_button(self, choice: ActionChoice) -> QPushButton:
        """Disabled with the reason as tooltip, or enabled with the step's legal basis."""
        button = QPushButton(f"{choice.label}…")
        button.setEnabled(choice.enabled)
        where = "（在“案卷”页办理：先看自查和案卷）" if choice.in_dossier else ""
        basis = f"法律依据：{find_action(choice.code).source}{where}"
        button.setToolTip(choice.reason or basis)
        button.clicked.connect(lambda: self.take_step(choice))
        return button

    def _show_tabs(self, view: CaseView) -> None:
        """Fill every tab; each title counts its rows, so an empty tab need not be opened."""
        self.timeline.set_rows(view.timeline)
        self.deadlines.set_rows(view.deadlines)
        self.violations.set_rows(view.violations)
        self.facts.setText(view.facts or "（未填写）")
        _fill_list(self.evidence, view.evidence, NO_EVIDENCE)
        _fill_list(self.remedies, view.remedies, NO_REMEDIES)
        contents = (
            view.timeline,
            view.deadlines,
            view.violations,
            None,
            None,
            view.evidence,
            view.remedies,
        )
        for tab, (title, rows) in enumerate(zip(TAB_TITLES, contents, strict=True)):
            if rows is not None:
                self.tabs.setTabText(tab, f"{title}（{len(rows)}）")

    def _count_loaded(self, tab: int, count: int) -> None:
        """A tab whose list loads on its own gets its count when it has loaded."""
        self.tabs.setTabText(tab, f"{TAB_TITLES[tab]}（{count}）")

    def _update_discretion_button(self, view: CaseView) -> None:
        """认定违法行为 while the violations may change, by an officer; else why not."""
        if not self._context.actor.can(Permission.HANDLE_CASES):
            reason: str | None = NOT_HANDLER
        else:
            reason = None if view.stage in VIOLATION_STAGES else NOT_EDITABLE
        self.discretion_button.setEnabled(reason is None)
        self.discretion_button.setToolTip(reason or "认定违法行为，选择裁量情节和罚款金额")

    def _update_dossier_button(self, view: CaseView) -> None:
        """案卷 once the case is closed (or archived), for those who keep the case files."""
        allowed = self._context.actor.can(Permission.KEEP_CASE_RECORDS)
        self.dossier_button.setEnabled(allowed and view.stage in DOSSIER_STAGES)
        self.dossier_button.setToolTip("" if view.stage in DOSSIER_STAGES else NO_DOSSIER_YET)

    # --- actions -------------------------------------------------------------------------

    def _open_evidence(self, kind: type[CasePhotoDialog] | type[MediaDialog]) -> None:
        """A dialog adding evidence to the case; the page reloads after each stored change."""
        if self.case_id is None:
            return
        dialog = kind(self._context, self.case_id, self)
        dialog.changed.connect(self._after_change)
        self._open(dialog)

    def _show_dossier(self) -> None:
        if self.case_id is not None:
            self.open_dossier.emit(self.case_id)

    def take_step(self, choice: ActionChoice) -> None:
        """Open the step's dialog; the page reloads once the core has taken it. 归档 and
        重新打开案卷 are taken with the volume in view: the button opens the 案卷 page."""
        if self.case_id is None:
            return
        if choice.in_dossier:
            self.open_dossier.emit(self.case_id)
            return
        dialog = CaseStepDialog(self._context, self.case_id, choice, self._today(), self)
        dialog.drafted.connect(self.refresh)  # the draft to complete shows among the documents
        self._open(dialog)

    def edit_violations(self) -> None:
        """Open 认定违法行为与裁量 for the shown case."""
        if self.case_id is None:
            return
        self._open(DiscretionDialog(self._context, self.case_id, self._today(), self))

    def new_case(self) -> None:
        """Open the 立案 form for a case not started from a hazard; then show the new case."""
        dialog = OpenCaseDialog(self._context, self, today=self._today)
        dialog.accepted.connect(lambda: self._opened(dialog.case_id))
        dialog.open()
        self.dialog = dialog

    def _open(self, dialog: QDialog) -> None:
        dialog.finished.connect(self._back_from_dialog)
        dialog.accepted.connect(self._after_change)
        dialog.open()
        self.dialog = dialog

    def _back_from_dialog(self, result: int) -> None:
        """The keys come back to the page: on the first step of the case as it now stands
        (once read again, after a step was taken), or of the unchanged case."""
        self.window().activateWindow()
        if result == QDialog.DialogCode.Accepted:
            self._opening = True  # the reload after the change places the cursor
        else:
            self._focus_first_step()

    def _opened(self, case_id: str | None) -> None:
        """A new case: show it, and let the lists know there is one more."""
        if case_id is not None:
            self.show_case(case_id)
            self.changed.emit()

    def _after_change(self) -> None:
        """A step or an edit moved the case: read it again, and tell the lists."""
        self.refresh()
        self.changed.emit()


def _table(model: QAbstractItemModel, widths: Sequence[int]) -> QTableView:
    """A read-only table; the columns after ``widths`` stretch, and long texts wrap."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill_list(widget: QListWidget, lines: list[str], empty: str) -> None:
    """The lines, or one line saying there are none (an empty box looks like a fault)."""
    widget.clear()
    widget.addItems(lines or [empty])
