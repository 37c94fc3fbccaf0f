"""The sign-in window's three refusals cost alike (the finding: a locked account answered in
3 ms, an unknown name never locked), measured through ``auth.unlock`` on a demo folder."""

from __future__ import annotations

import datetime as dt
import statistics
import time

import pytest

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo import DEMO_PASSWORD
from fuanjian_desktop.domain.lockout import refusal_message
from fuanjian_desktop.security.sign_in_throttle import SignInRefused, SignInThrottle
from fuanjian_desktop.services import auth

T0 = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)


def refusal(folder: DataFolder, username: str, password: str) -> tuple[float, str]:
    """Seconds a refused ``auth.unlock`` takes, and its message."""
    started = time.perf_counter()
    with pytest.raises(SignInRefused) as refused:
        auth.unlock(folder, username, password, now=T0)
    return time.perf_counter() - started, refused.value.message


def test_unknown_wrong_and_waiting_take_the_same_time_and_words(
    demo_database: Database, data_folder: DataFolder
) -> None:
    """张伟 made to wait; then an unknown name and 李娜's wrong password get the same words, 张伟's
    right password the wait's; all three within a factor of 2 in time (one derivation each)."""
    demo_database.close()
    throttle = SignInThrottle(data_folder)
    for _ in range(4):
        throttle.record_failure("zhangwei", T0)  # as four wrong passwords would
    cases = {
        "unknown": ("no.such.user", "wrong1234"),
        "wrong": ("lina", "wrong1234"),
        "waiting": ("zhangwei", DEMO_PASSWORD),
    }
    times: dict[str, list[float]] = {name: [] for name in cases}
    messages: dict[str, set[str]] = {name: set() for name in cases}
    for _ in range(2):
        for name, (username, password) in cases.items():
            seconds, message = refusal(data_folder, username, password)
            times[name].append(seconds)
            messages[name].add(message)
    assert messages["unknown"] == messages["wrong"] == {refusal_message(dt.timedelta(0), T0)}
    assert messages["waiting"] == {refusal_message(dt.timedelta(minutes=1), T0)}
    medians = {name: statistics.median(values) for name, values in times.items()}
    assert max(medians.values()) < 2 * min(medians.values()), medians
