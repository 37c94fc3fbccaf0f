"""One transaction per user action: the change, its audit event and its outbox row, or nothing."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import PermissionDenied
from fuanjian_desktop.models import AuditEvent, Enterprise, OutboxEntry
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.unit_of_work import user_action
from tests.samples import HARDWARE_SHOP

DRAFT = HARDWARE_SHOP


def counts(database: Database) -> tuple[int, ...]:
    """How many enterprises, audit events and outbox rows the database holds."""
    with database.read() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Enterprise, AuditEvent, OutboxEntry)
        )


def trail_of(database: Database, record_id: str) -> list[dict[str, Any]]:
    """Audit events of one record joined with their outbox rows, in version order."""
    query = (
        select(AuditEvent, OutboxEntry)
        .join(OutboxEntry, OutboxEntry.audit_event_id == AuditEvent.id)
        .where(AuditEvent.entity_id == record_id)
        .order_by(OutboxEntry.entity_version)
    )
    with database.read() as session:
        return [
            {
                "action": event.action,
                "actor_id": event.actor_id,
                "entity_type": event.entity_type,
                "before": event.before,
                "after": event.after,
                "outbox_entity": (outbox.entity_type, outbox.entity_id),
                "version": outbox.entity_version,
                "operation": outbox.operation,
                "sent_at": outbox.sent_at,
            }
            for event, outbox in session.execute(query)
        ]


def stored_version(database: Database, enterprise_id: str) -> int:
    """The record's current version number."""
    with database.read() as session:
        enterprise = session.get(Enterprise, enterprise_id)
        assert enterprise is not None
        return enterprise.version


def test_create_leaves_one_audit_event_and_one_outbox_row(
    demo_database: Database, inspector: Actor
) -> None:
    """Creating an enterprise adds one audit event (no before) and one version-1 outbox row."""
    enterprises, events, outbox = counts(demo_database)

    new_id = registry.create_enterprise(demo_database, inspector, DRAFT)

    assert counts(demo_database) == (enterprises + 1, events + 1, outbox + 1)
    (entry,) = trail_of(demo_database, new_id)
    assert entry["action"] == "新增企业"
    assert entry["actor_id"] == inspector.user_id
    assert entry["before"] is None
    assert entry["after"]["name"] == DRAFT.name
    assert entry["after"]["uscc"] == DRAFT.uscc
    assert entry["after"]["floor_area"] == "85.5"
    assert entry["after"]["categories"] == ["three_small.shop"]
    assert "search_text" not in entry["after"]
    assert entry["outbox_entity"] == ("enterprise", new_id)
    assert (entry["version"], entry["operation"], entry["sent_at"]) == (1, "insert", None)
    assert stored_version(demo_database, new_id) == 1


def test_update_leaves_another_pair_with_version_two(
    demo_database: Database, inspector: Actor
) -> None:
    """An edit adds one more audit event holding the old values and a version-2 outbox row."""
    new_id = registry.create_enterprise(demo_database, inspector, DRAFT)
    enterprises, events, outbox = counts(demo_database)
    edited = dataclasses.replace(DRAFT, contact_name="王五", contact_phone="0755-83331234")

    registry.update_enterprise(demo_database, inspector, new_id, edited)

    assert counts(demo_database) == (enterprises, events + 1, outbox + 1)
    first, second = trail_of(demo_database, new_id)
    assert first["version"] == 1
    assert second["action"] == "修改企业"
    assert (second["version"], second["operation"]) == (2, "update")
    assert second["before"]["contact_name"] == "李四"
    assert second["before"]["contact_phone"] == "13800138000"
    assert second["after"]["contact_name"] == "王五"
    assert second["after"]["contact_phone"] == "0755-83331234"
    assert second["before"]["name"] == second["after"]["name"] == DRAFT.name
    assert stored_version(demo_database, new_id) == 2


def test_saving_unchanged_values_adds_no_version(demo_database: Database, inspector: Actor) -> None:
    """Saving an enterprise without changing anything adds no audit event, outbox row or version."""
    new_id = registry.create_enterprise(demo_database, inspector, DRAFT)
    before = counts(demo_database)

    registry.update_enterprise(demo_database, inspector, new_id, DRAFT)

    assert counts(demo_database) == before
    assert stored_version(demo_database, new_id) == 1


def test_duplicate_uscc_is_refused_and_leaves_nothing(
    demo_database: Database, inspector: Actor
) -> None:
    """A second enterprise with a registered USCC is refused; no row, audit or outbox is added."""
    registry.create_enterprise(demo_database, inspector, DRAFT)
    before = counts(demo_database)
    twin = dataclasses.replace(DRAFT, name="深圳市福田区园岭另一家五金店")

    with pytest.raises(registry.EnterpriseInvalid) as refused:
        registry.create_enterprise(demo_database, inspector, twin)

    assert [issue.field for issue in refused.value.issues] == ["uscc"]
    assert DRAFT.name in refused.value.message
    assert counts(demo_database) == before


def test_edit_to_a_registered_uscc_is_refused_and_leaves_nothing(
    demo_database: Database, inspector: Actor
) -> None:
    """Changing an enterprise's USCC to another's is refused; its version and trail stay put."""
    registry.create_enterprise(demo_database, inspector, DRAFT)
    other = dataclasses.replace(DRAFT, name="深圳市福田区园岭晨光面馆", uscc="91350503MA31DKY80A")
    other_id = registry.create_enterprise(demo_database, inspector, other)
    before = counts(demo_database)

    with pytest.raises(registry.EnterpriseInvalid):
        registry.update_enterprise(
            demo_database, inspector, other_id, dataclasses.replace(other, uscc=DRAFT.uscc)
        )

    assert counts(demo_database) == before
    assert stored_version(demo_database, other_id) == 1
    assert registry.load_draft(demo_database, other_id).uscc == other.uscc


def test_exception_after_record_rolls_back_everything(
    demo_database: Database, inspector: Actor
) -> None:
    """An error after scope.record() in user_action leaves no enterprise, event or outbox row."""
    before = counts(demo_database)
    assert inspector.squad_id is not None
    added: list[str] = []

    with (
        pytest.raises(RuntimeError, match="after recording"),
        user_action(demo_database, inspector, "新增企业") as scope,
    ):
        added.append(
            registry.add_enterprise(scope, registry.check_draft(DRAFT), inspector.squad_id)
        )
        pending = scope.session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.entity_id == added[0])
        )
        assert pending == 1  # the outbox row really was written inside the transaction
        raise RuntimeError("after recording")

    assert counts(demo_database) == before
    with demo_database.read() as session:
        assert session.get(Enterprise, added[0]) is None
        assert session.scalar(select(AuditEvent).where(AuditEvent.entity_id == added[0])) is None


def test_invalid_draft_leaves_nothing(demo_database: Database, inspector: Actor) -> None:
    """A draft with field issues is refused before any write."""
    before = counts(demo_database)
    with pytest.raises(registry.EnterpriseInvalid):
        registry.create_enterprise(demo_database, inspector, dataclasses.replace(DRAFT, name=""))
    assert counts(demo_database) == before


def test_legal_reviewer_cannot_create_an_enterprise(
    demo_database: Database, sign_in: Callable[[str], Actor]
) -> None:
    """The legal reviewer 陈静 may view but not add enterprises; nothing is written."""
    reviewer = sign_in("chenjing")
    before = counts(demo_database)

    with pytest.raises(PermissionDenied) as refused:
        registry.create_enterprise(demo_database, reviewer, DRAFT)

    assert "新增或修改企业" in refused.value.message
    assert counts(demo_database) == before


def test_legal_reviewer_cannot_edit_an_enterprise(
    demo_database: Database, inspector: Actor, sign_in: Callable[[str], Actor]
) -> None:
    """The legal reviewer cannot change an existing enterprise either."""
    new_id = registry.create_enterprise(demo_database, inspector, DRAFT)
    reviewer = sign_in("chenjing")
    edited = dataclasses.replace(DRAFT, contact_name="王五")

    with pytest.raises(PermissionDenied):
        registry.update_enterprise(demo_database, reviewer, new_id, edited)

    assert stored_version(demo_database, new_id) == 1
