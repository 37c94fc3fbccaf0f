"""How often the desktop syncs by itself: a setting of this laptop (管理员), audited."""

from __future__ import annotations

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import LocalSetting
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.squad_scope import require_laptop_squad
from fuanjian_desktop.services.unit_of_work import user_action

INTERVAL_KEY = "sync.interval_minutes"
DEFAULT_INTERVAL_MINUTES = 15
FEWEST_INTERVAL_MINUTES = 5
MOST_INTERVAL_MINUTES = 240


def sync_interval_minutes(database: Database) -> int:
    """Minutes between automatic rounds (the default until an administrator sets one)."""
    with database.read() as session:
        row = session.get(LocalSetting, INTERVAL_KEY)
    return int(row.value) if row else DEFAULT_INTERVAL_MINUTES


def save_sync_interval(database: Database, actor: Actor, minutes: int) -> None:
    """Store the interval (管理员 of the laptop's squad); audited."""
    if not FEWEST_INTERVAL_MINUTES <= minutes <= MOST_INTERVAL_MINUTES:
        raise UserError(
            f"自动同步间隔须在{FEWEST_INTERVAL_MINUTES}至{MOST_INTERVAL_MINUTES}分钟之间，"
            f"请重新填写（默认{DEFAULT_INTERVAL_MINUTES}分钟）。"
        )
    with user_action(database, actor, "修改自动同步间隔") as scope:
        scope.actor.require(Permission.MANAGE_USERS)
        require_laptop_squad(scope.session, scope.actor)
        scope.session.merge(LocalSetting(key=INTERVAL_KEY, value=str(minutes)))
        scope.log(f"每{minutes}分钟自动与区局同步一次")
