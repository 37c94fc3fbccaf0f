"""工作台: what needs doing today — unfinished inspections, case deadlines, hazards due or late.

It is the first page an inspector sees after signing in, so everything on it is a list of
things to act on, each opened with Enter or a double-click. The unfinished inspections list the
signed-in inspector's own first, so 继续检查 resumes theirs, not a colleague's. Venue names,
which share their 深圳市福田区… beginning, are elided in the middle so that their distinct
ends show; the full text is in the tooltip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.inspection_rules import InspectionStatus
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_queries import (
    DUE_SOON,
    OVERDUE,
    CaseFilter,
    CaseRow,
    case_rows,
    search_case_ids,
)
from fuanjian_desktop.services.inspections.hazards import HazardRow, workbench_hazards
from fuanjian_desktop.services.inspections.inspections import (
    InspectionRow,
    inspection_rows,
    local_today,
    own_first,
)
from ui.context import AppContext
from ui.dialogs.hazard_dialog import open_hazard_dialog
from ui.errors import show_failure
from ui.models.case_table import REMINDER_COLUMNS, CaseTableModel
from ui.models.hazard_table import COLUMNS as HAZARD_COLUMNS
from ui.models.hazard_table import HazardTableModel
from ui.models.inspection_table import STATUS_COLUMN, InspectionTableModel
from ui.shortcuts import NEW, keyed

WEEKDAYS = "一二三四五六日"
HAZARD_COLUMNS_SHOWN = ("场所", "隐患描述", "整改期限", "剩余天数")
VENUE_WIDTH = 170
OVERDUE_TITLE_STYLE = "QGroupBox { color: #b3261e; font-weight: bold; }"
Work = tuple[list[InspectionRow], tuple[list[HazardRow], list[HazardRow]]]
PARTY_COLUMN = 1


def case_reminders(database: Database, actor: Actor, today: dt.date) -> list[CaseRow]:
    """The actor's squad's cases whose next deadline has passed or falls within three days,
    soonest first: a missed 办案期限 is what a squad answers for."""
    squad_id = actor.squad_id
    ids = [
        case_id
        for due in (OVERDUE, DUE_SOON)
        for case_id in search_case_ids(database, actor, CaseFilter(squad_id, due=due), today)
    ]
    rows = case_rows(database, actor, ids, today)
    return sorted(rows, key=lambda row: row.next_due_on or today)


def date_text(day: dt.date) -> str:
    """E.g. 2026年11月26日 星期四."""
    return f"{day.year}年{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}"


class Section(QGroupBox):
    """A titled list with its count in the title and a 暂无… line when it is empty."""

    def __init__(
        self,
        title: str,
        empty_text: str,
        model: QAbstractTableModel,
        buttons: Sequence[QPushButton] = (),
    ) -> None:
        super().__init__()
        self._title = title
        self.table = _table(model)
        self.empty = QLabel(empty_text)
        self.empty.setStyleSheet("color: #666; padding: 12px;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        if buttons:
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
            row.addStretch()
            layout.addLayout(row)
        self.update_count()

    def update_count(self) -> None:
        """Show the model's row count in the title; an empty list becomes its 暂无… line."""
        count = self.table.model().rowCount()
        self.setTitle(f"{self._title}（{count}）")
        self.table.setVisible(count > 0)
        self.empty.setVisible(count == 0)

    def selected_row(self) -> int | None:
        """The selected line, if any."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None


def _table(model: QAbstractTableModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # 深圳市福田…加工场: the ends differ
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


class WorkbenchPage(QWidget):
    """The 工作台; the main window connects its ``open_…`` and ``new_inspection`` signals."""

    title = "工作台"
    open_inspection = Signal(str)
    new_inspection = Signal()
    open_case = Signal(str)

    def __init__(self, context: AppContext, today: Callable[[], dt.date] = local_today) -> None:
        super().__init__()
        self._context = context
        self._today = today
        self._serial = 0
        self.dialog: QDialog | None = None  # the open hazard dialog, kept alive while shown
        self.inspections = InspectionTableModel()
        self.due_soon = HazardTableModel()
        self.overdue = HazardTableModel()
        self.case_deadlines = CaseTableModel(
            lambda ids: case_rows(context.database, context.actor, ids, today()), REMINDER_COLUMNS
        )
        self._setup_ui()
        self.refresh()

    def _setup_ui(self) -> None:
        self.greeting = QLabel()
        self.greeting.setStyleSheet("font-size: 16px;")
        self.new_button = keyed(QPushButton("新建检查…"), NEW)
        self.new_button.setEnabled(self._context.actor.can(Permission.INSPECT))
        self.new_button.clicked.connect(self.new_inspection)
        top = QHBoxLayout()
        top.addWidget(self.greeting, 1)
        top.addWidget(self.new_button)

        self.continue_button = QPushButton("继续检查(&C)")
        self.continue_button.clicked.connect(self.continue_selected)
        self.unfinished = Section(
            "未完成的检查", "暂无未完成的检查。", self.inspections, [self.continue_button]
        )
        header = self.unfinished.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.unfinished.table.setColumnHidden(STATUS_COLUMN, True)  # all 检查中 here
        # "activated" is Enter and the platform's double-click; doubleClicked too would fire twice
        self.unfinished.table.activated.connect(self._continue_index)
        self.cases = self._case_section()
        self.soon = self._hazard_section("7日内到期待复查", "暂无7日内到期的隐患。", self.due_soon)
        self.late = self._hazard_section("已逾期", "暂无逾期隐患。", self.overdue)
        self.late.setStyleSheet(OVERDUE_TITLE_STYLE)

        work = QHBoxLayout()
        work.addWidget(self.unfinished, 3)
        work.addWidget(self.cases, 2)
        hazards = QHBoxLayout()
        hazards.addWidget(self.soon)
        hazards.addWidget(self.late)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(work, 2)
        layout.addLayout(hazards, 3)

    def _case_section(self) -> Section:
        section = Section("案件期限提醒", "暂无逾期或3日内到期的案件。", self.case_deadlines)
        header = section.table.horizontalHeader()
        header.setSectionResizeMode(PARTY_COLUMN, QHeaderView.ResizeMode.Stretch)
        section.table.activated.connect(
            lambda index: self.open_case.emit(self.case_deadlines.id_at(index.row()))
        )
        return section

    def _hazard_section(self, title: str, empty: str, model: HazardTableModel) -> Section:
        section = Section(title, empty, model)
        for column, spec in enumerate(HAZARD_COLUMNS):
            section.table.setColumnHidden(column, spec.header not in HAZARD_COLUMNS_SHOWN)
        headers = [spec.header for spec in HAZARD_COLUMNS]
        header = section.table.horizontalHeader()
        header.setSectionResizeMode(headers.index("隐患描述"), QHeaderView.ResizeMode.Stretch)
        venue = headers.index("场所")  # long names are cut, the description gets the room
        header.setSectionResizeMode(venue, QHeaderView.ResizeMode.Interactive)
        section.table.setColumnWidth(venue, VENUE_WIDTH)
        section.table.activated.connect(lambda index: self._open_hazard(model, index))
        return section

    # --- loading -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload all four lists in the background (stale answers are dropped)."""
        self._serial += 1
        serial, today = self._serial, self._today()
        actor = self._context.actor
        self.greeting.setText(
            f"您好，{actor.full_name}（{self._context.squad_name}）　今天是 {date_text(today)}"
        )
        database, squad_id = self._context.database, actor.squad_id
        self._context.workers.run(
            lambda: (
                inspection_rows(database, actor, squad_id, InspectionStatus.IN_PROGRESS),
                workbench_hazards(database, actor, squad_id, today),
            ),
            lambda work: self._show(serial, work),
            lambda error: show_failure(self, error, "工作台加载失败"),
        )
        self._context.workers.run(  # in parallel with the lists above
            lambda: case_reminders(database, actor, today),
            lambda rows: self._show_cases(serial, rows),
            lambda error: show_failure(self, error, "案件期限提醒加载失败"),
        )

    def _show(self, serial: int, work: Work) -> None:
        if serial != self._serial:
            return
        unfinished, (due_soon, overdue) = work
        self.inspections.set_rows(own_first(unfinished, self._context.actor.user_id))
        self.due_soon.set_rows(due_soon)
        self.overdue.set_rows(overdue)
        for section in (self.unfinished, self.soon, self.late):
            section.update_count()
        self.continue_button.setEnabled(bool(unfinished))

    def _show_cases(self, serial: int, rows: list[CaseRow]) -> None:
        if serial != self._serial:
            return
        self.case_deadlines.set_ids([row.id for row in rows], rows)
        self.cases.update_count()

    # --- actions -------------------------------------------------------------------------

    def continue_selected(self) -> None:
        """Resume the selected unfinished inspection (the first one, the inspector's own
        newest, if none is selected)."""
        if self.inspections.rowCount():
            self._continue_row(self.unfinished.selected_row() or 0)

    def _continue_index(self, index: QModelIndex) -> None:
        self._continue_row(index.row())

    def _continue_row(self, row: int) -> None:
        self.open_inspection.emit(self.inspections.inspection_id(row))

    def _open_hazard(self, model: HazardTableModel, index: QModelIndex) -> None:
        hazard = model.hazard(index.row())
        self.dialog = open_hazard_dialog(self, self._context, hazard.id, self._today, self.refresh)
