"""The idle lock's core: its minutes (10 unless an administrator sets 1–120) and its password."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo import DEMO_PASSWORD
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import AuditEvent
from fuanjian_desktop.security.sign_in_throttle import SignInRefused, SignInThrottle
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.idle_lock import confirm_password, lock_minutes, save_lock_minutes

T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


def test_ten_minutes_unless_set(demo_database: Database) -> None:
    """A laptop nobody configured locks after 10 idle minutes (the issue's default)."""
    assert lock_minutes(demo_database) == 10


def test_the_administrator_sets_the_minutes_and_it_is_audited(
    demo_database: Database, sign_in: Callable[[str], Actor]
) -> None:
    """赵磊 (管理员 of 园岭, this laptop's squad) sets 3 minutes; the audit trail says so."""
    save_lock_minutes(demo_database, sign_in("zhaolei"), 3)
    assert lock_minutes(demo_database) == 3
    with demo_database.read() as session:
        summaries = session.scalars(
            select(AuditEvent.summary).where(AuditEvent.action == "修改自动锁定时间")
        ).all()
    assert summaries == ["无操作3分钟后自动锁定"]


@pytest.mark.parametrize("minutes", [0, 121, -5])
def test_minutes_outside_1_to_120_are_refused(
    demo_database: Database, sign_in: Callable[[str], Actor], minutes: int
) -> None:
    """0 would lock at once and 121 is no lock at all: refused in Chinese, nothing stored."""
    with pytest.raises(UserError) as refused:
        save_lock_minutes(demo_database, sign_in("zhaolei"), minutes)
    assert refused.value.message == "自动锁定时间须在1至120分钟之间，请重新填写（默认10分钟）。"
    assert lock_minutes(demo_database) == 10


@pytest.mark.parametrize("username", ["zhangwei", "hejun"])
def test_only_this_laptops_administrators_set_it(
    demo_database: Database, sign_in: Callable[[str], Actor], username: str
) -> None:
    """An inspector, and 南园's administrator on 园岭's laptop, are refused."""
    with pytest.raises(PermissionDenied):
        save_lock_minutes(demo_database, sign_in(username), 5)
    assert lock_minutes(demo_database) == 10


def test_the_users_password_unlocks(demo_database: Database) -> None:
    """张伟's own password is accepted (no error) and clears nothing else."""
    confirm_password(demo_database, "zhangwei", DEMO_PASSWORD, T0)


def test_a_wrong_password_gets_the_sign_in_answer(demo_database: Database) -> None:
    """The lock answers as the sign-in window does, word for word."""
    with pytest.raises(SignInRefused) as refused:
        confirm_password(demo_database, "zhangwei", "wrong1234", T0)
    assert refused.value.message == (
        "用户名或密码不正确，请重新输入。连续输错3次以上须等待片刻（最长15分钟）再试。"
    )


def test_wrong_passwords_at_the_lock_count_for_the_sign_in_too(demo_database: Database) -> None:
    """Four wrong at the lock: the name waits a minute, there and at the sign-in window."""
    for _ in range(4):
        with pytest.raises(SignInRefused):
            confirm_password(demo_database, "zhangwei", "wrong1234", T0)
    assert SignInThrottle(demo_database.folder).wait_before("zhangwei", T0) == dt.timedelta(
        minutes=1
    )
    with pytest.raises(SignInRefused):
        confirm_password(demo_database, "zhangwei", DEMO_PASSWORD, T0 + dt.timedelta(seconds=30))
    confirm_password(demo_database, "zhangwei", DEMO_PASSWORD, T0 + dt.timedelta(minutes=1))


def test_an_empty_password_is_asked_for(demo_database: Database) -> None:
    """Nothing typed: a request for the password, no attempt counted."""
    with pytest.raises(UserError, match="请输入密码。"):
        confirm_password(demo_database, "zhangwei", "", T0)
    assert SignInThrottle(demo_database.folder).pending_failures() == []
