"""dossier: the mirror of the laptop's case_dossier, document_scan, case_media and case_photo

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 16:20:00.000000

The twins of the tables laptop migration 0010 adds, with the laptop's names and columns and,
as every mirror table (``hq.mirror``), without foreign keys; unique constraints and indexes stay.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _record_columns() -> list[sa.Column[object]]:
    """The columns every synced record ends with (``db.base.SyncedRecord``)."""
    return [
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "case_dossier",
        sa.Column("case_id", sa.String(length=26), nullable=False),
        sa.Column("convention", sa.String(length=30), nullable=True),
        sa.Column("remarks", sa.JSON(), nullable=False),
        sa.Column("order_overrides", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("filed_by", sa.String(length=50), nullable=True),
        sa.Column("checked_by", sa.String(length=50), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("archive_number", sa.String(length=60), nullable=True),
        sa.Column("archive_no", sa.String(length=20), nullable=True),
        sa.Column("archived_on", sa.Date(), nullable=True),
        sa.Column("retention", sa.String(length=20), nullable=True),
        sa.Column("volume_evidence_id", sa.String(length=26), nullable=True),
        sa.Column("volume_sha256", sa.String(length=64), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=True),
        sa.Column("item_count", sa.Integer(), nullable=True),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_dossier")),
        sa.UniqueConstraint("case_id", name=op.f("uq_case_dossier_case_id")),
    )
    op.create_index(op.f("ix_case_dossier_archive_no"), "case_dossier", ["archive_no"])
    op.create_table(
        "case_media",
        sa.Column("case_id", sa.String(length=26), nullable=False),
        sa.Column("evidence_id", sa.String(length=26), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("device", sa.String(length=100), nullable=False),
        sa.Column("officer_id", sa.String(length=26), nullable=True),
        sa.Column("officer_name", sa.String(length=50), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=False),
        sa.Column("step", sa.String(length=40), nullable=True),
        sa.Column("step_label", sa.String(length=60), nullable=False),
        sa.Column("gap_reason", sa.Text(), nullable=True),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_media")),
    )
    op.create_index(op.f("ix_case_media_case_id"), "case_media", ["case_id"])
    op.create_table(
        "case_photo",
        sa.Column("case_id", sa.String(length=26), nullable=False),
        sa.Column("evidence_id", sa.String(length=26), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("caption", sa.String(length=200), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("photographer", sa.String(length=50), nullable=True),
        sa.Column("proves", sa.String(length=200), nullable=True),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_photo")),
    )
    op.create_index(op.f("ix_case_photo_case_id"), "case_photo", ["case_id"])
    op.create_table(
        "document_scan",
        sa.Column("document_id", sa.String(length=26), nullable=False),
        sa.Column("case_id", sa.String(length=26), nullable=True),
        sa.Column("pages", sa.JSON(), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("scanned_on", sa.Date(), nullable=False),
        sa.Column("attached_by", sa.String(length=50), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_scan")),
        sa.UniqueConstraint("document_id", name=op.f("uq_document_scan_document_id")),
    )
    op.create_index(op.f("ix_document_scan_case_id"), "document_scan", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_document_scan_case_id"), table_name="document_scan")
    op.drop_table("document_scan")
    op.drop_index(op.f("ix_case_photo_case_id"), table_name="case_photo")
    op.drop_table("case_photo")
    op.drop_index(op.f("ix_case_media_case_id"), table_name="case_media")
    op.drop_table("case_media")
    op.drop_index(op.f("ix_case_dossier_archive_no"), table_name="case_dossier")
    op.drop_table("case_dossier")
