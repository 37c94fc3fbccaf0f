"""Loading a record the user acted on, which may have vanished since their list was drawn,
or may belong to another squad (see ``services.squad_scope``)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from fuanjian_desktop.db.base import Base
from fuanjian_desktop.errors import NotFound
from fuanjian_desktop.models import Case, CaseDocument, Enterprise, Hazard, Inspection, User
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.squad_scope import require_changeable, require_readable, squad_of
from fuanjian_desktop.services.unit_of_work import ActionScope

Entity = TypeVar("Entity", bound=Base)

MISSING: dict[type[Base], str] = {
    Enterprise: "该企业已不存在（可能已被删除），请刷新列表。",
    Inspection: "该检查记录不存在，请刷新列表。",
    Hazard: "该隐患记录不存在，请刷新列表。",
    Case: "该案件不存在，请刷新列表。",
    CaseDocument: "该文书不存在（可能已被删除），请刷新列表。",
    User: "该用户不存在，请刷新后重试。",
}

# what a record is called in a refusal ("该案件不属于您所在中队…")
NAMES: dict[type[Base], str] = {
    Enterprise: "企业",
    Inspection: "检查记录",
    Hazard: "隐患",
    Case: "案件",
    CaseDocument: "文书",
    User: "用户",
}


def fetch(session: Session, entity: type[Entity], key: str) -> Entity:
    """The record with primary key ``key``, or :class:`NotFound` saying so in Chinese.

    No squad check: for records already checked, or shared ones (the registry, for reading).
    """
    found = session.get(entity, key)
    if found is None:
        raise NotFound(MISSING.get(entity, "记录不存在，请刷新列表。"))
    return found


def fetch_own(scope: ActionScope, entity: type[Entity], key: str) -> Entity:
    """The record ``key`` for a change by the acting user, refused unless of their squad."""
    found = fetch(scope.session, entity, key)
    require_changeable(scope.actor, squad_of(scope.session, found), NAMES.get(entity, "记录"))
    return found


def fetch_readable(session: Session, actor: Actor, entity: type[Entity], key: str) -> Entity:
    """The record ``key`` for ``actor`` to read, refused unless their squad's (or a bureau
    viewer's); ``actor`` must already be re-read (see ``squad_scope.acting_user``)."""
    found = fetch(session, entity, key)
    require_readable(actor, squad_of(session, found), NAMES.get(entity, "记录"))
    return found
