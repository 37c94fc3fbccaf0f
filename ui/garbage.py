"""Python's cycle collector runs on the GUI thread, never on a worker.

Python collects reference cycles in whichever thread happens to allocate when its counters pass
their thresholds, and that can be one of the background workers (``ui.workers``). A dialog or
window that Python owns and that sits in a cycle (a lambda connected to its own signal, say)
is then destroyed on that worker, and Qt crashes: a widget must be destroyed on the GUI thread
(seen as a SIGSEGV in ``QBackingStore::~QBackingStore`` on a "Thread (pooled)" under gdb).
So the automatic collector is switched off and this timer on the GUI thread runs it instead,
with Python's own thresholds, as PyQt and PySide applications commonly do.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

CHECK_INTERVAL_MS = 200


class GuiThreadCollector(QObject):
    """Owned by the application; collects when Python would have, but on this thread."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self, interval=CHECK_INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> None:
        """The generations whose allocation counts passed their thresholds, youngest first."""
        counts = gc.get_count()
        generation = -1
        for level, (count, threshold) in enumerate(zip(counts, self._thresholds, strict=True)):
            if threshold <= 0 or count <= threshold:
                break
            generation = level
        if generation >= 0:
            gc.collect(generation)


def collect_on_gui_thread(app: QObject) -> GuiThreadCollector:
    """Move cycle collection onto the GUI thread (once per application)."""
    installed = app.findChild(GuiThreadCollector)
    if isinstance(installed, GuiThreadCollector):
        return installed
    return GuiThreadCollector(app)
