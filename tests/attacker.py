"""Direct access to a data folder's database file as an attacker holding the key would have it.

No app code in between: the SQLCipher module, the raw key pragma, then plain SQL. Foreign keys
stay off (the sqlite3 shell's default), so nothing but the audit triggers stands in the way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import CaseDocument


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


def issued_decision(database: Database) -> CaseDocument:
    """An issued, numbered document of the demo (a 处罚决定书 where there is one)."""
    with database.read() as session:
        documents = session.scalars(
            select(CaseDocument)
            .where(CaseDocument.sha256.is_not(None), CaseDocument.number.is_not(None))
            .order_by(CaseDocument.created_at)
        ).all()
    return next((d for d in documents if "处罚决定书" in d.title), documents[0])


def altered_sheet(sheet: dict[str, Any]) -> dict[str, Any]:
    """The sheet with the text of its first printed run changed."""
    changed = json.loads(json.dumps(sheet))
    for block in changed["blocks"]:
        for run in block.get("runs") or []:
            if run.get("text"):
                run["text"] = run["text"] + "（已改）"
                return changed
    raise AssertionError("no printed run in the sheet")


def alter_issued_decision(database: Database) -> CaseDocument:
    """Edit the frozen content of the demo's issued decision in the file (its fingerprint left
    as it was); return the document as it was before."""
    document = issued_decision(database)
    assert document.sheet is not None
    with raw_connection(database) as connection:
        connection.execute(
            "UPDATE case_document SET sheet = ? WHERE id = ?",
            (json.dumps(altered_sheet(document.sheet)), document.id),
        )
    return document
