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
