"""隐患台账: every hazard of the squad, filtered by state, venue and due date, soonest due first.

Overdue hazards are the ones a squad answers for, so they are red wherever they appear and
counted beside the list; 复查 and 移交立案 are offered for the selected line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.services.inspections.hazards import (
    HazardFilter,
    HazardQuery,
    HazardRow,
    hazard_rows,
)
from fuanjian_desktop.services.inspections.inspections import local_today
from ui.context import AppContext
from ui.dialogs.hazard_actions import (
    confirm_transfer,
    may_open_case,
    may_recheck,
    may_transfer,
    open_recheck,
)
from ui.dialogs.hazard_dialog import open_hazard_dialog
from ui.dialogs.open_case_dialog import OpenCaseDialog
from ui.errors import show_failure
from ui.models.hazard_table import COLUMNS, HazardTableModel
from ui.widgets.form_parts import date_edit
from ui.widgets.squad_box import squad_box

SEARCH_DELAY_MS = 150
COLUMN_WIDTHS = {"场所": 230, "等级": 110, "发现日期": 100, "整改期限": 100, "剩余天数": 90}
DESCRIPTION_COLUMN = 1


class DueDateBound(QWidget):
    """A date with a 不限 box: the register is open-ended unless the user sets a bound."""

    def __init__(self, on_change: Callable[[], None]) -> None:
        super().__init__()
        self.date = date_edit(local_today())
        self.date.setEnabled(False)
        self.unbounded = QCheckBox("不限")
        self.unbounded.setChecked(True)
        self.unbounded.toggled.connect(lambda on: self.date.setEnabled(not on))
        self.unbounded.toggled.connect(lambda _on: on_change())
        self.date.dateChanged.connect(lambda _date: on_change())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date)
        layout.addWidget(self.unbounded)

    def value(self) -> dt.date | None:
        """The bound, or ``None`` for 不限."""
        return None if self.unbounded.isChecked() else self.date.date().toPython()

    def set_value(self, day: dt.date | None) -> None:
        """Set a bound (``None`` = 不限), as a user would."""
        if day is not None:
            self.date.setDate(QDate(day))
        self.unbounded.setChecked(day is None)


class HazardPage(QWidget):
    """The hazard register with its filters and actions; ``case_opened`` carries the id of a
    case opened (立案) from a hazard, for the main window to show."""

    title = "隐患台账"
    case_opened = Signal(str)

    def __init__(self, context: AppContext, today: Callable[[], dt.date] = local_today) -> None:
        super().__init__()
        self._context = context
        self._today = today
        self._serial = 0
        self.dialog: QDialog | None = None  # the open dialog, kept alive while it is shown
        self.model = HazardTableModel()
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._setup_ui()
        self.refresh()

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._filters())
        layout.addLayout(self._actions())
        layout.addWidget(self._table(), 1)

    def _filters(self) -> QHBoxLayout:
        self.status = QComboBox()
        for choice in HazardFilter:
            self.status.addItem(choice.label, choice.value)
        self.status.currentIndexChanged.connect(lambda _index: self.refresh())
        self.squad = squad_box(self._context)
        self.squad.currentIndexChanged.connect(lambda _index: self.refresh())
        self.venue = QLineEdit()
        self.venue.setPlaceholderText("场所名称、地址……")
        self.venue.setClearButtonEnabled(True)
        self.venue.textChanged.connect(lambda _text: self._timer.start())
        self.due_from = DueDateBound(self.refresh)
        self.due_to = DueDateBound(self.refresh)
        row = QHBoxLayout()
        for caption, field in (
            ("状态：", self.status),
            ("中队：", self.squad),
            ("场所：", self.venue),
            ("整改期限 从", self.due_from),
            ("至", self.due_to),
        ):
            row.addWidget(QLabel(caption))
            row.addWidget(field, 1 if field is self.venue else 0)
        return row

    def _actions(self) -> QHBoxLayout:
        self.open_button = self._button("打开(&O)…", self.open_selected)
        self.recheck_button = self._button("复查(&R)…", self.recheck_selected)
        self.transfer_button = self._button("移交立案", self.transfer_selected)
        self.case_button = self._button("立案…", self.open_case_for_selected)
        self.count_label = QLabel()
        row = QHBoxLayout()
        buttons = (self.open_button, self.recheck_button, self.transfer_button, self.case_button)
        for button in buttons:
            row.addWidget(button)
        row.addStretch()
        row.addWidget(self.count_label)
        return row

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        button.setEnabled(False)
        return button

    def _table(self) -> QTableView:
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        for column, spec in enumerate(COLUMNS):
            self.table.setColumnWidth(column, COLUMN_WIDTHS.get(spec.header, 80))
        header.setSectionResizeMode(DESCRIPTION_COLUMN, QHeaderView.ResizeMode.Stretch)
        # "activated" is Enter and the platform's double-click; doubleClicked too would open twice
        self.table.activated.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        return self.table

    # --- loading -------------------------------------------------------------------------

    def query(self) -> HazardQuery:
        """The filters as the core's query."""
        return HazardQuery(
            status=HazardFilter(self.status.currentData()),
            squad_id=self.squad.currentData(),
            venue_text=self.venue.text(),
            due_from=self.due_from.value(),
            due_to=self.due_to.value(),
        )

    def refresh(self) -> None:
        """Reload the list in the background for the current filters; stale answers are dropped."""
        self._timer.stop()
        self._serial += 1
        serial, query, today = self._serial, self.query(), self._today()
        database, actor = self._context.database, self._context.actor
        self.count_label.setText("正在查询…")
        self._context.workers.run(
            lambda: hazard_rows(database, actor, query, today),
            lambda rows: self._show(serial, rows),
            lambda error: show_failure(self, error, "查询隐患失败"),
        )

    def _show(self, serial: int, rows: list[HazardRow]) -> None:
        if serial != self._serial:
            return
        selected = self.selected()
        self.model.set_rows(rows)
        overdue = sum(1 for row in rows if row.overdue)
        self.count_label.setText(f"共 {len(rows)} 条，其中逾期 {overdue} 条")
        position = self.model.row_of(selected.id) if selected else -1
        if position >= 0:
            self.table.selectRow(position)
        self._update_buttons()

    # --- actions -------------------------------------------------------------------------

    def selected(self) -> HazardRow | None:
        """The hazard on the selected line, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.hazard(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        hazard, actor = self.selected(), self._context.actor
        self.open_button.setEnabled(hazard is not None)
        self.recheck_button.setEnabled(hazard is not None and may_recheck(actor, hazard))
        self.transfer_button.setEnabled(hazard is not None and may_transfer(actor, hazard))
        self.case_button.setEnabled(hazard is not None and may_open_case(actor, hazard))

    def _open_index(self, index: QModelIndex) -> None:
        self._open(self.model.hazard(index.row()))

    def open_selected(self) -> None:
        """Open the selected hazard in its window."""
        hazard = self.selected()
        if hazard is not None:
            self._open(hazard)

    def _open(self, hazard: HazardRow) -> None:
        self.dialog = open_hazard_dialog(self, self._context, hazard.id, self._today, self.refresh)

    def recheck_selected(self) -> None:
        """Record a 复查 of the selected hazard's inspection."""
        hazard = self.selected()
        if hazard is not None and may_recheck(self._context.actor, hazard):
            self.dialog = open_recheck(self, self._context, hazard, self.refresh)

    def transfer_selected(self) -> None:
        """Confirm, then hand the selected overdue hazard over for a case."""
        hazard = self.selected()
        if hazard is None or not may_transfer(self._context.actor, hazard):
            return
        if confirm_transfer(self, self._context, hazard, self._today()):
            self.refresh()

    def open_case_for_selected(self) -> None:
        """立案 from the selected unrectified hazard; the new case is then shown."""
        hazard = self.selected()
        if hazard is None or not may_open_case(self._context.actor, hazard):
            return
        dialog = OpenCaseDialog.from_hazard(self._context, hazard.id, self, self._today)
        dialog.accepted.connect(lambda: self._case_opened(dialog.case_id))
        dialog.open()
        self.dialog = dialog

    def _case_opened(self, case_id: str | None) -> None:
        """The hazard is 移交立案 now; the list says so, and the case is shown."""
        self.refresh()
        if case_id is not None:
            self.case_opened.emit(case_id)
