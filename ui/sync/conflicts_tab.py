"""冲突: what sync could not decide by itself, for a person with the right role to settle.

Each row is one record and field whose value differs between HQ and what a laptop of the squad
uploaded — this one or another (or an issued document or number that arrived twice with
different content). HQ keeps its value meanwhile.
The person reads both values, writes why, and keeps one side (``services.sync_conflicts``:
中队负责人, 法制审核员 or 管理员; the choice is audited and travels with the next round).
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.domain.audit_labels import field_label, value_label
from fuanjian_desktop.services import sync_conflicts
from ui.context import AppContext
from ui.errors import failure_text
from ui.local_time import local_text
from ui.models.column_table import Column, RowListModel
from ui.widgets.form_parts import error_label

KIND_LABELS = {
    "field": "双方改了同一字段",
    "immutable": "已签发或已归档，内容不同",
    "number": "编号重复",
    "unique": "唯一值重复",
    "delete": "一方删除、一方修改",
}
CHILDREN_PREFIX = "children."
CHILD_LABELS = {  # the owned child tables a record carries as one list
    "case_handler": "承办人",
    "inspection_inspector": "检查人员",
    "enterprise_category": "企业类别",
    "user_role": "角色",
}
NUMBER_LABELS = {  # the columns of a 文号 and of a 号段, which a number conflict names
    "prefix": "机关代字",
    "code": "文书代号",
    "year": "年度",
    "serial": "序号",
    "part": "分号",
    "first": "起始号",
    "last": "终止号",
    "text": "文号",
}
EXPLANATION = (
    "下列记录在区局和一台电脑（本机或本中队另一台电脑）上被改成了不同的值，区局暂按区局的值保存。"
    "请核实后选择保留哪一方的值，并写明理由；处理结果会在下次同步时送达区局和本中队其他电脑。"
)
HQ_ONLY = "已签发的文书、已归档的案件和编号只能采用区局的值。"
NOT_ALLOWED = "只有中队负责人、法制审核员或管理员可以处理同步冲突；您可以查看。"


def field_text(conflict: Any) -> str:
    """The field in Chinese; a list of child rows (处理人, 类别 …), the columns a number or
    unique value is made of (``prefix,year,first,last``), or the whole record."""
    if not conflict.field:
        return "（整条记录）"
    if conflict.field.startswith(CHILDREN_PREFIX):
        table = conflict.field.removeprefix(CHILDREN_PREFIX)
        return CHILD_LABELS.get(table, table)
    return "、".join(label_of(name) for name in conflict.field.split(","))


def label_of(field: str) -> str:
    """A column's Chinese name: the number columns here, the rest as the 操作日志 names them."""
    return NUMBER_LABELS.get(field) or field_label(field)


def value_text(field: str | None, value: Any, separator: str = "；") -> str:
    """A stored value as a person reads it: coded values in Chinese, 空 for nothing, a record's
    fields as 名称：值 joined by ``separator`` (one line in the list, a line each below it)."""
    shown = value_label(field, value) if field else value
    if shown is None or shown == "" or shown == []:
        return "（空）"
    if isinstance(shown, bool):
        return "是" if shown else "否"
    if isinstance(shown, dict):
        return separator.join(
            f"{label_of(name)}：{value_text(name, item, '，')}" for name, item in shown.items()
        )
    if isinstance(shown, list) and all(isinstance(item, str) for item in shown):
        return "、".join(shown)
    if isinstance(shown, list):
        return json.dumps(shown, ensure_ascii=False)
    return str(shown)


def uploader_text(conflict: Any) -> str:
    """Which laptop uploaded the other value: this one, or another of the squad."""
    return "本机" if conflict.uploaded_here else "本中队另一台电脑"


COLUMNS: tuple[Column[Any], ...] = (
    Column("记录", lambda row: row.entity_label),
    Column("冲突类型", lambda row: KIND_LABELS.get(row.kind, row.kind)),
    Column("字段", field_text),
    Column("区局的值", lambda row: value_text(row.field, row.hq_value)),
    Column("上传的值", lambda row: value_text(row.field, row.device_value)),
    Column("上传方", lambda row: uploader_text(row)),
    Column("发现时间", lambda row: local_text(row.detected_at)),
)


class ConflictsTab(QWidget):
    """The open conflicts, both values of the selected one, and the two choices.

    ``resolved`` after a choice was saved (the status bar's count changes)."""

    resolved = Signal()

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context
        self._may_resolve = sync_conflicts.may_resolve(context.actor)
        self.model = RowListModel(COLUMNS)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((280, 150, 110, 170, 170, 120)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().currentRowChanged.connect(self._show_current)
        self.count_label = QLabel("正在读取…")
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._decision_box())

    def _decision_box(self) -> QGroupBox:
        self.hq_value = QPlainTextEdit(readOnly=True)
        self.device_value = QPlainTextEdit(readOnly=True)
        for box in (self.hq_value, self.device_value):
            box.setMaximumHeight(120)  # a record of several fields shows whole
        self.note = QLineEdit(placeholderText="处理理由，例如：经与承办人核实，以本机为准")
        self.keep_hq = QPushButton("采用区局的值")
        self.keep_device = QPushButton("采用上传的值")
        self.keep_hq.clicked.connect(lambda: self.resolve("hq"))
        self.keep_device.clicked.connect(lambda: self.resolve("device"))
        self.message = error_label()
        if not self._may_resolve:
            self.message.setText(NOT_ALLOWED)
        grid = QGridLayout()
        grid.addWidget(QLabel("区局的值："), 0, 0)
        self.device_title = QLabel("上传的值：")
        grid.addWidget(self.device_title, 0, 1)
        grid.addWidget(self.hq_value, 1, 0)
        grid.addWidget(self.device_value, 1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("理由："))
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.keep_hq)
        buttons.addWidget(self.keep_device)
        column = QVBoxLayout()
        column.addLayout(grid)
        column.addLayout(buttons)
        column.addWidget(self.message)
        box = QGroupBox("处理所选冲突")
        box.setLayout(column)
        self._enable_choices(False)
        return box

    def reload(self) -> None:
        """Read the open conflicts again (in the background)."""
        context = self._context
        context.workers.run(
            lambda: sync_conflicts.open_conflicts(context.database, context.actor),
            self._show_rows,
            lambda error: self.count_label.setText(failure_text(error)),
        )

    def _show_rows(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        self.count_label.setText(f"待处理的冲突：{len(rows)} 条" if rows else "没有待处理的冲突。")
        self.hq_value.clear()
        self.device_value.clear()
        self._enable_choices(False)
        if rows:
            self.table.selectRow(0)

    def _show_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        row = self.model.row_at(current.row())
        self.hq_value.setPlainText(value_text(row.field, row.hq_value, "\n"))
        self.device_value.setPlainText(value_text(row.field, row.device_value, "\n"))
        self.device_title.setText(f"上传的值（{uploader_text(row)}）：")
        self._enable_choices(True)

    def _enable_choices(self, selected: bool) -> None:
        """The choices for a selected conflict, to those who may settle it; an issued
        document, an archived case or a number can only keep HQ's value."""
        allowed = selected and self._may_resolve
        for widget in (self.note, self.keep_hq):
            widget.setEnabled(allowed)
        current = self.table.currentIndex()
        plain = current.isValid() and self.model.row_at(current.row()).kind == "field"
        self.keep_device.setEnabled(allowed and plain)
        self.keep_device.setToolTip("" if plain or not allowed else HQ_ONLY)

    def resolve(self, choice: str) -> None:
        """Keep HQ's (``hq``) or this laptop's (``device``) value of the selected conflict."""
        current = self.table.currentIndex()
        if not current.isValid():
            return
        context, note = self._context, self.note.text().strip()
        conflict_id = self.model.row_at(current.row()).id
        self._enable_choices(False)
        self.message.clear()
        context.workers.run(
            lambda: sync_conflicts.resolve_conflict(
                context.database, context.actor, conflict_id, choice, note
            ),
            self._resolved,
            self._refused,
        )

    def _resolved(self, _none: object) -> None:
        self.note.clear()
        self.resolved.emit()
        self.reload()

    def _refused(self, error: Exception) -> None:
        self.message.setText(failure_text(error))
        self._enable_choices(True)
