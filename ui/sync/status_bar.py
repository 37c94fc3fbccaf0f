"""The sync corner of the main window's status bar: state, progress, 冲突 and the 同步 button.

It reads this laptop's sync state (``sync_client.status.sync_status``) in the background when
shown and after every round, and drives the window's :class:`ui.sync.runner.SyncRunner`. The
line says, in Chinese: not enrolled; the last sync and what waits to be sent; the stage of a
running round; why the last round failed and when it is tried again; or that HQ has stopped
this laptop (已停用) or quarantined its data (链异常).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.sync_client.round import run_round
from fuanjian_desktop.sync_client.settings import DEFAULT_INTERVAL_MINUTES, sync_interval_minutes
from fuanjian_desktop.sync_client.status import sync_status
from ui.context import AppContext
from ui.errors import failure_text
from ui.shortcuts import SYNC_NOW, keyed
from ui.sync import texts
from ui.sync.elided_label import ElidedLabel
from ui.sync.runner import SyncRunner

StateReader = Callable[[Database], tuple[Any, int]]  # (SyncStatus, interval minutes)
PROBLEM_STYLE = "color: #b3261e;"
CONFLICT_STYLE = "color: #b3261e; font-weight: bold;"


class SyncStatusBar(QWidget):
    """``status_changed(SyncStatus)`` after each reading (the 同步 page shows it too);
    ``settings_requested`` when 同步 is pressed before the laptop is enrolled;
    ``conflicts_requested`` from the 冲突 button."""

    status_changed = Signal(object)
    settings_requested = Signal()
    conflicts_requested = Signal()
    data_arrived = Signal()  # a round brought records from HQ: open lists may refresh

    def __init__(
        self, context: AppContext, runner: SyncRunner, read_state: StateReader | None = None
    ) -> None:
        super().__init__()
        self._context = context
        self.runner = runner
        self._read_state = read_state or read_sync_state
        self.status: Any = None  # the last SyncStatus read
        self._failure: str | None = None  # the last round's message until a round succeeds
        self._next_at: dt.datetime | None = None
        self.line = ElidedLabel("同步：正在读取状态…")
        self.progress = QProgressBar()
        self.progress.setFixedWidth(80)
        self.progress.setMaximumHeight(14)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.conflicts_button = QPushButton()
        self.conflicts_button.setFlat(True)
        self.conflicts_button.setStyleSheet(CONFLICT_STYLE)
        self.conflicts_button.setToolTip("有需要人工决定的同步冲突，点击查看")
        self.conflicts_button.hide()
        self.conflicts_button.clicked.connect(self.conflicts_requested)
        self.sync_button = keyed(QPushButton("同步"), SYNC_NOW)
        self.sync_button.setFlat(True)
        self.sync_button.clicked.connect(self.sync_now)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for widget in (self.line, self.progress, self.conflicts_button, self.sync_button):
            layout.addWidget(widget)
        runner.started.connect(self._started)
        runner.progressed.connect(self._progressed)
        runner.succeeded.connect(self._succeeded)
        runner.failed.connect(self._failed)
        runner.ended.connect(self._ended)
        runner.next_attempt.connect(self._planned)
        self.refresh()

    def refresh(self) -> None:
        """Read the sync state and interval again (in the background) and show them."""
        database, read = self._context.database, self._read_state
        self._context.workers.run(lambda: read(database), self._show_state, self._unread)

    def sync_now(self) -> None:
        """同步: a round now; before enrollment, the 同步 page instead (where one enrolls)."""
        if self.status is not None and not self.status.enrolled:
            self.settings_requested.emit()
            return
        self.runner.run_now()

    def _show_state(self, state: tuple[Any, int]) -> None:
        status, minutes = state
        self.status = status
        self.runner.set_interval(dt.timedelta(minutes=minutes))
        self.runner.set_enrolled(status.enrolled)
        count = status.open_conflicts
        self.conflicts_button.setText(f"冲突 {count}")
        self.conflicts_button.setVisible(bool(count))
        if not self.runner.running:
            self._show_line()
        self.status_changed.emit(status)

    def _unread(self, error: Exception) -> None:
        self._set_line(texts.StateText("同步：无法读取状态", failure_text(error), problem=True))

    def _show_line(self) -> None:
        if self.status is None:
            return
        state = texts.status_text(self.status, dt.datetime.now(dt.UTC))
        if self._failure is not None and not state.problem and self.status.enrolled:
            state = texts.failure_line(self._failure, self._next_at)
        self._set_line(state)

    def _set_line(self, state: texts.StateText) -> None:
        self.line.set_full_text(state.text)
        self.line.setToolTip(state.tooltip)
        self.line.setStyleSheet(PROBLEM_STYLE if state.problem else "")

    def _started(self) -> None:
        self.sync_button.setEnabled(False)
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.show()
        self._set_line(texts.StateText("正在同步…", "正在与区局同步，可继续工作。"))

    def _progressed(self, progress: Any) -> None:
        self.progress.setRange(0, max(progress.total, 0))
        self.progress.setValue(min(progress.done, progress.total))
        text = f"正在同步：{texts.stage_text(progress)}"
        self._set_line(texts.StateText(text, f"{text}\n可继续工作，同步在后台进行。"))

    def _succeeded(self, result: Any) -> None:
        self._failure = None
        if result.pulled:
            self.data_arrived.emit()

    def _failed(self, error: Exception) -> None:
        self._failure = failure_text(error)

    def _ended(self) -> None:
        """After every round, cancelled too: the button back, the state read again."""
        self.sync_button.setEnabled(True)
        self.progress.hide()
        self.refresh()

    def _planned(self, moment: dt.datetime | None) -> None:
        self._next_at = moment
        if not self.runner.running:
            self._show_line()


def read_sync_state(database: Database) -> tuple[Any, int]:
    """This laptop's ``SyncStatus`` and its interval in minutes (on a worker)."""
    return sync_status(database), sync_interval_minutes(database)


def window_sync_bar(context: AppContext, window: QWidget) -> SyncStatusBar:
    """The status-bar corner of the main window ``window``: rounds of the real
    ``run_round``, stopped when the window is hidden by signing out."""
    interval = dt.timedelta(minutes=DEFAULT_INTERVAL_MINUTES)  # until the laptop's own is read
    runner = SyncRunner(context.database, context.workers, run_round, interval, window)
    runner.watch(window)
    return SyncStatusBar(context, runner)
