"""Which tables sync, in which order, to whom, and which of their fields never change.

The policy is derived from the data model, not listed table by table, so a new synced record
type syncs without touching this module:

- a table syncs when its class is a :class:`~fuanjian_desktop.db.base.SyncedRecord`, or when it
  is one of the few keyed differently that :data:`EXTRA_SYNCED` names;
- a table that does not sync itself but whose primary key includes a foreign key to a synced
  table with ``ON DELETE CASCADE`` is an *owned child* (``case_handler``, ``user_role`` …): it
  travels inside its parent's envelope and is replaced as a set;
- parents come before children: SQLAlchemy's foreign-key order of ``Base.metadata``;
- who receives a record (:class:`Scope`) is SQUAD unless :data:`SCOPES` says otherwise; the owning
  squad is the ``squad_id`` column or is found by walking the foreign keys to squad-scoped
  parents (:func:`owning_squad`).

What the model cannot say is written down once, with the reason, in the small tables below:
tables that are local or derived (:data:`NOT_SYNCED`), columns that stay on one laptop
(:data:`LOCAL_COLUMNS`) or are recomputed where they are written (:data:`DERIVED_COLUMNS`),
tables only HQ writes (:data:`HQ_OWNED`) and fields frozen once set (:func:`frozen_fields`).
A test fails when a table of the model is in none of these classes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, cached_property
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import MetaData, Table

from fuanjian_desktop.db.base import Base, SyncedRecord
from fuanjian_desktop.errors import UserError


class Scope(StrEnum):
    """Which devices receive a table's records."""

    SQUAD = "squad"  # the devices of the record's owning squad
    ALL = "all"  # every device (HQ's reference data: org units, the registry master …)
    SQUAD_AND_BUREAU = "squad_and_bureau"  # the owning squad's devices, bureau records to all
    DEVICE_SQUAD = "device_squad"  # no squad path in the data: the pushing device's squad


# Tables the model does not mark SyncedRecord but that travel, and the column (if any) that
# plays the part of ``version``.
EXTRA_SYNCED: Mapping[str, str | None] = {
    # the audit trail: HQ keeps every laptop's chain; immutable rows, no version
    "audit_event": None,
    # the checklist an inspection ran, keyed (template_id, version); immutable content
    "checklist_version": None,
    # HQ's resources/*.json; its revision is the version HQ publishes it under
    "reference_file": "revision",
}

# Tables that never leave the laptop, with why. Anything else that is not synced and not an
# owned child is an error of classification (tests/sync_protocol/test_policy.py).
NOT_SYNCED: Mapping[str, str] = {
    "local_setting": "local: this installation's mode, device id and preferences",
    "outbox_entry": "local: the queue of what this laptop still has to send",
    "draft_journal": "local: keystrokes since the last audited save, folded into the draft",
    "case_deadline": "derived: recomputed from the case's events by the deadline rules",
    "sync_state": "local: this laptop's conversation with HQ (secret, cursor, anchor)",
    "sync_batch": "local: push batches as sent, for byte-identical resends",
    "sync_base": "local: the HQ revision each local record started from",
}

# Columns that stay on the laptop where they are set: a sign-in lockout is about the keyboard
# in front of that laptop, not the person everywhere. ``password_hash`` travels as a plain
# column, but it holds only the marker ``keys.json``: a password is checked by unwrapping this
# laptop's data key (``security.keyring``), and that wrap never leaves the laptop. So no
# password can be verified from synced data (docs/sync-protocol.md, "Users and passwords").
LOCAL_COLUMNS: Mapping[str, frozenset[str]] = {
    "app_user": frozenset({"failed_logins", "locked_until"}),
}


def _enterprise_search_text(fields: Mapping[str, Any]) -> str:
    """The registry's search text, by the registry service's own function.

    It reads only the searched attributes, so a plain namespace stands in for the ORM object
    (building one per pulled enterprise cost a third of writing it).
    """
    from fuanjian_desktop.models import Enterprise
    from fuanjian_desktop.services.registry.registry import SEARCH_FIELDS, search_text_of

    values = SimpleNamespace(**{name: fields.get(name) for name in SEARCH_FIELDS})
    return search_text_of(cast(Enterprise, values))


# Columns computed from the others: not sent (they would only double the registry's size on a
# first sync), recomputed by ``codec.write_record`` from the written values. Sending them would
# also merge them wrongly: two sides editing different fields would each change ``search_text``.
DERIVED_COLUMNS: Mapping[str, Mapping[str, Callable[[Mapping[str, Any]], Any]]] = {
    "enterprise": {"search_text": _enterprise_search_text},
}

# Travelling fields that both sides compute from other records (the case's deadlines from its
# events): when both changed them, HQ's value stays without a conflict for a person to settle;
# the laptop recomputes them from the merged records it pulls. ``updated_at`` is the same kind:
# the later stamp wins.
QUIET_FIELDS: Mapping[str, frozenset[str]] = {
    "enforcement_case": frozenset({"next_due_on", "next_due_label"}),
}
STAMP_FIELD = "updated_at"

# Who receives what (anything unlisted: SQUAD). Children follow their parent.
SCOPES: Mapping[str, Scope] = {
    "squad": Scope.ALL,  # the org units every laptop shows and numbers documents with
    "enterprise": Scope.ALL,  # the registry master: a venue may move between squads
    "reference_file": Scope.ALL,  # HQ's catalogue, calendar, wording …
    # the bureau's template as an inspection ran it: content-keyed, pinned alike by every squad
    # that used that version, so every laptop may hold it (a squad's new laptop needs it)
    "checklist_version": Scope.ALL,
    "app_user": Scope.SQUAD_AND_BUREAU,  # the squad's people, and the bureau's reviewers
    "audit_event": Scope.DEVICE_SQUAD,  # the squad of the device whose chain it is
    "evidence_file": Scope.DEVICE_SQUAD,  # content-addressed, no squad path of its own
}

# Reference data only HQ writes: a device's change to one is refused (403 scope).
HQ_OWNED: frozenset[str] = frozenset({"squad", "reference_file"})

# Tables whose rows are written once and never changed or deleted.
APPEND_ONLY: frozenset[str] = frozenset({"audit_event", "checklist_version"})

# An issued document (文书, once its sheet is hashed) keeps what was signed; a correction is a
# new edition. Serving (送达) and voiding still change the other fields.
ISSUED_DOCUMENT_FIELDS = frozenset(
    {
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
)
# A number, once taken, names one document forever; only its status (voided) changes.
ISSUED_NUMBER_FIELDS = frozenset({"prefix", "code", "year", "serial", "part", "text"})
ARCHIVED_STAGE = "archived"
# what reopening an archived case changes in its row (services/dossiers/reopening.py)
REOPENABLE_CASE_FIELDS = frozenset({"stage", STAMP_FIELD})


@dataclass(frozen=True)
class ChildTable:
    """An owned child table: its rows travel in the parent's envelope without ``parent_column``."""

    table: str
    parent: str
    parent_column: str
    order_by: tuple[str, ...]  # the rest of its primary key: a stable order on the wire


@dataclass(frozen=True)
class TablePolicy:
    """How one synced table travels."""

    table: str
    scope: Scope
    children: tuple[str, ...]
    local_columns: frozenset[str]
    append_only: bool
    key_columns: tuple[str, ...] = ("id",)
    version_column: str | None = "version"
    derived_columns: frozenset[str] = frozenset()
    hq_owned: bool = False
    # (column, parent table) foreign keys to squad-scoped parents, in column order
    owner_links: tuple[tuple[str, str], ...] = ()
    has_squad_column: bool = False

    @cached_property
    def untravelled(self) -> frozenset[str]:
        """Columns never put in an envelope's ``fields``: key, version, local and derived ones."""
        return frozenset(
            {*self.key_columns, *self.local_columns, *self.derived_columns}
            | ({self.version_column} if self.version_column else set())
        )


@dataclass(frozen=True)
class SyncModel:
    """The derived policy of a whole metadata: synced tables in order and their children."""

    tables: tuple[TablePolicy, ...]
    children: Mapping[str, ChildTable]
    unclassified: tuple[str, ...]  # neither synced, nor a child, nor in NOT_SYNCED


def derive(metadata: MetaData, synced_classes: frozenset[str]) -> SyncModel:
    """The policy of ``metadata``, where ``synced_classes`` are the SyncedRecord tables."""
    synced = {name for name in metadata.tables if name in synced_classes or name in EXTRA_SYNCED}
    children = {
        child.table: child
        for table in metadata.sorted_tables
        if table.name not in synced and table.name not in NOT_SYNCED
        for child in [_owned_child(table, synced)]
        if child is not None
    }
    tables = tuple(
        _table_policy(table, synced, children)
        for table in metadata.sorted_tables
        if table.name in synced
    )
    unclassified = tuple(sorted(set(metadata.tables) - synced - set(children) - set(NOT_SYNCED)))
    return SyncModel(tables, children, unclassified)


def _owned_child(table: Table, synced: set[str]) -> ChildTable | None:
    for column in table.primary_key.columns:
        for key in column.foreign_keys:
            parent = key.column.table.name
            if parent in synced and (key.ondelete or "").upper() == "CASCADE":
                rest = tuple(
                    other.name for other in table.primary_key.columns if other is not column
                )
                return ChildTable(table.name, parent, column.name, rest)
    return None


def _table_policy(
    table: Table, synced: set[str], children: Mapping[str, ChildTable]
) -> TablePolicy:
    name = table.name
    return TablePolicy(
        table=name,
        scope=SCOPES.get(name, Scope.SQUAD),
        children=tuple(child.table for child in children.values() if child.parent == name),
        local_columns=LOCAL_COLUMNS.get(name, frozenset()),
        append_only=name in APPEND_ONLY,
        key_columns=tuple(column.name for column in table.primary_key.columns),
        version_column=EXTRA_SYNCED.get(name, "version"),
        derived_columns=frozenset(DERIVED_COLUMNS.get(name, {})),
        hq_owned=name in HQ_OWNED,
        owner_links=_owner_links(table, synced),
        has_squad_column="squad_id" in table.columns,
    )


def _owner_links(table: Table, synced: set[str]) -> tuple[tuple[str, str], ...]:
    """Foreign keys through which a record belongs to a squad-scoped parent."""
    return tuple(
        (column.name, key.column.table.name)
        for column in table.columns
        for key in column.foreign_keys
        if key.column.table.name in synced
        and SCOPES.get(key.column.table.name, Scope.SQUAD) is Scope.SQUAD
    )


@cache
def sync_model() -> SyncModel:
    """The policy of the application's model (``Base.metadata``), derived once per process."""
    import fuanjian_desktop.models  # noqa: F401  (registers every table on Base)

    synced_classes = frozenset(
        cast(Table, mapper.local_table).name
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, SyncedRecord)
    )
    return derive(Base.metadata, synced_classes)


def synced_tables() -> tuple[TablePolicy, ...]:
    """Every synced table, parents before children (the order to write a page of records in)."""
    return sync_model().tables


def policy_of(table: str) -> TablePolicy:
    """The policy of one synced table; an unknown or local table is a :class:`UserError`."""
    policy = _by_name().get(table)
    if policy is None:
        raise UserError(f"未知的数据表“{table}”：它不在同步范围内。")
    return policy


@cache
def _by_name() -> dict[str, TablePolicy]:
    """The synced tables' policies by table name (HQ asks several times per pushed record)."""
    return {policy.table: policy for policy in synced_tables()}


def child_table(table: str) -> ChildTable:
    """How an owned child table hangs off its parent."""
    return sync_model().children[table]


def frozen_fields(table: str, fields: Mapping[str, Any]) -> frozenset[str]:
    """The fields of a record (as HQ holds it now, ``fields``) that may no longer change.

    Append-only tables are frozen whole, children included (``children.<table>``), and so is an
    archived case but for its ``stage`` (and the ``updated_at`` stamp): the leader's approved
    reopening (重新打开案卷, 已归档 → 已结案) is taken on a laptop and must reach HQ. An issued
    document (its ``sha256`` set) is frozen in what was signed; a taken number in its identity.
    """
    policy = policy_of(table)
    if policy.append_only:
        return whole_record(table)
    if table == "enforcement_case" and fields.get("stage") == ARCHIVED_STAGE:
        return whole_record(table) - REOPENABLE_CASE_FIELDS
    if table == "case_document" and fields.get("sha256"):
        return ISSUED_DOCUMENT_FIELDS
    if table == "issued_number":
        return ISSUED_NUMBER_FIELDS
    return frozenset()


def whole_record(table: str) -> frozenset[str]:
    """Every travelling field of ``table``, its children as ``children.<table>``."""
    policy = policy_of(table)
    columns = Base.metadata.tables[table].columns
    return frozenset(
        [column.name for column in columns if column.name not in policy.untravelled]
        + [f"children.{child}" for child in policy.children]
    )


def owning_squad(
    table: str, fields: Mapping[str, Any], parent_squad: Callable[[str, str], str | None]
) -> str | None:
    """The squad a record belongs to: its ``squad_id``, or its first squad-scoped parent's.

    ``parent_squad(table, id)`` answers for a parent record (HQ from its records, the laptop
    from its database). ``None``: the record has no squad path (HQ reference data, or a
    DEVICE_SQUAD table whose records belong to the pushing device's squad).
    """
    policy = policy_of(table)
    if policy.has_squad_column:
        squad = fields.get("squad_id")
        return None if squad is None else str(squad)
    for column, parent in policy.owner_links:
        value = fields.get(column)
        if value:
            return parent_squad(parent, str(value))
    return None
