"""inspections with answers and inspectors, hazards, 复查 findings, photos, checklist versions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 13:00:16.883535
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checklist_version",
        sa.Column("template_id", sa.String(length=60), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("template_id", "version", name=op.f("pk_checklist_version")),
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
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_inspection_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprise.id"],
            name=op.f("fk_inspection_enterprise_id_enterprise"),
        ),
        sa.ForeignKeyConstraint(
            ["follow_up_of_id"],
            ["inspection.id"],
            name=op.f("fk_inspection_follow_up_of_id_inspection"),
        ),
        sa.ForeignKeyConstraint(
            ["squad_id"], ["squad.id"], name=op.f("fk_inspection_squad_id_squad")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection")),
    )
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inspection_follow_up_of_id"), ["follow_up_of_id"], unique=False
        )
        batch_op.create_index(
            "ix_inspection_squad_status", ["squad_id", "status", "started_at"], unique=False
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
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["inspection.id"], name=op.f("fk_hazard_closed_by_id_inspection")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"], ["enterprise.id"], name=op.f("fk_hazard_enterprise_id_enterprise")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"], ["inspection.id"], name=op.f("fk_hazard_inspection_id_inspection")
        ),
        sa.ForeignKeyConstraint(["squad_id"], ["squad.id"], name=op.f("fk_hazard_squad_id_squad")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard")),
        sa.UniqueConstraint("inspection_id", "item_id", name=op.f("uq_hazard_inspection_id")),
    )
    with op.batch_alter_table("hazard", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hazard_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(
            "ix_hazard_squad_status", ["squad_id", "status", "due_date"], unique=False
        )
        batch_op.create_index("ix_hazard_status_due", ["status", "due_date"], unique=False)

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
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["app_user.id"],
            name=op.f("fk_inspection_answer_answered_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_inspection_answer_inspection_id_inspection"),
        ),
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
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_inspection_inspector_inspection_id_inspection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_inspection_inspector_user_id_app_user")
        ),
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
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidence_file.id"],
            name=op.f("fk_inspection_photo_evidence_id_evidence_file"),
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_inspection_photo_inspection_id_inspection"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inspection_photo")),
        sa.UniqueConstraint(
            "inspection_id",
            "item_id",
            "evidence_id",
            name=op.f("uq_inspection_photo_inspection_id"),
        ),
    )
    with op.batch_alter_table("inspection_photo", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_photo_inspection_id"), ["inspection_id"], unique=False
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
        sa.ForeignKeyConstraint(
            ["hazard_id"], ["hazard.id"], name=op.f("fk_recheck_finding_hazard_id_hazard")
        ),
        sa.ForeignKeyConstraint(
            ["inspection_id"],
            ["inspection.id"],
            name=op.f("fk_recheck_finding_inspection_id_inspection"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recheck_finding")),
        sa.UniqueConstraint(
            "inspection_id", "hazard_id", name=op.f("uq_recheck_finding_inspection_id")
        ),
    )
    with op.batch_alter_table("recheck_finding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_recheck_finding_hazard_id"), ["hazard_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("recheck_finding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recheck_finding_hazard_id"))

    op.drop_table("recheck_finding")
    with op.batch_alter_table("inspection_photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_photo_inspection_id"))

    op.drop_table("inspection_photo")
    op.drop_table("inspection_inspector")
    op.drop_table("inspection_answer")
    with op.batch_alter_table("hazard", schema=None) as batch_op:
        batch_op.drop_index("ix_hazard_status_due")
        batch_op.drop_index("ix_hazard_squad_status")
        batch_op.drop_index(batch_op.f("ix_hazard_enterprise_id"))

    op.drop_table("hazard")
    with op.batch_alter_table("inspection", schema=None) as batch_op:
        batch_op.drop_index("ix_inspection_squad_status")
        batch_op.drop_index(batch_op.f("ix_inspection_follow_up_of_id"))
        batch_op.drop_index(batch_op.f("ix_inspection_enterprise_id"))

    op.drop_table("inspection")
    op.drop_table("evidence_file")
    op.drop_table("checklist_version")
