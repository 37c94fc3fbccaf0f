"""企业台账: search the registry as you type, add and edit enterprises, import from Excel."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.registry_rules import EnterpriseDraft
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.registry import registry
from ui.context import AppContext
from ui.dialogs.enterprise_dialog import EnterpriseDialog
from ui.errors import show_failure
from ui.file_dialogs import in_documents
from ui.models.enterprise_table import EnterpriseTableModel
from ui.shortcuts import FIND

if TYPE_CHECKING:
    from fuanjian_desktop.services.registry.registry_import import ImportReport

SEARCH_DELAY_MS = 150
COLUMN_WIDTHS = (260, 170, 170, 150, 300, 80, 110, 70)


class RegistryPage(QWidget):
    """The enterprise list with its search box and actions."""

    title = "企业台账"
    inspect_venue = Signal(str)  # 检查此场所: the main window opens 新建检查 with this venue

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context
        self._search_serial = 0
        self._search_started = 0.0
        self.dialog: QDialog | None = None  # the open dialog, kept alive while it is shown
        self.model = EnterpriseTableModel(
            lambda ids: registry.enterprise_rows(context.database, ids)
        )
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self._setup_ui()
        self.search_now()

    def _setup_ui(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "搜索名称、信用代码、地址、负责人、电话……（多个词用空格分隔）"
        )
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.focus_table)
        self.count_label = QLabel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._edit_index)  # Enter, or double-click (one dialog)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("搜索："))
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        layout.addLayout(top)
        layout.addLayout(self._actions())
        layout.addWidget(self.table, 1)
        find = QShortcut(QKeySequence(FIND), self, activated=self.search.setFocus)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # on this page only

    def _actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        actor = self._context.actor
        self.add_button = self._button(row, "新增企业(&N)", self.add_enterprise)
        self.edit_button = self._button(row, "修改(&E)", self.edit_selected)
        for button in (self.add_button, self.edit_button):
            button.setEnabled(actor.can(Permission.EDIT_REGISTRY))
        self.inspect_button = self._button(row, "检查此场所(&C)…", self._inspect_selected)
        self.inspect_button.setEnabled(actor.can(Permission.INSPECT))
        if actor.can(Permission.IMPORT_REGISTRY):
            self._button(row, "从Excel导入(&I)…", self.import_workbook)
            self._button(row, "下载导入模板…", self.save_template)
        row.addStretch()
        return row

    def _button(self, row: QHBoxLayout, text: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    # --- searching -----------------------------------------------------------------------

    def search_now(self, select_id: str | None = None) -> None:
        """Run the search for the box's text in the background; stale answers are dropped.

        ``select_id`` is selected in the new results if present (e.g. the enterprise just saved).
        """
        self._timer.stop()
        self._search_serial += 1
        serial, text = self._search_serial, self.search.text()
        self._search_started = time.perf_counter()
        self.count_label.setText("正在搜索…")
        self._context.workers.run(
            lambda: registry.search_enterprise_ids(self._context.database, text),
            lambda ids: self._show_results(serial, ids, select_id),
            lambda error: show_failure(self, error, "搜索失败"),
        )

    def _show_results(self, serial: int, ids: list[str], select_id: str | None) -> None:
        if serial != self._search_serial:
            return
        self.model.set_ids(ids)
        elapsed_ms = (time.perf_counter() - self._search_started) * 1000
        self.count_label.setText(f"共 {len(ids):,} 家（{elapsed_ms:.0f} 毫秒）")
        row = self.model.row_of(select_id) if select_id else 0
        if ids and row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def focus_table(self) -> None:
        """Enter in the search box moves to the results, ready for arrow keys and Enter."""
        self.search_now()
        self.table.setFocus()

    # --- editing -------------------------------------------------------------------------

    def _inspect_selected(self) -> None:
        enterprise_id = self.selected_id()
        if enterprise_id:
            self.inspect_venue.emit(enterprise_id)

    def selected_id(self) -> str | None:
        """Id of the selected enterprise, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.id_at(rows[0].row()) if rows else None

    def add_enterprise(self) -> None:
        """Open the empty form; a saved enterprise appears and is selected in the list."""
        context = self._context
        created: list[str] = []

        def save(draft: EnterpriseDraft) -> None:
            created.append(registry.create_enterprise(context.database, context.actor, draft))

        dialog = EnterpriseDialog(self, "新增企业", save)
        dialog.accepted.connect(lambda: self._after_save(created[-1]))
        dialog.open()
        self.dialog = dialog

    def edit_selected(self) -> None:
        """Open the selected enterprise in the form."""
        enterprise_id = self.selected_id()
        if enterprise_id is not None and self._context.actor.can(Permission.EDIT_REGISTRY):
            self._open_editor(enterprise_id)

    def _edit_index(self, index: QModelIndex) -> None:
        if self._context.actor.can(Permission.EDIT_REGISTRY):
            self._open_editor(self.model.id_at(index.row()))

    def _open_editor(self, enterprise_id: str) -> None:
        context = self._context
        dialog = EnterpriseDialog(
            self,
            "修改企业信息",
            lambda draft: registry.update_enterprise(
                context.database, context.actor, enterprise_id, draft
            ),
        )
        dialog.load(registry.load_draft(context.database, enterprise_id))
        dialog.accepted.connect(lambda: self._after_save(enterprise_id))
        dialog.open()
        self.dialog = dialog

    def _after_save(self, enterprise_id: str) -> None:
        self.model.refresh()
        self.search_now(select_id=enterprise_id)

    # --- Excel ---------------------------------------------------------------------------

    def import_workbook(self) -> None:
        """Ask for a workbook, import it in the background, show the per-row report."""
        path, _ = QFileDialog.getOpenFileName(
            self, "选择要导入的Excel文件", in_documents(), "Excel 文件 (*.xlsx)"
        )
        if path:
            self.run_import(Path(path))

    def run_import(self, path: Path) -> None:
        """Import ``path`` in the background and show the report (also used by tests)."""
        from fuanjian_desktop.services.registry import (
            registry_import,  # openpyxl: ~170 ms, on demand
        )

        context = self._context
        self.count_label.setText("正在导入…")
        context.workers.run(
            lambda: registry_import.import_enterprises(context.database, context.actor, path),
            self._show_import_report,
            lambda error: show_failure(self, error, "导入失败"),
        )

    def _show_import_report(self, report: ImportReport) -> None:
        from ui.dialogs.import_report_dialog import ImportReportDialog

        self.search_now()
        dialog = ImportReportDialog(self, report)
        dialog.open()
        self.dialog = dialog

    def save_template(self) -> None:
        """Save the import template where the clerk chooses."""
        path, _ = QFileDialog.getSaveFileName(
            self, "保存导入模板", in_documents("企业台账导入模板.xlsx"), "Excel 文件 (*.xlsx)"
        )
        if path:
            from fuanjian_desktop.services.registry import registry_template  # openpyxl, on demand

            try:
                registry_template.write_import_template(Path(path))
            except UserError as error:
                show_failure(self, error, "模板未保存")
