"""用户管理's 已锁定 comes from the sign-in limits: the name's own wait, lifted by 解锁账号."""

from __future__ import annotations

from collections.abc import Callable

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.security.sign_in_throttle import SignInThrottle
from fuanjian_desktop.services import users
from fuanjian_desktop.services.actor import Actor


def locked_names(database: Database, admin: Actor) -> set[str]:
    return {row.username for row in users.list_users(database, admin) if row.locked}


def test_a_name_that_must_wait_is_listed_locked_until_unlocked(
    demo_database: Database, sign_in: Callable[[str], Actor]
) -> None:
    """Four wrong passwords for 张伟: listed 已锁定 (no one else); 解锁账号 clears it."""
    admin = sign_in("zhaolei")
    throttle = SignInThrottle(demo_database.folder)
    for _ in range(4):
        throttle.record_failure("zhangwei", utc_now())
    assert locked_names(demo_database, admin) == {"zhangwei"}
    zhangwei = next(
        row.id for row in users.list_users(demo_database, admin) if row.username == "zhangwei"
    )
    users.unlock_user(demo_database, admin, zhangwei)
    assert locked_names(demo_database, admin) == set()
