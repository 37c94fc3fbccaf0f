"""Bring a database file to the current schema, safely.

Before any upgrade the file is copied with SQLite's backup API (a plain file copy of a WAL
database can miss committed pages). A database stamped with a revision this program does not
know was written by a newer version and is refused rather than damaged.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from fuanjian_desktop.db.engine import apply_key
from fuanjian_desktop.db.schema_version import stamped_revision
from fuanjian_desktop.errors import DatabaseTooNew
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.private_files import make_private, make_private_folder

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(scripts: Path | None = None) -> Config:
    """Alembic configuration pointing at packaged migration scripts (the laptop's by default,
    read when called; the HQ server passes its own)."""
    config = Config()
    config.set_main_option("script_location", str(scripts or MIGRATIONS_DIR))
    return config


def head_revision(scripts: Path | None = None) -> str:
    """The newest schema revision this program knows."""
    head = ScriptDirectory.from_config(alembic_config(scripts)).get_current_head()
    assert head is not None, "no migration scripts packaged"
    return head


def known_revisions(scripts: Path | None = None) -> set[str]:
    """Every schema revision this program knows (an unknown stamp: a newer program's)."""
    return {
        script.revision
        for script in ScriptDirectory.from_config(alembic_config(scripts)).walk_revisions()
    }


def check_not_newer(revision: str | None) -> None:
    """Refuse a database stamped by a newer program version (unknown revision)."""
    if revision is None:
        return
    if revision not in known_revisions():
        raise DatabaseTooNew(
            f"这个数据库由更新版本的福安监创建（数据库版本 {revision}），"
            "当前程序无法安全打开它。请安装最新版本的福安监后再打开；数据库未做任何改动。"
        )


def backup_database(database: Path, backup_dir: Path, label: str, key: DataKey | None) -> Path:
    """Copy ``database`` into ``backup_dir`` with SQLite's online backup API; return the copy.

    The copy is encrypted with the same ``key`` (SQLCipher backs up only between files keyed alike).
    """
    make_private_folder(backup_dir)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backup_dir / f"{database.stem}-{stamp}-{label}.db"
    source = sqlcipher.connect(database)
    try:
        copy = sqlcipher.connect(target)
        try:
            apply_key(source, key)
            apply_key(copy, key)
            source.backup(copy)
        finally:
            copy.close()
    finally:
        source.close()
    make_private(target)
    return target


def upgrade_to_head(
    engine: Engine, database: Path, backup_dir: Path, key: DataKey | None
) -> Path | None:
    """Migrate to the newest schema; back up first if the file already held data.

    Returns the backup made, or ``None`` when none was needed (new or current database).
    """
    revision = stamped_revision(engine)
    check_not_newer(revision)
    if revision == head_revision():
        return None
    backup = backup_database(database, backup_dir, revision, key) if revision else None
    _run_upgrade(engine)
    return backup


def _run_upgrade(engine: Engine) -> None:
    """Run the scripts with foreign keys off (batch mode recreates tables), then verify them."""
    config = alembic_config()
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left dangling references: {broken[:5]}")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
