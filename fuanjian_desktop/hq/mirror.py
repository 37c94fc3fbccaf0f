"""The mirror: HQ's current state of every synced record, in the laptop's own table shapes.

Each synced table and owned child table of the laptop's model (``sync_protocol.policy``) has a
twin at HQ with the same name and columns, so ``services.statistics`` and any other read-only
laptop query run on HQ unchanged (``HqDatabase.core()``). Local and derived tables
(``local_setting``, ``outbox_entry``, ``case_deadline`` …) have no twin: nothing at HQ reads them.

The twins carry **no foreign keys**: records arrive from many laptops in any order (a hazard may
reach HQ before the enterprise it names was published), and a quarantined or refused parent must
not make its children unstorable. Unique constraints stay: HQ checks them before writing
(``hq.collisions``) and turns a collision into a conflict. Check constraints are dropped for the
same reason as the keys: what a laptop stored, HQ stores.
"""

from __future__ import annotations

from functools import cache

from sqlalchemy import Column, Index, MetaData, Table, UniqueConstraint

from fuanjian_desktop.db.base import NAMING_CONVENTION, Base
from fuanjian_desktop.sync_protocol.policy import sync_model


def mirrored_table_names() -> tuple[str, ...]:
    """The laptop tables HQ mirrors: every synced table and owned child, parents first."""
    model = sync_model()
    names = {policy.table for policy in model.tables} | set(model.children)
    return tuple(table.name for table in Base.metadata.sorted_tables if table.name in names)


@cache
def mirror_metadata() -> MetaData:
    """The mirror tables as a :class:`MetaData` of their own (what migration 0001 creates)."""
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    for name in mirrored_table_names():
        _copy_without_foreign_keys(Base.metadata.tables[name], metadata)
    return metadata


def mirror_table(name: str) -> Table:
    """The mirror twin of the laptop table ``name``."""
    return mirror_metadata().tables[name]


def _copy_without_foreign_keys(table: Table, metadata: MetaData) -> Table:
    columns = [
        Column(
            column.name,
            column.type,
            primary_key=column.primary_key,
            nullable=column.nullable,
            server_default=column.server_default,
            # the model's Python default (a local column a laptop does not send, e.g.
            # app_user.failed_logins, takes it on insert)
            default=None if column.default is None else getattr(column.default, "arg", None),
        )
        for column in table.columns
    ]
    uniques = [
        UniqueConstraint(*[column.name for column in constraint.columns], name=constraint.name)
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    indexes = [
        Index(index.name, *[column.name for column in index.columns], unique=index.unique)
        for index in table.indexes
    ]
    return Table(table.name, metadata, *columns, *uniques, *indexes)
