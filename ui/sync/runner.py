"""The background sync: one round at a time, on demand and every N minutes, never on the UI
thread.

A round (``sync_client.round.run_round``) talks to HQ for as long as the data needs — a second
with nothing to send, an hour for a video on a slow link — so it runs through the app's one
background seam (``ui.workers``) and reports progress through a queued signal. Only one round
runs at a time: 同步 pressed during a round does nothing more. While HQ cannot be reached the
runner tries again quietly, sooner at first (1, 2, 4 … minutes, never later than the interval),
and it stops trying on its own when HQ has revoked this laptop (a person must act).

The lock and 退出登录 stop it: the round is cancelled at its next progress report (the round is
written to resume after a crash at any point, so a cancel is one), and 退出登录 waits for the
worker before closing the database. The round's callable is a parameter, so tests drive the
runner with a fake round and a timer of milliseconds.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from fuanjian_desktop.db.engine import Database
from ui.workers import Workers

RoundFunction = Callable[..., Any]
"""``run_round(database, *, progress=callback) -> RoundResult``, raising ``SyncError``."""

FIRST_RETRY = dt.timedelta(minutes=1)
START_DELAY = dt.timedelta(seconds=5)  # after sign-in: a round interrupted last time resumes
STOP_CODES = frozenset({"revoked", "protocol"})  # HQ refuses for good: retrying cannot help


class RoundCancelled(Exception):
    """Raised inside the round's progress report to stop it (the lock, 退出登录)."""


class _Relay(QObject):
    """Lives on the UI thread; the worker's progress reports arrive through its queued signal."""

    progressed = Signal(object)


class SyncRunner(QObject):
    """Runs sync rounds for one signed-in window.

    Signals (UI thread): ``started`` when a round begins, ``progressed(RoundProgress)`` during
    it, ``succeeded(RoundResult)`` or ``failed(Exception)`` at its end (not after a cancel),
    ``ended`` after every round (cancelled too), ``next_attempt(datetime | None)`` when the next
    automatic round is planned (None: none).
    """

    started = Signal()
    ended = Signal()
    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(object)
    next_attempt = Signal(object)

    def __init__(
        self,
        database: Database,
        workers: Workers,
        round_function: RoundFunction,
        interval: dt.timedelta,
        parent: QObject | None = None,
        start_delay: dt.timedelta = START_DELAY,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._workers = workers
        self._round = round_function
        self.interval = interval
        self._start_delay = start_delay
        self.enrolled = False
        self.running = False
        self._locked = False
        self._stopped = False
        self._failures = 0  # in a row, for the quiet retries
        self._cancel = threading.Event()
        self._relay = _Relay(self)
        self._relay.progressed.connect(self.progressed)
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.run_now)

    def watch(self, window: QWidget) -> None:
        """Stop for good when ``window`` is hidden by the program (退出登录, closing the app)."""
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A programmatic Hide of the watched window is a sign-out or the end of the app (a
        minimised window is hidden spontaneously and keeps syncing)."""
        if event.type() == QEvent.Type.Hide and not event.spontaneous():
            self.stop()
        return False

    def set_enrolled(self, enrolled: bool) -> None:
        """Rounds run automatically only once this laptop is enrolled with HQ."""
        was, self.enrolled = self.enrolled, enrolled
        if enrolled and not was and not self._locked:
            self._plan(self._start_delay)
        elif not enrolled:
            self._plan(None)

    def set_interval(self, interval: dt.timedelta) -> None:
        """Every ``interval`` from now on (an administrator changed it); the next round is
        planned anew unless a round is running (it plans the next when it ends)."""
        if interval == self.interval:
            return
        self.interval = interval
        if self.enrolled and not self.running:
            self._plan(interval)

    def set_locked(self, locked: bool) -> None:
        """The idle lock came (cancel the round, plan none) or went (plan the next)."""
        self._locked = locked
        if locked:
            self._cancel.set()
            self._plan(None)
        elif self.enrolled and not self.running:
            self._plan(self._delay())

    def stop(self) -> None:
        """Signed out: cancel the round and never start another."""
        self._stopped = True
        self._cancel.set()
        self._plan(None)

    def run_now(self) -> bool:
        """Start a round now (同步, or the timer); False when one runs or none may run."""
        if self.running or self._locked or self._stopped:
            return False
        self.running = True
        self._timer.stop()
        self._cancel.clear()
        database, round_function, report = self._database, self._round, self._report
        self._workers.run(
            lambda: round_function(database, progress=report), self._done, self._failed
        )
        self.started.emit()
        return True

    def _report(self, progress: object) -> None:
        """The round's progress callback, called on the worker thread."""
        if self._cancel.is_set():
            raise RoundCancelled
        self._relay.progressed.emit(progress)

    def _done(self, result: object) -> None:
        self.running = False
        self._failures = 0
        self.succeeded.emit(result)
        self.ended.emit()
        self._plan_after_round()

    def _failed(self, error: Exception) -> None:
        self.running = False
        if self._cancel.is_set():  # cancelled (however the round passed the cancel on)
            self.ended.emit()
            self._plan_after_round()
            return
        self._failures += 1
        self.failed.emit(error)
        self.ended.emit()
        if getattr(error, "code", None) in STOP_CODES:
            self._plan(None)
        else:
            self._plan_after_round()

    def _plan_after_round(self) -> None:
        if self.enrolled and not self._locked and not self._stopped:
            self._plan(self._delay())
        else:
            self._plan(None)

    def _delay(self) -> dt.timedelta:
        """The interval, or after failures in a row 1, 2, 4 … minutes up to the interval."""
        if not self._failures:
            return self.interval
        return min(self.interval, FIRST_RETRY * 2 ** (self._failures - 1))

    def _plan(self, delay: dt.timedelta | None) -> None:
        if delay is None or self._stopped:
            self._timer.stop()
            self.next_attempt.emit(None)
            return
        self._timer.start(max(0, int(delay.total_seconds() * 1000)))
        self.next_attempt.emit(dt.datetime.now(dt.UTC) + delay)
