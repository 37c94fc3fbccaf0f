"""Signing in: password check, lock-out, and the audit record of every attempt."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.lockout import (
    LOCK_DURATION,
    MAX_FAILED_SIGN_INS,
    after_failed_sign_in,
    is_locked,
    lock_message,
)
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import User
from fuanjian_desktop.security.passwords import hash_password, needs_rehash, verify_password
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.unit_of_work import user_action

# One message for an unknown user and a wrong password, so it never tells which names exist.
WRONG_CREDENTIALS = (
    "用户名或密码不正确，请重新输入。"
    f"连续输错{MAX_FAILED_SIGN_INS}次，账号将被锁定{LOCK_DURATION.seconds // 60}分钟。"
)
# An argon2id hash of a random secret: checking it costs an unknown user as much as a known one.
_DECOY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$r23JqLbWKi7+2MXYdOWJeg$uznbd9bQv7PX3Cf5xu/A9k79uSvvhLBBCZmO0fzoLJE"  # noqa: E501


@dataclass(frozen=True)
class _Verdict:
    """What the user is told (``None`` = signed in) and what the audit trail records."""

    problem: str | None
    audit_note: str


def sign_in(
    database: Database, username: str, password: str, now: dt.datetime | None = None
) -> Actor:
    """Check the credentials and return the signed-in actor, or raise a Chinese UserError.

    A failed attempt is committed (counter, lock and audit event) before the error is raised,
    so closing the app does not reset the lock-out.
    """
    moment = now or utc_now()
    name = username.strip().lower()
    if not name or not password:
        raise UserError("请输入用户名和密码。")
    with user_action(database, _anonymous(name), "登录") as scope:
        user = scope.session.scalar(select(User).where(func.lower(User.username) == name))
        if user is None:
            verify_password(_DECOY_HASH, password)
            verdict = _Verdict(WRONG_CREDENTIALS, f"登录失败：用户名“{name}”不存在")
        else:
            verdict = _check_user(user, password, moment)
            scope.actor = Actor.of(user)
        scope.log(verdict.audit_note, "app_user" if user else None, user.id if user else None)
    if verdict.problem is not None:
        raise UserError(verdict.problem)
    assert user is not None
    return Actor.of(user)


def _check_user(user: User, password: str, now: dt.datetime) -> _Verdict:
    """Apply the password and lock-out rules to ``user`` (changing its counters)."""
    if not user.active:
        return _refused("该账号已停用，请联系管理员。")
    if is_locked(user.locked_until, now):
        assert user.locked_until is not None
        return _refused(lock_message(user.locked_until, now))
    if not verify_password(user.password_hash, password):
        failure = after_failed_sign_in(user.failed_logins, now)
        user.failed_logins, user.locked_until = failure.failed_count, failure.locked_until
        if failure.locked_until is not None:
            return _refused(lock_message(failure.locked_until, now))
        count = MAX_FAILED_SIGN_INS - failure.attempts_left
        return _Verdict(WRONG_CREDENTIALS, f"登录失败：密码错误（连续第{count}次）")
    user.failed_logins, user.locked_until = 0, None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return _Verdict(None, "登录成功")


def _refused(problem: str) -> _Verdict:
    return _Verdict(problem, f"登录失败：{problem}")


def _anonymous(username: str) -> Actor:
    """The actor recorded for an attempt before we know who it is."""
    return Actor(user_id=None, full_name=username[:50], squad_id=None, roles=frozenset())
