"""documents: inspections have documents too; drafts, frozen sheets, corrections and voiding

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 09:00:00.000000

``case_document`` keeps its name. Rows from 0004 (documents issued by procedure steps, without
content) get empty values and edition 1; their ``sheet`` stays empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OWNER_CHECK = "(case_id IS NULL) <> (inspection_id IS NULL)"


def upgrade() -> None:
    with op.batch_alter_table("case_document", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.String(length=26), nullable=True)
        batch_op.add_column(sa.Column("inspection_id", sa.String(length=26), nullable=True))
        batch_op.add_column(sa.Column("variant", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("values", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("sheet", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("issued_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("edition", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("corrects_id", sa.String(length=26), nullable=True))
        batch_op.add_column(sa.Column("correction_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("void_reason", sa.Text(), nullable=True))
    documents = sa.table(
        "case_document", sa.column("values", sa.JSON()), sa.column("edition", sa.Integer())
    )
    op.execute(documents.update().values({"values": {}, "edition": 1}))
    with op.batch_alter_table("case_document", schema=None) as batch_op:
        batch_op.alter_column("values", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("edition", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(
            op.f("fk_case_document_inspection_id_inspection"),
            "inspection",
            ["inspection_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            op.f("fk_case_document_corrects_id_case_document"),
            "case_document",
            ["corrects_id"],
            ["id"],
        )
        batch_op.create_check_constraint(op.f("ck_case_document_owner"), OWNER_CHECK)
        batch_op.create_index(
            batch_op.f("ix_case_document_inspection_id"), ["inspection_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_case_document_corrects_id"), ["corrects_id"], unique=False
        )


def downgrade() -> None:
    op.execute("DELETE FROM case_document WHERE case_id IS NULL")
    with op.batch_alter_table("case_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_document_corrects_id"))
        batch_op.drop_index(batch_op.f("ix_case_document_inspection_id"))
        batch_op.drop_constraint(op.f("ck_case_document_owner"), type_="check")
        batch_op.drop_constraint(
            op.f("fk_case_document_corrects_id_case_document"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            op.f("fk_case_document_inspection_id_inspection"), type_="foreignkey"
        )
        for column in (
            "void_reason",
            "correction_reason",
            "corrects_id",
            "edition",
            "issued_at",
            "sha256",
            "sheet",
            "values",
            "variant",
            "inspection_id",
        ):
            batch_op.drop_column(column)
        batch_op.alter_column("case_id", existing_type=sa.String(length=26), nullable=False)
