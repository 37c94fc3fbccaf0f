"""audit chain: a device id, each event hash-linked to the one before; audit rows append-only

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 10:45:00.000000

The laptop gets its device id (``local_setting.device_id``). Events already stored are chained
in the order they were stored (rowid), numbered 1, 2, … for this device. Then audit rows become
append-only (triggers refuse UPDATE and DELETE with a Chinese message) and an outbox row must
name an existing event (a foreign key checked at commit). The encoding hashed is
``security.audit_chain`` (``docs/audit-chain.md``); a later migration that rebuilds
``audit_event`` in batch mode must create the two triggers again (a test checks they exist).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from alembic import op

from fuanjian_desktop.ids import new_id
from fuanjian_desktop.security.audit_chain import COVERED, DEVICE_SETTING, GENESIS, hash_of

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 500
CHAIN_COLUMNS = (
    ("device_id", sa.String(length=26)),
    ("device_seq", sa.Integer()),
    ("prev_hash", sa.String(length=64)),
    ("event_hash", sa.String(length=64)),
)
NO_UPDATE = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event BEGIN "
    "SELECT RAISE(ABORT, '操作日志是执法全过程记录，只能追加，不能修改。'); END"
)
NO_DELETE = (
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event BEGIN "
    "SELECT RAISE(ABORT, '操作日志是执法全过程记录，只能追加，不能删除。'); END"
)
STORED = sa.table(
    "audit_event",
    sa.column("id", sa.String()),
    sa.column("occurred_at", sa.DateTime()),
    sa.column("actor_id", sa.String()),
    sa.column("actor_name", sa.String()),
    sa.column("action", sa.String()),
    sa.column("summary", sa.String()),
    sa.column("entity_type", sa.String()),
    sa.column("entity_id", sa.String()),
    sa.column("before", sa.JSON()),
    sa.column("after", sa.JSON()),
)


def upgrade() -> None:
    connection = op.get_bind()
    device = _device_id(connection)
    with op.batch_alter_table("audit_event") as batch:
        for name, kind in CHAIN_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    _chain_stored_events(connection, device)
    with op.batch_alter_table("audit_event") as batch:
        for name, kind in CHAIN_COLUMNS:
            batch.alter_column(name, existing_type=kind, nullable=False)
        batch.create_unique_constraint(
            op.f("uq_audit_event_device_id"), ["device_id", "device_seq"]
        )
    with op.batch_alter_table("outbox_entry") as batch:
        batch.create_foreign_key(
            op.f("fk_outbox_entry_audit_event_id_audit_event"),
            "audit_event",
            ["audit_event_id"],
            ["id"],
            deferrable=True,
            initially="DEFERRED",
        )
    op.execute(NO_UPDATE)
    op.execute(NO_DELETE)


def _device_id(connection: sa.Connection) -> str:
    """The device id already set (a database made by a test fixture copy), or a new one."""
    found = connection.execute(
        sa.text("SELECT value FROM local_setting WHERE key = :key"), {"key": DEVICE_SETTING}
    ).scalar()
    if found is not None:
        return str(found)
    made = new_id()
    connection.execute(
        sa.text("INSERT INTO local_setting (key, value) VALUES (:key, :value)"),
        {"key": DEVICE_SETTING, "value": made},
    )
    return made


def _chain_stored_events(connection: sa.Connection, device: str) -> None:
    """Number and hash the stored events in stored order, a batch at a time."""
    seq, previous, after_rowid = 0, GENESIS, -1
    rowid: sa.ColumnElement[int] = sa.literal_column("rowid")
    while True:
        query = sa.select(rowid, *STORED.c).where(rowid > after_rowid).order_by(rowid).limit(BATCH)
        rows = connection.execute(query).mappings().all()
        if not rows:
            return
        updates = []
        for row in rows:
            seq += 1
            values = _covered(row, device, seq, previous)
            previous = hash_of(values)
            updates.append(
                {
                    "key": row["id"],
                    "seq": seq,
                    "prev": values["prev_hash"],
                    "hash": previous,
                    "device": device,
                }
            )
        connection.execute(
            sa.text(
                "UPDATE audit_event SET device_id = :device, device_seq = :seq, "
                "prev_hash = :prev, event_hash = :hash WHERE id = :key"
            ),
            updates,
        )
        after_rowid = rows[-1]["rowid"]


def _covered(row: Any, device: str, seq: int, previous: str) -> dict[str, Any]:
    """The covered values of a stored row (its naive UTC time made zoned)."""
    values = {name: row[name] for name in COVERED if name in row}
    values["occurred_at"] = row["occurred_at"].replace(tzinfo=dt.UTC)
    values.update(device_id=device, device_seq=seq, prev_hash=previous)
    return values


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    with op.batch_alter_table("outbox_entry") as batch:
        batch.drop_constraint(
            op.f("fk_outbox_entry_audit_event_id_audit_event"), type_="foreignkey"
        )
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_constraint(op.f("uq_audit_event_device_id"), type_="unique")
        for name, _kind in reversed(CHAIN_COLUMNS):
            batch.drop_column(name)
