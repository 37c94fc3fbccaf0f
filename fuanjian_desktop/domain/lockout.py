"""The sign-in lock-out rule: 5 wrong passwords in a row lock the account for 15 minutes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

MAX_FAILED_SIGN_INS = 5
LOCK_DURATION = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class FailedSignIn:
    """State after one more wrong password: the new counter and, if locked, until when."""

    failed_count: int
    locked_until: dt.datetime | None

    @property
    def attempts_left(self) -> int:
        """Wrong passwords still allowed before the lock."""
        return MAX_FAILED_SIGN_INS - self.failed_count


def after_failed_sign_in(previous_failures: int, now: dt.datetime) -> FailedSignIn:
    """Count one more failure; the fifth locks the account and resets the counter."""
    count = previous_failures + 1
    if count >= MAX_FAILED_SIGN_INS:
        return FailedSignIn(0, now + LOCK_DURATION)
    return FailedSignIn(count, None)


def is_locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
    """Whether a lock set earlier is still in force."""
    return locked_until is not None and locked_until > now


def lock_message(locked_until: dt.datetime, now: dt.datetime) -> str:
    """Chinese message for a locked account: when it opens again and how to get help sooner."""
    minutes = max(1, -(-int((locked_until - now).total_seconds()) // 60))
    local_time = locked_until.astimezone().strftime("%H:%M")
    return (
        f"密码连续输错{MAX_FAILED_SIGN_INS}次，账号已锁定，请约{minutes}分钟后"
        f"（{local_time}以后）再试，或请管理员解锁。"
    )
