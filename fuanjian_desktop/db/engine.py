"""The one place a database engine is made, with the pragmas a field laptop needs.

The file is encrypted with SQLCipher: every connection first gives SQLCipher the raw 256-bit data
key (``PRAGMA key`` before any other statement, no second KDF), so pages, the WAL and the rollback
data are ciphertext on disk. ``key=None`` opens a plaintext SQLite file (only the legacy file being
encrypted in place, and the plaintext side of benchmarks).

WAL with ``synchronous=FULL`` makes a committed record survive power loss; foreign keys are
on for every connection; writers take the lock up front (``BEGIN IMMEDIATE``) so a reader
that upgrades never fails half-way with ``SQLITE_BUSY``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.data_key import DataKey

BUSY_TIMEOUT_MS = 5000
SQLITE_HEADER = b"SQLite format 3\x00"
_WRITE_OPTION = "fuanjian_write"
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    # Searches scan the registry's covering index (about 40 MiB at 100,000 enterprises). An
    # encrypted page read from disk is decrypted and checked on every cache miss, so the whole
    # index must fit the cache: with 32 MiB each search re-decrypted it (3× the plaintext time,
    # bench/encryption.py); 64 MiB keeps it decrypted in memory and the search at plaintext speed.
    "PRAGMA cache_size=-65536",
)
# Memory-mapped reads help a plaintext file only: SQLCipher decrypts each page into its cache and
# ignores mmap, so the pragma is not sent to an encrypted file.
_PLAINTEXT_PRAGMAS = ("PRAGMA mmap_size=268435456",)


class CannotDecrypt(UserError):
    """The file does not open with the key given: a wrong key, or not a FuAnJian database."""


class PlaintextDatabase(UserError):
    """An unencrypted database from an older version, to be encrypted in place first."""


WRONG_KEY_MESSAGE = (
    "数据库无法解密：本机保存的密钥与数据库文件不匹配（keys.json 可能来自另一个数据文件夹），"
    "或者数据库文件已损坏。数据库未做任何改动。请用恢复密钥或最近的备份恢复，或联系管理员。"
)
PLAINTEXT_MESSAGE = (
    "这个数据库来自未加密的旧版本，需要先加密。请由管理员登录，程序会先备份再完成加密。"
)
CLOSED_MESSAGE = "数据已关闭（已退出登录或已锁定），请重新登录后再操作。"
ENCRYPTED_MESSAGE = "这个数据库已加密，请先登录（或提供恢复密钥）后再打开。"


def is_plaintext_file(path: Path) -> bool:
    """Whether ``path`` starts with SQLite's plaintext header (an encrypted file never does)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def apply_key(dbapi_connection: Any, key: DataKey | None) -> None:
    """Key a fresh SQLCipher connection (first statement on it) as every app connection is.

    SQLCipher's defaults (v4: 4096-byte pages, HMAC-SHA512 per page) are kept; with a raw key it
    runs no KDF. Its log goes quiet: a damaged file would print thousands of lines on stderr.
    """
    if key is not None:
        dbapi_connection.execute(key.sqlcipher_pragma())
    dbapi_connection.execute("PRAGMA cipher_log_level = NONE")


class KeyBox:
    """The key an engine's new connections are keyed with; emptied when the database closes,
    so a connection made after closing cannot decrypt anything."""

    def __init__(self, key: DataKey | None) -> None:
        self.key = key
        self.encrypted = key is not None

    def forget(self) -> None:
        """Drop the key (the engine can no longer open the encrypted file)."""
        self.key = None


def _connector(path: Path, box: KeyBox) -> Callable[[], Any]:
    """A DB-API connect function that keys the connection before anything else runs."""

    def connect() -> Any:
        key = box.key
        if key is None and box.encrypted:
            raise CannotDecrypt(CLOSED_MESSAGE)
        connection = sqlcipher.connect(str(path), check_same_thread=False)
        try:
            apply_key(connection, key)
            # Reading the schema is the first page read: a wrong key fails here, not mid-action.
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as error:
            connection.close()
            raise _decrypt_error(path, key) from error
        return connection

    return connect


def _decrypt_error(path: Path, key: DataKey | None) -> UserError:
    if key is None:
        return CannotDecrypt(ENCRYPTED_MESSAGE)
    if is_plaintext_file(path):
        return PlaintextDatabase(PLAINTEXT_MESSAGE)
    return CannotDecrypt(WRONG_KEY_MESSAGE)


def _configurer(encrypted: bool) -> Callable[[Any, Any], None]:
    pragmas = _PRAGMAS if encrypted else _PRAGMAS + _PLAINTEXT_PRAGMAS

    def configure(dbapi_connection: Any, _record: Any) -> None:
        """Apply the pragmas and take over transaction control from the DB-API module."""
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    return configure


def _begin(connection: Connection) -> None:
    """Start reads deferred and writes immediate (the write lock is taken before any change)."""
    immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(path: Path, key: DataKey | KeyBox | None) -> Engine:
    """A SQLAlchemy engine on the (SQLCipher) file at ``path`` with the field-laptop pragmas.

    ``key=None`` opens the file as plaintext SQLite; a :class:`KeyBox` lets the caller drop the
    key later (``Database.close``).
    """
    box = key if isinstance(key, KeyBox) else KeyBox(key)
    engine = create_engine(f"sqlite:///{path}", module=sqlcipher, creator=_connector(path, box))
    event.listen(engine, "connect", _configurer(box.encrypted))
    event.listen(engine, "begin", _begin)
    return engine


class Database:
    """An open local database: read sessions, and write sessions that commit as one unit.

    ``key`` is the data key the file was opened with (``None`` for plaintext); it lives in memory
    only while the database is open: :meth:`close` drops it (and empties ``box``, the key the
    engine's connections use, when the engine was made with one).
    """

    def __init__(
        self, engine: Engine, key: DataKey | None = None, box: KeyBox | None = None
    ) -> None:
        self.engine = engine
        self.key = key
        self._box = box
        self._readers = sessionmaker(engine, expire_on_commit=False)
        writer_engine = engine.execution_options(**{_WRITE_OPTION: True})
        self._writers = sessionmaker(writer_engine, expire_on_commit=False)

    @classmethod
    def open(cls, path: Path, key: DataKey | None) -> Database:
        """Open (without migrating) the database file at ``path`` with ``key``."""
        box = KeyBox(key)
        return cls(make_engine(path, box), key, box)

    @property
    def folder(self) -> Path:
        """The data folder holding this database file (and the evidence store beside it)."""
        assert self.engine.url.database, "an in-memory database has no data folder"
        return Path(self.engine.url.database).resolve().parent

    @property
    def path(self) -> Path:
        """The database file."""
        assert self.engine.url.database, "an in-memory database has no file"
        return Path(self.engine.url.database).resolve()

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
        """Release every pooled connection (the WAL is checkpointed by SQLite on last close)
        and forget the key: nothing can be read again without signing in."""
        self.engine.dispose()
        self.key = None
        if self._box is not None:
            self._box.forget()
