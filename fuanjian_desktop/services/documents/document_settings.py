"""The authority's particulars printed on documents (机关名称, 复议机关, 法院 …), as set here.

Defaults ship in ``resources/documents/organisation.json`` (with how sure we are of each); an
administrator overrides a value on this laptop, stored as the ``LocalSetting`` ``document.<key>``.
Composing a document needs these together with the law's wording of the day: :func:`wording_for`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.documents.compose import Wording
from fuanjian_desktop.documents.wording import law_texts
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import LocalSetting
from fuanjian_desktop.resources import load_json_resource
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.procedure_settings import current_settings
from fuanjian_desktop.services.squad_scope import require_laptop_squad
from fuanjian_desktop.services.unit_of_work import user_action

PREFIX = "document."


@dataclass(frozen=True)
class OrganisationItem:
    """One particular: its label, shipped default and confidence (U = presumed, to verify)."""

    key: str
    label: str
    default: str
    confidence: str
    note: str = ""


@functools.cache
def organisation_items() -> tuple[OrganisationItem, ...]:
    """Every particular in file order, for the settings form and for validation."""
    data: dict[str, Any] = load_json_resource("documents", "organisation.json")
    return tuple(
        OrganisationItem(key, row["label"], row["value"], row["confidence"], row.get("note", ""))
        for key, row in data["values"].items()
    )


def organisation(session: Session) -> dict[str, str]:
    """The particulars in force on this laptop: the defaults with this installation's values."""
    rows = session.scalars(select(LocalSetting).where(LocalSetting.key.startswith(PREFIX)))
    overrides = {row.key.removeprefix(PREFIX): row.value for row in rows}
    return {item.key: overrides.get(item.key, item.default) for item in organisation_items()}


def save_organisation(database: Database, actor: Actor, values: Mapping[str, str]) -> None:
    """Store the bureau's own particulars (administrators); documents issued keep theirs."""
    actor.require(Permission.MANAGE_USERS)
    labels = {item.key: item.label for item in organisation_items()}
    unknown = sorted(set(values) - set(labels))
    if unknown:
        raise UserError(
            f"未知的文书设置项：{'、'.join(unknown)}。可设置的项目：{'、'.join(labels.values())}。"
        )
    with user_action(database, actor, "修改文书设置") as scope:
        scope.actor.require(Permission.MANAGE_USERS)
        require_laptop_squad(scope.session, scope.actor)
        for key, value in values.items():
            scope.session.merge(LocalSetting(key=PREFIX + key, value=value.strip()))
        changed = "，".join(f"{labels[key]}“{value.strip()}”" for key, value in values.items())
        scope.log(f"文书设置：{changed}")


def organisation_in_force(database: Database) -> dict[str, str]:
    """The particulars now in force (for the settings form)."""
    with database.read() as session:
        return organisation(session)


def wording_for(session: Session, on: dt.date) -> Wording:
    """What a document dated ``on`` prints besides its values: the law's wording in force that
    day, the authority's particulars, and the 陈述申辩 period the bureau set."""
    statement_days = current_settings(session)["statement_days"]
    org = {**organisation(session), "statement_days": str(statement_days)}
    return Wording(law_texts(on), org)
