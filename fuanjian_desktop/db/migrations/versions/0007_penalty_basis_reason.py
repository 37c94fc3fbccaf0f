"""penalty basis: the recorded reason for a stage a person chose where the law leaves room

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 06:30:00.000000

The stage and party type of a charged violation are derived from the case's records
(``domain/penalties/penalty_basis.py``); a person may choose another stage only where the
records leave room (a linked order that was not for this violation) and must say why. Existing
rows get an empty reason: their stage is judged against the derivation by the guard.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_violation") as batch:
        batch.add_column(sa.Column("basis_reason", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("case_violation") as batch:
        batch.drop_column("basis_reason")
