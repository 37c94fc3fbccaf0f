"""Open the local database the way every entry point must: migrated, backed up, or refused."""

from __future__ import annotations

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database, KeyBox, make_engine
from fuanjian_desktop.db.integrity import check_database
from fuanjian_desktop.db.schema_version import SCHEMA_HEAD, stamped_revision
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.private_files import make_private, make_private_folder


def open_database(folder: DataFolder, key: DataKey | None) -> Database:
    """The migrated database of ``folder`` opened with ``key``.

    Raises ``CannotDecrypt`` for a wrong key, ``PlaintextDatabase`` for an unencrypted legacy
    file opened with a key, ``DatabaseTooNew`` for a newer file, ``DatabaseDamaged`` for a
    damaged, empty or foreign file (checked before anything reads or migrates it).
    """
    check_database(folder.database, key)
    make_private_folder(folder.root)
    box = KeyBox(key)
    engine = make_engine(folder.database, box)
    try:
        if stamped_revision(engine) != SCHEMA_HEAD:
            # Alembic is imported only when there is something to migrate or refuse: it costs
            # about half a second, most of the start-up time otherwise.
            from fuanjian_desktop.db.migrate import upgrade_to_head

            upgrade_to_head(engine, folder.database, folder.backups, key)
    except BaseException:
        engine.dispose()
        raise
    for suffix in ("", "-wal", "-shm"):  # made before any umask of the caller applied
        make_private(folder.database.with_name(folder.database.name + suffix))
    return Database(engine, key, box)
