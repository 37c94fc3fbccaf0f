"""Open the local database the way every entry point must: migrated, backed up, or refused."""

from __future__ import annotations

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database, make_engine
from fuanjian_desktop.db.migrate import upgrade_to_head


def open_database(folder: DataFolder) -> Database:
    """The migrated database of ``folder``; raises ``DatabaseTooNew`` for a newer file."""
    engine = make_engine(folder.database)
    try:
        upgrade_to_head(engine, folder.database, folder.backups)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine)
