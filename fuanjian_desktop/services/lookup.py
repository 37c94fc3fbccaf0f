"""Loading a record the user acted on, which may have vanished since their list was drawn."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from fuanjian_desktop.db.base import Base
from fuanjian_desktop.errors import NotFound
from fuanjian_desktop.models import Enterprise, Hazard, Inspection

Entity = TypeVar("Entity", bound=Base)

MISSING: dict[type[Base], str] = {
    Enterprise: "该企业已不存在（可能已被删除），请刷新列表。",
    Inspection: "该检查记录不存在，请刷新列表。",
    Hazard: "该隐患记录不存在，请刷新列表。",
}


def fetch(session: Session, entity: type[Entity], key: str) -> Entity:
    """The record with primary key ``key``, or :class:`NotFound` saying so in Chinese."""
    found = session.get(entity, key)
    if found is None:
        raise NotFound(MISSING.get(entity, "记录不存在，请刷新列表。"))
    return found
