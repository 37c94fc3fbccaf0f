"""The one seam for background work: run a callable off the UI thread, hand back the result.

Modelled on Anki's ``QueryOp``: the callable runs on a pool thread and never touches widgets;
``on_success`` / ``on_failure`` run on the UI thread. Queries, imports and renders all use it,
so the window stays responsive.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the UI thread; its queued signals carry the outcome back from the worker."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    """Runs ``work`` on a pool thread, which lets go of it before reporting.

    ``work`` may hold the last reference to a page or dialog (a closure over ``self``); were it
    released last on the pool thread, Python would destroy that widget there and Qt would
    crash. The UI thread keeps its own reference until the report arrives (``Workers._pending``)
    and so always lets go last.
    """

    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work: Callable[[], Any] | None = work
        self._relay = relay

    def run(self) -> None:
        work, self._work = self._work, None
        assert work is not None
        try:
            result = work()
        except Exception as error:  # reported to the UI thread, never swallowed
            del work
            self._relay.failed.emit(without_frames(error))
        else:
            del work
            self._relay.succeeded.emit(result)


def without_frames(error: Exception) -> Exception:
    """``error`` with its traceback kept as text (a note, which the log prints) instead of
    frames: the frames would hold the job's closure, and whatever it captured, until the UI
    thread is done with the error, and release it on whichever thread lets go last."""
    error.add_note("".join(traceback.format_tb(error.__traceback__)).rstrip())
    return error.with_traceback(None)


class Workers(QObject):
    """Runs background operations; owned by the composition root."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._pending: dict[_Relay, Callable[[], Any]] = {}  # each job's work, kept here

    def run(
        self,
        work: Callable[[], Any],
        on_success: Callable[[Any], None],
        on_failure: Callable[[Exception], None],
    ) -> None:
        """Run ``work()`` in the background; then call one of the handlers on the UI thread."""
        relay = _Relay(self)  # Qt's to delete, on this thread, whoever holds it last
        self._pending[relay] = work  # the last reference to ``work`` is let go here

        def done(handler: Callable[[Any], None], value: Any) -> None:
            self._pending.pop(relay, None)
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
