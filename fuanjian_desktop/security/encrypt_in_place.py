"""Encrypting a legacy plaintext database in place, at an administrator's sign-in.

A data folder from before encryption holds ``fuanjian.db`` in plaintext (it starts with
SQLite's header) and no ``keys.json``. Only an administrator may finish the change, since the
other accounts then need new passwords: the database is backed up, exported with
``sqlcipher_export`` into a new encrypted file under a new data key, checked (integrity and
the row count of every table), and atomically put in place of the plaintext; ``keys.json`` is
written before that swap, so no moment leaves an encrypted file without its key. Only then are
the plaintext copies (the backup, the old WAL and shared-memory files, the schema-upgrade
backups) removed and the evidence files sealed. A demo installation wraps the key for every demo
account whose password is still the published one; other accounts wait for the administrator to
reset their passwords (``accounts_without_key``).

An interruption at any point leaves either the plaintext database (the work is done again at
the next administrator sign-in; a ``keys.json`` from the interrupted run is replaced) or the
encrypted one with its keys.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database, apply_key, is_plaintext_file
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.maintenance import encrypt_legacy_evidence
from fuanjian_desktop.models import LocalSetting, User
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.keyring import Keyring, WrongCredentials
from fuanjian_desktop.security.passwords import hash_password, needs_rehash, verify_password
from fuanjian_desktop.security.private_files import make_private, make_private_folder, sync_folder
from fuanjian_desktop.security.sign_in_throttle import SignInThrottle

NOT_AN_ADMIN = (
    "本机的数据库来自未加密的旧版本，需要先由本中队的管理员登录一次，"
    "程序会先备份、再完成加密。加密完成前其他账号暂时不能登录，请联系管理员。"
)
VERIFY_FAILED = (
    "加密后的数据库核对不一致（{detail}），已放弃本次加密，原数据库未做任何改动。"
    "请联系技术支持，并保留数据文件夹中的备份。"
)
_DECOY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$r23JqLbWKi7+2MXYdOWJeg$uznbd9bQv7PX3Cf5xu/A9k79uSvvhLBBCZmO0fzoLJE"  # noqa: E501
_ENCRYPTING_SUFFIX = ".encrypting"
_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(frozen=True)
class Encrypted:
    """What an in-place encryption did: the rows verified per table and the time it took."""

    key: DataKey
    rows: dict[str, int]
    seconds: float


def legacy_password_check(database: Database, name: str, password: str) -> Callable[[], bool]:
    """The check of a plaintext legacy database: the argon2 hash in its user row.

    An unknown name costs a decoy verification and fails like a wrong password; an outdated
    hash is renewed.
    """

    def check() -> bool:
        with database.write() as session:
            user = _user_named(session, name)
            if user is None:
                verify_password(_DECOY_HASH, password)
                raise WrongCredentials()
            if not verify_password(user.password_hash, password):
                raise WrongCredentials()
            if needs_rehash(user.password_hash):
                user.password_hash = hash_password(password)
        return True

    return check


def encrypt_at_sign_in(folder: DataFolder, name: str, password: str, now: dt.datetime) -> DataKey:
    """Sign ``name`` in on the plaintext database of ``folder`` and, for an administrator,
    encrypt it in place; return the new data key (the caller opens the encrypted database).

    The password is checked under the sign-in limits as any sign-in is. A right password of an
    account that is not an administrator gets :data:`NOT_AN_ADMIN`.
    """
    plain = open_database(folder, None)
    try:
        SignInThrottle(folder).attempt(
            name, now, legacy_password_check(plain, name, password), (WrongCredentials,)
        )
        with plain.read() as session:
            user = _user_named(session, name)
            assert user is not None
            if not user.active or Role.ADMIN not in user.roles:
                raise UserError(NOT_AN_ADMIN)
            demo = _setting(session, "mode") == "demo"
        accounts = {name: password}
        if demo:
            accounts |= _demo_password_accounts(plain, exclude=name)
    finally:
        plain.close()
    key = DataKey.generate()
    encrypt_database(folder, key, accounts, demo=demo)
    _encrypt_old_backups(folder, key)
    database = open_database(folder, key)
    try:
        encrypt_legacy_evidence(database)
    finally:
        database.close()
    return key


def encrypt_database(
    folder: DataFolder, key: DataKey, accounts: dict[str, str], *, demo: bool
) -> Encrypted:
    """Replace ``folder``'s plaintext database by an encrypted, verified copy under ``key``.

    The new ``keys.json`` (the key wrapped for each username → password of ``accounts``) is
    written before the swap, so the encrypted file never exists without a way to open it.
    """
    started = dt.datetime.now()
    source = folder.database
    if not is_plaintext_file(source):
        raise UserError("数据库已经是加密的，无需再次加密。")
    make_private_folder(folder.backups)
    backup = folder.backups / f"{source.stem}-before-encryption.db"
    _plain_backup(source, backup)
    target = source.with_name(source.name + _ENCRYPTING_SUFFIX)
    _remove(target)
    rows = _export(source, target, key)
    _verify(target, key, rows)
    Keyring.path_of(folder).unlink(missing_ok=True)  # from an interrupted earlier run
    keyring, _code = Keyring.create(folder, key, demo=demo)  # the UI makes the code it shows
    for username, password in accounts.items():
        keyring.wrap_for(username, password, key)
    _remove_side_files(source)
    os.replace(target, source)
    sync_folder(folder.root)
    make_private(source)
    _remove(backup)
    seconds = (dt.datetime.now() - started).total_seconds()
    return Encrypted(key, rows, seconds)


def accounts_without_key(database: Database) -> list[str]:
    """Active accounts that cannot sign in yet (no wrapped key): ``姓名（用户名）``, for the
    administrator to reset after the encryption."""
    keyring = Keyring.load(database.folder)
    with database.read() as session:
        users = session.scalars(select(User).where(User.active).order_by(User.username))
        return [
            f"{user.full_name}（{user.username}）"
            for user in users
            if not keyring.has_account(user.username)
        ]


def _demo_password_accounts(plain: Database, exclude: str) -> dict[str, str]:
    """Active accounts of a demo whose password is still the published one."""
    from fuanjian_desktop.demo.demo import DEMO_PASSWORD

    with plain.read() as session:
        users = list(session.scalars(select(User).where(User.active)))
    return {
        user.username: DEMO_PASSWORD
        for user in users
        if user.username != exclude and verify_password(user.password_hash, DEMO_PASSWORD)
    }


def _plain_backup(source: Path, backup: Path) -> None:
    """A consistent copy of the plaintext database (SQLite backup API), kept until the end."""
    _remove(backup)
    connection = sqlcipher.connect(str(source))
    try:
        copy = sqlcipher.connect(str(backup))
        try:
            connection.backup(copy)
        finally:
            copy.close()
    finally:
        connection.close()
    make_private(backup)


def _export(source: Path, target: Path, key: DataKey) -> dict[str, int]:
    """``sqlcipher_export`` the plaintext ``source`` into the new encrypted ``target``; return
    the row count of every table of the source."""
    connection = sqlcipher.connect(str(source), isolation_level=None)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = _row_counts(connection)
        connection.execute(
            f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.raw.hex()}'\"", (str(target),)
        )
        connection.execute("SELECT sqlcipher_export('encrypted')")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        connection.execute("DETACH DATABASE encrypted")
    finally:
        connection.close()
    make_private(target)
    return rows


def _verify(target: Path, key: DataKey, expected: dict[str, int]) -> None:
    """The encrypted copy must be sound and hold exactly the source's rows, table by table."""
    connection = sqlcipher.connect(str(target))
    try:
        apply_key(connection, key)
        check = connection.execute("PRAGMA integrity_check").fetchall()
        if check != [("ok",)]:
            raise UserError(VERIFY_FAILED.format(detail=f"完整性检查：{check[:3]}"))
        found = _row_counts(connection)
        connection.execute("PRAGMA journal_mode=WAL")
    finally:
        connection.close()
    if found != expected:
        tables = expected.keys() | found.keys()
        differing = sorted(t for t in tables if expected.get(t) != found.get(t))
        _remove(target)
        raise UserError(VERIFY_FAILED.format(detail=f"行数不同的表：{'、'.join(differing)}"))


def _row_counts(connection: sqlcipher.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for table in tables
    }


def _encrypt_old_backups(folder: DataFolder, key: DataKey) -> None:
    """Schema-upgrade backups made before the encryption are plaintext: encrypt each (same
    key, verified) and remove the plaintext."""
    if not folder.backups.is_dir():
        return
    for path in sorted(folder.backups.iterdir()):
        if path.is_file() and is_plaintext_file(path):
            target = path.with_name(path.name + _ENCRYPTING_SUFFIX)
            _remove(target)
            rows = _export(path, target, key)
            _verify(target, key, rows)
            _remove_side_files(path)
            os.replace(target, path)
            make_private(path)


def _remove_side_files(database: Path) -> None:
    for suffix in _SIDE_FILES:
        _remove(database.with_name(database.name + suffix))


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def _user_named(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == name))


def _setting(session: Session, key: str) -> str | None:
    row = session.get(LocalSetting, key)
    return row.value if row else None
