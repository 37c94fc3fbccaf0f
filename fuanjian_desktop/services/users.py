"""User accounts: creating them with roles, and unlocking them (管理员 only)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.roles import Permission, Role, role_labels
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Squad, User, UserRole
from fuanjian_desktop.security.keyring import PASSWORD_IN_KEYRING, Keyring
from fuanjian_desktop.security.passwords import check_new_password
from fuanjian_desktop.security.sign_in_throttle import SignInThrottle
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.lookup import fetch_own
from fuanjian_desktop.services.squad_scope import listed_squad, read_as, require_account_squad
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

_USERNAME = re.compile(r"^[a-z][a-z0-9_.]{2,29}$")


@dataclass(frozen=True)
class NewUser:
    """What an administrator enters to create an account."""

    username: str
    full_name: str
    squad_id: str
    roles: tuple[Role, ...]
    password: str
    cert_no: str = ""


def create_user(database: Database, actor: Actor, new_user: NewUser) -> str:
    """Create an account (管理员 only); return its id."""
    actor.require(Permission.MANAGE_USERS)
    with user_action(database, actor, "新增用户") as scope:
        scope.actor.require(Permission.MANAGE_USERS)
        return add_user(scope, new_user, database)


def add_user(scope: ActionScope, new_user: NewUser, database: Database) -> str:
    """Validate and add an account inside an open action (also used by first-start set-up).

    The data key is wrapped for the new password in ``keys.json`` before the action commits: an
    account that exists can always sign in.
    """
    require_account_squad(scope.session, scope.actor, new_user.squad_id, new_user.roles)
    username = new_user.username.strip().lower()
    _check_new_user(username, new_user)
    session = scope.session
    if session.scalar(select(User.id).where(func.lower(User.username) == username)):
        raise UserError(f"用户名“{username}”已被使用，请换一个。")
    if session.get(Squad, new_user.squad_id) is None:
        raise UserError("所选中队不存在，请重新选择。")
    user = User(
        username=username,
        full_name=new_user.full_name.strip(),
        cert_no=new_user.cert_no.strip() or None,
        squad_id=new_user.squad_id,
        password_hash=PASSWORD_IN_KEYRING,  # the password is checked by keys.json
        role_rows=[UserRole(role=str(role)) for role in _unique(new_user.roles)],
    )
    session.add(user)
    scope.record(user, f"新增用户“{user.full_name}”（{username}）", before=None)
    wrap_key_for(database, username, new_user.password)
    return user.id


def wrap_key_for(database: Database, username: str, password: str) -> None:
    """Let ``username`` open the data with ``password`` (the key wrapped in ``keys.json``)."""
    if database.key is None:
        raise UserError("数据库尚未加密，请先由管理员登录完成加密，再管理账号。")
    Keyring.load(database.folder).wrap_for(username, password, database.key)


def _check_new_user(username: str, new_user: NewUser) -> None:
    if not _USERNAME.match(username):
        raise UserError(
            "用户名须为3至30位小写字母、数字、下划线或点，并以字母开头（如 zhangwei）。"
        )
    if not new_user.full_name.strip():
        raise UserError("请填写姓名。")
    if not new_user.roles:
        raise UserError("请至少选择一个角色。")
    if Role.INSPECTOR in new_user.roles and not new_user.cert_no.strip():
        raise UserError("执法人员须填写执法证号。")
    check_new_password(new_user.password)


def _unique(roles: Iterable[Role]) -> list[Role]:
    return list(dict.fromkeys(roles))


def unlock_user(database: Database, actor: Actor, user_id: str) -> None:
    """Lift a lock-out before its 15 minutes are up (管理员 only)."""
    actor.require(Permission.MANAGE_USERS)
    with user_action(database, actor, "解锁用户") as scope:
        scope.actor.require(Permission.MANAGE_USERS)
        user = fetch_own(scope, User, user_id)
        user.failed_logins, user.locked_until = 0, None
        scope.log(f"解锁用户“{user.full_name}”", "app_user", user.id)
    SignInThrottle(database.folder).record_success(user.username)


@dataclass(frozen=True)
class UserRow:
    """One account as the user-management page lists it."""

    id: str
    username: str
    full_name: str
    cert_no: str
    squad_name: str
    roles: str
    locked: bool
    active: bool


def list_users(database: Database, actor: Actor, now: dt.datetime | None = None) -> list[UserRow]:
    """The accounts of the administrator's squad (every squad's for a bureau viewer), by squad
    and name (管理员 only)."""
    actor.require(Permission.MANAGE_USERS)
    moment = now or utc_now()
    with read_as(database, actor) as (session, reader):
        reader.require(Permission.MANAGE_USERS)
        query = (
            select(User)
            .join(User.squad)
            .options(contains_eager(User.squad))  # the join above also loads the squad
            .order_by(Squad.name, User.full_name)
        )
        squad_id = listed_squad(reader, None)
        if squad_id is not None:
            query = query.where(User.squad_id == squad_id)
        users = list(session.scalars(query))
        throttle = SignInThrottle(database.folder)
        waiting = throttle.names_waiting([user.username for user in users], moment)
        return [_user_row(user, user.username in waiting) for user in users]


def _user_row(user: User, locked: bool) -> UserRow:
    return UserRow(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        cert_no=user.cert_no or "",
        squad_name=user.squad.name,
        roles=role_labels(user.roles),
        locked=locked,
        active=user.active,
    )
