"""The read-only table of a record list (documents, transcripts): whole rows, Enter or a
double-click opens the row."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def record_table(
    model: QAbstractItemModel,
    widths: Sequence[int],
    *,
    selection: QAbstractItemView.SelectionMode,
    on_open: Callable[[], None],
    on_select: Callable[[], None],
) -> QTableView:
    """A table of ``model``'s rows: columns ``widths`` wide, the last stretched, rows as tall as
    their text; Enter or a double-click (the view's ``activated``) calls ``on_open``, a change of
    selection ``on_select``."""
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    table.horizontalHeader().setStretchLastSection(True)
    # 'activated' is Enter and the platform's double-click; doubleClicked too would open twice
    table.activated.connect(lambda _index: on_open())
    table.selectionModel().selectionChanged.connect(lambda *_: on_select())
    return table
