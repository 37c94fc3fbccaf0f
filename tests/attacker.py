"""Direct access to a data folder's database file as an attacker holding the key would have it.

No app code in between: the SQLCipher module, the raw key pragma, then plain SQL. Foreign keys
stay off (the sqlite3 shell's default), so nothing but the audit triggers stands in the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from fuanjian_desktop.db.engine import Database


@contextmanager
def raw_connection(database: Database) -> Iterator[Any]:
    """A DB-API connection to ``database``'s file, committed when the block ends."""
    key = getattr(database, "key", None)
    connection = sqlcipher.connect(str(database.folder / "fuanjian.db"))
    try:
        if key is not None:
            connection.execute(key.sqlcipher_pragma())
        yield connection
        connection.commit()
    finally:
        connection.close()


def drop_guards(connection: Any) -> None:
    """Remove the triggers that refuse UPDATE and DELETE on audit rows (step one of tampering)."""
    connection.execute("DROP TRIGGER audit_event_no_update")
    connection.execute("DROP TRIGGER audit_event_no_delete")


def restore_guards(connection: Any) -> None:
    """Put the triggers back as migration 0008 made them, covering the tracks."""
    for verb, word in (("UPDATE", "修改"), ("DELETE", "删除")):
        connection.execute(
            f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event BEGIN "
            f"SELECT RAISE(ABORT, '操作日志是执法全过程记录，只能追加，不能{word}。'); END"
        )
