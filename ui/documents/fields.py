"""One editor per kind of document field, built from the field's spec.

A spec field is ``text`` (a line, or a box when ``multiline``), ``list`` (numbered items: one
per line here) or ``rows`` (a table such as a 证据清单, edited with the columns the spec's table
block declares). Each editor says ``edited`` on every change, which the document editor turns
into a debounced autosave. A paragraph box is at least three lines high, grows with its text
(up to ``BOX_MAX_LINES``) and takes a share of the editor's free height, as a table does, so
a 存在的问题 of five problems shows all five without scrolling.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.documents.spec import DocumentSpec, FieldSpec

ROW_NUMBER_KEY = "no"  # the table block's 序号 column, numbered by the renderer
BOX_HEIGHT = 84  # three lines at the default font: the least a paragraph box shows
BOX_MAX_LINES = 12  # beyond this a box scrolls rather than push the rest of the form away
TABLE_HEIGHT = 120  # the header and three rows: the least a table field shows


class FieldEditor(QWidget):
    """The editing widget of one field; subclasses hold the actual Qt widget."""

    edited = Signal()

    def value(self) -> Any:
        """What the field holds, as the core stores it."""
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        """Show a stored value without announcing an edit."""
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        """An issued document is shown, not edited."""
        raise NotImplementedError

    def is_empty(self) -> bool:
        """Whether nothing is typed yet (the editor opens on the first such field)."""
        return not self.value()


class LineField(FieldEditor):
    """A one-line text."""

    def __init__(self) -> None:
        super().__init__()
        self.edit = QLineEdit()
        self.edit.textEdited.connect(lambda _text: self.edited.emit())
        _wrap(self, self.edit)

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText(_text(value))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class BoxField(FieldEditor):
    """A paragraph (案件基本情况, 意见 …); ``ListField`` reads it as one item per line."""

    def __init__(self, placeholder: str = "") -> None:
        super().__init__()
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setMinimumHeight(BOX_HEIGHT)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.edit.textChanged.connect(self._changed)
        self._loading = False
        _wrap(self, self.edit)

    def _changed(self) -> None:
        self._fit_text()
        if not self._loading:
            self.edited.emit()

    def _fit_text(self) -> None:
        """At least as tall as its lines (to ``BOX_MAX_LINES``), never under three lines."""
        lines = min(self.edit.document().lineCount(), BOX_MAX_LINES)
        frame = self.edit.frameWidth() * 2 + 2 * round(self.edit.document().documentMargin())
        wanted = lines * self.edit.fontMetrics().lineSpacing() + frame
        self.edit.setMinimumHeight(max(BOX_HEIGHT, wanted))

    def value(self) -> Any:
        return self.edit.toPlainText()

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self.edit.setPlainText(_text(value))
        finally:
            self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class ListField(BoxField):
    """Numbered items (存在的问题 …), typed one per line; blank lines are dropped."""

    def __init__(self) -> None:
        super().__init__("每行一项，打印时自动编号")

    def value(self) -> list[str]:
        return [line.strip() for line in self.edit.toPlainText().splitlines() if line.strip()]

    def set_value(self, value: Any) -> None:
        lines = value if isinstance(value, list | tuple) else [_text(value)] if value else []
        super().set_value("\n".join(_text(line) for line in lines))


class RowsField(FieldEditor):
    """Table rows (清单), one column per column of the spec's table block, rows added and
    removed with the buttons below."""

    def __init__(self, columns: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._keys = [key for key, _label in columns]
        self.table = QTableWidget(0, len(columns))
        self.table.setHorizontalHeaderLabels([label for _key, label in columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(TABLE_HEIGHT)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.table.itemChanged.connect(lambda _item: self.edited.emit())
        self.add_button = QPushButton("添加行")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton("删除行")
        self.remove_button.clicked.connect(self.remove_row)
        self._setup_ui()

    def _setup_ui(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table)
        column.addLayout(buttons)
        self.setFocusProxy(self.table)  # focusing the field puts the cursor in its rows

    def add_row(self) -> None:
        """A blank row at the end, its first cell ready for typing."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setCurrentCell(row, 0)
        self.edited.emit()

    def remove_row(self) -> None:
        """Remove the current row."""
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.edited.emit()

    def value(self) -> list[dict[str, str]]:
        rows = [
            {key: _cell(self.table.item(row, n)) for n, key in enumerate(self._keys)}
            for row in range(self.table.rowCount())
        ]
        return [row for row in rows if any(row.values())]

    def set_value(self, value: Any) -> None:
        rows: list[Mapping[str, Any]] = list(value) if isinstance(value, list | tuple) else []
        self.table.blockSignals(True)
        try:
            self.table.setRowCount(len(rows))
            for row, cells in enumerate(rows):
                for n, key in enumerate(self._keys):
                    self.table.setItem(row, n, QTableWidgetItem(_text(cells.get(key))))
        finally:
            self.table.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        triggers = QAbstractItemView.EditTrigger
        self.table.setEditTriggers(
            triggers.NoEditTriggers if read_only else triggers.AllEditTriggers
        )
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)


def field_editor(spec: DocumentSpec, field: FieldSpec) -> FieldEditor:
    """The editor the spec asks for ``field``."""
    if field.kind == "rows":
        return RowsField(table_columns(spec, field.name))
    if field.kind == "list":
        return ListField()
    return BoxField() if field.multiline else LineField()


def table_columns(spec: DocumentSpec, field_name: str) -> list[tuple[str, str]]:
    """(key, label) of the columns the table block of ``field_name`` prints; 序号 is numbered
    by the renderer, so it is not typed. A rows field without a table gets one column."""
    for block in spec.body:
        if block.get("block") == "table" and block.get("field") == field_name:
            return [
                (column["key"], column["label"])
                for column in block.get("columns", ())
                if column["key"] != ROW_NUMBER_KEY
            ]
    return [("text", spec.fields[field_name].label)]


def _wrap(editor: QWidget, inner: QWidget) -> None:
    layout = QVBoxLayout(editor)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(inner)
    editor.setFocusProxy(inner)  # focusing a field puts the cursor in it


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _cell(item: QTableWidgetItem | None) -> str:
    return item.text().strip() if item is not None else ""
