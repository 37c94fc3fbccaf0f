"""The enterprise registry: add, edit, look up and search enterprises and venues."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from fuanjian_desktop import reference
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.registry_rules import (
    CleanEnterprise,
    EnterpriseDraft,
    FieldIssue,
    InvalidFields,
    validate_enterprise,
)
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Enterprise, EnterpriseCategory
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.lookup import fetch, fetch_own
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

SEARCH_FIELDS = (
    "name",
    "uscc",
    "operator_name",
    "operator_id_no",
    "contact_name",
    "contact_phone",
    "address",
    "street",
    "community",
    "grid",
)


class EnterpriseInvalid(InvalidFields):
    """An enterprise entry with field issues; the dialog shows each beside its field."""

    def __init__(self, issues: Sequence[FieldIssue]) -> None:
        super().__init__("企业信息有误，请修改后再保存：", issues)


@dataclass(frozen=True)
class EnterpriseRow:
    """One line of the registry list."""

    id: str
    name: str
    uscc: str
    categories: str
    street: str
    community: str
    address: str
    contact: str
    phone: str
    key_supervision: bool
    blacklisted: bool
    uscc_overridden: bool


def check_draft(draft: EnterpriseDraft) -> CleanEnterprise:
    """Validate a draft against the shipped categories and streets; raise if any issue remains."""
    clean, issues = validate_enterprise(
        draft, reference.category_labels().keys(), reference.street_names()
    )
    if clean is None:
        raise EnterpriseInvalid(issues)
    return clean


def create_enterprise(database: Database, actor: Actor, draft: EnterpriseDraft) -> str:
    """Register a new enterprise in the actor's squad (as stored now); return its id."""
    actor.require(Permission.EDIT_REGISTRY)
    clean = check_draft(draft)
    with user_action(database, actor, "新增企业") as scope:
        scope.actor.require(Permission.EDIT_REGISTRY)
        if scope.actor.squad_id is None:
            raise UserError("当前账号未归属任何中队，无法登记企业。请联系管理员。")
        _refuse_duplicate_uscc(scope.session, clean.uscc, None)
        return add_enterprise(scope, clean, scope.actor.squad_id)


def add_enterprise(scope: ActionScope, clean: CleanEnterprise, squad_id: str) -> str:
    """Insert one validated enterprise inside an open action (dialog, import and demo share it)."""
    enterprise = Enterprise(squad_id=squad_id)
    apply_clean(enterprise, clean)
    scope.session.add(enterprise)
    scope.record(enterprise, f"新增企业“{clean.name}”", before=None)
    return enterprise.id


def update_enterprise(
    database: Database, actor: Actor, enterprise_id: str, draft: EnterpriseDraft
) -> None:
    """Save edits to an enterprise of the actor's squad (the registry is read by every squad
    but changed only by its own); the audit trail keeps the values before and after."""
    actor.require(Permission.EDIT_REGISTRY)
    clean = check_draft(draft)
    with user_action(database, actor, "修改企业") as scope:
        scope.actor.require(Permission.EDIT_REGISTRY)
        enterprise = fetch_own(scope, Enterprise, enterprise_id)
        before = enterprise.audit_snapshot()
        _refuse_duplicate_uscc(scope.session, clean.uscc, enterprise_id)
        apply_clean(enterprise, clean)
        if enterprise.audit_snapshot() != before:
            scope.record(enterprise, f"修改企业“{clean.name}”", before=before)


def load_draft(database: Database, enterprise_id: str) -> EnterpriseDraft:
    """The stored enterprise as an editable draft (text fields), for the edit dialog."""
    with database.read() as session:
        enterprise = fetch(session, Enterprise, enterprise_id)
        return EnterpriseDraft(
            name=enterprise.name,
            uscc=enterprise.uscc or "",
            uscc_override_reason=enterprise.uscc_override_reason or "",
            operator_name=enterprise.operator_name or "",
            operator_id_no=enterprise.operator_id_no or "",
            address=enterprise.address,
            street=enterprise.street,
            community=enterprise.community or "",
            grid=enterprise.grid or "",
            contact_name=enterprise.contact_name or "",
            contact_phone=enterprise.contact_phone or "",
            floor_area="" if enterprise.floor_area is None else f"{enterprise.floor_area:f}",
            categories=tuple(enterprise.categories),
            key_supervision=enterprise.key_supervision,
            blacklisted=enterprise.blacklisted,
            notes=enterprise.notes or "",
        )


def apply_clean(enterprise: Enterprise, clean: CleanEnterprise) -> None:
    """Copy validated values onto the entity and refresh its search text."""
    for name, value in vars(clean).items():
        if name != "categories":
            setattr(enterprise, name, value)
    wanted = list(clean.categories)
    if enterprise.categories != sorted(wanted):
        enterprise.category_rows = [EnterpriseCategory(category=code) for code in sorted(wanted)]
    enterprise.search_text = search_text_of(enterprise)


def search_text_of(enterprise: Enterprise) -> str:
    """The lower-cased text a registry search scans: every field a user might search by."""
    parts = (getattr(enterprise, name) for name in SEARCH_FIELDS)
    return "\n".join(str(part).lower() for part in parts if part)


def search_query(text: str) -> Select[str]:
    """Ids of the enterprises containing every word of ``text``, ordered by name.

    Plain substring matching (``instr``) rather than FTS: Chinese names are often two
    characters (李四), which a trigram index cannot find. The scan runs over the covering index
    ``ix_enterprise_search`` (name, id, search_text) in name order, so no table row is read and
    nothing is sorted.
    """
    query = select(Enterprise.id).order_by(Enterprise.name, Enterprise.id)
    for word in text.lower().split():
        query = query.where(func.instr(Enterprise.search_text, word) > 0)
    return query


def search_enterprise_ids(database: Database, text: str) -> list[str]:
    """All matching enterprise ids in display order (an empty query matches everyone)."""
    with database.read() as session:
        return list(session.scalars(search_query(text)))


def enterprise_rows(database: Database, ids: Sequence[str]) -> list[EnterpriseRow]:
    """The list rows for ``ids`` in the same order (missing ids are skipped)."""
    with database.read() as session:
        found = session.scalars(select(Enterprise).where(Enterprise.id.in_(ids)))
        by_id = {enterprise.id: _row(enterprise) for enterprise in found}
    return [by_id[enterprise_id] for enterprise_id in ids if enterprise_id in by_id]


def count_enterprises(database: Database) -> int:
    """How many enterprises the local registry holds."""
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(Enterprise)) or 0


def _row(enterprise: Enterprise) -> EnterpriseRow:
    labels = reference.category_labels()
    in_display_order = [code for code in labels if code in enterprise.categories]
    return EnterpriseRow(
        id=enterprise.id,
        name=enterprise.name,
        uscc=enterprise.uscc or "",
        categories="、".join(labels[code] for code in in_display_order),
        street=enterprise.street,
        community=enterprise.community or "",
        address=enterprise.address,
        contact=enterprise.contact_name or enterprise.operator_name or "",
        phone=enterprise.contact_phone or "",
        key_supervision=enterprise.key_supervision,
        blacklisted=enterprise.blacklisted,
        uscc_overridden=bool(enterprise.uscc_override_reason),
    )


def _refuse_duplicate_uscc(session: Session, uscc: str | None, own_id: str | None) -> None:
    if uscc is None:
        return
    other = session.scalar(select(Enterprise).where(Enterprise.uscc == uscc))
    if other is not None and other.id != own_id:
        raise EnterpriseInvalid(
            [FieldIssue("uscc", f"该统一社会信用代码已登记为“{other.name}”，请勿重复登记。")]
        )
