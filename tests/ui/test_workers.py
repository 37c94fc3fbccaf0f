"""Background work lets go of what it captured on the UI thread, never on a pool thread.

A job's callable may hold the last reference to a page or dialog; destroyed on a pool thread,
a widget crashes Qt. Expected: whatever the timing, the object a job's callable captured is
freed on the main thread, after the job has reported back.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable

from pytestqt.qtbot import QtBot

from ui.workers import Workers

JOBS = 40


class Captured:
    """Stands for a widget a job's closure holds."""


def test_what_a_job_captured_is_freed_on_the_ui_thread(qtbot: QtBot, workers: Workers) -> None:
    freed_on: list[str] = []
    reported: list[int] = []
    for number in range(JOBS):
        captured = Captured()
        weakref.finalize(captured, lambda: freed_on.append(threading.current_thread().name))
        work: Callable[[], int] = lambda captured=captured, number=number: number  # noqa: E731
        workers.run(work, reported.append, lambda error: None)
        del captured, work  # from here on, only the workers hold it
    qtbot.waitUntil(lambda: len(reported) == JOBS and len(freed_on) == JOBS, timeout=10_000)
    assert set(freed_on) == {threading.main_thread().name}


def test_a_failed_job_lets_go_on_the_ui_thread_and_keeps_its_trace_as_text(
    qtbot: QtBot, workers: Workers
) -> None:
    freed_on: list[str] = []
    failures: list[Exception] = []
    captured = Captured()
    weakref.finalize(captured, lambda: freed_on.append(threading.current_thread().name))

    def fail(captured: Captured = captured) -> None:
        raise ValueError("坏数据")

    workers.run(fail, lambda _result: None, failures.append)
    del captured, fail
    qtbot.waitUntil(lambda: bool(failures) and bool(freed_on), timeout=10_000)
    assert freed_on == [threading.main_thread().name]
    assert failures[0].__traceback__ is None
    assert "raise ValueError" in failures[0].__notes__[0]
