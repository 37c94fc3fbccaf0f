"""Inserting many rows at once: PostgreSQL's COPY, SQLite's executemany.

A push of thousands of records writes each one three times (its revision, its record pointer, its
mirror row), so the insert path decides whether a push costs a small multiple of a plain bulk
insert of the same rows (``bench/sync_push.py``) or a large one. On PostgreSQL, psycopg's
executemany sends one statement per row; COPY streams the rows in one command, several times
faster. Values are converted as SQLAlchemy would bind them (the column types' own bind
processing, JSON serialised), so COPY and executemany store the same thing.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import JSON, Column, Table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

Converter = Callable[[Any], Any]


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts of column values; rows may name different columns) into
    ``table`` within the session's transaction."""
    if not rows:
        return
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[tuple(row)].append(row)
    for names, group in groups.items():
        if session.get_bind().dialect.name == "postgresql":
            _copy(session, table, names, group)
        else:
            session.execute(table.insert(), group)


def _copy(
    session: Session, table: Table, names: tuple[str, ...], rows: list[dict[str, Any]]
) -> None:
    """COPY the rows, with the Python-side defaults of the columns they leave out."""
    dialect = session.get_bind().dialect
    defaulted = [
        column
        for column in table.columns
        if column.name not in names and column.default is not None
    ]
    columns = [table.columns[name] for name in names] + defaulted
    converters = [_converter(column, dialect) for column in columns]
    quoted = ", ".join(f'"{column.name}"' for column in columns)
    connection = session.connection().connection.driver_connection
    assert connection is not None
    statement = f'COPY "{table.name}" ({quoted}) FROM STDIN'
    try:
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                values = [row[name] for name in names] + [_default(c) for c in defaulted]
                copy.write_row(
                    [convert(value) for convert, value in zip(converters, values, strict=True)]
                )
    except dialect.loaded_dbapi.IntegrityError as error:
        # raised as SQLAlchemy raises it for its own statements: callers catch one kind
        raise IntegrityError(statement, None, error) from error


def _converter(column: Column[Any], dialect: Any) -> Converter:
    """The value as the column's type binds it; JSON as its text."""
    if isinstance(column.type, JSON):
        return _json_text
    process = column.type.bind_processor(dialect)
    return process if process is not None else _same


def _json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _same(value: Any) -> Any:
    return value


def _default(column: Column[Any]) -> Any:
    """A column's Python-side default for a row that leaves it out."""
    default = column.default
    if default is None:
        return None
    if getattr(default, "is_callable", False):
        return default.arg(None)  # type: ignore[attr-defined]
    return getattr(default, "arg", None)
