"""The schema revision this program writes, and a cheap way to read a database's stamp.

Start-up reads the stamp with one query and imports Alembic (about half a second) only when the
database is not already at :data:`SCHEMA_HEAD`. A test keeps the constant equal to the newest
migration script, so adding a migration without bumping it fails the suite.
"""

from __future__ import annotations

from sqlalchemy import Engine, inspect, text

SCHEMA_HEAD = "0010"
VERSION_TABLE = "alembic_version"


def stamped_revision(engine: Engine) -> str | None:
    """The Alembic revision stored in the database, or ``None`` for an empty one."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
