"""案件管理: the squad's cases, newest first, filtered by stage, handler, squad and deadline.

Each filter value carries its count with the other filters applied (调查取证（12）), so a
leader sees where the cases pile up before choosing. An inspector's own cases come first in the
simplest way: the 承办人 filter starts on them (张伟（5）), and 全部 in it lists the squad's
(where a squad leader starts).
The list keeps only ids and reads rows a page at a time; the case itself opens on the case
page (``open_case``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.inspection_rules import Inspector
from fuanjian_desktop.domain.procedure import Stage
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.services.cases.case_queries import (
    DUE_SOON,
    OVERDUE,
    CaseFilter,
    CaseRow,
    FilterCounts,
    case_rows,
    filter_counts,
    search_case_ids,
)
from fuanjian_desktop.services.inspections.inspections import available_inspectors, local_today
from ui.context import AppContext
from ui.errors import show_failure
from ui.models.case_table import COLUMNS, CaseTableModel
from ui.models.column_table import PAGE_SIZE
from ui.shortcuts import FIND, shown
from ui.widgets.squad_box import squad_box

ANY = "全部"
COLUMN_WIDTHS = {
    "案号": 190,
    "当事人": 200,
    "程序": 70,
    "阶段": 80,
    "承办人": 100,
    "受案日期": 95,
    "下一期限": 230,  # labels run long: 申请法院强制执行 2027-05-10
}
CAUSE_COLUMN = 2
DUE_CHOICES = ((DUE_SOON, "即将到期"), (OVERDUE, "已逾期"))


@dataclass(frozen=True)
class CaseList:
    """One background load: the ids in order, the first page of rows, counts, handlers."""

    ids: list[str]
    rows: list[CaseRow]
    counts: FilterCounts
    handlers: list[Inspector]


def load_case_list(
    context: AppContext, case_filter: CaseFilter, today: dt.date
) -> Callable[[], CaseList]:
    """The work of one refresh, for the workers (the first page is read with the ids)."""
    database, actor = context.database, context.actor

    def work() -> CaseList:
        ids = search_case_ids(database, actor, case_filter, today)
        return CaseList(
            ids,
            case_rows(database, actor, ids[:PAGE_SIZE], today),
            filter_counts(database, actor, case_filter, today),
            available_inspectors(database, actor, case_filter.squad_id),
        )

    return work


def with_count(label: str, count: int) -> str:
    """E.g. 调查取证（12）."""
    return f"{label}（{count}）"


class CaseListView(QTableView):
    """The table of the case list and the approvals inbox; Enter or double-click opens a case."""

    opened = Signal(str)

    def __init__(self, model: CaseTableModel) -> None:
        super().__init__()
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(28)
        for column, spec in enumerate(COLUMNS):
            self.setColumnWidth(column, COLUMN_WIDTHS.get(spec.header, 150))
        self.horizontalHeader().setSectionResizeMode(CAUSE_COLUMN, QHeaderView.ResizeMode.Stretch)
        # "activated" is Enter and the platform's double-click; doubleClicked too would open twice
        self.activated.connect(self._open_index)

    def case_model(self) -> CaseTableModel:
        """The model shown (typed)."""
        model = self.model()
        assert isinstance(model, CaseTableModel)
        return model

    def selected_id(self) -> str | None:
        """The case on the selected line, if any."""
        rows = self.selectionModel().selectedRows()
        return self.case_model().id_at(rows[0].row()) if rows else None

    def select_id(self, case_id: str | None) -> None:
        """Select the line of ``case_id`` again after a reload, if it is still listed."""
        position = self.case_model().row_of(case_id) if case_id else -1
        if position >= 0:
            self.selectRow(position)

    def _open_index(self, index: QModelIndex) -> None:
        self.opened.emit(self.case_model().id_at(index.row()))


class CasesPage(QWidget):
    """The case list; the main window connects ``open_case`` and ``new_case``."""

    title = "案件管理"
    open_case = Signal(str)
    new_case = Signal()

    def __init__(self, context: AppContext, today: Callable[[], dt.date] = local_today) -> None:
        super().__init__()
        self._context = context
        self._today = today
        self._serial = 0
        self._into_list = False  # Enter in 查找: the list gets the keyboard once it has loaded
        self.model = CaseTableModel(
            lambda ids: case_rows(context.database, context.actor, ids, today())
        )
        self._setup_ui()
        self.refresh()

    def _setup_ui(self) -> None:
        self.table = CaseListView(self.model)
        self.table.opened.connect(self.open_case)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(self._filters())
        layout.addLayout(self._actions())
        layout.addWidget(self.table, 1)

    def _search_box(self) -> QLineEdit:
        """查找: words of the 案号 or the party's name; the list follows as one types, Enter or
        Down goes into it."""
        search = QLineEdit(placeholderText=f"查找：案号或当事人（{shown(FIND)}）")
        search.setClearButtonEnabled(True)
        search.setMinimumWidth(220)
        self._typing = QTimer(self, singleShot=True, interval=250)
        self._typing.timeout.connect(self.refresh)
        search.textChanged.connect(lambda _text: self._typing.start())
        search.returnPressed.connect(self._search_now)
        find = QShortcut(QKeySequence(FIND), self, activated=self._find)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # on this page only
        down = QShortcut(QKeySequence(Qt.Key.Key_Down), search, activated=self._search_now)
        down.setContext(Qt.ShortcutContext.WidgetShortcut)
        return search

    def _find(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _search_now(self) -> None:
        """Enter (or Down) in 查找: the list, on its first case, takes the keyboard."""
        self._typing.stop()  # this search supersedes the one the typing had scheduled
        self._into_list = True
        self.refresh()

    def _filters(self) -> QHBoxLayout:
        self.search = self._search_box()
        self.stage = _choices([(stage.value, stage.label) for stage in Stage])
        actor = self._context.actor
        # a squad leader, who approves, oversees the squad's cases
        own = actor.can(Permission.HANDLE_CASES) and not actor.can(Permission.APPROVE_CASES)
        self.handler = _choices([(actor.user_id, actor.full_name)] if own else [])
        self.handler.setCurrentIndex(self.handler.count() - 1)  # oneself, if a handler
        self.handler.setToolTip("默认只列出我承办的案件；选“全部”列出全中队的案件")
        self.squad = squad_box(self._context)
        self.due = _choices(DUE_CHOICES)
        for box in (self.stage, self.handler, self.due):
            box.currentIndexChanged.connect(lambda _index: self.refresh())
        self.squad.currentIndexChanged.connect(self._squad_chosen)
        row = QHBoxLayout()
        row.addWidget(self.search)
        for caption, box in (
            ("阶段：", self.stage),
            ("承办人：", self.handler),
            ("中队：", self.squad),
            ("期限：", self.due),
        ):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            row.addWidget(QLabel(caption))
            row.addWidget(box)
        row.addStretch()
        return row

    def _actions(self) -> QHBoxLayout:
        self.new_button = QPushButton("新建案件(&N)…")
        self.new_button.clicked.connect(self.new_case)
        self.new_button.setEnabled(self._context.actor.can(Permission.HANDLE_CASES))
        self.open_button = QPushButton("打开案件(&O)")
        self.open_button.clicked.connect(self.open_selected)
        self.open_button.setEnabled(False)
        self.count_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.open_button)
        row.addStretch()
        row.addWidget(self.count_label)
        return row

    # --- loading -------------------------------------------------------------------------

    def case_filter(self) -> CaseFilter:
        """The filters as the core's query (a combo hands back a stage as its plain value)."""
        stage = self.stage.currentData()
        return CaseFilter(
            squad_id=self.squad.currentData(),
            stage=Stage(stage) if stage else None,
            handler_id=self.handler.currentData(),
            due=self.due.currentData(),
            text=self.search.text(),
        )

    def refresh(self) -> None:
        """Reload the list and its counts in the background; stale answers are dropped."""
        self._serial += 1
        serial = self._serial
        self.count_label.setText("正在查询…")
        self._context.workers.run(
            load_case_list(self._context, self.case_filter(), self._today()),
            lambda found: self._show(serial, found),
            lambda error: show_failure(self, error, "查询案件失败"),
        )

    def _squad_chosen(self) -> None:
        """Another squad has other handlers: the handler filter starts again from 全部."""
        self.handler.blockSignals(True)
        self.handler.setCurrentIndex(0)
        self.handler.blockSignals(False)
        self.refresh()

    def _show(self, serial: int, found: CaseList) -> None:
        if serial != self._serial:
            return
        selected = self.table.selected_id()
        self.model.set_ids(found.ids, found.rows)
        self._show_counts(found)
        self.count_label.setText(f"共 {len(found.ids):,} 件")
        self.table.select_id(selected)
        self._update_buttons()
        if self._into_list and found.ids:
            self._into_list = False
            self.table.setFocus()
            self.table.selectRow(0)

    def _show_counts(self, found: CaseList) -> None:
        counts = found.counts
        for position, stage in enumerate(Stage, start=1):
            self.stage.setItemText(position, with_count(stage.label, counts.by_stage.get(stage, 0)))
        for position, (due, label) in enumerate(DUE_CHOICES, start=1):
            due_count = counts.due_soon if due == DUE_SOON else counts.overdue
            self.due.setItemText(position, with_count(label, due_count))
        handlers = [
            (person.user_id, with_count(person.full_name, counts.by_handler.get(person.user_id, 0)))
            for person in found.handlers
        ]
        _replace_choices(self.handler, handlers)

    # --- actions -------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.table.selected_id() is not None)

    def open_selected(self) -> None:
        """Open the selected case on the case page."""
        case_id = self.table.selected_id()
        if case_id is not None:
            self.open_case.emit(case_id)


def _choices(choices: Sequence[tuple[object, str]]) -> QComboBox:
    """A filter combo: 全部 (data ``None``) and then ``choices`` as (data, text)."""
    box = QComboBox()
    box.addItem(ANY, None)
    for data, text in choices:
        box.addItem(text, data)
    return box


def _replace_choices(box: QComboBox, choices: Sequence[tuple[object, str]]) -> None:
    """Put new choices after 全部, keeping the chosen one (its signal stays quiet)."""
    chosen = box.currentData()
    box.blockSignals(True)
    while box.count() > 1:
        box.removeItem(1)
    for data, text in choices:
        box.addItem(text, data)
    box.setCurrentIndex(max(0, box.findData(chosen)))
    box.blockSignals(False)
