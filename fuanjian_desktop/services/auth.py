"""Signing in: the password unwraps the data key, under the laptop's sign-in limits.

One argon2id derivation per attempt both proves the password and unwraps the data key from
``keys.json`` (:mod:`fuanjian_desktop.security.keyring`). The limits (``security/sign_in_throttle``)
live outside the encrypted database, which cannot be written before a key exists: unknown
names, wrong passwords and waits all get the same answer at the same cost, and the refused
attempts are written to the audit trail at the next successful sign-in. A legacy plaintext
database (no ``keys.json`` yet) is checked against the argon2 hash in its user row until an
administrator's sign-in encrypts it (``security/encrypt_in_place``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import (
    WRONG_KEY_MESSAGE,
    CannotDecrypt,
    Database,
    is_plaintext_file,
)
from fuanjian_desktop.db.integrity import check_before_unlock
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.maintenance import encrypt_legacy_evidence, sweep_evidence
from fuanjian_desktop.models import User
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.encrypt_in_place import encrypt_at_sign_in, legacy_password_check
from fuanjian_desktop.security.keyring import PASSWORD_IN_KEYRING, Keyring, WrongCredentials
from fuanjian_desktop.security.passwords import (
    check_new_password,
)
from fuanjian_desktop.security.sign_in_throttle import PendingFailure, SignInThrottle
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.lookup import fetch_own
from fuanjian_desktop.services.squad_scope import require_laptop_squad
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

# An argon2id hash of a random secret: checking it costs an unknown user as much as a known one.
_DECOY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$r23JqLbWKi7+2MXYdOWJeg$uznbd9bQv7PX3Cf5xu/A9k79uSvvhLBBCZmO0fzoLJE"  # noqa: E501
DEACTIVATED = "该账号已停用，请联系管理员。"
WRONG_OLD_PASSWORD = "原密码不正确，请重新输入。"
# Who the audit trail names for an attempt refused while the database was closed.
REFUSED_ATTEMPT = Actor(
    user_id=None, full_name="（登录失败的尝试）", squad_id=None, roles=frozenset()
)


def sign_in(
    database: Database, username: str, password: str, now: dt.datetime | None = None
) -> Actor:
    """Check the credentials against the open ``database``; the actor, or a Chinese UserError.

    The password must unwrap this folder's data key, and the key must be the one ``database``
    is open with (a ``keys.json`` from another folder is refused, never trusted).
    """
    moment = now or utc_now()
    name = _typed_name(username, password)
    throttle = SignInThrottle(database.folder)
    if database.key is None:
        check = legacy_password_check(database, name, password)
        throttle.attempt(name, moment, check, (WrongCredentials,))
    else:
        keyring = Keyring.load(database.folder)
        key = throttle.attempt(
            name, moment, lambda: keyring.unlock(name, password), (WrongCredentials,)
        )
        if key != database.key:
            raise CannotDecrypt(WRONG_KEY_MESSAGE)
    return enter(database, name, throttle, moment)


def unlock(
    folder: DataFolder, username: str, password: str, now: dt.datetime | None = None
) -> tuple[Database, Actor]:
    """Sign in before anything is open (the GUI, the command line): unwrap, open, enter.

    One argon2id derivation; nothing of the database is read before the password proved
    right. A legacy plaintext folder is encrypted in place first when ``username`` is one of
    its administrators. The caller owns (and closes) the returned database.
    """
    moment = now or utc_now()
    name = _typed_name(username, password)
    check_before_unlock(folder)  # a missing, empty or cut file is named, never made afresh
    throttle = SignInThrottle(folder)
    if is_plaintext_file(folder.database):
        key = encrypt_at_sign_in(folder, name, password, moment)
    else:
        keyring = Keyring.load(folder)
        key = throttle.attempt(
            name, moment, lambda: keyring.unlock(name, password), (WrongCredentials,)
        )
    database = open_unlocked(folder, key)
    try:
        return database, enter(database, name, throttle, moment)
    except BaseException:
        database.close()
        raise


def unlock_with_recovery(folder: DataFolder, code: str) -> Database:
    """Open the database with the printed recovery code (see :func:`recover_password`)."""
    check_before_unlock(folder)
    return open_unlocked(folder, Keyring.load(folder).unlock_with_recovery(code))


def open_unlocked(folder: DataFolder, key: DataKey) -> Database:
    """Open ``folder``'s database with its unwrapped key, as the app starts: migrated, the
    evidence store swept of files an interrupted import left behind, and any plaintext evidence
    left by an interrupted encryption sealed."""
    database = open_database(folder, key)
    try:
        encrypt_legacy_evidence(database)
        sweep_evidence(database)
    except BaseException:
        database.close()
        raise
    return database


def enter(database: Database, name: str, throttle: SignInThrottle, now: dt.datetime) -> Actor:
    """Admit ``name`` (whose password was proved) if the account is active; record the sign-in
    and the refused attempts waiting in the throttle, in one transaction."""
    pending = throttle.pending_failures()
    with user_action(database, _anonymous(name), "登录") as scope:
        _log_refused_attempts(scope, throttle, pending)
        user = scope.session.scalar(select(User).where(func.lower(User.username) == name))
        if user is not None:
            scope.actor = Actor.of(user)
        problem = _problem_of(user)
        scope.log(
            f"登录失败：{problem}" if problem else "登录成功",
            "app_user" if user else None,
            user.id if user else None,
        )
    throttle.clear_pending(pending)
    if problem is not None:
        raise UserError(problem)
    assert user is not None
    return Actor.of(user)


def change_password(database: Database, actor: Actor, old: str, new: str) -> None:
    """修改密码: the old password must unwrap the key, which is then wrapped for the new one."""
    check_new_password(new)
    keyring = _keyring_of(database)
    try:
        key = keyring.unlock(actor.username, old)
    except WrongCredentials as error:
        raise UserError(WRONG_OLD_PASSWORD) from error
    with user_action(database, actor, "修改密码") as scope:
        user = scope.session.get(User, scope.actor.user_id)
        if user is None:
            raise UserError("当前登录的账号已不存在，请重新登录。")
        user.password_hash = PASSWORD_IN_KEYRING
        scope.log("修改本人密码", "app_user", user.id)
        keyring.wrap_for(user.username, new, key)


def reset_password(database: Database, actor: Actor, user_id: str, new_password: str) -> None:
    """重设密码 (管理员, own squad's accounts): the key is wrapped for the new password and the
    account's sign-in wait is lifted; the user should change it at the next sign-in."""
    actor.require(Permission.MANAGE_USERS)
    check_new_password(new_password)
    keyring = _keyring_of(database)
    assert database.key is not None
    with user_action(database, actor, "重设密码") as scope:
        scope.actor.require(Permission.MANAGE_USERS)
        user = fetch_own(scope, User, user_id)
        if not user.active:
            raise UserError(f"账号“{user.full_name}”已停用，不能重设密码。")
        user.password_hash = PASSWORD_IN_KEYRING
        scope.log(f"重设用户“{user.full_name}”（{user.username}）的密码", "app_user", user.id)
        keyring.wrap_for(user.username, new_password, database.key)
    SignInThrottle(database.folder).record_success(user.username)


def recover_password(folder: DataFolder, code: str, username: str, new_password: str) -> None:
    """忘记密码: with the printed recovery code, set a new password for ``username``.

    Whoever holds the code can read everything anyway, so an unknown name may be named.
    """
    check_new_password(new_password)
    name = username.strip().lower()
    database = unlock_with_recovery(folder, code)
    try:
        assert database.key is not None
        with database.read() as session:
            user = _user_named(session, name)
        if user is None or not user.active:
            raise UserError(f"没有名为“{name}”的在用账号，请核对用户名。")
        with user_action(database, Actor.of(user), "用恢复密钥重设密码") as scope:
            stored = scope.session.get(User, user.id)
            assert stored is not None
            stored.password_hash = PASSWORD_IN_KEYRING
            scope.log("用恢复密钥重设本人密码", "app_user", stored.id)
            Keyring.load(folder).wrap_for(stored.username, new_password, database.key)
        SignInThrottle(folder).record_success(name)
    finally:
        database.close()


def new_recovery_code(database: Database, actor: Actor) -> str:
    """生成新的恢复密钥 (管理员 of this laptop's squad): a new code replaces the printed one (a
    lost printout, or a go-live whose code nobody saw); return it to be shown and printed."""
    actor.require(Permission.MANAGE_USERS)
    keyring = _keyring_of(database)
    assert database.key is not None
    with user_action(database, actor, "生成新的恢复密钥") as scope:
        scope.actor.require(Permission.MANAGE_USERS)
        require_laptop_squad(scope.session, scope.actor)
        scope.log("生成新的恢复密钥（此前打印的恢复密钥作废）")
        code = keyring.replace_recovery(database.key)
    return code


def forget_account(database: Database, username: str) -> None:
    """A deactivated account can no longer open the data: its wrapped key is removed."""
    _keyring_of(database).forget(username)


def _keyring_of(database: Database) -> Keyring:
    if database.key is None:
        raise UserError("数据库尚未加密，请先由管理员登录完成加密，再修改密码。")
    return Keyring.load(database.folder)


def _typed_name(username: str, password: str) -> str:
    name = username.strip().lower()
    if not name or not password:
        raise UserError("请输入用户名和密码。")
    return name


def _user_named(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == name))


def _problem_of(user: User | None) -> str | None:
    """Why a proved password still does not admit (none: admitted)."""
    if user is None:  # a key wrapped for a name the database does not hold
        return "该账号在本机数据中不存在，请联系管理员。"
    if not user.active:
        return DEACTIVATED
    return None


def _log_refused_attempts(
    scope: ActionScope, throttle: SignInThrottle, pending: list[PendingFailure]
) -> None:
    """Write the attempts refused while the database was closed (known names by account)."""
    if not pending:
        return
    signer, scope.actor = scope.actor, REFUSED_ATTEMPT  # not the person signing in now
    by_name = {user.username: user for user in scope.session.scalars(select(User))}
    users = {key: by_name[name] for key, name in throttle.names_by_key(by_name).items()}
    for failure in pending:
        user = users.get(failure.name_key)
        moment = failure.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        who = f"账号“{user.username}”" if user else "未知用户名"
        if failure.during_wait:
            why = "等待期间再次尝试，未核对密码"
        else:
            why = "密码错误" if user else "用户名不存在"
        scope.log(
            f"登录失败（{moment}，{who}）：{why}",
            "app_user" if user else None,
            user.id if user else None,
        )
    scope.actor = signer


def _anonymous(username: str) -> Actor:
    """The actor recorded for an attempt before we know who it is."""
    return Actor(user_id=None, full_name=username[:50], squad_id=None, roles=frozenset())
