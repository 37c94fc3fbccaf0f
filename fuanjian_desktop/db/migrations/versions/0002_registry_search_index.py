"""covering index for the registry search (name, id, search_text)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 12:40:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        batch_op.drop_index("ix_enterprise_name")
        batch_op.create_index("ix_enterprise_search", ["name", "id", "search_text"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("enterprise", schema=None) as batch_op:
        batch_op.drop_index("ix_enterprise_search")
        batch_op.create_index("ix_enterprise_name", ["name"], unique=False)
