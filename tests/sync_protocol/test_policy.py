"""The sync policy derived from the model, against the lists written out in COMMON.md/the docs."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table

from fuanjian_desktop.db.base import Base
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.sync_protocol import policy
from fuanjian_desktop.sync_protocol.policy import Scope

SYNCED = {
    "audit_event",
    "checklist_version",
    "evidence_file",
    "reference_file",
    "squad",
    "sync_conflict",
    "app_user",
    "enterprise",
    "issued_number",
    "number_block",
    "enforcement_case",
    "inspection",
    "case_event",
    "case_link",
    "case_remedy",
    "case_violation",
    "hazard",
    "inspection_answer",
    "inspection_photo",
    "case_document",
    "recheck_finding",
    "case_dossier",
    "document_scan",
    "case_media",
    "case_photo",
}
CHILDREN = {
    "enforcement_case": ("case_handler",),
    "inspection": ("inspection_inspector",),
    "enterprise": ("enterprise_category",),
    "app_user": ("user_role",),
}
NOT_SYNCED = {
    "local_setting",
    "draft_journal",
    "outbox_entry",
    "case_deadline",
    "sync_state",
    "sync_batch",
    "sync_base",
}


def test_synced_tables_are_the_documented_ones() -> None:
    """Exactly the SyncedRecord tables plus audit_event, checklist_version, reference_file."""
    assert {p.table for p in policy.synced_tables()} == SYNCED


def test_owned_children_are_found_and_derived_tables_are_not() -> None:
    """Handlers, inspectors, categories and roles are children; case_deadline is not one."""
    assert {p.table: p.children for p in policy.synced_tables() if p.children} == CHILDREN
    assert policy.child_table("case_handler").parent_column == "case_id"
    assert policy.child_table("case_handler").order_by == ("position",)


def test_every_table_of_the_model_is_classified() -> None:
    """No table is left undecided: synced, an owned child, or local/derived with a reason."""
    model = policy.sync_model()
    assert model.unclassified == ()
    assert set(policy.NOT_SYNCED) == NOT_SYNCED
    assert set(Base.metadata.tables) == SYNCED | NOT_SYNCED | set(model.children)


def test_parents_come_before_children() -> None:
    """Every foreign key of a synced table points to a table earlier in the order (or itself)."""
    order = [p.table for p in policy.synced_tables()]
    for position, name in enumerate(order):
        for key in Base.metadata.tables[name].foreign_keys:
            target = key.column.table.name
            assert target == name or order.index(target) < position, (name, target)


@pytest.mark.parametrize(
    ("table", "scope"),
    [
        ("squad", Scope.ALL),
        ("enterprise", Scope.ALL),
        ("reference_file", Scope.ALL),
        ("app_user", Scope.SQUAD_AND_BUREAU),
        ("audit_event", Scope.DEVICE_SQUAD),
        ("evidence_file", Scope.DEVICE_SQUAD),
        ("checklist_version", Scope.ALL),
        ("enforcement_case", Scope.SQUAD),
        ("case_document", Scope.SQUAD),
        ("number_block", Scope.SQUAD),
        ("sync_conflict", Scope.SQUAD),
    ],
)
def test_scopes(table: str, scope: Scope) -> None:
    """Who receives each kind of record, as the contract lists it."""
    assert policy.policy_of(table).scope is scope


def test_local_derived_and_hq_owned_columns() -> None:
    """Lockout counters stay home, search text is recomputed, squads and files are HQ's."""
    user = policy.policy_of("app_user")
    assert user.local_columns == {"failed_logins", "locked_until"}
    assert "password_hash" not in user.untravelled
    assert policy.policy_of("enterprise").derived_columns == {"search_text"}
    assert {p.table for p in policy.synced_tables() if p.hq_owned} == {"squad", "reference_file"}
    assert {p.table for p in policy.synced_tables() if p.append_only} == {
        "audit_event",
        "checklist_version",
    }


def test_keys_and_versions() -> None:
    """Composite keys and tables without a version column are described."""
    checklist = policy.policy_of("checklist_version")
    assert checklist.key_columns == ("template_id", "version")
    assert checklist.version_column is None
    assert policy.policy_of("reference_file").version_column == "revision"
    assert policy.policy_of("case_document").version_column == "version"


@pytest.mark.parametrize("table", ["outbox_entry", "case_deadline", "case_handler", "nothing"])
def test_unknown_tables_are_refused(table: str) -> None:
    """A local, derived, child or unknown table has no policy of its own: a Chinese error."""
    with pytest.raises(UserError, match=f"未知的数据表“{table}”"):
        policy.policy_of(table)


ISSUED_FIELDS = {
    "sheet",
    "sha256",
    "number",
    "values",
    "issued_on",
    "issued_at",
    "type_key",
    "title",
    "edition",
    "corrects_id",
}


@pytest.mark.parametrize(
    ("table", "fields", "frozen"),
    [
        ("case_document", {"sha256": None, "status": "draft"}, set()),
        ("case_document", {"sha256": "a" * 64, "status": "issued"}, ISSUED_FIELDS),
        ("enforcement_case", {"stage": "closed"}, set()),
        ("issued_number", {}, {"prefix", "code", "year", "serial", "part", "text"}),
        ("enterprise", {"name": "甲"}, set()),
    ],
)
def test_frozen_fields(table: str, fields: dict[str, Any], frozen: set[str]) -> None:
    """What the contract freezes, and only when it is frozen."""
    assert policy.frozen_fields(table, fields) == frozen


def test_archived_case_and_append_only_rows_are_frozen_whole() -> None:
    """Every travelling field and child list of an archived case but its stage and stamp (a
    reopening, 已归档 → 已结案, is pushed from a laptop); every field of an event."""
    case = policy.frozen_fields("enforcement_case", {"stage": "archived"})
    assert {"cause", "squad_id", "closed_on", "total_fine", "children.case_handler"} <= case
    assert not case & {"id", "version", "stage", "updated_at"}
    assert case == policy.whole_record("enforcement_case") - {"stage", "updated_at"}
    event = policy.frozen_fields("audit_event", {})
    assert {"event_hash", "prev_hash", "before", "after", "occurred_at"} <= event


PARENTS = {
    ("enforcement_case", "C1"): "S-yl",
    ("inspection", "I1"): "S-ny",
    ("case_document", "D1"): "S-ny",  # a document of inspection I1
}


def parent_squad(table: str, entity_id: str) -> str | None:
    """A hand-written lookup of parents' squads."""
    return PARENTS.get((table, entity_id))


@pytest.mark.parametrize(
    ("table", "fields", "squad"),
    [
        ("enforcement_case", {"squad_id": "S-yl"}, "S-yl"),
        ("enterprise", {"squad_id": "S-ny"}, "S-ny"),  # published to all, written by its own
        ("app_user", {"squad_id": "S-yl"}, "S-yl"),
        ("case_event", {"case_id": "C1", "actor_id": "U-bureau"}, "S-yl"),
        ("case_document", {"case_id": None, "inspection_id": "I1"}, "S-ny"),
        ("case_document", {"case_id": "C1", "inspection_id": None}, "S-yl"),
        ("inspection_photo", {"inspection_id": "I1", "evidence_id": "E1"}, "S-ny"),
        ("case_dossier", {"case_id": "C1", "volume_evidence_id": "E1"}, "S-yl"),
        ("case_media", {"case_id": "C1", "evidence_id": "E1", "officer_id": "U1"}, "S-yl"),
        ("case_photo", {"case_id": "C1", "evidence_id": "E1"}, "S-yl"),
        ("document_scan", {"document_id": "D1", "case_id": None}, "S-ny"),  # an inspection's
        ("case_event", {"case_id": "C-unknown"}, None),
        ("squad", {"parent_id": "S-bureau"}, None),
        ("evidence_file", {"sha256": "a" * 64}, None),
        ("audit_event", {"device_id": "D1"}, None),
        ("checklist_version", {}, None),
        ("reference_file", {"path": "x.json"}, None),
    ],
)
def test_owning_squad(table: str, fields: dict[str, Any], squad: str | None) -> None:
    """The squad column, else the first squad-scoped parent; None where there is no path."""
    assert policy.owning_squad(table, fields, parent_squad) == squad


def test_a_new_table_is_classified_without_touching_the_policy() -> None:
    """A new synced table, its cascade child and a forgotten non-cascade table: the first two
    are derived, the third is reported as unclassified."""
    metadata = MetaData()
    Table("squad", metadata, Column("id", String, primary_key=True))
    Table(
        "parcel",
        metadata,
        Column("id", String, primary_key=True),
        Column("version", Integer),
        Column("squad_id", ForeignKey("squad.id")),
    )
    Table(
        "parcel_tag",
        metadata,
        Column("parcel_id", ForeignKey("parcel.id", ondelete="CASCADE"), primary_key=True),
        Column("tag", String, primary_key=True),
    )
    Table(
        "parcel_note",
        metadata,
        Column("parcel_id", ForeignKey("parcel.id"), primary_key=True),
        Column("note", String),
    )
    model = policy.derive(metadata, frozenset({"squad", "parcel"}))
    assert [p.table for p in model.tables] == ["squad", "parcel"]
    assert model.tables[1].children == ("parcel_tag",)
    assert model.tables[1].scope is Scope.SQUAD and model.tables[1].has_squad_column
    assert model.unclassified == ("parcel_note",)


@pytest.mark.parametrize(
    ("table", "links"),
    [
        ("case_event", (("case_id", "enforcement_case"),)),  # not actor_id → app_user
        ("inspection_photo", (("inspection_id", "inspection"),)),  # not evidence_id
        ("inspection_answer", (("inspection_id", "inspection"),)),  # not answered_by_id
        (
            "case_document",
            (
                ("case_id", "enforcement_case"),
                ("inspection_id", "inspection"),
                ("event_id", "case_event"),
                ("corrects_id", "case_document"),
            ),
        ),
    ],
)
def test_squad_paths_follow_only_squad_scoped_parents(
    table: str, links: tuple[tuple[str, str], ...]
) -> None:
    """A record belongs to its case or inspection, never to the squad of a user it names."""
    assert policy.policy_of(table).owner_links == links
