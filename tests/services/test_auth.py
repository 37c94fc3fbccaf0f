"""Signing in: password check, the 5-strikes lock-out, its audit trail and the admin unlock."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from sqlalchemy import func, literal_column, select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.demo.demo import DEMO_PASSWORD
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import AuditEvent, User
from fuanjian_desktop.services import auth, users
from fuanjian_desktop.services.actor import Actor

T0 = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)
WRONG = "not-the-password-1"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def attempt(
    database: Database, password: str, now: dt.datetime = T0, username: str = "zhangwei"
) -> str:
    """Try to sign in; return the refusal message ('' when signed in)."""
    try:
        auth.sign_in(database, username, password, now=now)
    except UserError as refusal:
        return refusal.message
    return ""


def lock_out(database: Database, username: str = "zhangwei") -> list[str]:
    """Five wrong passwords in a row at T0; return the five messages."""
    return [attempt(database, WRONG, username=username) for _ in range(5)]


def lock_quickly(database: Database, username: str = "zhangwei") -> None:
    """Lock an account at T0 with one real wrong password after four recorded ones.

    Each wrong password costs a full argon2 verification; tests about what happens *after* a
    lock start from four failures already counted (the counting is pinned by its own tests).
    """
    with database.write() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        user.failed_logins = 4
    assert "已锁定" in attempt(database, WRONG, username=username)


def login_events(database: Database) -> list[tuple[str | None, str, str | None, str]]:
    """(actor id, actor name, entity id, summary) of each sign-in audit event, oldest first."""
    with database.read() as session:
        query = select(
            AuditEvent.actor_id, AuditEvent.actor_name, AuditEvent.entity_id, AuditEvent.summary
        ).where(AuditEvent.action == "登录")
        rows = session.execute(query.order_by(literal_column("audit_event.rowid")))
        return [(row.actor_id, row.actor_name, row.entity_id, row.summary) for row in rows]


def user_id(database: Database, username: str) -> str:
    """The id of a demo account."""
    with database.read() as session:
        found = session.scalar(select(User.id).where(User.username == username))
    assert found is not None
    return found


def test_demo_inspector_signs_in(demo_database: Database) -> None:
    """The demo inspector signs in with the demo password and gets their name, squad and role."""
    actor = auth.sign_in(demo_database, "zhangwei", DEMO_PASSWORD)
    assert actor.full_name == "张伟"
    assert actor.username == "zhangwei"
    assert actor.roles == frozenset({Role.INSPECTOR})
    assert actor.squad_id is not None
    assert actor.cert_no == "44030419001"


def test_username_is_not_case_sensitive_and_trimmed(demo_database: Database) -> None:
    """' ZhangWei ' signs in as zhangwei."""
    assert auth.sign_in(demo_database, " ZhangWei ", DEMO_PASSWORD).username == "zhangwei"


def test_wrong_password_warns_of_the_lock_and_audits_the_count(demo_database: Database) -> None:
    """A wrong password is refused in Chinese with the lock rule; the audit trail counts it."""
    first = attempt(demo_database, WRONG)
    second = attempt(demo_database, WRONG)
    assert first == second == auth.WRONG_CREDENTIALS
    assert "连续输错5次" in first and "锁定15分钟" in first
    summaries = [event[3] for event in login_events(demo_database)]
    assert summaries[-2:] == ["登录失败：密码错误（连续第1次）", "登录失败：密码错误（连续第2次）"]


def test_right_password_resets_the_count(demo_database: Database) -> None:
    """A successful sign-in forgets earlier wrong passwords."""
    attempt(demo_database, WRONG)
    attempt(demo_database, WRONG)
    assert attempt(demo_database, DEMO_PASSWORD) == ""
    attempt(demo_database, WRONG)
    assert login_events(demo_database)[-1][3] == "登录失败：密码错误（连续第1次）"


def test_five_wrong_passwords_lock_the_account(demo_database: Database) -> None:
    """The fifth wrong password locks the account; then even the right password is refused."""
    messages = lock_out(demo_database)
    assert messages[:4] == [auth.WRONG_CREDENTIALS] * 4
    assert not any("已锁定" in message for message in messages[:4])
    assert "已锁定" in messages[4]
    refused = attempt(demo_database, DEMO_PASSWORD, now=T0 + dt.timedelta(minutes=14, seconds=59))
    assert "已锁定" in refused
    assert "管理员" in refused


def test_lock_lifts_after_fifteen_minutes(demo_database: Database) -> None:
    """Fifteen minutes after the lock the right password works again."""
    lock_quickly(demo_database)
    assert attempt(demo_database, DEMO_PASSWORD, now=T0 + dt.timedelta(minutes=15)) == ""


def test_lock_survives_reopening_the_database(
    demo_database: Database, data_folder: DataFolder
) -> None:
    """Closing the app does not reset a lock-out: it is committed with the failed attempt."""
    lock_quickly(demo_database)
    demo_database.close()
    reopened = open_database(data_folder, demo_database.key)
    try:
        assert "已锁定" in attempt(reopened, DEMO_PASSWORD, now=T0 + dt.timedelta(minutes=1))
    finally:
        reopened.close()


def test_lock_is_per_account(demo_database: Database) -> None:
    """Locking one account leaves the others able to sign in."""
    lock_quickly(demo_database)
    assert attempt(demo_database, DEMO_PASSWORD, username="lina") == ""


def test_unknown_user_is_refused_without_saying_it_does_not_exist(
    demo_database: Database,
) -> None:
    """An unknown username gets the generic wrong-credentials message, never 'does not exist'."""
    message = attempt(demo_database, DEMO_PASSWORD, username="nobody")
    assert message.startswith(auth.WRONG_CREDENTIALS)
    assert "不存在" not in message


def test_unknown_user_gets_the_same_message_as_a_wrong_password(demo_database: Database) -> None:
    """An unknown username and a known one with a wrong password read exactly the same."""
    unknown = attempt(demo_database, WRONG, username="nobody")
    wrong_password = attempt(demo_database, WRONG, username="zhangwei")
    assert unknown == wrong_password


def test_empty_credentials_are_refused(demo_database: Database) -> None:
    """An empty username or password is refused with a prompt to fill both in."""
    assert attempt(demo_database, "", username="zhangwei") == "请输入用户名和密码。"
    assert attempt(demo_database, DEMO_PASSWORD, username="  ") == "请输入用户名和密码。"


def test_every_attempt_leaves_an_audit_event(demo_database: Database) -> None:
    """Success, wrong password, lock refusal and unknown user each leave one 登录 audit event."""
    zhangwei = user_id(demo_database, "zhangwei")
    assert attempt(demo_database, DEMO_PASSWORD) == ""
    lock_out(demo_database)
    attempt(demo_database, DEMO_PASSWORD)  # refused: locked
    attempt(demo_database, WRONG, username="nobody")

    events = login_events(demo_database)
    assert len(events) == 8
    actors, names, entities, summaries = zip(*events, strict=True)
    assert summaries[0] == "登录成功"
    assert all(summary.startswith("登录失败") for summary in summaries[1:])
    assert "连续第1次" in summaries[1]
    assert "已锁定" in summaries[5] and "已锁定" in summaries[6]
    assert actors[:7] == entities[:7] == (zhangwei,) * 7
    assert names[:7] == ("张伟",) * 7
    assert (actors[7], names[7], entities[7]) == (None, "nobody", None)
    assert "nobody" in summaries[7]


def test_admin_unlocks_an_account(demo_database: Database, sign_in: Callable[[str], Actor]) -> None:
    """The administrator can lift a lock at once; the unlock is itself audited."""
    lock_quickly(demo_database)
    locked_id = user_id(demo_database, "zhangwei")
    admin = sign_in("zhaolei")

    users.unlock_user(demo_database, admin, locked_id)

    assert attempt(demo_database, DEMO_PASSWORD, now=T0 + dt.timedelta(minutes=1)) == ""
    with demo_database.read() as session:
        query = select(AuditEvent.actor_id, AuditEvent.entity_id)
        unlocks = session.execute(query.where(AuditEvent.action == "解锁用户")).all()
    assert [tuple(row) for row in unlocks] == [(admin.user_id, locked_id)]


def test_non_admin_cannot_unlock(demo_database: Database, sign_in: Callable[[str], Actor]) -> None:
    """A squad leader who is not an administrator is refused in Chinese; the lock stays."""
    lock_quickly(demo_database)
    leader = sign_in("liuyang")
    with demo_database.read() as session:
        audit_count = session.scalar(select(func.count()).select_from(AuditEvent))

    with pytest.raises(PermissionDenied) as refused:
        users.unlock_user(demo_database, leader, user_id(demo_database, "zhangwei"))

    assert CHINESE.search(refused.value.message)
    assert "管理用户" in refused.value.message
    assert "已锁定" in attempt(demo_database, DEMO_PASSWORD, now=T0 + dt.timedelta(minutes=1))
    with demo_database.read() as session:
        # only the refused sign-in above was added
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == audit_count + 1
