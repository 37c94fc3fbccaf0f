"""The sign-in throttle of a data folder: same answer and cost for every name, a lock that ends."""

from __future__ import annotations

import datetime as dt
import os
import stat
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from argon2.low_level import Type, hash_secret_raw

from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.keyring import Keyring, WrongCredentials
from fuanjian_desktop.security.sign_in_throttle import (
    THROTTLE_FILE,
    SignInRefused,
    SignInThrottle,
)

T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
PASSWORD = "yuanling2026"
NO_WAIT = dt.timedelta(0)


class Wrong(Exception):
    """The fake keyring's wrong-credentials error."""


class CountingKeyring:
    """A keyring of one account whose every unlock is one real (small) argon2id derivation."""

    def __init__(self) -> None:
        self.derivations = 0
        self.salt = b"0123456789abcdef"
        self.known = {"zhangwei": self._derive(PASSWORD)}
        self.derivations = 0

    def _derive(self, password: str) -> bytes:
        self.derivations += 1
        return hash_secret_raw(
            password.encode(), self.salt, time_cost=2, memory_cost=8192, parallelism=1,
            hash_len=32, type=Type.ID,
        )  # fmt: skip

    def unlock(self, name: str, password: str) -> str:
        derived = self._derive(password)  # unknown names too: the same cost
        if self.known.get(name.strip().lower()) != derived:
            raise Wrong
        return "data key"


def try_sign_in(
    throttle: SignInThrottle, keyring: CountingKeyring, name: str, password: str, now: dt.datetime
) -> str:
    """The message an attempt gets ("signed in" on success)."""
    try:
        throttle.attempt(name, now, lambda: keyring.unlock(name, password), (Wrong,))
    except SignInRefused as refused:
        return refused.message
    return "signed in"


def test_the_file_names_nobody_and_only_its_owner_reads_it(tmp_path: Path) -> None:
    """After failures of two names the file holds neither name and is 0600."""
    throttle = SignInThrottle(tmp_path)
    throttle.record_failure("ZhangWei", T0)
    throttle.record_failure("nobody.here", T0)
    data = (tmp_path / THROTTLE_FILE).read_bytes().lower()
    assert b"zhangwei" not in data and b"nobody" not in data
    assert stat.S_IMODE(os.stat(tmp_path / THROTTLE_FILE).st_mode) == 0o600


def test_unknown_and_known_names_get_the_same_answers(tmp_path: Path) -> None:
    """Eight wrong tries of an account and of a name nobody has read the same, one by one."""
    keyring = CountingKeyring()

    def answers(folder: Path, name: str) -> list[str]:
        throttle, now, seen = SignInThrottle(folder), T0, []
        for _ in range(8):
            seen.append(try_sign_in(throttle, keyring, name, "guess1234", now))
            now += throttle.wait_before(name, now)
        return seen

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert answers(tmp_path / "a", "zhangwei") == answers(tmp_path / "b", "no.such.user")


def test_the_right_password_during_a_wait_is_refused_and_works_after_it(tmp_path: Path) -> None:
    """Four wrong tries: the right password gets the wrong-password answer until the minute ends."""
    throttle, keyring = SignInThrottle(tmp_path), CountingKeyring()
    for _ in range(4):
        try_sign_in(throttle, keyring, "zhangwei", "guess1234", T0)
    during = T0 + dt.timedelta(seconds=59)
    refused = try_sign_in(throttle, keyring, "zhangwei", PASSWORD, during)
    assert refused == try_sign_in(throttle, keyring, "zhangwei", "guess1234", during)
    assert refused.startswith("用户名或密码不正确，或尝试次数过多。请1分钟后")
    assert try_sign_in(throttle, keyring, "zhangwei", PASSWORD, T0 + dt.timedelta(minutes=1)) == (
        "signed in"
    )
    assert throttle.wait_before("zhangwei", T0 + dt.timedelta(minutes=1)) == NO_WAIT


def test_a_stranger_keeps_nobody_out_beyond_15_minutes_after_stopping(tmp_path: Path) -> None:
    """Ninety minutes of wrong tries every 45 s: the wait never exceeds 15 minutes, and 15 minutes
    after the stranger's last try the owner signs in."""
    throttle, keyring = SignInThrottle(tmp_path), CountingKeyring()
    now, longest = T0, NO_WAIT
    while now < T0 + dt.timedelta(minutes=90):
        try_sign_in(throttle, keyring, "ZHANGWEI", "guess1234", now)
        longest = max(longest, throttle.wait_before("zhangwei", now))
        now += dt.timedelta(seconds=45)
    assert longest == dt.timedelta(minutes=15)
    last_try = now - dt.timedelta(seconds=45)
    assert try_sign_in(
        throttle, keyring, "zhangwei", PASSWORD, last_try + dt.timedelta(minutes=15)
    ) == ("signed in")


def test_ten_names_tried_once_make_the_eleventh_wait(tmp_path: Path) -> None:
    """The laptop limit: 10 different names fail freely, then any name waits a minute."""
    throttle = SignInThrottle(tmp_path)
    for number in range(10):
        assert throttle.record_failure(f"name{number}", T0) == NO_WAIT
    assert throttle.record_failure("name10", T0) == dt.timedelta(minutes=1)
    assert throttle.wait_before("zhangwei", T0) == dt.timedelta(minutes=1)


def test_a_success_clears_the_name_but_not_the_laptop(tmp_path: Path) -> None:
    """Signing in forgets the name's failures; the laptop's count is not reset by a success."""
    throttle = SignInThrottle(tmp_path)
    for _ in range(3):
        throttle.record_failure("zhangwei", T0)
    for number in range(7):
        throttle.record_failure(f"other{number}", T0)
    throttle.record_success("ZhangWei")
    assert throttle.record_failure("zhangwei", T0) == dt.timedelta(minutes=1)  # 11th on the laptop
    assert throttle.wait_before("someone.else", T0) == dt.timedelta(minutes=1)


def test_refused_attempts_wait_for_the_audit_trail(tmp_path: Path) -> None:
    """Each refused attempt is kept (time, name's key, whether during a wait) until cleared."""
    throttle = SignInThrottle(tmp_path)
    for _ in range(4):
        throttle.record_failure(" ZhangWei", T0)
    throttle.record_failure("zhangwei", T0 + dt.timedelta(seconds=10))  # during the minute
    pending = throttle.pending_failures()
    assert [(p.at, p.during_wait) for p in pending] == [(T0, False)] * 4 + [
        (T0 + dt.timedelta(seconds=10), True)
    ]
    assert {p.name_key for p in pending} == {throttle.name_key("zhangwei")}
    assert throttle.name_key("lisi") != throttle.name_key("zhangwei")
    throttle.clear_pending(pending[:3])
    assert throttle.pending_failures() == pending[3:]


def test_a_damaged_file_starts_the_counts_afresh(tmp_path: Path) -> None:
    """A file that is not the throttle's is replaced, not a crash and not a lock."""
    (tmp_path / THROTTLE_FILE).write_text("{not json", encoding="utf-8")
    throttle = SignInThrottle(tmp_path)
    assert throttle.wait_before("zhangwei", T0) == NO_WAIT
    assert throttle.record_failure("zhangwei", T0) == NO_WAIT
    assert len(throttle.pending_failures()) == 1


def test_every_attempt_costs_one_derivation_and_the_same_time(tmp_path: Path) -> None:
    """Unknown name, wrong password and a name that must wait: one derivation each, and times
    within a factor of 2 of each other (the derivation dominates)."""
    keyring = CountingKeyring()
    throttle = SignInThrottle(tmp_path)
    for _ in range(8):
        try_sign_in(throttle, keyring, "zhangwei", "guess1234", T0)  # now waiting 15 minutes
    cases: dict[str, Callable[[dt.datetime], str]] = {
        "unknown": lambda now: try_sign_in(throttle, keyring, "nobody", "guess1234", now),
        "wrong": lambda now: try_sign_in(throttle, keyring, "lisi", "guess1234", now),
        "waiting": lambda now: try_sign_in(throttle, keyring, "zhangwei", PASSWORD, now),
    }
    keyring.known["lisi"] = keyring._derive("another1")
    timings: dict[str, list[float]] = {name: [] for name in cases}
    for round_number in range(3):
        for name, attempt in cases.items():
            before = keyring.derivations
            started = time.perf_counter()
            attempt(T0 + dt.timedelta(minutes=20 * round_number))  # free again for others
            timings[name].append(time.perf_counter() - started)
            assert keyring.derivations == before + 1, name
    medians = {name: statistics.median(values) for name, values in timings.items()}
    assert max(medians.values()) < 2 * min(medians.values()), medians


def test_with_the_real_keyring_the_three_answers_cost_alike(tmp_path: Path) -> None:
    """The folder's keys.json (argon2id, 64 MiB): unknown, wrong and waiting within a factor 2."""
    key = DataKey.generate()
    keyring, _code = Keyring.create(tmp_path, key, demo=False)
    keyring.wrap_for("zhangwei", PASSWORD, key)
    throttle = SignInThrottle(tmp_path)
    for _ in range(8):
        with pytest.raises(SignInRefused):
            throttle.attempt(
                "zhangwei", T0, lambda: keyring.unlock("zhangwei", "x"), (WrongCredentials,)
            )

    def timed(name: str, password: str) -> float:
        started = time.perf_counter()
        with pytest.raises(SignInRefused):
            throttle.attempt(name, T0, lambda: keyring.unlock(name, password), (WrongCredentials,))
        return time.perf_counter() - started

    unknown, wrong, waiting = (
        timed("nobody", "guess"),
        timed("nobody2", "guess"),
        timed("zhangwei", PASSWORD),
    )
    assert max(unknown, wrong, waiting) < 2 * min(unknown, wrong, waiting)


def test_only_names_with_their_own_wait_are_listed_as_waiting(tmp_path: Path) -> None:
    """用户管理's 已锁定: 张伟 after 4 failures; not 李四, though the laptop waits too."""
    throttle = SignInThrottle(tmp_path)
    for _ in range(4):
        throttle.record_failure("ZhangWei", T0)
    for number in range(7):
        throttle.record_failure(f"other{number}", T0)
    assert throttle.wait_before("lisi", T0) == dt.timedelta(minutes=1)  # the laptop's wait
    assert throttle.names_waiting(["zhangwei", "lisi"], T0) == {"zhangwei"}
    assert throttle.names_waiting(["zhangwei"], T0 + dt.timedelta(minutes=1)) == set()
