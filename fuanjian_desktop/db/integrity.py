"""Is the database file whole? A check at every start, before anything reads or writes it.

A damaged file must be named as damaged at once, in Chinese, with what to do — not open
normally and fail later on some page, and never be mistaken for a first start (a 0-byte file is
data that was lost, not a new installation).

The check costs one pass over the file. For an encrypted database it is SQLCipher's
``PRAGMA cipher_integrity_check``: every page carries an HMAC, so a zeroed, truncated or altered
page fails it. On 100,000 enterprises (131-140 MB) it takes 0.31 s where ``PRAGMA quick_check``
takes 0.51 s on an idle machine, 1.4 s against 2.1 s on a loaded one (``bench/integrity_check.py``).
``quick_check`` adds only the b-tree structure, which SQLite itself writes (WAL,
``synchronous=FULL``); a page damaged on disk cannot pass its HMAC. A truncated file is caught
before either: SQLite refuses to read a schema whose header counts more pages than the file
holds. A plaintext database (legacy, before encryption) has no HMAC and gets ``quick_check``
(0.12 s on the same data, idle).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.keyring import KEYRING_FILE

if TYPE_CHECKING:
    from fuanjian_desktop.config import DataFolder

PLAINTEXT_HEADER = b"SQLite format 3\x00"
SMALLEST_PAGE = 512  # every SQLite and SQLCipher page size is a power of two from 512 up
SQLITE_NOTADB = 26
SHOWN_PROBLEMS = 3
WHAT_TO_DO = (
    "请从最近一次完好的备份恢复：启动程序后在提示窗口中选择“从备份恢复”，或在命令行运行 "
    "python main.py restore --data-dir 新的空文件夹 备份文件。"
    "这个文件保持原样，没有被改动或覆盖；没有备份时请把整个数据文件夹交给区局技术人员。"
)


class Damage(enum.Enum):
    """What is wrong with the file, as the message and the tests tell the cases apart."""

    EMPTY = "empty"  # 0 bytes: not a first start
    MISSING = "missing"  # keys.json without its database: not a first start either
    NOT_A_DATABASE = "not_a_database"  # plaintext expected, the header is not SQLite's
    UNREADABLE = "unreadable"  # the key does not open it: another folder's key or a foreign file
    DAMAGED = "damaged"  # truncated, zeroed or altered pages


class DatabaseDamaged(UserError):
    """The database file cannot be used as it is; ``kind`` says why, ``message`` what to do."""

    def __init__(self, kind: Damage, path: Path, detail: str = "") -> None:
        super().__init__(_explain(kind, path, detail))
        self.kind = kind
        self.path = path
        # the key the check was given, so the restore dialog needs no second sign-in
        self.key: DataKey | None = None


def check_before_unlock(folder: DataFolder) -> None:
    """The checks that need no key: an empty file, a file cut in the middle of a page.

    The sign-in window may run this before anyone types a password, so a 0-byte file is
    explained at once instead of after a sign-in (or, worse, taken for a first start).
    An unreadable file beside no ``keys.json`` is not a database this folder can open; a
    ``keys.json`` beside no file means the database was moved or deleted (opening would make a
    new, empty one and the records would seem gone).
    """
    path = folder.database
    if not path.exists():
        if (folder.root / KEYRING_FILE).exists():
            raise DatabaseDamaged(Damage.MISSING, path)
        return
    _check_shape(path)
    if not _has_plaintext_header(path) and not (folder.root / KEYRING_FILE).exists():
        raise DatabaseDamaged(Damage.NOT_A_DATABASE, path)


def _check_shape(path: Path) -> None:
    """Refuse a 0-byte file and one whose length is not a whole number of pages."""
    size = path.stat().st_size
    if size == 0:
        raise DatabaseDamaged(Damage.EMPTY, path)
    if size % _page_size(path) != 0:
        detail = f"文件长度 {size} 字节不是整页：文件被截断，或不是数据库。"
        raise DatabaseDamaged(Damage.DAMAGED, path, detail)


def check_database(path: Path, key: DataKey | None) -> None:
    """Raise :class:`DatabaseDamaged` unless the file at ``path`` opens and every page is whole.

    A missing file is not checked (whether that is a first start is decided by the caller,
    from ``keys.json``). ``key`` is ``None`` only for a plaintext (legacy) database.
    """
    if not path.exists():
        return
    try:
        _check_file(path, key)
    except DatabaseDamaged as error:
        error.key = key
        raise


def _check_file(path: Path, key: DataKey | None) -> None:
    _check_shape(path)
    plaintext = _has_plaintext_header(path)
    if key is not None and plaintext:
        return  # a legacy file, to be encrypted in place: the engine says so (PlaintextDatabase)
    if key is None and not plaintext:
        if (path.parent / KEYRING_FILE).exists():
            return  # encrypted: it is checked once the key is unwrapped
        raise DatabaseDamaged(Damage.NOT_A_DATABASE, path)
    with _connection(path, key) as connection:
        problems = _problems(connection, path, key)
    if problems:
        raise DatabaseDamaged(Damage.DAMAGED, path, _describe(problems))


def _problems(connection: Any, path: Path, key: DataKey | None) -> list[str]:
    """The check's findings; an unreadable schema is raised as its own kind."""
    import sqlcipher3.dbapi2 as sqlcipher

    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if key is None:
            rows = connection.execute("PRAGMA quick_check").fetchall()
            return [str(row[0]) for row in rows if row[0] != "ok"]
        return [str(row[0]) for row in connection.execute("PRAGMA cipher_integrity_check")]
    except sqlcipher.DatabaseError as error:
        if getattr(error, "sqlite_errorcode", None) == SQLITE_NOTADB:
            raise DatabaseDamaged(
                Damage.UNREADABLE if key is not None else Damage.NOT_A_DATABASE, path
            ) from error
        return [str(error)]


@contextmanager
def _connection(path: Path, key: DataKey | None) -> Iterator[Any]:
    """A short-lived connection of its own, keyed like the app's, that writes nothing."""
    import sqlcipher3.dbapi2 as sqlcipher

    connection = sqlcipher.connect(str(path), isolation_level=None)
    try:
        # SQLCipher would print an "ERROR CORE" line per bad page on stderr
        connection.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            connection.execute(key.sqlcipher_pragma())
        yield connection
    finally:
        connection.close()


def _has_plaintext_header(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(len(PLAINTEXT_HEADER)) == PLAINTEXT_HEADER


def _page_size(path: Path) -> int:
    """The page size a plaintext header states, else the smallest any database can have."""
    with path.open("rb") as stream:
        header = stream.read(18)
    if not header.startswith(PLAINTEXT_HEADER):
        return SMALLEST_PAGE
    size = int.from_bytes(header[16:18], "big")
    return 65536 if size == 1 else max(size, SMALLEST_PAGE)


def _describe(problems: list[str]) -> str:
    """The first findings, translated where SQLite's wording is known."""
    shown = "；".join(_translate(problem) for problem in problems[:SHOWN_PROBLEMS])
    first = f"，前 {SHOWN_PROBLEMS} 处" if len(problems) > SHOWN_PROBLEMS else ""
    return f"完整性检查发现 {len(problems)} 处问题{first}：{shown}。"


def _translate(problem: str) -> str:
    first_line = problem.strip().splitlines()[-1] if problem.strip() else problem
    if first_line.startswith("HMAC verification failed for page "):
        return f"第 {first_line.rsplit(' ', 1)[-1]} 页内容被改动或清零"
    if "malformed" in first_line:
        return "数据库结构已损坏（文件可能被截断）"
    return first_line


def _explain(kind: Damage, path: Path, detail: str) -> str:
    """What is wrong (in the user's words) and what to do."""
    what = {
        Damage.EMPTY: (
            f"数据库文件“{path}”是空的（0 字节），原有的记录都不在里面。"
            "这不是首次启动：文件可能在复制、同步或断电时被清空。"
            "请不要在这个文件夹里重新开始，以免覆盖可以找回的数据。"
        ),
        Damage.MISSING: (
            f"数据库文件“{path}”不见了，但同一文件夹里还有它的密钥文件 keys.json："
            "数据库可能被移走、改名或删除。这不是首次启动，请不要在这个文件夹里重新开始。"
            "如果知道文件被移到了哪里，请把它移回并改回原名。"
        ),
        Damage.NOT_A_DATABASE: (
            f"文件“{path}”不是福安监的数据库（不是 SQLite 数据库文件），"
            "可能被别的文件替换，或已整体损坏；如果它是加密的数据库，"
            "与它配套的密钥文件 keys.json 不在这个文件夹里（请找回 keys.json 放回）。"
        ),
        Damage.UNREADABLE: (
            f"数据库文件“{path}”无法用本数据文件夹的密钥打开：它不是与 keys.json 配套的数据库"
            "（例如被另一台电脑或另一个文件夹的文件替换），或文件开头已损坏。"
        ),
        Damage.DAMAGED: f"数据库文件“{path}”已损坏。{detail}继续使用会丢失或读错记录。",
    }[kind]
    return f"{what}{WHAT_TO_DO}"
