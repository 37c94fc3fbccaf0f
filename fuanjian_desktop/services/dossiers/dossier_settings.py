"""How this laptop compiles volumes: the binding convention, where the 页号 goes, and whether a
scan replaces the generated copy or goes in front of it.

Defaults ship in ``resources/dossier/settings.json`` (with their sources); an administrator
changes them here, stored as the ``LocalSetting`` keys ``dossier.*`` and recorded in the
audit trail. The 保管期限 is the bureau's data and follows the procedure (:func:`retention`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import Procedure
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.dossier.binding import conventions
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import LocalSetting
from fuanjian_desktop.resources import load_json_resource
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.squad_scope import require_laptop_squad
from fuanjian_desktop.services.unit_of_work import user_action

PREFIX = "dossier."
FIELDS = ("convention", "page_number_position", "scan_placement")


@dataclass(frozen=True)
class DossierSettings:
    """The three choices: a convention key of ``binding_order.json``, ``top_right`` or
    ``bottom_right``, ``replace`` or ``behind``."""

    convention: str
    page_number_position: str
    scan_placement: str


@functools.cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = load_json_resource("dossier", "settings.json")
    return data


def choices(field: str) -> dict[str, str]:
    """The values ``field`` may take, each with its Chinese label, for the settings dialog."""
    if field == "convention":
        return {key: row.label for key, row in conventions().items()}
    values: dict[str, str] = _data()[field]["values"]
    return values


def field_label(field: str) -> str:
    """The Chinese name of a setting, e.g. 页号位置."""
    label: str = _data()[field]["label"]
    return label


def source_of(field: str, value: str) -> str:
    """Where a choice comes from: a convention's own rule, else the setting's source."""
    if field == "convention":
        return conventions()[value].source
    source: str = _data()[field]["source"]
    return source


def default_settings() -> DossierSettings:
    """The shipped defaults."""
    data = _data()
    return DossierSettings(*(str(data[field]["default"]) for field in FIELDS))


def dossier_settings(session: Session) -> DossierSettings:
    """The settings in force: this laptop's choices over the defaults (a stored value no
    longer known is an error, never silently replaced)."""
    defaults = default_settings()
    values = {}
    for field in FIELDS:
        row = session.get(LocalSetting, PREFIX + field)
        values[field] = row.value if row is not None else getattr(defaults, field)
    settings = DossierSettings(**values)
    _check(settings)
    return settings


def dossier_settings_in_force(database: Database) -> DossierSettings:
    """The settings now in force (for the settings dialog and the volume)."""
    with database.read() as session:
        return dossier_settings(session)


def save_dossier_settings(database: Database, actor: Actor, settings: DossierSettings) -> None:
    """Store the administrator's choices (volumes already archived keep their frozen pages)."""
    actor.require(Permission.MANAGE_USERS)
    _check(settings)
    with user_action(database, actor, "修改案卷设置") as scope:
        scope.actor.require(Permission.MANAGE_USERS)
        require_laptop_squad(scope.session, scope.actor)
        for field in FIELDS:
            value = getattr(settings, field)
            scope.session.merge(LocalSetting(key=PREFIX + field, value=value))
        chosen = "，".join(
            f"{field_label(field)}“{choices(field)[getattr(settings, field)]}”" for field in FIELDS
        )
        scope.log(f"案卷设置：{chosen}")


def _check(settings: DossierSettings) -> None:
    for field in FIELDS:
        value, allowed = getattr(settings, field), choices(field)
        if value not in allowed:
            options = "、".join(f"{key}（{label}）" for key, label in allowed.items())
            raise UserError(
                f"{field_label(field)}的值“{value}”未知。可选：{options}。"
                "请在“案卷设置”中重新选择。"
            )


def retention(procedure: Procedure) -> str:
    """保管期限 of a volume: 一般程序 永久, 简易程序 30年 (the bureau's data)."""
    by_procedure: dict[str, str] = _data()["retention"]["by_procedure"]
    return by_procedure[procedure.value]
