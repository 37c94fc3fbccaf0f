"""Pick the venue to inspect: search the registry as you type, choose from the matches.

The search runs on the workers (the registry may hold 100,000 enterprises) and only the first
matches are listed; a stale answer to an older search is dropped. Enter in the search box
takes the first match and moves to the list, where the arrows choose another and Enter (or a
double-click) confirms it: ``picked``, on which the form moves on to its next field.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.registry.registry import EnterpriseRow
from ui.context import AppContext
from ui.errors import show_failure

SEARCH_DELAY_MS = 150
SHOWN_MATCHES = 50
ID_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2
ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class VenuePicker(QWidget):
    """A search box over a short result list; ``chosen`` carries the venue's id ("" for none)."""

    chosen = Signal(str)
    picked = Signal(str)  # the venue confirmed (Enter or a double-click in the list)

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self._context = context
        self._serial = 0
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.search = QLineEdit()
        self.search.setPlaceholderText("输入名称、信用代码、地址或负责人搜索")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.installEventFilter(self)
        self.results = QListWidget()
        self.results.setFixedHeight(150)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.currentItemChanged.connect(self._current_changed)
        self.results.activated.connect(lambda _index: self.picked.emit(self.selected_id() or ""))
        self.count = QLabel()
        self.count.setStyleSheet("color: #5b6675;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addWidget(self.count)
        self.search_now()

    def selected_id(self) -> str | None:
        """The chosen venue, if any."""
        current = self.results.currentItem()
        return current.data(ID_ROLE) if current else None

    def selected_name(self) -> str:
        """The chosen venue's name ("" for none), e.g. for an 已选 line under the list."""
        current = self.results.currentItem()
        return current.data(NAME_ROLE) if current else ""

    def search_now(self, select_id: str | None = None, take_first: bool = False) -> None:
        """Search for the box's text in the background, then select ``select_id`` if listed
        (or the first match, with the keyboard moved to the list, when ``take_first``)."""
        self._timer.stop()
        self._serial += 1
        serial, text, database = self._serial, self.search.text(), self._context.database

        def work() -> tuple[int, list[EnterpriseRow]]:
            ids = registry.search_enterprise_ids(database, text)
            return len(ids), registry.enterprise_rows(database, ids[:SHOWN_MATCHES])

        self.count.setText("正在搜索…")
        self._context.workers.run(
            work,
            lambda found: self._show(serial, found, select_id, take_first),
            lambda error: show_failure(self, error, "搜索失败"),
        )

    def choose(self, enterprise_id: str, name: str) -> None:
        """List and select a venue just created (searched by its name)."""
        self.search.blockSignals(True)
        self.search.setText(name)
        self.search.blockSignals(False)
        self.search_now(select_id=enterprise_id)

    def _show(
        self,
        serial: int,
        found: tuple[int, list[EnterpriseRow]],
        select_id: str | None,
        take_first: bool,
    ) -> None:
        if serial != self._serial:
            return  # a newer search is on its way
        total, rows = found
        keep = select_id or self.selected_id()
        self.results.blockSignals(True)
        self.results.clear()
        for row in rows:
            entry = QListWidgetItem(f"{row.name}　{row.address}")
            entry.setData(ID_ROLE, row.id)
            entry.setData(NAME_ROLE, row.name)
            entry.setToolTip(f"{row.name}\n{row.address}\n{row.categories}")
            self.results.addItem(entry)
            if row.id == keep:
                self.results.setCurrentItem(entry)
        if take_first and rows:
            self.results.setCurrentRow(0)
            self.results.setFocus()
        self.results.blockSignals(False)
        shown = f"，列出前 {SHOWN_MATCHES} 家" if total > SHOWN_MATCHES else ""
        self.count.setText(f"找到 {total:,} 家{shown}")
        self.chosen.emit(self.selected_id() or "")
        if select_id and select_id == self.selected_id():
            self.picked.emit(select_id)  # chosen by the caller, e.g. 检查此场所 or 新建场所

    def _current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        self.chosen.emit(current.data(ID_ROLE) if current else "")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the search box takes the first match instead of pressing the dialog's button."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in ENTER_KEYS:
                self.search_now(take_first=True)
                return True
        return super().eventFilter(watched, event)
