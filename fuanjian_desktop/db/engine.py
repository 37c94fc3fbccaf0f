"""The one place a database engine is made, with the pragmas a field laptop needs.

WAL with ``synchronous=FULL`` makes a committed record survive power loss; foreign keys are
on for every connection; writers take the lock up front (``BEGIN IMMEDIATE``) so a reader
that upgrades never fails half-way with ``SQLITE_BUSY``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 5000
_WRITE_OPTION = "fuanjian_write"
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    # Searches scan a covering index of the registry; keep it in memory (32 MiB cache, mmap).
    "PRAGMA cache_size=-32768",
    "PRAGMA mmap_size=268435456",
)


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    """Apply the pragmas and take over transaction control from the sqlite3 module."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in _PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _begin(connection: Connection) -> None:
    """Start reads deferred and writes immediate (the write lock is taken before any change)."""
    immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path) -> Engine:
    """A SQLAlchemy engine on the SQLite file at ``path`` with the field-laptop pragmas."""
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


class Database:
    """An open local database: read sessions, and write sessions that commit as one unit."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._readers = sessionmaker(engine, expire_on_commit=False)
        writer_engine = engine.execution_options(**{_WRITE_OPTION: True})
        self._writers = sessionmaker(writer_engine, expire_on_commit=False)

    @classmethod
    def open(cls, path: Path) -> Database:
        """Open (without migrating) the database file at ``path``."""
        return cls(make_engine(path))

    @property
    def folder(self) -> Path:
        """The data folder holding this database file (and the evidence store beside it)."""
        assert self.engine.url.database, "an in-memory database has no data folder"
        return Path(self.engine.url.database).resolve().parent

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; closing it ends the read transaction.

        Loaded objects stay readable after the block (closing detaches without expiring them),
        so a service may return rows it read.
        """
        with self._readers() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose changes commit together on success and vanish on any exception."""
        with self._writers() as session, session.begin():
            yield session

    def close(self) -> None:
        """Release every pooled connection (the WAL is checkpointed by SQLite on last close)."""
        self.engine.dispose()
