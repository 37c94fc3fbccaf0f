"""The status bar's sync corner: what it says in each state, its progress during a round, the
同步 button (F5) and the 冲突 button."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.round import RoundResult
from tests.ui.conftest import MakeContext
from tests.ui.sync.support import progress, status
from ui.sync.runner import SyncRunner
from ui.sync.status_bar import SyncStatusBar
from ui.workers import Workers

UNREACHABLE = "无法连接区局服务器，请检查网络后重试。"
RED = "color: #b3261e;"


class Laptop:
    """The sync state the bar reads, and a round the test lets through step by step."""

    def __init__(self) -> None:
        self.state = status(enrolled=False)
        self.gate = threading.Event()
        self.gate.set()
        self.error: Exception | None = None
        self.rounds = 0

    def read(self, _database: Database) -> tuple[Any, int]:
        return self.state, 15

    def round(self, _database: Database, *, progress: Callable[[Any], None]) -> RoundResult:
        self.rounds += 1
        progress(PUSHING)
        self.gate.wait(10)
        if self.error is not None:
            raise self.error
        return RoundResult(pushed=3, pulled=0, conflicts=0, uploaded_bytes=0, downloaded_bytes=0)


PUSHING = progress("上传记录", 1, 3)


@pytest.fixture
def laptop() -> Laptop:
    return Laptop()


@pytest.fixture
def make_bar(
    qtbot: QtBot, make_context: MakeContext, sign_in: Any, workers: Workers, laptop: Laptop
) -> Iterator[Callable[[], SyncStatusBar]]:
    bars: list[SyncStatusBar] = []

    def make() -> SyncStatusBar:
        context = make_context(sign_in("zhaolei"))
        runner = SyncRunner(
            context.database,
            workers,
            laptop.round,
            dt.timedelta(hours=1),
            start_delay=dt.timedelta(hours=1),
        )
        bar = SyncStatusBar(context, runner, laptop.read)
        qtbot.addWidget(bar)
        bar.show()
        qtbot.waitUntil(lambda: bar.status is not None, timeout=5000)
        bars.append(bar)
        return bar

    yield make
    laptop.gate.set()
    for bar in bars:
        bar.runner.stop()
    qtbot.waitUntil(lambda: not workers.busy(), timeout=10_000)  # every report delivered


def test_not_enrolled_says_so_and_sync_leads_to_the_settings(
    qtbot: QtBot, make_bar: Callable[[], SyncStatusBar], laptop: Laptop
) -> None:
    """Before enrollment: 未接入区局; F5 asks for the 同步 page instead of a round."""
    bar = make_bar()
    assert bar.line.full_text() == "同步：未接入区局"
    assert bar.sync_button.text() == "同步 (F5)"
    with qtbot.waitSignal(bar.settings_requested, timeout=1000):
        qtbot.keyClick(bar, Qt.Key.Key_F5)
    assert laptop.rounds == 0


def test_a_round_shows_its_progress_then_the_new_state(
    qtbot: QtBot, make_bar: Callable[[], SyncStatusBar], laptop: Laptop, wait_idle: Any
) -> None:
    """同步: the progress bar and the stage while it runs (button off), then 上次同步 and
    待上传 as read afterwards."""
    laptop.state = status(pending=3)
    bar = make_bar()
    assert bar.line.full_text() == "上次同步：从未　待上传：3"
    laptop.gate.clear()
    qtbot.mouseClick(bar.sync_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.line.full_text() == "正在同步：上传记录 1/3", timeout=5000)
    assert bar.progress.isVisible() and bar.progress.value() == 1
    assert not bar.sync_button.isEnabled()
    laptop.state = status(pending=0, last_success_at=dt.datetime.now(dt.UTC))
    laptop.gate.set()
    qtbot.waitUntil(lambda: bar.line.full_text().startswith("上次同步：今天"), timeout=5000)
    assert bar.line.full_text().endswith("待上传：0")
    assert not bar.progress.isVisible() and bar.sync_button.isEnabled()
    assert laptop.rounds == 1


def test_a_failed_round_is_shown_in_red_with_its_retry(
    qtbot: QtBot, make_bar: Callable[[], SyncStatusBar], laptop: Laptop
) -> None:
    """HQ unreachable: the Chinese message and the time of the quiet retry, in red, until a
    round succeeds."""
    laptop.state = status()
    bar = make_bar()
    laptop.error = SyncError(UNREACHABLE, "unreachable")
    bar.sync_now()
    qtbot.waitUntil(lambda: bar.line.full_text().startswith("同步未完成"), timeout=5000)
    assert "自动重试" in bar.line.full_text() and UNREACHABLE in bar.line.toolTip()
    assert bar.line.styleSheet() == RED
    laptop.error = None
    bar.sync_now()
    qtbot.waitUntil(lambda: bar.line.full_text().startswith("上次同步"), timeout=5000)
    assert bar.line.styleSheet() == ""


@pytest.mark.parametrize(
    ("changes", "start"),
    [({"revoked": True}, "同步已停用"), ({"flagged": True}, "同步链异常")],
)
def test_revoked_and_flagged_laptops_are_shown_in_red(
    make_bar: Callable[[], SyncStatusBar], laptop: Laptop, changes: dict[str, bool], start: str
) -> None:
    """已停用 and 链异常 stay on the line, in red, whatever else happens."""
    laptop.state = status(**changes)
    bar = make_bar()
    assert bar.line.full_text().startswith(start) and bar.line.styleSheet() == RED


def test_open_conflicts_get_a_button(
    qtbot: QtBot, make_bar: Callable[[], SyncStatusBar], laptop: Laptop
) -> None:
    """冲突 N appears when conflicts wait for a person, and leads to the list."""
    bar = make_bar()
    assert not bar.conflicts_button.isVisible()
    laptop.state = status(open_conflicts=2)
    bar.refresh()
    qtbot.waitUntil(bar.conflicts_button.isVisible, timeout=5000)
    assert bar.conflicts_button.text() == "冲突 2"
    with qtbot.waitSignal(bar.conflicts_requested, timeout=1000):
        qtbot.mouseClick(bar.conflicts_button, Qt.MouseButton.LeftButton)


def test_a_long_line_ends_in_an_ellipsis_when_the_bar_is_narrow(
    qtbot: QtBot, make_bar: Callable[[], SyncStatusBar], laptop: Laptop
) -> None:
    """Squeezed by the other status-bar widgets, the line shows its beginning and …, never a
    word cut off without a sign; the whole message stays in the tooltip."""
    laptop.state = status()
    bar = make_bar()
    laptop.error = SyncError(UNREACHABLE, "unreachable")
    bar.sync_now()
    qtbot.waitUntil(lambda: bar.line.full_text().startswith("同步未完成"), timeout=5000)
    line = bar.line
    line.setContentsMargins(8, 0, 8, 0)  # room around the text, as the status bar's padding
    line.resize(200, line.height())
    shown = line.text()
    assert shown.endswith("…") and line.full_text().startswith(shown[:-1])
    assert line.toolTip() == UNREACHABLE
    line.resize(line.sizeHint().width(), line.height())
    assert line.text() == line.full_text()
    line.resize(line.sizeHint().width() - 1, line.height())  # one pixel short: elided
    assert line.text().endswith("…")
