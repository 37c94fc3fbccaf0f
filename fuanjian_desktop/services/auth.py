"""Signing in: the password unwraps the data key, then the account's state and lock-out apply.

One argon2id derivation per attempt both proves the password and unwraps the data key from
``keys.json`` (:mod:`fuanjian_desktop.security.keyring`); the account row (active, locked) is
checked once the database is open. A legacy plaintext database (no ``keys.json`` yet) is checked
against the argon2 hash in its user row, until an administrator's sign-in encrypts it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import WRONG_KEY_MESSAGE, CannotDecrypt, Database
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.domain.lockout import (
    LOCK_DURATION,
    MAX_FAILED_SIGN_INS,
    after_failed_sign_in,
    is_locked,
    lock_message,
)
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import User
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.keyring import Keyring, WrongCredentials
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

# Whether the password is right for a loaded user row (``None``: no such row).
PasswordCheck = Callable[[User | None], bool]


@dataclass(frozen=True)
class _Verdict:
    """What the user is told (``None`` = signed in) and what the audit trail records."""

    problem: str | None
    audit_note: str


def sign_in(
    database: Database, username: str, password: str, now: dt.datetime | None = None
) -> Actor:
    """Check the credentials against the open ``database``; the actor, or a Chinese UserError.

    The password must unwrap this folder's data key, and the key must be the one ``database``
    is open with. A failed attempt is committed (counter, lock and audit event) before the
    error is raised, so closing the app does not reset the lock-out.
    """
    name = _typed_name(username, password)
    if database.key is None:
        check = _legacy_check(password)
    else:
        opened = _unwrap(Keyring.load(database.folder), name, password)
        if opened is not None and opened != database.key:
            raise CannotDecrypt(WRONG_KEY_MESSAGE)
        check = _known(opened is not None)
    return enter(database, name, check, now or utc_now())


def unlock(
    folder: DataFolder, username: str, password: str, now: dt.datetime | None = None
) -> tuple[Database, Actor]:
    """Sign in before anything is open (the GUI): unwrap the key, open the database, enter.

    One argon2id derivation; nothing of the database is read before the password proved
    right. The caller owns (and closes) the returned database.
    """
    name = _typed_name(username, password)
    key = _unwrap(Keyring.load(folder), name, password)
    if key is None:
        raise UserError(WRONG_CREDENTIALS)
    database = open_database(folder, key)
    try:
        return database, enter(database, name, _known(True), now or utc_now())
    except BaseException:
        database.close()
        raise


def unlock_with_recovery(folder: DataFolder, code: str) -> Database:
    """Open the database with the printed recovery code (a lost password; see ``recover``)."""
    key = Keyring.load(folder).unlock_with_recovery(code)
    return open_database(folder, key)


def enter(database: Database, name: str, check: PasswordCheck, now: dt.datetime) -> Actor:
    """Apply the account rules to ``name`` and record the attempt; the actor or a UserError."""
    with user_action(database, _anonymous(name), "登录") as scope:
        user = scope.session.scalar(select(User).where(func.lower(User.username) == name))
        password_ok = check(user)
        if user is None:
            verdict = _Verdict(WRONG_CREDENTIALS, f"登录失败：用户名“{name}”不存在")
        else:
            verdict = _check_user(user, password_ok, now)
            scope.actor = Actor.of(user)
        scope.log(verdict.audit_note, "app_user" if user else None, user.id if user else None)
    if verdict.problem is not None:
        raise UserError(verdict.problem)
    assert user is not None
    return Actor.of(user)


def _typed_name(username: str, password: str) -> str:
    name = username.strip().lower()
    if not name or not password:
        raise UserError("请输入用户名和密码。")
    return name


def _unwrap(keyring: Keyring, name: str, password: str) -> DataKey | None:
    """The data key ``password`` unwraps for ``name``, or ``None`` (same cost either way)."""
    try:
        return keyring.unlock(name, password)
    except WrongCredentials:
        return None


def _known(password_ok: bool) -> PasswordCheck:
    """A check already made (by unwrapping the key)."""
    return lambda _user: password_ok


def _legacy_check(password: str) -> PasswordCheck:
    """A plaintext legacy database: the argon2 hash in the user row (a decoy when none)."""

    def check(user: User | None) -> bool:
        if user is None:
            verify_password(_DECOY_HASH, password)
            return False
        right = verify_password(user.password_hash, password)
        if right and needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        return right

    return check


def _check_user(user: User, password_ok: bool, now: dt.datetime) -> _Verdict:
    """Apply the password and lock-out rules to ``user`` (changing its counters)."""
    if not user.active:
        return _refused("该账号已停用，请联系管理员。")
    if is_locked(user.locked_until, now):
        assert user.locked_until is not None
        return _refused(lock_message(user.locked_until, now))
    if not password_ok:
        failure = after_failed_sign_in(user.failed_logins, now)
        user.failed_logins, user.locked_until = failure.failed_count, failure.locked_until
        if failure.locked_until is not None:
            return _refused(lock_message(failure.locked_until, now))
        count = MAX_FAILED_SIGN_INS - failure.attempts_left
        return _Verdict(WRONG_CREDENTIALS, f"登录失败：密码错误（连续第{count}次）")
    user.failed_logins, user.locked_until = 0, None
    return _Verdict(None, "登录成功")


def _refused(problem: str) -> _Verdict:
    return _Verdict(problem, f"登录失败：{problem}")


def _anonymous(username: str) -> Actor:
    """The actor recorded for an attempt before we know who it is."""
    return Actor(user_id=None, full_name=username[:50], squad_id=None, roles=frozenset())
