"""sync: conflicts and reference files from HQ, and the laptop's own sync bookkeeping

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 13:40:00.000000

``sync_conflict`` and ``reference_file`` are synced tables (``models.sync``); ``sync_state``
(key/value: HQ address, device secret and signing key, cursor, anchor, last success/error),
``sync_batch`` (push batches stored before they are sent) and ``sync_base`` (the HQ revision
each record started from) are local to the laptop.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_conflict",
        sa.Column("squad_id", sa.String(length=26), nullable=False),
        sa.Column("entity_type", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=True),
        sa.Column("hq_value", sa.JSON(), nullable=True),
        sa.Column("device_value", sa.JSON(), nullable=True),
        sa.Column("device_id", sa.String(length=26), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by_id", sa.String(length=26), nullable=True),
        sa.Column("resolved_by_name", sa.String(length=50), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index(op.f("ix_sync_conflict_squad_id"), "sync_conflict", ["squad_id"])
    op.create_table(
        "reference_file",
        sa.Column("path", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("path", name=op.f("pk_reference_file")),
    )
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(length=50), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "sync_batch",
        sa.Column("batch_key", sa.String(length=26), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("outbox_seqs", sa.JSON(), nullable=False),
        sa.Column("last_event_seq", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("acked_at", sa.DateTime(), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("batch_key", name=op.f("pk_sync_batch")),
    )
    op.create_index(op.f("ix_sync_batch_acked_at"), "sync_batch", ["acked_at"])
    op.create_table(
        "sync_base",
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", "entity_id", name=op.f("pk_sync_base")),
    )


def downgrade() -> None:
    op.drop_table("sync_base")
    op.drop_index(op.f("ix_sync_batch_acked_at"), table_name="sync_batch")
    op.drop_table("sync_batch")
    op.drop_table("sync_state")
    op.drop_table("reference_file")
    op.drop_index(op.f("ix_sync_conflict_squad_id"), table_name="sync_conflict")
    op.drop_table("sync_conflict")
