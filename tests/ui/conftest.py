"""UI fixtures: a signed-in context over a demo database, and waiting for background work."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import groupby

import pytest
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.setup import installation
from ui.app import make_application
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.workers import Workers

MakeContext = Callable[[Actor], AppContext]


@pytest.fixture
def workers(qapp: object) -> Iterator[Workers]:
    """The background-op helper; waits for stragglers so no job outlives its database."""
    make_application()
    helper = Workers()
    yield helper
    helper.shutdown()


@pytest.fixture
def make_context(demo_database: Database, workers: Workers) -> MakeContext:
    """Builds the context a window gets for a signed-in actor."""

    def make(actor: Actor) -> AppContext:
        return AppContext(
            demo_database, actor, installation(demo_database), workers, "园岭测试中队"
        )

    return make


@pytest.fixture
def wait_idle(qtbot: QtBot, workers: Workers) -> Callable[[], None]:
    """Blocks (processing events) until every background operation has reported back."""
    return lambda: qtbot.waitUntil(lambda: not workers.busy(), timeout=10_000)


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a user: ASCII as key presses, Chinese as an input-method commit.

    QTest can only synthesise keys for Latin-1 characters; Chinese text reaches a real widget
    through the input method, so that is how the test delivers it.
    """
    widget.setFocus()
    for is_ascii, run in groupby(text, key=str.isascii):
        chunk = "".join(run)
        if is_ascii:
            qtbot.keyClicks(widget, chunk)
        else:
            event = QInputMethodEvent()
            event.setCommitString(chunk)
            QApplication.sendEvent(widget, event)


def active_main_window(qtbot: QtBot, context: AppContext) -> MainWindow:
    """The main window shown and active, as after signing in (keys reach its focus widget)."""
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    return window
