"""Open the local database the way every entry point must: migrated, backed up, or refused."""

from __future__ import annotations

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database, make_engine
from fuanjian_desktop.db.schema_version import SCHEMA_HEAD, stamped_revision


def open_database(folder: DataFolder) -> Database:
    """The migrated database of ``folder``; raises ``DatabaseTooNew`` for a newer file."""
    engine = make_engine(folder.database)
    try:
        if stamped_revision(engine) != SCHEMA_HEAD:
            # Alembic is imported only when there is something to migrate or refuse: it costs
            # about half a second, most of the start-up time otherwise.
            from fuanjian_desktop.db.migrate import upgrade_to_head

            upgrade_to_head(engine, folder.database, folder.backups)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine)
