"""The HQ database: PostgreSQL in production (psycopg 3), a plain SQLite file for a quick start.

One URL names it (``postgresql+psycopg://user@host/db`` or ``sqlite:///path/hq.db``). The schema
is HQ's own Alembic history (``hq/migrations``, version table ``hq_alembic_version``): the
``hq_*`` tables and the mirror of the laptop's synced tables. :func:`open_hq` refuses a database
that is not at this program's head, so the server never runs on a half-made schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.db.migrate import alembic_config, head_revision, known_revisions
from fuanjian_desktop.errors import UserError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "hq_alembic_version"
_WRITE_OPTION = "hq_write"
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA busy_timeout=30000",
)
NOT_INITIALISED = "区局数据库尚未初始化，请先运行 python main.py hq init --db {url}"
TOO_NEW = (
    "区局数据库由更新版本的福安监服务器创建（数据库版本 {revision}），当前程序无法安全使用它。"
    "请安装最新版本后再启动；数据库未做任何改动。"
)
UNREACHABLE = "无法连接区局数据库（{url}）：{reason}"


class HqDatabase:
    """An open HQ database: read sessions, and write sessions that commit as one unit.

    On SQLite a write session takes the write lock up front (``BEGIN IMMEDIATE``), so two
    requests never interleave their writes; PostgreSQL serialises what must be serialised with
    ``hq.sequence.lock_sequence``.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = _make_engine(url)
        self._readers = sessionmaker(self.engine, expire_on_commit=False)
        writer_engine = self.engine.execution_options(**{_WRITE_OPTION: True})
        self._writers = sessionmaker(writer_engine, expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; closing it ends the read transaction."""
        with self._readers() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose changes commit together on success and vanish on any exception."""
        with self._writers() as session, session.begin():
            yield session

    def core(self) -> Database:
        """The mirror as a laptop-style :class:`Database`, for the laptop's read-only services
        (``services.statistics``) to run on HQ's current state by the same code."""
        return Database(self.engine)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()


BAD_URL = (
    "区局数据库地址“{url}”无效，应形如 sqlite:///路径/hq.db 或 "
    "postgresql+psycopg://用户@主机/库名（--db）。"
)


def _make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a long busy timeout and immediate writes.

    A mistyped address (a bare path, an unknown scheme) is a Chinese error, not a traceback."""
    try:
        return _engine_for(url)
    except (ArgumentError, NoSuchModuleError):
        raise UserError(BAD_URL.format(url=url)) from None


def _engine_for(url: str) -> Engine:
    if make_url(url).get_backend_name() != "sqlite":
        # no server-side prepared statements: their generic plan for "ids IN (500 values)",
        # made while a table was small, stayed a slow one as it grew (a 10,000-case push: 43 s
        # instead of 19 s); planning each lookup with its values costs well under a millisecond
        return create_engine(url, pool_pre_ping=True, connect_args={"prepare_threshold": None})
    engine = create_engine(url)
    event.listen(engine, "connect", _configure_sqlite)
    event.listen(engine, "begin", _begin_sqlite)
    return engine


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Apply the pragmas and take transaction control from the DB-API module."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in _SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _begin_sqlite(connection: Connection) -> None:
    immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def stamped_revision(engine: Engine) -> str | None:
    """The HQ schema revision stored in the database, ``None`` for one never initialised."""
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table(VERSION_TABLE):
                return None
            return connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise UserError(UNREACHABLE.format(url=_shown(engine), reason=reason)) from error


def _check_known(revision: str | None) -> None:
    if revision is not None and revision not in known_revisions(MIGRATIONS_DIR):
        raise UserError(TOO_NEW.format(revision=revision))


def migrate_hq(url: str) -> None:
    """Create or upgrade the HQ schema to this program's head (``hq init``); idempotent."""
    database = HqDatabase(url)
    try:
        _check_known(stamped_revision(database.engine))
        config = alembic_config(MIGRATIONS_DIR)
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        database.close()


def open_hq(url: str) -> HqDatabase:
    """Open an initialised HQ database; refuse one never initialised, older or newer."""
    database = HqDatabase(url)
    try:
        revision = stamped_revision(database.engine)
        _check_known(revision)
        if revision != head_revision(MIGRATIONS_DIR):
            raise UserError(NOT_INITIALISED.format(url=_shown(database.engine)))
    except BaseException:
        database.close()
        raise
    return database


def _shown(engine: Engine) -> str:
    """The URL as the user may see it (no password)."""
    return engine.url.render_as_string(hide_password=True)
