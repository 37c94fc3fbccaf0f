"""The one seam for background work: run a callable off the UI thread, hand back the result.

Modelled on Anki's ``QueryOp``: the callable runs on a pool thread and never touches widgets;
``on_success`` / ``on_failure`` run on the UI thread. Queries, imports and renders all use it,
so the window stays responsive.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the UI thread; its queued signals carry the outcome back from the worker."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # reported to the UI thread, never swallowed
            self._relay.failed.emit(error)
        else:
            self._relay.succeeded.emit(result)


class Workers(QObject):
    """Runs background operations; owned by the composition root."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._pending: set[_Relay] = set()

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        """Run ``work()`` in the background; then call one of the handlers on the UI thread."""
        relay = _Relay()
        self._pending.add(relay)

        def done(handler: Callable[[Any], None], value: Any) -> None:
            self._pending.discard(relay)
            relay.deleteLater()
            handler(value)

        relay.succeeded.connect(lambda result: done(on_success, result))
        relay.failed.connect(lambda error: done(on_failure, error))
        self._pool.start(_Job(work, relay))

    def busy(self) -> bool:
        """Whether any operation has not yet reported back (tests and shutdown wait on it)."""
        return bool(self._pending)

    def shutdown(self) -> None:
        """Wait for running operations before the database closes."""
        self._pool.waitForDone()
