"""HQ schema: devices, keys, batches, revisions, and the mirror of the laptop's synced tables

Revision ID: 0001
Revises:
Create Date: 2026-12-07 13:50:00.000000

The ``hq_*`` tables are ``hq.models``. The mirror tables have the laptop's names and columns
as of laptop schema 0009 (``hq.mirror``), without foreign keys and check constraints; a laptop
migration that adds or changes a synced table needs an HQ migration doing the same (a test
compares this schema with the model). Timestamps are naive UTC, as on the laptop.
``hq_revision.seq`` is BIGINT on PostgreSQL and SQLite's INTEGER rowid on SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_attachment",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.Column("origin_device", sa.String(length=26), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_hq_attachment")),
    )
    op.create_table(
        "hq_batch",
        sa.Column("batch_key", sa.String(length=26), nullable=False),
        sa.Column("device_id", sa.String(length=26), nullable=False),
        sa.Column("body_sha256", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("quarantined", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("batch_key", name=op.f("pk_hq_batch")),
    )
    op.create_table(
        "hq_device",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("squad_id", sa.String(length=26), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("secret_b64", sa.String(length=100), nullable=False),
        sa.Column("signing_public_b64", sa.String(length=100), nullable=False),
        sa.Column("app_version", sa.String(length=40), nullable=False),
        sa.Column("enrolled_at", sa.DateTime(), nullable=False),
        sa.Column("last_contact_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=True),
        sa.Column("flagged_at", sa.DateTime(), nullable=True),
        sa.Column("flag_reason", sa.Text(), nullable=True),
        sa.Column("anchor_seq", sa.Integer(), nullable=False),
        sa.Column("anchor_hash", sa.String(length=64), nullable=False),
        sa.Column("package_in_seq", sa.Integer(), nullable=False),
        sa.Column("package_out_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hq_device")),
    )
    op.create_index(op.f("ix_hq_device_squad_id"), "hq_device", ["squad_id"], unique=False)
    op.create_table(
        "hq_enrollment_code",
        sa.Column("code_sha256", sa.String(length=64), nullable=False),
        sa.Column("squad_id", sa.String(length=26), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("device_id", sa.String(length=26), nullable=True),
        sa.PrimaryKeyConstraint("code_sha256", name=op.f("pk_hq_enrollment_code")),
    )
    op.create_table(
        "hq_escrow",
        sa.Column("device_id", sa.String(length=26), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("squad_id", sa.String(length=26), nullable=False),
        sa.Column("sealed", sa.JSON(), nullable=False),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "key_id", name=op.f("pk_hq_escrow")),
    )
    op.create_table(
        "hq_key",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("private_b64", sa.Text(), nullable=False),
        sa.Column("public_b64", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_hq_key")),
    )
    op.create_table(
        "hq_nonce",
        sa.Column("device_id", sa.String(length=26), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "nonce", name=op.f("pk_hq_nonce")),
    )
    op.create_index(op.f("ix_hq_nonce_seen_at"), "hq_nonce", ["seen_at"], unique=False)
    op.create_table(
        "hq_record",
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("squad_id", sa.String(length=26), nullable=True),
        sa.Column(
            "current_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("origin_device", sa.String(length=26), nullable=False),
        sa.PrimaryKeyConstraint("entity_id", "table_name", name=op.f("pk_hq_record")),
    )
    op.create_index(op.f("ix_hq_record_current_seq"), "hq_record", ["current_seq"], unique=False)
    op.create_table(
        "hq_revision",
        sa.Column(
            "seq",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("table_name", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=200), nullable=False),
        sa.Column("squad_id", sa.String(length=26), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("op", sa.String(length=10), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("children", sa.JSON(), nullable=False),
        sa.Column("device_id", sa.String(length=26), nullable=False),
        sa.Column("batch_key", sa.String(length=26), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("quarantined", sa.Boolean(), nullable=False),
        sa.Column("merged", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_hq_revision")),
    )
    op.create_table(
        "app_user",
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("full_name", sa.String(length=50), nullable=False),
        sa.Column("cert_no", sa.String(length=30), nullable=True),
        sa.Column("squad_id", sa.String(length=26), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "audit_event",
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.String(length=26), nullable=True),
        sa.Column("actor_name", sa.String(length=50), nullable=False),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("entity_type", sa.String(length=50), nullable=True),
        sa.Column("entity_id", sa.String(length=26), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("device_id", sa.String(length=26), nullable=False),
        sa.Column("device_seq", sa.Integer(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("event_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        sa.UniqueConstraint("device_id", "device_seq", name=op.f("uq_audit_event_device_id")),
    )
    op.create_index(op.f("ix_audit_event_entity_id"), "audit_event", ["entity_id"], unique=False)
    op.create_index(
        op.f("ix_audit_event_occurred_at"), "audit_event", ["occurred_at"], unique=False
    )
    op.create_table(
        "case_document",
        sa.Column("case_id", sa.String(length=26), nullable=True),
        sa.Column("inspection_id", sa.String(length=26), nullable=True),
        sa.Column("type_key", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("variant", sa.String(length=20), nullable=True),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("sheet", sa.JSON(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("served_method", sa.String(length=20), nullable=True),
        sa.Column("recipient", sa.String(length=50), nullable=True),
        sa.Column("event_id", sa.String(length=26), nullable=True),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("corrects_id", sa.String(length=26), nullable=True),
        sa.Column("correction_reason", sa.Text(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_document")),
    )
    op.create_index(op.f("ix_case_document_case_id"), "case_document", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_case_document_corrects_id"), "case_document", ["corrects_id"], unique=False
    )
    op.create_index(
        op.f("ix_case_document_inspection_id"), "case_document", ["inspection_id"], unique=False
    )
    op.create_table(
        "case_event",
        sa.Column("case_id", sa.String(length=26), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("stage_before", sa.String(length=30), nullable=False),
        sa.Column("stage_after", sa.String(length=30), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("actor_id", sa.String(length=26), nullable=True),
        sa.Column("actor_name", sa.String(length=50), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("milestones", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    op.create_index(
        "ix_case_event_action_on", "case_event", ["action", "occurred_on"], unique=False
    )
    op.create_index(op.f("ix_case_event_case_id"), "case_event", ["case_id"], unique=False)
    op.create_table(
        "case_handler",
        sa.Column("case_id", sa.String(length=26), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=26), nullable=False),
        sa.Column("full_name", sa.String(length=50), nullable=False),
        sa.Column("cert_no", sa.String(length=30), nullable=True),
        sa.PrimaryKeyConstraint("case_id", "position", name=op.f("pk_case_handler")),
    )
    op.create_index(
        "ix_case_handler_case_user", "case_handler", ["case_id", "user_id"], unique=False
    )
    op.create_index(op.f("ix_case_handler_user_id"), "case_handler", ["user_id"], unique=False)
    op.create_table(
        "case_link",
        sa.Column("case_id", sa.String(length=26), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.String(length=26), nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_link")),
        sa.UniqueConstraint("case_id", "kind", "target_id", name=op.f("uq_case_link_case_id")),
    )
    op.create_index(op.f("ix_case_link_case_id"), "case_link", ["case_id"], unique=False)
    op.create_index(op.f("ix_case_link_target_id"), "case_link", ["target_id"], unique=False)
    op.create_table(
        "case_remedy",
        sa.Column("case_id", sa.String(length=26), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("concluded_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_remedy")),
        sa.UniqueConstraint("case_id", "kind", name=op.f("uq_case_remedy_case_id")),
    )
    op.create_index(op.f("ix_case_remedy_case_id"), "case_remedy", ["case_id"], unique=False)
    op.create_table(
        "case_violation",
        sa.Column("case_id", sa.String(length=26), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("violated_article", sa.String(length=300), nullable=False),
        sa.Column("penalty_article", sa.String(length=300), nullable=False),
        sa.Column("target", sa.String(length=10), nullable=False),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("circumstances", sa.JSON(), nullable=False),
        sa.Column("fine", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("basis_reason", sa.Text(), server_default="", nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_violation")),
    )
    op.create_index(op.f("ix_case_violation_case_id"), "case_violation", ["case_id"], unique=False)
    op.create_table(
        "checklist_version",
        sa.Column("template_id", sa.String(length=60), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("template_id", "version", name=op.f("pk_checklist_version")),
    )
    op.create_table(
        "enforcement_case",
        sa.Column("case_no", sa.String(length=60), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("squad_id", sa.String(length=26), nullable=False),
        sa.Column("procedure", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_note", sa.Text(), nullable=True),
        sa.Column("party_kind", sa.String(length=10), nullable=False),
        sa.Column("enterprise_id", sa.String(length=26), nullable=True),
        sa.Column("party_name", sa.String(length=200), nullable=False),
        sa.Column("party_id_type", sa.String(length=12), nullable=False),
        sa.Column("party_id_no", sa.String(length=18), nullable=True),
        sa.Column("party_representative", sa.String(length=50), nullable=True),
        sa.Column("party_phone", sa.String(length=30), nullable=True),
        sa.Column("party_address", sa.String(length=300), nullable=True),
        sa.Column("cause", sa.String(length=300), nullable=False),
        sa.Column("facts", sa.Text(), nullable=True),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("total_fine", sa.Integer(), nullable=False),
        sa.Column("paid_amount", sa.Integer(), nullable=False),
        sa.Column("other_penalties", sa.JSON(), nullable=False),
        sa.Column("extension_days", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.String(length=26), nullable=True),
        sa.Column("next_due_on", sa.Date(), nullable=True),
        sa.Column("next_due_label", sa.String(length=60), nullable=True),
        sa.Column("created_by_id", sa.String(length=26), nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enforcement_case")),
        sa.UniqueConstraint("case_no", name=op.f("uq_enforcement_case_case_no")),
    )
    op.create_index(
        "ix_enforcement_case_due",
        "enforcement_case",
        ["next_due_on", "stage", "opened_on", "id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_enforcement_case_enterprise_id"),
        "enforcement_case",
        ["enterprise_id"],
        unique=False,
    )
    op.create_index(
        "ix_enforcement_case_list",
        "enforcement_case",
        ["opened_on", "id", "squad_id", "stage", "next_due_on"],
        unique=False,
    )
    op.create_index(
        "ix_enforcement_case_squad_due",
        "enforcement_case",
        ["squad_id", "next_due_on"],
        unique=False,
    )
    op.create_index(
        "ix_enforcement_case_squad_list",
        "enforcement_case",
        ["squad_id", "opened_on", "id", "stage", "next_due_on"],
        unique=False,
    )
    op.create_index(
        "ix_enforcement_case_stage_due",
        "enforcement_case",
        ["stage", "next_due_on", "opened_on", "id"],
        unique=False,
    )
    op.create_table(
        "enterprise",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("uscc_override_reason", sa.Text(), nullable=True),
        sa.Column("operator_name", sa.String(length=50), nullable=True),
        sa.Column("operator_id_no", sa.String(length=18), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("street", sa.String(length=50), nullable=False),
        sa.Column("community", sa.String(length=50), nullable=True),
        sa.Column("grid", sa.String(length=50), nullable=True),
        sa.Column("contact_name", sa.String(length=50), nullable=True),
        sa.Column("contact_phone", sa.String(length=30), nullable=True),
        sa.Column("floor_area", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("key_supervision", sa.Boolean(), nullable=False),
        sa.Column("blacklisted", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("squad_id", sa.String(length=26), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprise")),
        sa.UniqueConstraint("uscc", name=op.f("uq_enterprise_uscc")),
    )
    op.create_index(
        "ix_enterprise_search", "enterprise", ["name", "id", "search_text"], unique=False
    )
    op.create_index(op.f("ix_enterprise_squad_id"), "enterprise", ["squad_id"], unique=False)
    op.create_index("ix_enterprise_squad_name", "enterprise", ["squad_id", "name"], unique=False)
    op.create_table(
        "enterprise_category",
        sa.Column("enterprise_id", sa.String(length=26), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("enterprise_id", "category", name=op.f("pk_enterprise_category")),
    )
    op.create_index(
        op.f("ix_enterprise_category_category"), "enterprise_category", ["category"], unique=False
    )
    op.create_table(
        "evidence_file",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("extension", sa.String(length=10), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("original_name", sa.String(length=255), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("captured_at", sa.DateTime(), nullable=True),
        sa.Column("camera", sa.String(length=100), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_file")),
        sa.UniqueConstraint("sha256", name=op.f("uq_evidence_file_sha256")),
    )
    op.create_table(
        "hazard",
        sa.Column("inspection_id", sa.String(length=26), nullable=False),
        sa.Column("item_id", sa.String(length=60), nullable=False),
        sa.Column("enterprise_id", sa.String(length=26), nullable=False),
        sa.Column("squad_id", sa.String(length=26), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("rectification", sa.Text(), nullable=False),
        sa.Column("basis_text", sa.Text(), nullable=False),
        sa.Column("violation_code", sa.String(length=20), nullable=True),
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by_id", sa.String(length=26), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard")),
        sa.UniqueConstraint("inspection_id", "item_id", name=op.f("uq_hazard_inspection_id")),
    )
    op.create_index(op.f("ix_hazard_enterprise_id"), "hazard", ["enterprise_id"], unique=False)
    op.create_index(
        "ix_hazard_squad_status", "hazard", ["squad_id", "status", "due_date"], unique=False
    )
    op.create_index("ix_hazard_status_due", "hazard", ["status", "due_date"], unique=False)
    op.create_table(
        "inspection",
        sa.Column("enterprise_id", sa.String(length=26), nullable=False),
        sa.Column("squad_id", sa.String(length=26), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("template_id", sa.String(length=60), nullable=True),
        sa.Column("template_version", sa.String(length=20), nullable=True),
        sa.Column("follow_up_of_id", sa.String(length=26), nullable=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("venue_categories", sa.JSON(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("site_person_name", sa.String(length=50), nullable=False),
        sa.Column("site_person_position", sa.String(length=50), nullable=True),
        sa.Column("site_person_phone", sa.String(length=30), nullable=True),
        sa.Column("site_person_id_no", sa.String(length=18), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("refused_to_sign", sa.Boolean(), nullable=False),
        sa.Column("refusal_note", sa.Text(), nullable=True),
        sa.Column("onsite_measures", sa.JSON(), nullable=False),
        sa.Column("onsite_measures_note", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.String(length=26), nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection")),
    )
    op.create_index(
        op.f("ix_inspection_enterprise_id"), "inspection", ["enterprise_id"], unique=False
    )
    op.create_index(
        op.f("ix_inspection_follow_up_of_id"), "inspection", ["follow_up_of_id"], unique=False
    )
    op.create_index(
        "ix_inspection_squad_status",
        "inspection",
        ["squad_id", "status", "started_at"],
        unique=False,
    )
    op.create_table(
        "inspection_answer",
        sa.Column("inspection_id", sa.String(length=26), nullable=False),
        sa.Column("item_id", sa.String(length=60), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.Column("answered_by_id", sa.String(length=26), nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_answer")),
        sa.UniqueConstraint(
            "inspection_id", "item_id", name=op.f("uq_inspection_answer_inspection_id")
        ),
    )
    op.create_table(
        "inspection_inspector",
        sa.Column("inspection_id", sa.String(length=26), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=26), nullable=False),
        sa.Column("full_name", sa.String(length=50), nullable=False),
        sa.Column("cert_no", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("inspection_id", "position", name=op.f("pk_inspection_inspector")),
    )
    op.create_table(
        "inspection_photo",
        sa.Column("inspection_id", sa.String(length=26), nullable=False),
        sa.Column("item_id", sa.String(length=60), nullable=False),
        sa.Column("evidence_id", sa.String(length=26), nullable=False),
        sa.Column("caption", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_photo")),
        sa.UniqueConstraint(
            "inspection_id",
            "item_id",
            "evidence_id",
            name=op.f("uq_inspection_photo_inspection_id"),
        ),
    )
    op.create_index(
        op.f("ix_inspection_photo_inspection_id"),
        "inspection_photo",
        ["inspection_id"],
        unique=False,
    )
    op.create_table(
        "issued_number",
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=60), nullable=False),
        sa.Column("squad_id", sa.String(length=26), nullable=False),
        sa.Column("device_id", sa.String(length=26), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=26), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_number")),
        sa.UniqueConstraint(
            "prefix", "code", "year", "serial", "part", name=op.f("uq_issued_number_prefix")
        ),
    )
    op.create_index(op.f("ix_issued_number_text"), "issued_number", ["text"], unique=False)
    op.create_table(
        "number_block",
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("squad_id", sa.String(length=26), nullable=False),
        sa.Column("device_id", sa.String(length=26), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_block")),
    )
    op.create_index(op.f("ix_number_block_device_id"), "number_block", ["device_id"], unique=False)
    op.create_index(
        "ix_number_block_prefix_year", "number_block", ["prefix", "year", "first"], unique=False
    )
    op.create_table(
        "recheck_finding",
        sa.Column("inspection_id", sa.String(length=26), nullable=False),
        sa.Column("hazard_id", sa.String(length=26), nullable=False),
        sa.Column("result", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recheck_finding")),
        sa.UniqueConstraint(
            "inspection_id", "hazard_id", name=op.f("uq_recheck_finding_inspection_id")
        ),
    )
    op.create_index(
        op.f("ix_recheck_finding_hazard_id"), "recheck_finding", ["hazard_id"], unique=False
    )
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
        "squad",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=20), nullable=False),
        sa.Column("is_bureau", sa.Boolean(), nullable=False),
        sa.Column("street", sa.String(length=50), nullable=True),
        sa.Column("parent_id", sa.String(length=26), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_squad")),
    )
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
    op.create_index(op.f("ix_sync_conflict_squad_id"), "sync_conflict", ["squad_id"], unique=False)
    op.create_table(
        "user_role",
        sa.Column("user_id", sa.String(length=26), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "role", name=op.f("pk_user_role")),
    )


def downgrade() -> None:
    op.drop_table("user_role")
    op.drop_index(op.f("ix_sync_conflict_squad_id"), table_name="sync_conflict")
    op.drop_table("sync_conflict")
    op.drop_table("squad")
    op.drop_table("reference_file")
    op.drop_index(op.f("ix_recheck_finding_hazard_id"), table_name="recheck_finding")
    op.drop_table("recheck_finding")
    op.drop_index("ix_number_block_prefix_year", table_name="number_block")
    op.drop_index(op.f("ix_number_block_device_id"), table_name="number_block")
    op.drop_table("number_block")
    op.drop_index(op.f("ix_issued_number_text"), table_name="issued_number")
    op.drop_table("issued_number")
    op.drop_index(op.f("ix_inspection_photo_inspection_id"), table_name="inspection_photo")
    op.drop_table("inspection_photo")
    op.drop_table("inspection_inspector")
    op.drop_table("inspection_answer")
    op.drop_index("ix_inspection_squad_status", table_name="inspection")
    op.drop_index(op.f("ix_inspection_follow_up_of_id"), table_name="inspection")
    op.drop_index(op.f("ix_inspection_enterprise_id"), table_name="inspection")
    op.drop_table("inspection")
    op.drop_index("ix_hazard_status_due", table_name="hazard")
    op.drop_index("ix_hazard_squad_status", table_name="hazard")
    op.drop_index(op.f("ix_hazard_enterprise_id"), table_name="hazard")
    op.drop_table("hazard")
    op.drop_table("evidence_file")
    op.drop_index(op.f("ix_enterprise_category_category"), table_name="enterprise_category")
    op.drop_table("enterprise_category")
    op.drop_index("ix_enterprise_squad_name", table_name="enterprise")
    op.drop_index(op.f("ix_enterprise_squad_id"), table_name="enterprise")
    op.drop_index("ix_enterprise_search", table_name="enterprise")
    op.drop_table("enterprise")
    op.drop_index("ix_enforcement_case_stage_due", table_name="enforcement_case")
    op.drop_index("ix_enforcement_case_squad_list", table_name="enforcement_case")
    op.drop_index("ix_enforcement_case_squad_due", table_name="enforcement_case")
    op.drop_index("ix_enforcement_case_list", table_name="enforcement_case")
    op.drop_index(op.f("ix_enforcement_case_enterprise_id"), table_name="enforcement_case")
    op.drop_index("ix_enforcement_case_due", table_name="enforcement_case")
    op.drop_table("enforcement_case")
    op.drop_table("checklist_version")
    op.drop_index(op.f("ix_case_violation_case_id"), table_name="case_violation")
    op.drop_table("case_violation")
    op.drop_index(op.f("ix_case_remedy_case_id"), table_name="case_remedy")
    op.drop_table("case_remedy")
    op.drop_index(op.f("ix_case_link_target_id"), table_name="case_link")
    op.drop_index(op.f("ix_case_link_case_id"), table_name="case_link")
    op.drop_table("case_link")
    op.drop_index(op.f("ix_case_handler_user_id"), table_name="case_handler")
    op.drop_index("ix_case_handler_case_user", table_name="case_handler")
    op.drop_table("case_handler")
    op.drop_index(op.f("ix_case_event_case_id"), table_name="case_event")
    op.drop_index("ix_case_event_action_on", table_name="case_event")
    op.drop_table("case_event")
    op.drop_index(op.f("ix_case_document_inspection_id"), table_name="case_document")
    op.drop_index(op.f("ix_case_document_corrects_id"), table_name="case_document")
    op.drop_index(op.f("ix_case_document_case_id"), table_name="case_document")
    op.drop_table("case_document")
    op.drop_index(op.f("ix_audit_event_occurred_at"), table_name="audit_event")
    op.drop_index(op.f("ix_audit_event_entity_id"), table_name="audit_event")
    op.drop_table("audit_event")
    op.drop_table("app_user")
    op.drop_table("hq_revision")
    op.drop_index(op.f("ix_hq_record_current_seq"), table_name="hq_record")
    op.drop_table("hq_record")
    op.drop_index(op.f("ix_hq_nonce_seen_at"), table_name="hq_nonce")
    op.drop_table("hq_nonce")
    op.drop_table("hq_key")
    op.drop_table("hq_escrow")
    op.drop_table("hq_enrollment_code")
    op.drop_index(op.f("ix_hq_device_squad_id"), table_name="hq_device")
    op.drop_table("hq_device")
    op.drop_table("hq_batch")
    op.drop_table("hq_attachment")
