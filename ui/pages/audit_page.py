"""操作日志: who did what and when, with the values before and after each change.

Above the list, the state of the record chain: intact with the number of events and issued
documents verified, or the first break in red (``services.trail_check``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.audit_labels import field_label, value_label
from fuanjian_desktop.services import audit_log
from fuanjian_desktop.services.trail_check import TrailReport
from ui.context import AppContext
from ui.errors import show_failure
from ui.models.column_table import Column, RowListModel

INTACT_STYLE = "color: #1e6b34;"
BROKEN_STYLE = "color: #b3261e; font-weight: bold;"

COLUMNS: tuple[Column[audit_log.AuditEntry], ...] = (
    Column("时间", lambda entry: entry.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")),
    Column("操作人", lambda entry: entry.actor_name),
    Column("操作", lambda entry: entry.action),
    Column("内容", lambda entry: entry.summary),
)


def describe_changes(entry: audit_log.AuditEntry) -> str:
    """Readable 字段：原值 → 新值 lines for the detail pane."""
    if not entry.changes:
        return "（此操作未改动记录字段）"
    lines = []
    for field, old, new in entry.changes:
        shown_old, shown_new = (_shown(value_label(field, value)) for value in (old, new))
        lines.append(f"{field_label(field)}：{shown_old} → {shown_new}")
    return "\n".join(lines)


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


class AuditPage(QWidget):
    """Filterable list of audit events with a detail pane."""

    title = "操作日志"

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context
        self.model = RowListModel(COLUMNS)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self.reload)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("按操作人、操作或内容筛选")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(lambda _text: self._timer.start())
        self.count_label = QLabel()
        self.chain_label = QLabel("正在核验记录链…")
        self.chain_label.setWordWrap(True)
        self.chain_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((160, 90, 110)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([500, 160])
        top = QHBoxLayout()
        top.addWidget(QLabel("筛选："))
        top.addWidget(self.filter, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chain_label)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def showEvent(self, event: Any) -> None:
        """Load whenever the page is shown (not before), so new events appear and the chain
        is checked again."""
        super().showEvent(event)
        self.reload()
        self.check_chain()

    def check_chain(self) -> None:
        """Walk the record chain and the issued documents in the background."""
        context = self._context
        context.workers.run(
            lambda: audit_log.trail_state(context.database, context.actor),
            self._show_chain,
            lambda error: show_failure(self, error, "无法核验记录链"),
        )

    def _show_chain(self, report: TrailReport) -> None:
        self.chain_label.setText(report.summary)
        self.chain_label.setStyleSheet(INTACT_STYLE if report.intact else BROKEN_STYLE)

    def reload(self) -> None:
        """Load the newest events matching the filter in the background."""
        context, text = self._context, self.filter.text()
        context.workers.run(
            lambda: audit_log.recent_events(context.database, context.actor, text),
            self._show_entries,
            lambda error: show_failure(self, error, "无法读取操作日志"),
        )

    def _show_entries(self, entries: list[audit_log.AuditEntry]) -> None:
        self.model.set_rows(entries)
        self.count_label.setText(f"最近 {len(entries)} 条")
        self.detail.clear()

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            entry = self.model.row_at(current.row())
            self.detail.setPlainText(f"{describe_changes(entry)}\n\n{entry.link}")
