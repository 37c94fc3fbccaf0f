"""The background sync runner: off the UI thread, one round at a time, on a timer while
enrolled, quiet retries while HQ is unreachable, stopped by the lock and by signing out."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.progress import RoundProgress
from ui.sync.runner import SyncRunner
from ui.workers import Workers

FAR = dt.timedelta(hours=1)  # an interval no test waits for
UNREACHABLE = "无法连接区局服务器，请检查网络后重试。"


class FakeRound:
    """A round the test controls: it reports progress, may wait for a gate, may fail."""

    def __init__(self) -> None:
        self.calls: list[str] = []  # the thread each call ran on
        self.gate = threading.Event()
        self.gate.set()
        self.error: Exception | None = None
        self.reports: list[RoundProgress] = [RoundProgress("上传记录", 1, 2)]

    def __call__(self, database: Database, *, progress: Callable[[Any], None]) -> str:
        self.calls.append(threading.current_thread().name)
        for report in self.reports:
            progress(report)
        while not self.gate.wait(0.01):
            progress(RoundProgress("上传附件", 0, 1))  # a long upload still reporting
        if self.error is not None:
            raise self.error
        return "result"


@pytest.fixture
def fake_round() -> FakeRound:
    return FakeRound()


@pytest.fixture
def make_runner(
    qtbot: QtBot, workers: Workers, fake_round: FakeRound
) -> Iterator[Callable[..., SyncRunner]]:
    """Builds runners over the fake round; afterwards stops them and lets every round report
    back (a report still queued when the objects go would arrive at freed memory)."""
    made: list[SyncRunner] = []

    def make(interval: dt.timedelta = FAR, start_delay: dt.timedelta = FAR) -> SyncRunner:
        runner = SyncRunner(
            None,  # type: ignore[arg-type]  # the fake round needs no database
            workers,
            fake_round,
            interval,
            start_delay=start_delay,
        )
        made.append(runner)
        return runner

    yield make
    fake_round.gate.set()
    for runner in made:
        runner.stop()
    qtbot.waitUntil(lambda: not workers.busy(), timeout=10_000)


def test_a_round_runs_off_the_ui_thread_and_the_window_stays_responsive(
    qtbot: QtBot, make_runner: Callable[..., SyncRunner], fake_round: FakeRound
) -> None:
    """While a round waits on the network, the UI thread keeps handling its timers."""
    runner = make_runner()
    fake_round.gate.clear()
    ticks: list[int] = []
    ticker = QTimer(interval=5)
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start()
    assert runner.run_now()
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=2000)
    assert runner.running
    with qtbot.waitSignal(runner.succeeded, timeout=5000) as result:
        fake_round.gate.set()
    ticker.stop()
    assert result.args == ["result"]
    assert fake_round.calls and fake_round.calls[0] != threading.main_thread().name


def test_only_one_round_at_a_time(
    qtbot: QtBot, make_runner: Callable[..., SyncRunner], fake_round: FakeRound
) -> None:
    """同步 pressed during a round starts nothing more."""
    runner = make_runner()
    fake_round.gate.clear()
    assert runner.run_now()
    assert not runner.run_now()
    with qtbot.waitSignal(runner.ended, timeout=5000):
        fake_round.gate.set()
    assert len(fake_round.calls) == 1
    assert not runner.running


def test_progress_reaches_the_ui_thread_in_order(
    qtbot: QtBot, make_runner: Callable[..., SyncRunner], fake_round: FakeRound
) -> None:
    """Each report of the round arrives as ``progressed`` on the UI thread."""
    runner = make_runner()
    fake_round.reports = [RoundProgress("上传记录", n, 3) for n in range(4)]
    seen: list[tuple[Any, str]] = []
    runner.progressed.connect(lambda report: seen.append((report, threading.current_thread().name)))
    with qtbot.waitSignal(runner.ended, timeout=5000):
        runner.run_now()
    assert [report.done for report, _thread in seen] == [0, 1, 2, 3]
    assert {thread for _report, thread in seen} == {threading.main_thread().name}


def test_rounds_come_every_interval_once_enrolled(
    qtbot: QtBot, make_runner: Callable[..., SyncRunner], fake_round: FakeRound
) -> None:
    """Not enrolled: no round; enrolled: one soon after, then every interval."""
    runner = make_runner(
        interval=dt.timedelta(milliseconds=30), start_delay=dt.timedelta(milliseconds=10)
    )
    qtbot.wait(100)
    assert fake_round.calls == []
    runner.set_enrolled(True)
    qtbot.waitUntil(lambda: len(fake_round.calls) >= 3, timeout=5000)
    runner.set_enrolled(False)
    qtbot.waitUntil(lambda: not runner.running, timeout=5000)
    count = len(fake_round.calls)
    qtbot.wait(150)
    assert len(fake_round.calls) == count


def planned_after(runner: SyncRunner, qtbot: QtBot) -> dt.timedelta | None:
    """Run one round and return how long after its end the next one is planned."""
    with qtbot.waitSignal(runner.next_attempt, timeout=5000) as planned:
        runner.run_now()
    moment = planned.args[0]
    return None if moment is None else moment - dt.datetime.now(dt.UTC)


def test_unreachable_hq_is_retried_quietly_sooner_then_at_the_interval(
    qtbot: QtBot, make_runner: Callable[..., SyncRunner], fake_round: FakeRound
) -> None:
    """Failures in a row plan the next try after 1, 2, 4, 8 … minutes, never beyond the
    interval; a success goes back to the interval, and the next failure starts at 1 again."""
    runner = make_runner(interval=dt.timedelta(minutes=10))
    runner.set_enrolled(True)
    fake_round.error = SyncError(UNREACHABLE, "unreachable")
    failures: list[Exception] = []
    runner.failed.connect(failures.append)
    delays = [planned_after(runner, qtbot) for _ in range(5)]
    fake_round.error = None
    delays.append(planned_after(runner, qtbot))
    fake_round.error = SyncError(UNREACHABLE, "unreachable")
    delays.append(planned_after(runner, qtbot))
    for delay, minutes in zip(delays, (1, 2, 4, 8, 10, 10, 1), strict=True):
        assert delay is not None
        assert dt.timedelta(minutes=minutes, seconds=-5) < delay <= dt.timedelta(minutes=minutes)
    assert [str(error) for error in failures] == [UNREACHABLE] * 6


def test_a_revoked_laptop_stops_trying_by_itself(
    qtbot: QtBot, make_runner: Callable[..., SyncRunner], fake_round: FakeRound
) -> None:
    """HQ revoked this laptop: no automatic round is planned any more (同步 still may try)."""
    runner = make_runner(interval=dt.timedelta(minutes=5))
    runner.set_enrolled(True)
    fake_round.error = SyncError("本机已被区局停用同步（设备 X），请联系区局管理员。", "revoked")
    assert planned_after(runner, qtbot) is None
    assert runner.run_now()


def test_the_lock_cancels_the_round_and_plans_none_until_unlocked(
    qtbot: QtBot, make_runner: Callable[..., SyncRunner], fake_round: FakeRound
) -> None:
    """A round in the middle of an upload ends at its next report when the lock comes; no
    failure is shown; after unlocking the next round is planned again."""
    runner = make_runner(interval=dt.timedelta(minutes=5))
    runner.set_enrolled(True)
    fake_round.gate.clear()  # reports "上传附件" every 10 ms until cancelled
    failures: list[Exception] = []
    runner.failed.connect(failures.append)
    runner.run_now()
    qtbot.waitUntil(lambda: bool(fake_round.calls), timeout=5000)
    plans: list[object] = []
    runner.next_attempt.connect(plans.append)
    with qtbot.waitSignal(runner.ended, timeout=5000):
        runner.set_locked(True)
    assert failures == []
    assert plans and all(plan is None for plan in plans)
    assert not runner.run_now()  # 同步 does nothing while locked
    with qtbot.waitSignal(runner.next_attempt, timeout=1000) as planned:
        runner.set_locked(False)
    assert planned.args[0] is not None


def test_signing_out_stops_the_round_and_every_later_one(
    qtbot: QtBot, make_runner: Callable[..., SyncRunner], fake_round: FakeRound
) -> None:
    """Hiding the watched window (退出登录) cancels the round; nothing runs afterwards."""
    runner = make_runner(
        interval=dt.timedelta(milliseconds=20), start_delay=dt.timedelta(milliseconds=10)
    )
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    runner.watch(window)
    fake_round.gate.clear()
    runner.set_enrolled(True)
    qtbot.waitUntil(lambda: bool(fake_round.calls), timeout=5000)
    with qtbot.waitSignal(runner.ended, timeout=5000):
        window.hide()
    fake_round.gate.set()
    qtbot.wait(100)
    assert len(fake_round.calls) == 1
    assert not runner.run_now()
