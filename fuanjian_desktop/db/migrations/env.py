"""Alembic environment: always online, on the connection the app hands over, in batch mode."""

from __future__ import annotations

from alembic import context

import fuanjian_desktop.models  # noqa: F401  (registers every table)
from fuanjian_desktop.db.base import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
