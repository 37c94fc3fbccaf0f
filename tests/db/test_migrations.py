"""Opening a database: migrated to the models' schema, backed up before an upgrade, or refused.

The upgrade tests run the real ``open_database`` against a copy of the packaged migration
scripts with one extra, test-only revision added, so the real backup and upgrade code runs on
a database that really is one revision behind.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlcipher3 import dbapi2 as sqlcipher

import fuanjian_desktop.models
from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db import migrate, startup
from fuanjian_desktop.db.base import Base
from fuanjian_desktop.db.engine import Database, apply_key
from fuanjian_desktop.db.schema_version import SCHEMA_HEAD
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.errors import DatabaseTooNew
from fuanjian_desktop.models import Enterprise, LocalSetting
from fuanjian_desktop.security.data_key import DataKey

PACKAGED_HEAD = migrate.head_revision()  # the newest revision shipped with the app
PROBE_TABLE = "upgrade_probe"
MARKER_KEY = "test_marker"
MARKER_VALUE = "written before the upgrade"
KEY = DataKey(bytes(range(32)))  # every file here is encrypted, as the app's are

NEXT_REVISION = '''"""test-only revision after the packaged head"""

import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("{table}", sa.Column("id", sa.Integer(), primary_key=True))
    {then}


def downgrade() -> None:
    op.drop_table("{table}")
'''


def scripts_with_next_revision(tmp_path: Path, then: str = "pass") -> Path:
    """A copy of the packaged migrations plus revision 9001 (creates a table, then ``then``)."""
    target = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, target, ignore=shutil.ignore_patterns("__pycache__"))
    script = NEXT_REVISION.format(down=PACKAGED_HEAD, table=PROBE_TABLE, then=then)
    (target / "versions" / "9001_test_probe.py").write_text(script, encoding="utf-8")
    return target


def become_newer_program(monkeypatch: pytest.MonkeyPatch, scripts: Path) -> None:
    """Act as the next program version: its scripts, and its SCHEMA_HEAD naming revision 9001."""
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    monkeypatch.setattr(startup, "SCHEMA_HEAD", "9001")


def database_at_packaged_head(folder: DataFolder) -> None:
    """Create the database at the packaged head, holding one marker row, then close it."""
    database = open_database(folder, KEY)
    with database.write() as session:
        session.add(LocalSetting(key=MARKER_KEY, value=MARKER_VALUE))
    database.close()


def keyed(path: Path | str, key: DataKey | None = KEY) -> sqlcipher.Connection:
    """A bare SQLCipher connection to ``path`` opened with ``key`` (no app engine)."""
    connection = sqlcipher.connect(str(path))
    apply_key(connection, key)
    return connection


def sqlite_rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows of one query on the database file at ``path`` (a bare connection, no app code)."""
    connection = keyed(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def table_names(path: Path) -> set[str]:
    """The table names in the SQLite file at ``path``."""
    rows = sqlite_rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(name) for (name,) in rows}


def sha256(path: Path) -> str:
    """Digest of the file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_empty_database_migrates_to_exactly_the_models(database: Database) -> None:
    """After migrating an empty file the schema equals Base.metadata (autogenerate sees no diff)."""
    assert fuanjian_desktop.models.__all__  # every table is registered on Base
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert context.get_current_revision() == migrate.head_revision()
        assert compare_metadata(context, Base.metadata) == []


def test_schema_comparison_does_notice_a_difference(database: Database) -> None:
    """Control: autogenerate does report a table the models have and the database lacks."""
    with database.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE local_setting")
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert [(change[0], change[1].name) for change in diff] == [("add_table", "local_setting")]


def test_new_database_needs_no_backup(data_folder: DataFolder) -> None:
    """Creating a new database or reopening a current one makes no backup."""
    database_at_packaged_head(data_folder)
    open_database(data_folder, KEY).close()
    assert not data_folder.backups.exists() or not any(data_folder.backups.iterdir())


def test_upgrade_backs_up_the_old_database_first(
    data_folder: DataFolder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Upgrading an older database first writes a sound backup of it as it was before."""
    database_at_packaged_head(data_folder)
    become_newer_program(monkeypatch, scripts_with_next_revision(tmp_path))

    database = open_database(data_folder, KEY)
    database.close()

    assert PROBE_TABLE in table_names(data_folder.database)
    assert sqlite_rows(data_folder.database, "SELECT version_num FROM alembic_version") == [
        ("9001",)
    ]
    (backup,) = data_folder.backups.iterdir()
    assert PACKAGED_HEAD in backup.name
    assert sqlite_rows(backup, "PRAGMA integrity_check") == [("ok",)]
    assert sqlite_rows(backup, "SELECT version_num FROM alembic_version") == [(PACKAGED_HEAD,)]
    assert PROBE_TABLE not in table_names(backup)
    marker = f"SELECT value FROM local_setting WHERE key = '{MARKER_KEY}'"
    assert sqlite_rows(backup, marker) == [(MARKER_VALUE,)]
    assert sqlite_rows(data_folder.database, marker) == [(MARKER_VALUE,)]


def test_failed_upgrade_leaves_the_database_as_it_was(
    data_folder: DataFolder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A migration that fails half-way is rolled back whole; the data and the backup remain."""
    database_at_packaged_head(data_folder)
    failing = scripts_with_next_revision(tmp_path, then='raise RuntimeError("half-way")')
    become_newer_program(monkeypatch, failing)

    with pytest.raises(RuntimeError, match="half-way"):
        open_database(data_folder, KEY)

    assert PROBE_TABLE not in table_names(data_folder.database)
    assert sqlite_rows(data_folder.database, "SELECT version_num FROM alembic_version") == [
        (PACKAGED_HEAD,)
    ]
    marker = f"SELECT value FROM local_setting WHERE key = '{MARKER_KEY}'"
    assert sqlite_rows(data_folder.database, marker) == [(MARKER_VALUE,)]
    assert len(list(data_folder.backups.iterdir())) == 1


def test_database_from_a_newer_version_is_refused_untouched(data_folder: DataFolder) -> None:
    """A file stamped with an unknown revision is refused in Chinese and left byte-for-byte."""
    database_at_packaged_head(data_folder)
    connection = keyed(data_folder.database)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff_from_the_future'")
    connection.close()
    before = sha256(data_folder.database)
    files_before = sorted(path.name for path in data_folder.root.iterdir())

    with pytest.raises(DatabaseTooNew) as refused:
        open_database(data_folder, KEY)

    assert "更新版本" in refused.value.message
    assert "ffff_from_the_future" in refused.value.message
    assert sha256(data_folder.database) == before
    assert sorted(path.name for path in data_folder.root.iterdir()) == files_before
    assert not data_folder.backups.exists()


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [
        ("journal_mode", "wal"),
        ("synchronous", 2),  # FULL
        ("foreign_keys", 1),
        ("busy_timeout", 5000),
    ],
)
def test_engine_pragmas_hold_on_every_kind_of_connection(
    database: Database, pragma: str, expected: object
) -> None:
    """Plain, read-session and write-session connections all run with the field-laptop pragmas."""
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql(f"PRAGMA {pragma}").scalar() == expected
    with database.read() as session:
        assert session.execute(text(f"PRAGMA {pragma}")).scalar() == expected
    with database.write() as session:
        assert session.execute(text(f"PRAGMA {pragma}")).scalar() == expected


def test_foreign_keys_are_enforced(database: Database) -> None:
    """A row pointing at a missing squad is refused and nothing is stored."""
    with pytest.raises(IntegrityError), database.write() as session:
        session.add(Enterprise(name="无主企业", address="某地", street="园岭街道", squad_id="X"))
    with database.read() as session:
        assert session.scalars(select(Enterprise)).all() == []


def test_write_session_takes_the_write_lock_up_front(database: Database) -> None:
    """A write session holds SQLite's write lock from its start (BEGIN IMMEDIATE), reads do not."""
    other = keyed(_file(database), database.key)
    other.execute("PRAGMA busy_timeout = 0")
    try:
        with database.read() as session:
            session.execute(text("SELECT 1"))
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
        with database.write() as session:
            session.execute(text("SELECT 1"))
            with pytest.raises(sqlcipher.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
    finally:
        other.close()


def _file(database: Database) -> str:
    """The file the database engine is connected to."""
    path = database.engine.url.database
    assert path is not None
    return path


def test_schema_head_constant_matches_the_newest_migration() -> None:
    """The fast start-up check compares against SCHEMA_HEAD, so it must name the newest script."""
    assert migrate.head_revision() == SCHEMA_HEAD


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    """Start-up skips Alembic (half a second) when the database is already at the head."""
    folder = tmp_path / "data"
    code = (
        "import sys\n"
        "from fuanjian_desktop.config import resolve_data_folder\n"
        "from fuanjian_desktop.db.startup import open_database\n"
        "from fuanjian_desktop.security.data_key import DataKey\n"
        f"key = DataKey(bytes.fromhex({KEY.raw.hex()!r}))\n"
        f"open_database(resolve_data_folder({str(folder)!r}), key).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    second = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert first.stdout.strip() == "True"
    assert second.stdout.strip() == "False"
