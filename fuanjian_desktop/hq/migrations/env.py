"""Alembic environment of the HQ database: online, on the connection ``hq.database`` hands over.

HQ's history is its own (version table ``hq_alembic_version``), apart from the laptop's: the
HQ database holds the ``hq_*`` tables and the mirror of the laptop's synced tables without
foreign keys (``hq.mirror``), and a laptop migration never runs on it.
"""

from __future__ import annotations

from alembic import context

from fuanjian_desktop.hq.database import VERSION_TABLE
from fuanjian_desktop.hq.mirror import mirror_metadata
from fuanjian_desktop.hq.models import HqBase

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=[HqBase.metadata, mirror_metadata()],
    version_table=VERSION_TABLE,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
