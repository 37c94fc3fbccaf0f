"""The bureau's procedure settings as stored on this laptop (defaults from ``resources``)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure_settings import ProcedureSettings, default_settings
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.models import LocalSetting
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.squad_scope import require_laptop_squad
from fuanjian_desktop.services.unit_of_work import user_action

PREFIX = "procedure."


def current_settings(session: Session) -> ProcedureSettings:
    """The defaults with every value this installation overrides."""
    rows = session.scalars(select(LocalSetting).where(LocalSetting.key.startswith(PREFIX)))
    overrides = {row.key.removeprefix(PREFIX): int(row.value) for row in rows}
    return default_settings().with_overrides(overrides)


def save_settings(database: Database, actor: Actor, values: Mapping[str, int]) -> None:
    """Store the bureau's own values (administrators); the defaults stay in the data file."""
    actor.require(Permission.MANAGE_USERS)
    checked = default_settings().with_overrides(values)
    with user_action(database, actor, "修改办案程序设置") as scope:
        scope.actor.require(Permission.MANAGE_USERS)
        require_laptop_squad(scope.session, scope.actor)
        for key, value in values.items():
            scope.session.merge(LocalSetting(key=PREFIX + key, value=str(value)))
        changed = "，".join(f"{key}={checked[key]}" for key in values)
        scope.log(f"办案程序设置：{changed}")


def settings_in_force(database: Database) -> ProcedureSettings:
    """The settings the guard and the deadlines use now (for the settings form)."""
    with database.read() as session:
        return current_settings(session)
