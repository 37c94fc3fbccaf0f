"""案卷: the clerk's list of volumes — closed cases waiting to be archived, with their 自查,
and archived ones with their 归档号 — and, opened from it, one case's volume.

The list is the clerk's work queue: 待归档 first (a case whose 自查 stops archiving is
tinted), 已归档 when looking one up. Several volumes may be chosen (Shift/Ctrl+arrows, Ctrl+A)
and printed as one print job or exported to a folder, one PDF each; Enter opens one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.services.dossiers import volume
from fuanjian_desktop.services.dossiers.volume import DossierRow
from fuanjian_desktop.services.inspections.inspections import local_today
from ui.context import AppContext
from ui.dossier.dossier_tables import DOSSIER_WIDTHS, DossierListModel
from ui.dossier.dossier_view import DossierView
from ui.dossier.volume_output import Volume, export_volumes, print_volumes
from ui.errors import show_failure
from ui.shortcuts import BATCH_PRINT, EXPORT_PDF, keyed

WAITING, ARCHIVED, EVERY = "waiting", "archived", "every"
FILTERS = ((WAITING, "待归档"), (ARCHIVED, "已归档"), (EVERY, "全部"))
TITLE_COLUMN = 1
REST_MS = 400  # a row the cursor stays on this long is compiled ahead
SELECT_ROWS = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows


def _shown_by(choice: str) -> Callable[[DossierRow], bool]:
    if choice == WAITING:
        return lambda row: not row.archived
    if choice == ARCHIVED:
        return lambda row: row.archived
    return lambda row: True


class DossierPage(QWidget):
    """The volumes list and one volume (``show_dossier``); ``open_case`` asks the main window
    for the case page."""

    title = "案卷"
    open_case = Signal(str)

    def __init__(self, context: AppContext, today: Callable[[], dt.date] = local_today) -> None:
        super().__init__()
        self._context = context
        self._today = today
        self._serial = 0
        self._rows: list[DossierRow] = []
        self.dialog: QWidget | None = None  # the print dialog, kept alive while shown
        self.model = DossierListModel()
        self.view = DossierView(context, today)
        self.view.back.connect(self.show_list)
        self.view.changed.connect(self._reload_list)
        self.view.open_case.connect(self.open_case)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._list_panel())
        self.stack.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack)
        self._reload_list()

    def _list_panel(self) -> QWidget:
        self.filter = QComboBox()
        for value, label in FILTERS:
            self.filter.addItem(label, value)
        self.filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # counts
        self.filter.currentIndexChanged.connect(lambda _index: self._show_rows())
        self.open_button = QPushButton("打开案卷(&O)")
        self.open_button.clicked.connect(self.open_selected)
        self.print_button = keyed(QPushButton("批量打印"), BATCH_PRINT)
        self.print_button.setToolTip("选中的案卷作为一个打印任务打印")
        self.print_button.clicked.connect(self.print_selected)
        self.export_button = keyed(QPushButton("批量导出PDF"), EXPORT_PDF)
        self.export_button.clicked.connect(self.export_selected)
        self.count_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(QLabel("显示："))
        row.addWidget(self.filter)
        for button in (self.open_button, self.print_button, self.export_button):
            row.addWidget(button)
        row.addStretch()
        row.addWidget(self.count_label)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        for column, width in enumerate(DOSSIER_WIDTHS):
            self.table.setColumnWidth(column, width)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open_index)  # Enter and double-click
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        # the row the clerk rests on is compiled ahead, so Enter shows its pages at once
        self._resting = QTimer(self, singleShot=True, interval=REST_MS)
        self._resting.timeout.connect(self._build_ahead)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._resting.start())
        hint = QLabel(
            "Enter 打开案卷；Shift/Ctrl+方向键或 Ctrl+A 多选后批量打印（一个打印任务）或导出。"
        )
        hint.setStyleSheet("color: #5b6675;")
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.table, 1)
        column.addWidget(hint)
        return panel

    # --- the list ------------------------------------------------------------------------

    def refresh(self) -> None:
        """The page shown again: the records may have changed on another page (a scan attached
        on the case page), so the list, and the volume if one is open, are read again."""
        self._reload_list()
        if self.stack.currentWidget() is self.view and self.view.case_id:
            self.view.reload()

    def _reload_list(self) -> None:
        """Read the volumes again in the background (stale answers are dropped); a volume
        built ahead is dropped too."""
        self.view.early.forget()
        self._serial += 1
        serial = self._serial
        database, actor, today = self._context.database, self._context.actor, self._today()
        self.count_label.setText("正在查询…")
        self._context.workers.run(
            lambda: volume.dossier_cases(database, actor, today),
            lambda rows: self._loaded(serial, rows),
            lambda error: show_failure(self, error, "查询案卷失败"),
        )

    def _loaded(self, serial: int, rows: list[DossierRow]) -> None:
        if serial == self._serial:
            self._rows = rows
            self._show_rows()

    def _show_rows(self) -> None:
        chosen = set(self.selected_ids())
        shown = [row for row in self._rows if _shown_by(self.filter.currentData())(row)]
        self.model.set_rows(shown)
        for value, label in FILTERS:
            count = sum(1 for row in self._rows if _shown_by(value)(row))
            self.filter.setItemText(self.filter.findData(value), f"{label}（{count}）")
        self.count_label.setText(f"共 {len(shown)} 卷")
        selection, again = self.table.selectionModel(), SELECT_ROWS
        for position, row in enumerate(shown):
            if row.case_id in chosen:
                selection.select(self.model.index(position, 0), again)
        if shown and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self._update_buttons()

    def selected_ids(self) -> list[str]:
        """The chosen cases, in list order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.case_at(row).case_id for row in rows]

    def _build_ahead(self) -> None:
        chosen = self.selected_ids()
        if len(chosen) == 1 and self.stack.currentIndex() == 0:
            self.view.build_ahead(chosen[0])

    def _update_buttons(self) -> None:
        chosen = len(self.selected_ids())
        self.open_button.setEnabled(chosen == 1)
        for button in (self.print_button, self.export_button):
            button.setEnabled(chosen > 0)

    # --- actions -------------------------------------------------------------------------

    def _open_index(self, index: QModelIndex) -> None:
        self.show_dossier(self.model.case_at(index.row()).case_id)

    def open_selected(self) -> None:
        """打开案卷: the chosen case's volume."""
        chosen = self.selected_ids()
        if len(chosen) == 1:
            self.show_dossier(chosen[0])

    def show_dossier(self, case_id: str) -> None:
        """Show the volume of ``case_id`` (also from the case page)."""
        self.stack.setCurrentWidget(self.view)
        self.view.show_case(case_id)
        self.view.index_table.setFocus()  # the 目录: arrows choose an item, Enter its 备注

    def show_list(self) -> None:
        """Back to the list, on the case that was open."""
        self.stack.setCurrentIndex(0)
        position = self.model.position_of(self.view.case_id)
        if position >= 0:
            self.table.selectRow(position)
        self.table.setFocus()

    def _volumes(self) -> list[Volume]:
        chosen = set(self.selected_ids())
        return [self._volume(row) for row in self.model_rows() if row.case_id in chosen]

    def _volume(self, row: DossierRow) -> Volume:
        """A listed case's volume, built when printed (an archived one: its frozen bytes)."""
        database, actor, today = self._context.database, self._context.actor, self._today()
        case_id = row.case_id
        return Volume(
            row.case_no or case_id,
            lambda: volume.build_volume(database, actor, case_id, today).pdf,
        )

    def model_rows(self) -> list[DossierRow]:
        """The rows listed, in order."""
        return [self.model.case_at(n) for n in range(self.model.row_count())]

    def print_selected(self) -> None:
        """批量打印: the chosen volumes, one print job (built once the printer is chosen)."""
        volumes = self._volumes()
        if volumes:
            self.dialog = print_volumes(self._context, volumes, self)

    def export_selected(self) -> None:
        """批量导出PDF: one PDF per chosen volume into a folder, named by 案号."""
        volumes = self._volumes()
        if volumes:
            export_volumes(self._context, volumes, self, self._exported)

    def _exported(self, paths: list[Path]) -> None:
        folder = paths[0].parent if paths else ""
        self.count_label.setText(f"已导出 {len(paths)} 卷到 {folder}")
