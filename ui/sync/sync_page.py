"""同步: the page of the main window with this laptop's sync settings and its 冲突 list.

The page is built by the main window like any other; ``attach`` links it to the window's
status-bar corner (:class:`ui.sync.status_bar.SyncStatusBar`), which holds the runner and
reads the state, so the page and the status bar always show the same thing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ui.context import AppContext
from ui.sync.conflicts_tab import ConflictsTab
from ui.sync.settings_tab import SyncSettingsTab
from ui.sync.status_bar import SyncStatusBar

SETTINGS_TITLE = "同步设置"


class SyncPage(QWidget):
    """Two tabs: 同步设置 (state, interval, enrollment) and 冲突 (with the open count)."""

    title = "同步"

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.settings = SyncSettingsTab(context)
        self.conflicts = ConflictsTab(context)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.settings, SETTINGS_TITLE)
        self.tabs.addTab(self.conflicts, "冲突")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.conflicts.reload()

    def attach(self, bar: SyncStatusBar) -> None:
        """Show the status bar's readings here; 立即同步, a new interval, an enrollment and a
        settled conflict go through it."""
        bar.status_changed.connect(self._show_status)
        if bar.status is not None:
            self._show_status(bar.status)
        bar.runner.started.connect(lambda: self.settings.set_running(True))
        bar.runner.ended.connect(lambda: self.settings.set_running(False))
        bar.runner.ended.connect(self.conflicts.reload)
        self.settings.sync_requested.connect(bar.sync_now)
        self.settings.interval_saved.connect(
            lambda minutes: bar.runner.set_interval(dt.timedelta(minutes=minutes))
        )
        self.settings.enrolled.connect(bar.refresh)
        self.conflicts.resolved.connect(bar.refresh)

    def _show_status(self, status: Any) -> None:
        self.settings.show_status(status)
        count = status.open_conflicts
        self.tabs.setTabText(1, f"冲突（{count}）" if count else "冲突")

    def show_conflicts(self) -> None:
        """Switch to the 冲突 tab (the status bar's 冲突 button)."""
        self.tabs.setCurrentWidget(self.conflicts)

    def refresh(self) -> None:
        """The page shown again: the conflicts may have changed meanwhile."""
        self.conflicts.reload()
