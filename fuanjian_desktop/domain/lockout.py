"""The sign-in limits: how long to wait after wrong passwords, for a typed name and the laptop.

The rules (why they are these: ``docs/security.md``, 登录限制):

- Every typed name counts, whether or not an account has it, so the answers never tell which
  names exist. Names are compared trimmed and lower-cased.
- A name's first 3 failures cost nothing; the 4th makes it wait 1 minute, then 2, 4, 8 and at
  most 15 minutes (the 8th).
- The whole laptop (every name together) gets 10 free failures, then the same 1, 2, 4, 8, 15.
- A count is forgotten 15 minutes after its last failure: when a 15-minute wait ends the count
  starts again from 0, so a stranger cannot keep anyone out for longer than 15 minutes after
  they stop.
- An attempt made while waiting is refused without counting, so trying again does not lengthen
  the wait; a success clears the name's count (not the laptop's).

The functions are pure (``now`` is passed in); ``security/sign_in_throttle.py`` stores the counts.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

FREE_FAILURES_PER_NAME = 3
FREE_FAILURES_PER_LAPTOP = 10
FIRST_WAIT = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(minutes=15)
FORGET_AFTER = LONGEST_WAIT  # so the count is gone the moment the longest wait ends
NO_WAIT = dt.timedelta(0)


def wait_after(failures: int, free: int) -> dt.timedelta:
    """The wait the ``failures``-th failure in a row imposes when ``free`` cost nothing."""
    if failures <= free:
        return NO_WAIT
    doublings = min(failures - free - 1, 4)  # 1, 2, 4, 8 minutes, then the cap
    wait: dt.timedelta = FIRST_WAIT * (2**doublings)
    return min(wait, LONGEST_WAIT)


@dataclass(frozen=True)
class FailureCount:
    """Failures in a row (of one name or of the laptop) and when the last one happened."""

    failures: int = 0
    last: dt.datetime | None = None

    def current(self, now: dt.datetime) -> FailureCount:
        """The count as of ``now``: empty once ``FORGET_AFTER`` has passed since the last one."""
        if self.last is None or now - self.last >= FORGET_AFTER:
            return FailureCount()
        return self

    def wait(self, now: dt.datetime, free: int) -> dt.timedelta:
        """How long from ``now`` until the next attempt is allowed.

        Never more than the wait the count imposes, even if the clock was set back.
        """
        count = self.current(now)
        if count.last is None:
            return NO_WAIT
        imposed = wait_after(count.failures, free)
        return max(NO_WAIT, min(count.last + imposed - now, imposed))

    def plus_one(self, now: dt.datetime) -> FailureCount:
        """The count after one more failure at ``now``."""
        return FailureCount(self.current(now).failures + 1, now)


@dataclass(frozen=True)
class SignInLimits:
    """The two counts an attempt is checked against: its typed name's and the laptop's."""

    name: FailureCount = FailureCount()
    laptop: FailureCount = FailureCount()

    def wait(self, now: dt.datetime) -> dt.timedelta:
        """How long until this name may try again (the longer of the two waits)."""
        return max(
            self.name.wait(now, FREE_FAILURES_PER_NAME),
            self.laptop.wait(now, FREE_FAILURES_PER_LAPTOP),
        )

    def after_failure(self, now: dt.datetime) -> SignInLimits:
        """The counts after a refused attempt: unchanged if it was made while waiting."""
        if self.wait(now) > NO_WAIT:
            return self
        return SignInLimits(self.name.plus_one(now), self.laptop.plus_one(now))


def minutes_shown(wait: dt.timedelta) -> int:
    """The whole minutes a message names for ``wait``: rounded up, never 0."""
    return max(1, math.ceil(wait.total_seconds() / 60))


def refusal_message(wait: dt.timedelta, now: dt.datetime, zone: dt.tzinfo | None = None) -> str:
    """The one Chinese answer to an unknown name, a wrong password and a name that must wait.

    It depends only on ``wait``, which is the same for every typed name with the same history,
    so it tells nothing about which accounts exist. ``zone`` is the clock shown (local time).
    """
    if wait <= NO_WAIT:
        return (
            "用户名或密码不正确，请重新输入。"
            f"连续输错{FREE_FAILURES_PER_NAME}次以上须等待片刻（最长{_minutes(LONGEST_WAIT)}分钟）再试。"
        )
    opens = (now + wait).astimezone(zone).strftime("%H:%M")
    return f"用户名或密码不正确，或尝试次数过多。请{minutes_shown(wait)}分钟后（{opens}以后）再试。"


def _minutes(span: dt.timedelta) -> int:
    return int(span.total_seconds() // 60)
