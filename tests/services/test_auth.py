"""Signing in: the password unwraps the data key; the sign-in limits; their audit trail.

The limits themselves (waits, forgetting) are pinned in ``tests/security/test_sign_in_throttle``;
here: what ``auth`` answers, what it records, and the administrator's 解锁.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, literal_column, select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo import DEMO_PASSWORD
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import AuditEvent, User
from fuanjian_desktop.services import auth, users
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.setup import create_encrypted_database

T0 = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)
WRONG = "not-the-password-1"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Hand-written from the rules (docs/security.md, 登录限制): 3 free failures, then wait 1 minute.
NO_WAIT_ANSWER = "用户名或密码不正确，请重新输入。连续输错3次以上须等待片刻（最长15分钟）再试。"


def attempt(
    database: Database, password: str, now: dt.datetime = T0, username: str = "zhangwei"
) -> str:
    """Try to sign in; return the refusal message ('' when signed in)."""
    try:
        auth.sign_in(database, username, password, now=now)
    except UserError as refusal:
        return refusal.message
    return ""


def make_wait(database: Database, username: str = "zhangwei") -> list[str]:
    """Four wrong passwords in a row at T0 (the fourth imposes the first wait)."""
    return [attempt(database, WRONG, username=username) for _ in range(4)]


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


def test_unlock_opens_the_folder_and_signs_in(
    demo_database: Database, data_folder: DataFolder
) -> None:
    """auth.unlock: from nothing open to the database and the actor, with the same key."""
    key = demo_database.key
    demo_database.close()
    database, actor = auth.unlock(data_folder, "lina", DEMO_PASSWORD, now=T0)
    try:
        assert actor.full_name == "李娜"
        assert database.key == key
    finally:
        database.close()


def test_wrong_password_unknown_name_and_a_wait_read_alike(demo_database: Database) -> None:
    """Unknown names, wrong passwords and waits get one message (no account is revealed)."""
    unknown = attempt(demo_database, WRONG, username="nobody")
    wrong = attempt(demo_database, WRONG, username="lina")
    assert unknown == wrong == NO_WAIT_ANSWER
    answers = make_wait(demo_database)
    assert answers[:3] == [NO_WAIT_ANSWER] * 3
    assert answers[3].startswith("用户名或密码不正确，或尝试次数过多。请1分钟后")


def test_the_right_password_during_a_wait_is_refused_then_works(demo_database: Database) -> None:
    """After the fourth wrong password the name waits a minute; then the password works."""
    make_wait(demo_database)
    refused = attempt(demo_database, DEMO_PASSWORD, now=T0 + dt.timedelta(seconds=59))
    assert "尝试次数过多" in refused
    assert attempt(demo_database, DEMO_PASSWORD, now=T0 + dt.timedelta(minutes=2)) == ""


def test_a_wait_survives_reopening_the_folder(
    demo_database: Database, data_folder: DataFolder
) -> None:
    """Closing the app does not reset the limits: they live in the folder, not in memory."""
    make_wait(demo_database)
    demo_database.close()
    with pytest.raises(UserError, match="尝试次数过多"):
        auth.unlock(data_folder, "zhangwei", DEMO_PASSWORD, now=T0 + dt.timedelta(seconds=30))


def test_a_wait_is_per_name(demo_database: Database) -> None:
    """One name's wait leaves the others able to sign in."""
    make_wait(demo_database)
    assert attempt(demo_database, DEMO_PASSWORD, username="lina") == ""


def test_empty_credentials_are_refused(demo_database: Database) -> None:
    """An empty username or password is refused with a prompt to fill both in."""
    assert attempt(demo_database, "", username="zhangwei") == "请输入用户名和密码。"
    assert attempt(demo_database, DEMO_PASSWORD, username="  ") == "请输入用户名和密码。"


def test_refused_attempts_reach_the_audit_trail_at_the_next_sign_in(
    demo_database: Database,
) -> None:
    """Refusals cannot be written before a key exists: the next sign-in writes each of them
    (known names by account, unknown names without one), then its own success."""
    zhangwei = user_id(demo_database, "zhangwei")
    before = len(login_events(demo_database))
    attempt(demo_database, WRONG)
    attempt(demo_database, WRONG, username="nobody")
    assert len(login_events(demo_database)) == before  # nothing written yet

    assert attempt(demo_database, DEMO_PASSWORD, username="lina") == ""

    events = login_events(demo_database)[before:]
    assert len(events) == 3
    (_, first_name, first_entity, first), (_, _, second_entity, second), (_, name, _, last) = events
    assert first_name == "（登录失败的尝试）"  # not the person who signed in afterwards
    assert first_entity == zhangwei and "账号“zhangwei”" in first and "密码错误" in first
    assert second_entity is None and "未知用户名" in second and "nobody" not in second
    assert (name, last) == ("李娜", "登录成功")
    assert attempt(demo_database, DEMO_PASSWORD, username="lina") == ""
    assert len(login_events(demo_database)[before:]) == 4  # written once, not again


def test_a_keys_file_of_another_folder_is_refused(demo_database: Database, tmp_path: Path) -> None:
    """A password that unwraps a different key than the open database's is refused clearly."""
    other = create_encrypted_database(DataFolder(tmp_path / "other"))
    try:
        (demo_database.folder / "keys.json").replace(other.folder / "keys.json")
        with pytest.raises(UserError, match="不匹配"):
            auth.sign_in(other, "zhangwei", DEMO_PASSWORD)
    finally:
        other.close()


def test_admin_unlocks_an_account(demo_database: Database, sign_in: Callable[[str], Actor]) -> None:
    """The administrator can lift a wait at once; the unlock is itself audited."""
    admin = sign_in("zhaolei")
    make_wait(demo_database)
    waiting_id = user_id(demo_database, "zhangwei")

    users.unlock_user(demo_database, admin, waiting_id)

    assert attempt(demo_database, DEMO_PASSWORD, now=T0 + dt.timedelta(seconds=10)) == ""
    with demo_database.read() as session:
        query = select(AuditEvent.actor_id, AuditEvent.entity_id)
        unlocks = session.execute(query.where(AuditEvent.action == "解锁用户")).all()
    assert [tuple(row) for row in unlocks] == [(admin.user_id, waiting_id)]


def test_non_admin_cannot_unlock(demo_database: Database, sign_in: Callable[[str], Actor]) -> None:
    """A squad leader who is not an administrator is refused in Chinese; the wait stays."""
    leader = sign_in("liuyang")
    make_wait(demo_database)
    with demo_database.read() as session:
        audit_count = session.scalar(select(func.count()).select_from(AuditEvent))

    with pytest.raises(PermissionDenied) as refused:
        users.unlock_user(demo_database, leader, user_id(demo_database, "zhangwei"))

    assert CHINESE.search(refused.value.message)
    assert "管理用户" in refused.value.message
    assert "尝试次数过多" in attempt(
        demo_database, DEMO_PASSWORD, now=T0 + dt.timedelta(seconds=10)
    )
    with demo_database.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == audit_count
