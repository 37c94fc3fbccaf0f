"""现场检查: the inspections on the left, the one being worked on in the checklist on the right.

The list shows the signed-in inspector's own inspections (只看我的, ticked by default for an
inspector who does not lead the squad; unticked it lists the whole squad's). It opens on the
most recent of them still in progress, so an inspector who restarts the laptop on site is back
where they left off. Another inspection goes into the checklist only when chosen (Enter or a
double-click on its row): moving through the list, Tab, or the list reloading never switch it,
since answers typed next would otherwise land on a colleague's inspection. The list loads on
the workers; the checklist is read synchronously so that what it shows is what the database
holds.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.inspection_rules import InspectionStatus
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.inspections import inspections
from fuanjian_desktop.services.inspections.inspections import InspectionRow
from fuanjian_desktop.services.registry import registry
from ui.context import AppContext
from ui.dialogs.start_inspection_dialog import StartInspectionDialog
from ui.errors import show_failure
from ui.models.inspection_table import InspectionTableModel
from ui.shortcuts import NEW, keyed
from ui.widgets.checklist_view import ChecklistView

STATUS_FILTERS: tuple[tuple[str, InspectionStatus | None], ...] = (
    ("检查中", InspectionStatus.IN_PROGRESS),
    ("已完成", InspectionStatus.COMPLETED),
    ("全部", None),
)
COLUMN_WIDTHS = (180, 170, 80, 60, 125, 100, 60)
LIST_WIDTH = 330
PLACEHOLDER = (
    "没有打开的检查。\n\n在左侧列表中选中一次检查按回车（或双击）打开，或按 Ctrl+N 新建检查。"
)


class InspectionPage(QWidget):
    """The inspection list with its filter and 新建检查, beside the checklist runner."""

    title = "现场检查"

    def __init__(self, context: AppContext, checklist_folder: Path | None = None) -> None:
        super().__init__()
        self._context = context
        self._checklist_folder = checklist_folder
        self._serial = 0
        self.dialog: StartInspectionDialog | None = None  # kept alive while it is shown
        self.model = InspectionTableModel()
        self.checklist = ChecklistView(context)
        self.checklist.changed.connect(lambda _inspection_id: self._reload_list())
        self._setup_ui()
        self._load(select_id=None)

    def _setup_ui(self) -> None:
        self.placeholder = QLabel(PLACEHOLDER)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #5b6675; font-size: 12pt;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.checklist)
        splitter = QSplitter()
        splitter.addWidget(self._list_panel())
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([LIST_WIDTH, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

    def _list_panel(self) -> QWidget:
        self.status_filter = QComboBox()
        for label, _status in STATUS_FILTERS:
            self.status_filter.addItem(label)
        self.status_filter.currentIndexChanged.connect(lambda _index: self._reload_list())
        inspects = self._context.actor.can(Permission.INSPECT)
        self.mine_only = QCheckBox("只看我的")
        self.mine_only.setToolTip("只列出我参加的检查；不勾选则列出全中队的检查")
        leads = self._context.actor.can(Permission.APPROVE_CASES)
        self.mine_only.setChecked(inspects and not leads)  # a leader oversees the squad's
        self.mine_only.toggled.connect(lambda _checked: self._reload_list())
        self.new_button = keyed(QPushButton("新建检查"), NEW)
        self.new_button.setEnabled(inspects)
        self.new_button.clicked.connect(lambda: self.new_inspection())
        self.count_label = QLabel()
        self.table = self._table()
        top = QHBoxLayout()
        top.addWidget(QLabel("状态："))
        top.addWidget(self.status_filter)
        top.addWidget(self.mine_only)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.new_button)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        return panel

    def _table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # names differ at their ends
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(28)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for column, width in enumerate(COLUMN_WIDTHS):
            table.setColumnWidth(column, width)
        # "activated" is Enter and the platform's double-click: the only ways to switch
        table.activated.connect(self._row_chosen)
        return table

    # --- the list ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the list and the shown inspection again (another page may have changed a
        hazard), keeping the selection and the current item."""
        self.checklist.reload()
        self._reload_list()

    def _reload_list(self) -> None:
        """Read the list again (e.g. after an answer changed a hazard count)."""
        self._load(select_id=self.checklist.inspection_id)

    def selected_id(self) -> str | None:
        """The inspection selected in the list, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.inspection_id(rows[0].row()) if rows else None

    def _load(self, select_id: str | None) -> None:
        """Load the rows in the background; ``None`` selects the newest (the first row)."""
        self._serial += 1
        serial, database = self._serial, self._context.database
        actor = self._context.actor
        status = STATUS_FILTERS[self.status_filter.currentIndex()][1]
        mine = actor.user_id if self.mine_only.isChecked() else None
        self._context.workers.run(
            lambda: inspections.inspection_rows(database, actor, actor.squad_id, status, mine),
            lambda rows: self._show_rows(serial, rows, select_id),
            lambda error: show_failure(self, error, "检查列表未能读取"),
        )

    def _show_rows(self, serial: int, rows: list[InspectionRow], select_id: str | None) -> None:
        """List ``rows``, marking the inspection shown; the first list of all (nothing shown
        yet) opens its newest inspection, which is where the inspector left off."""
        if serial != self._serial:
            return  # a newer load is on its way
        self.model.set_rows(rows)
        self.count_label.setText(f"共 {len(rows)} 次")
        row = self.model.row_of(select_id) if select_id else 0
        if rows and row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        if rows and self.checklist.inspection_id is None:
            self.show_inspection(self.model.inspection_id(0))

    def _row_chosen(self, index: QModelIndex) -> None:
        """Enter or a double-click on a row: that inspection goes into the checklist."""
        self.show_inspection(self.model.inspection_id(index.row()))

    # --- the checklist -------------------------------------------------------------------

    def show_inspection(self, inspection_id: str) -> None:
        """Open ``inspection_id`` in the checklist runner (and select it when listed), with
        the keyboard on its current item, so that 1/2/3 answer at once."""
        try:
            context = self._context
            view = inspections.open_inspection(context.database, context.actor, inspection_id)
        except UserError as error:
            show_failure(self, error, "检查记录未能打开")
            return
        self.checklist.load(view)
        self.stack.setCurrentWidget(self.checklist)
        row = self.model.row_of(inspection_id)
        if row >= 0 and self.selected_id() != inspection_id:
            self.table.selectRow(row)
        self.checklist.focus_items()

    def showEvent(self, event: QShowEvent) -> None:
        """Shown again (Ctrl+2, 继续检查): the keys go to the checklist's current item, or to
        the list when no inspection is open."""
        super().showEvent(event)
        if self.checklist.inspection_id is not None:
            self.checklist.focus_items()
        else:
            self.table.setFocus()

    def new_inspection(self, venue_id: str = "") -> None:
        """Open the start dialog (with ``venue_id`` chosen, when started from the registry);
        the new inspection is then shown, ready for keys 1/2/3."""
        if not self._context.actor.can(Permission.INSPECT):
            return
        dialog = StartInspectionDialog(self._context, self, self._checklist_folder)
        for venue in registry.enterprise_rows(
            self._context.database, [venue_id] if venue_id else []
        ):
            dialog.venue.choose(venue.id, venue.name)
        dialog.accepted.connect(lambda: self._started(dialog.inspection_id))
        dialog.open()
        self.dialog = dialog

    def _started(self, inspection_id: str | None) -> None:
        if inspection_id is None:
            return
        self.status_filter.setCurrentIndex(0)  # 检查中, where the new inspection is listed
        self.show_inspection(inspection_id)
        self._reload_list()
