"""cases: handlers, violations, events, documents, deadlines, remedies; 文号 blocks and numbers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 14:13:11.899044
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
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
        sa.ForeignKeyConstraint(
            ["squad_id"], ["squad.id"], name=op.f("fk_issued_number_squad_id_squad")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_number")),
        sa.UniqueConstraint(
            "prefix", "code", "year", "serial", "part", name=op.f("uq_issued_number_prefix")
        ),
    )
    with op.batch_alter_table("issued_number", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_issued_number_text"), ["text"], unique=False)

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
        sa.ForeignKeyConstraint(
            ["squad_id"], ["squad.id"], name=op.f("fk_number_block_squad_id_squad")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_number_block")),
    )
    with op.batch_alter_table("number_block", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_number_block_device_id"), ["device_id"], unique=False)
        batch_op.create_index(
            "ix_number_block_prefix_year", ["prefix", "year", "first"], unique=False
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
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["app_user.id"],
            name=op.f("fk_enforcement_case_created_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_enforcement_case_enterprise_id_enterprise"),
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["app_user.id"], name=op.f("fk_enforcement_case_reviewer_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["squad_id"], ["squad.id"], name=op.f("fk_enforcement_case_squad_id_squad")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enforcement_case")),
        sa.UniqueConstraint("case_no", name=op.f("uq_enforcement_case_case_no")),
    )
    with op.batch_alter_table("enforcement_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enforcement_case_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(
            "ix_enforcement_case_squad_list",
            ["squad_id", "opened_on", "id", "stage", "next_due_on"],
            unique=False,
        )
        batch_op.create_index(
            "ix_enforcement_case_squad_due", ["squad_id", "next_due_on"], unique=False
        )
        batch_op.create_index(
            "ix_enforcement_case_list",
            ["opened_on", "id", "squad_id", "stage", "next_due_on"],
            unique=False,
        )
        batch_op.create_index(
            "ix_enforcement_case_stage_due",
            ["stage", "next_due_on", "opened_on", "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_enforcement_case_due", ["next_due_on", "stage", "opened_on", "id"], unique=False
        )

    op.create_table(
        "case_deadline",
        sa.Column("case_id", sa.String(length=26), nullable=False),
        sa.Column("rule_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["enforcement_case.id"],
            name=op.f("fk_case_deadline_case_id_enforcement_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "rule_id", name=op.f("pk_case_deadline")),
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
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_case_event_actor_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["enforcement_case.id"],
            name=op.f("fk_case_event_case_id_enforcement_case"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_event")),
    )
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.create_index("ix_case_event_action_on", ["action", "occurred_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_event_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_handler",
        sa.Column("case_id", sa.String(length=26), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=26), nullable=False),
        sa.Column("full_name", sa.String(length=50), nullable=False),
        sa.Column("cert_no", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["enforcement_case.id"],
            name=op.f("fk_case_handler_case_id_enforcement_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_case_handler_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("case_id", "position", name=op.f("pk_case_handler")),
    )
    with op.batch_alter_table("case_handler", schema=None) as batch_op:
        batch_op.create_index("ix_case_handler_case_user", ["case_id", "user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_handler_user_id"), ["user_id"], unique=False)

    op.create_table(
        "case_link",
        sa.Column("case_id", sa.String(length=26), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target_id", sa.String(length=26), nullable=False),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["enforcement_case.id"], name=op.f("fk_case_link_case_id_enforcement_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_link")),
        sa.UniqueConstraint("case_id", "kind", "target_id", name=op.f("uq_case_link_case_id")),
    )
    with op.batch_alter_table("case_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_link_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_link_target_id"), ["target_id"], unique=False)

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
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["enforcement_case.id"],
            name=op.f("fk_case_remedy_case_id_enforcement_case"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_remedy")),
        sa.UniqueConstraint("case_id", "kind", name=op.f("uq_case_remedy_case_id")),
    )
    with op.batch_alter_table("case_remedy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_remedy_case_id"), ["case_id"], unique=False)

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
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["enforcement_case.id"],
            name=op.f("fk_case_violation_case_id_enforcement_case"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_violation")),
    )
    with op.batch_alter_table("case_violation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_violation_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_document",
        sa.Column("case_id", sa.String(length=26), nullable=False),
        sa.Column("type_key", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("served_on", sa.Date(), nullable=True),
        sa.Column("served_method", sa.String(length=20), nullable=True),
        sa.Column("recipient", sa.String(length=50), nullable=True),
        sa.Column("event_id", sa.String(length=26), nullable=True),
        sa.Column("id", sa.String(length=26), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["enforcement_case.id"],
            name=op.f("fk_case_document_case_id_enforcement_case"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["case_event.id"], name=op.f("fk_case_document_event_id_case_event")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_document")),
    )
    with op.batch_alter_table("case_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_document_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_document_case_id"))

    op.drop_table("case_document")
    with op.batch_alter_table("case_violation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_violation_case_id"))

    op.drop_table("case_violation")
    with op.batch_alter_table("case_remedy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_remedy_case_id"))

    op.drop_table("case_remedy")
    with op.batch_alter_table("case_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_link_target_id"))
        batch_op.drop_index(batch_op.f("ix_case_link_case_id"))

    op.drop_table("case_link")
    with op.batch_alter_table("case_handler", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_handler_user_id"))
        batch_op.drop_index("ix_case_handler_case_user")

    op.drop_table("case_handler")
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_event_case_id"))
        batch_op.drop_index("ix_case_event_action_on")

    op.drop_table("case_event")
    op.drop_table("case_deadline")
    with op.batch_alter_table("enforcement_case", schema=None) as batch_op:
        batch_op.drop_index("ix_enforcement_case_due")
        batch_op.drop_index("ix_enforcement_case_stage_due")
        batch_op.drop_index("ix_enforcement_case_list")
        batch_op.drop_index("ix_enforcement_case_squad_due")
        batch_op.drop_index("ix_enforcement_case_squad_list")
        batch_op.drop_index(batch_op.f("ix_enforcement_case_enterprise_id"))

    op.drop_table("enforcement_case")
    with op.batch_alter_table("number_block", schema=None) as batch_op:
        batch_op.drop_index("ix_number_block_prefix_year")
        batch_op.drop_index(batch_op.f("ix_number_block_device_id"))

    op.drop_table("number_block")
    with op.batch_alter_table("issued_number", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_issued_number_text"))

    op.drop_table("issued_number")
