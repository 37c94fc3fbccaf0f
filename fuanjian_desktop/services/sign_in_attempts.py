"""Refused sign-ins into the audit trail, at the next sign-in that opens the database.

A refused attempt cannot be written when it happens: the database opens only with a right
password. The sign-in limits (``security/sign_in_throttle.py``) keep each refused attempt
(time, the typed name's HMAC, whether it came during a wait); the next successful sign-in logs
them here, naming the account when the HMAC is a known username's.
"""

from __future__ import annotations

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import User
from fuanjian_desktop.security.sign_in_throttle import PendingFailure, SignInThrottle
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.unit_of_work import user_action

# who the audit trail names for an attempt whose typist is unknown (no account, no roles)
_SOMEONE = Actor(user_id=None, full_name="（登录失败的尝试）", squad_id=None, roles=frozenset())


def log_refused_attempts(database: Database) -> int:
    """Write every refused attempt kept for ``database``'s folder into its audit trail (one
    登录 event each, oldest first), then forget them; returns how many were written.

    Call after a sign-in opened the database. The events and the forgetting are not one
    transaction: a crash between them writes the attempts twice rather than losing them.
    """
    throttle = SignInThrottle(database.folder)
    pending = throttle.pending_failures()
    if not pending:
        return 0
    with user_action(database, _SOMEONE, "登录") as scope:
        users = {user.username.lower(): user for user in scope.session.scalars(select(User))}
        names = throttle.names_by_key(users)
        for failure in pending:
            user = users.get(names.get(failure.name_key, ""))
            scope.log(
                refused_note(failure, user.username if user else None),
                "app_user" if user else None,
                user.id if user else None,
            )
    throttle.clear_pending(pending)
    return len(pending)


def refused_note(failure: PendingFailure, username: str | None) -> str:
    """The audit summary of one refused attempt: when, which account (if any), why."""
    when = failure.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    who = f"用户名“{username}”" if username else "未登记的用户名"
    if failure.during_wait:
        why = "，尝试次数过多须等待期间再次尝试（未核对密码）"
    else:
        why = "，密码不正确" if username else ""
    return f"登录失败（{when}）：{who}{why}"
