"""待我审批: the cases waiting for this leader's approval or this reviewer's 法制审核.

Oldest waiting first, as the core orders them, so nothing waits longest by being out of sight;
a case opens on the case page (``open_case``), where the approval is given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from fuanjian_desktop.services.cases.case_queries import CaseRow, approval_ids, case_rows
from fuanjian_desktop.services.inspections.inspections import local_today
from ui.context import AppContext
from ui.errors import show_failure
from ui.models.case_table import CaseTableModel
from ui.models.column_table import PAGE_SIZE
from ui.pages.cases_page import CaseListView

EMPTY_TEXT = "暂无待审批的案件。"
Inbox = tuple[list[str], list[CaseRow]]


class ApprovalsPage(QWidget):
    """The approvals inbox; the main window connects ``open_case``."""

    title = "待我审批"
    open_case = Signal(str)

    def __init__(self, context: AppContext, today: Callable[[], dt.date] = local_today) -> None:
        super().__init__()
        self._context = context
        self._today = today
        self._serial = 0
        self.model = CaseTableModel(
            lambda ids: case_rows(context.database, context.actor, ids, today())
        )
        self._setup_ui()
        self.refresh()

    def _setup_ui(self) -> None:
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 15px;")
        self.table = CaseListView(self.model)
        self.table.opened.connect(self.open_case)
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setStyleSheet("color: #666; padding: 12px;")
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)

    def refresh(self) -> None:
        """Reload the inbox in the background (after a step it may have shrunk)."""
        self._serial += 1
        serial, today = self._serial, self._today()
        database, actor = self._context.database, self._context.actor

        def work() -> Inbox:
            ids = approval_ids(database, actor, today)
            return ids, case_rows(database, actor, ids[:PAGE_SIZE], today)

        self._context.workers.run(
            work,
            lambda inbox: self._show(serial, inbox),
            lambda error: show_failure(self, error, "待审批案件加载失败"),
        )

    def _show(self, serial: int, inbox: Inbox) -> None:
        if serial != self._serial:
            return
        ids, rows = inbox
        selected = self.table.selected_id()
        self.model.set_ids(ids, rows)
        self.table.select_id(selected)
        self.heading.setText(f"等待您审批或审核的案件（{len(ids)}）")
        self.table.setVisible(bool(ids))
        self.empty.setVisible(not ids)
