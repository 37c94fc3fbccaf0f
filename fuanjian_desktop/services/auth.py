"""Signing in: password check, lock-out, and the audit record of every attempt."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.lockout import after_failed_sign_in, is_locked, lock_message
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import User
from fuanjian_desktop.security.passwords import hash_password, needs_rehash, verify_password
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.unit_of_work import user_action

WRONG_CREDENTIALS = "用户名或密码不正确，请重新输入。"


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
            scope.log(f"登录失败：用户名“{name}”不存在")
            problem: str | None = WRONG_CREDENTIALS
        else:
            problem = _check_user(user, password, moment)
            scope.actor = Actor.of(user)
            scope.log(
                "登录成功" if problem is None else f"登录失败：{problem}", "app_user", user.id
            )
    if problem is not None:
        raise UserError(problem)
    assert user is not None
    return Actor.of(user)


def _check_user(user: User, password: str, now: dt.datetime) -> str | None:
    """Apply the password and lock-out rules to ``user``; return the problem or ``None``."""
    if not user.active:
        return "该账号已停用，请联系管理员。"
    if is_locked(user.locked_until, now):
        assert user.locked_until is not None
        return lock_message(user.locked_until, now)
    if not verify_password(user.password_hash, password):
        failure = after_failed_sign_in(user.failed_logins, now)
        user.failed_logins, user.locked_until = failure.failed_count, failure.locked_until
        if failure.locked_until is not None:
            return lock_message(failure.locked_until, now)
        return f"{WRONG_CREDENTIALS}再输错{failure.attempts_left}次，账号将被锁定15分钟。"
    user.failed_logins, user.locked_until = 0, None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return None


def _anonymous(username: str) -> Actor:
    """The actor recorded for an attempt before we know who it is."""
    return Actor(user_id=None, full_name=username[:50], squad_id=None, roles=frozenset())
