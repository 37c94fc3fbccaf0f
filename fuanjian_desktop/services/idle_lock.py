"""The idle lock's core: after how many idle minutes it locks, and the password that unlocks it.

The window that locks is Qt's (``ui/idle_lock.py``); what it asks of the data lives here, so it
can be checked without a screen.
"""

from __future__ import annotations

import datetime as dt

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import LocalSetting
from fuanjian_desktop.security.keyring import Keyring, WrongCredentials
from fuanjian_desktop.security.sign_in_throttle import SignInThrottle
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.squad_scope import require_laptop_squad
from fuanjian_desktop.services.unit_of_work import user_action

LOCK_MINUTES_KEY = "security.idle_lock_minutes"
DEFAULT_LOCK_MINUTES = 10
FEWEST_LOCK_MINUTES = 1
MOST_LOCK_MINUTES = 120  # an inspection's longest quiet stretch; longer would be no lock at all


def lock_minutes(database: Database) -> int:
    """Idle minutes before the window locks on this laptop (10 unless an administrator chose)."""
    with database.read() as session:
        row = session.get(LocalSetting, LOCK_MINUTES_KEY)
        return int(row.value) if row is not None else DEFAULT_LOCK_MINUTES


def save_lock_minutes(database: Database, actor: Actor, minutes: int) -> None:
    """Store this laptop's idle minutes (管理员 of the laptop's squad); audited."""
    if not FEWEST_LOCK_MINUTES <= minutes <= MOST_LOCK_MINUTES:
        raise UserError(
            f"自动锁定时间须在{FEWEST_LOCK_MINUTES}至{MOST_LOCK_MINUTES}分钟之间，"
            f"请重新填写（默认{DEFAULT_LOCK_MINUTES}分钟）。"
        )
    with user_action(database, actor, "修改自动锁定时间") as scope:
        scope.actor.require(Permission.MANAGE_USERS)
        require_laptop_squad(scope.session, scope.actor)
        scope.session.merge(LocalSetting(key=LOCK_MINUTES_KEY, value=str(minutes)))
        scope.log(f"无操作{minutes}分钟后自动锁定")


def confirm_password(
    database: Database, username: str, password: str, now: dt.datetime | None = None
) -> None:
    """Accept the signed-in user's password at the idle lock, or raise a Chinese ``UserError``.

    Checked as a sign-in is: one argon2id derivation against ``keys.json`` under the same
    limits and with the same answer (``SignInRefused``), so the lock is no faster way to guess.
    The key it unwraps is dropped: the open database keeps its own. A plaintext database (before
    its encryption) has no keyring; its sign-in checks the password.
    """
    if not password:
        raise UserError("请输入密码。")
    folder = database.folder
    if not Keyring.exists(folder):
        auth.sign_in(database, username, password)
        return
    keyring = Keyring.load(folder)
    SignInThrottle(folder).attempt(
        username, now or utc_now(), lambda: keyring.unlock(username, password), (WrongCredentials,)
    )
