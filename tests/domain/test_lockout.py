"""The sign-in limits on their own: the waits, the count after a lock expires, the minutes shown."""

from __future__ import annotations

import datetime as dt

import pytest

from fuanjian_desktop.domain.lockout import (
    FailureCount,
    SignInLimits,
    minutes_shown,
    refusal_message,
)

T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing
BEIJING = dt.timezone(dt.timedelta(hours=8))


def minutes(value: float) -> dt.timedelta:
    return dt.timedelta(minutes=value)


def fail_at_once(limits: SignInLimits, now: dt.datetime) -> tuple[SignInLimits, dt.timedelta]:
    """One failure at ``now``; the wait it leaves."""
    after = limits.after_failure(now)
    return after, after.wait(now)


def test_a_name_waits_1_2_4_8_then_15_minutes() -> None:
    """Failures 1–3 of a name are free; the 4th to 8th impose 1, 2, 4, 8, 15 minutes."""
    expected = [0, 0, 0, 1, 2, 4, 8, 15]
    limits, now, seen = SignInLimits(), T0, []
    for _ in expected:
        limits, wait = fail_at_once(limits, now)
        seen.append(wait.total_seconds() / 60)
        now += wait  # the next try the moment the wait ends
    assert seen == expected


def test_the_count_starts_over_when_a_15_minute_lock_expires() -> None:
    """After the 8th failure's 15 minutes, the next failure is the 1st again (free)."""
    limits, now = SignInLimits(), T0
    for _ in range(8):
        limits, wait = fail_at_once(limits, now)
        now += wait
    assert limits.wait(now) == dt.timedelta(0)
    assert limits.name.current(now).failures == 0
    limits, wait = fail_at_once(limits, now)
    assert (limits.name.failures, wait) == (1, dt.timedelta(0))


def test_a_count_is_forgotten_15_minutes_after_the_last_failure() -> None:
    """Three failures, then 14:59 later a 4th waits a minute; 15:00 later it is the 1st."""
    limits = SignInLimits()
    for _ in range(3):
        limits = limits.after_failure(T0)
    assert limits.after_failure(T0 + minutes(14) + dt.timedelta(seconds=59)).wait(
        T0 + minutes(14) + dt.timedelta(seconds=59)
    ) == minutes(1)
    later = T0 + minutes(15)
    assert limits.after_failure(later).name.failures == 1
    assert limits.after_failure(later).wait(later) == dt.timedelta(0)


def test_an_attempt_while_waiting_does_not_count_or_lengthen_the_wait() -> None:
    """Trying during a wait changes nothing: the wait ends when the message said."""
    limits = SignInLimits()
    for _ in range(4):
        limits = limits.after_failure(T0)
    assert limits.wait(T0) == minutes(1)
    during = T0 + dt.timedelta(seconds=30)
    assert limits.after_failure(during) == limits
    assert limits.wait(during) == dt.timedelta(seconds=30)


def test_the_laptop_waits_after_10_failures_of_different_names() -> None:
    """Ten names tried once each are free; the 11th to 15th impose 1, 2, 4, 8, 15 minutes."""
    laptop, now, seen = FailureCount(), T0, []
    for _ in range(15):
        limits = SignInLimits(FailureCount(), laptop).after_failure(now)  # always a new name
        laptop = limits.laptop
        wait = limits.wait(now)
        seen.append(wait.total_seconds() / 60)
        now += wait
    assert seen == [0] * 10 + [1, 2, 4, 8, 15]


def test_a_wait_never_exceeds_its_length_when_the_clock_goes_back() -> None:
    """A clock set back a day does not turn a 1-minute wait into a day's."""
    limits = SignInLimits()
    for _ in range(4):
        limits = limits.after_failure(T0)
    assert limits.wait(T0 - dt.timedelta(days=1)) == minutes(1)


@pytest.mark.parametrize(
    ("wait", "shown"),
    [
        (dt.timedelta(seconds=1), 1),
        (dt.timedelta(seconds=60), 1),
        (dt.timedelta(seconds=61), 2),
        (dt.timedelta(minutes=14, seconds=1), 15),
        (dt.timedelta(minutes=15), 15),
    ],
)
def test_the_minutes_a_message_shows_are_rounded_up(wait: dt.timedelta, shown: int) -> None:
    """A wait is shown in whole minutes, rounded up: 1 s is 1 minute, 61 s are 2."""
    assert minutes_shown(wait) == shown


def test_the_message_names_the_minutes_and_the_local_time() -> None:
    """4 min 30 s from 10:00 Beijing time reads 5 minutes, after 10:04."""
    message = refusal_message(dt.timedelta(minutes=4, seconds=30), T0, BEIJING)
    assert message == "用户名或密码不正确，或尝试次数过多。请5分钟后（10:04以后）再试。"


def test_without_a_wait_the_message_says_only_that_something_is_wrong() -> None:
    """No wait: the same words for an unknown name and a wrong password, with the rule."""
    assert refusal_message(dt.timedelta(0), T0, BEIJING) == (
        "用户名或密码不正确，请重新输入。连续输错3次以上须等待片刻（最长15分钟）再试。"
    )
