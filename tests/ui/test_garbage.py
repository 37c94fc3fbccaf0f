"""Reference cycles are collected on the GUI thread only (ui/garbage.py).

A Qt widget destroyed on a worker thread crashes the app; Python would collect a cycle holding
one in whatever thread allocates at the wrong moment. Expected: after make_application the
automatic collector is off, a cycle made garbage on a worker thread survives there however much
that thread allocates, and the GUI thread's timer collects it.
"""

from __future__ import annotations

import gc
import threading
import weakref

from pytestqt.qtbot import QtBot

from ui.app import make_application
from ui.garbage import CHECK_INTERVAL_MS


class Cycle:
    """An object in a reference cycle: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_a_cycle_dropped_on_a_worker_is_collected_on_the_gui_thread(qtbot: QtBot) -> None:
    make_application()
    assert not gc.isenabled()
    dropped: list[weakref.ref[Cycle]] = []

    def worker() -> None:
        dropped.append(weakref.ref(Cycle()))
        for _ in range(50 * gc.get_threshold()[0]):  # cyclic garbage far past the threshold
            Cycle()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert dropped[0]() is not None
    qtbot.waitUntil(lambda: dropped[0]() is None, timeout=10 * CHECK_INTERVAL_MS)
