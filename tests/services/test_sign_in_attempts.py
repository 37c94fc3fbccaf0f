"""Refused sign-ins reach the audit trail at the next sign-in, naming known accounts only."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import AuditEvent, User
from fuanjian_desktop.security.sign_in_throttle import SignInThrottle
from fuanjian_desktop.services.sign_in_attempts import log_refused_attempts

T0 = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # 10:00 in Beijing


@pytest.fixture
def beijing_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The laptop's clock in China, as the audit notes show local time."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def refused_events(database: Database) -> list[tuple[str, str | None, str | None]]:
    with database.read() as session:
        rows = session.execute(
            select(AuditEvent.summary, AuditEvent.entity_id, AuditEvent.actor_id)
            .where(AuditEvent.summary.startswith("登录失败"))
            .order_by(AuditEvent.occurred_at, AuditEvent.summary)
        )
        return [tuple(row) for row in rows]


def test_each_refused_attempt_is_logged_once_with_its_time(
    demo_database: Database, beijing_time: None
) -> None:
    """Four wrong for 张伟 (the 4th starts a wait), one during the wait, one unknown name."""
    throttle = SignInThrottle(demo_database.folder)
    for seconds in (0, 1, 2, 3):
        throttle.record_failure(" ZhangWei", T0 + dt.timedelta(seconds=seconds))
    throttle.record_failure("zhangwei", T0 + dt.timedelta(seconds=30))
    throttle.record_failure("no.such.user", T0 + dt.timedelta(minutes=2))
    assert log_refused_attempts(demo_database) == 6
    with demo_database.read() as session:
        zhangwei = session.scalar(select(User.id).where(User.username == "zhangwei"))
    assert sorted(refused_events(demo_database)) == sorted(
        [
            ("登录失败（2026-03-02 10:00:00）：用户名“zhangwei”，密码不正确", zhangwei, None),
            ("登录失败（2026-03-02 10:00:01）：用户名“zhangwei”，密码不正确", zhangwei, None),
            ("登录失败（2026-03-02 10:00:02）：用户名“zhangwei”，密码不正确", zhangwei, None),
            ("登录失败（2026-03-02 10:00:03）：用户名“zhangwei”，密码不正确", zhangwei, None),
            (
                "登录失败（2026-03-02 10:00:30）：用户名“zhangwei”，"
                "尝试次数过多须等待期间再次尝试（未核对密码）",
                zhangwei,
                None,
            ),
            ("登录失败（2026-03-02 10:02:00）：未登记的用户名", None, None),
        ]
    )
    assert throttle.pending_failures() == []
    assert log_refused_attempts(demo_database) == 0  # not twice


def test_nothing_kept_writes_nothing(demo_database: Database) -> None:
    """No refused attempt: no event, no file."""
    assert log_refused_attempts(demo_database) == 0
    assert refused_events(demo_database) == []
