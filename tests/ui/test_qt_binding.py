"""Guards against a known-bad Qt binding: the app emits signals for every background job."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal(int)


def test_signal_emit_keeps_reference_counts():
    """Emitting from Python must not leak or steal references (PySide6 6.12.0 steals `True`).

    With 6.12.0 on Python 3.11 each emit dropped one reference to ``True`` until the interpreter
    aborted with ``bool_dealloc`` — a long session of searches would crash the app.
    """
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for value in range(200):  # few enough that a bad binding fails here rather than aborting
        emitter.fired.emit(value)
    assert abs(sys.getrefcount(True) - before) < 10
