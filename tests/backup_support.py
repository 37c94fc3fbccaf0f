"""Helpers for the backup tests: every row of every table, and rewriting one member of a tar."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

from sqlalchemy import text

from fuanjian_desktop.db.engine import Database


def table_rows(database: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows (sorted), so two databases compare record for record."""
    with database.read() as session:
        names = session.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ).scalars()
        return {
            name: sorted(
                (tuple(row) for row in session.execute(text(f'SELECT * FROM "{name}"'))), key=repr
            )
            for name in sorted(names)
        }


def read_members(path: Path) -> dict[str, bytes]:
    """The members of a tar, in order."""
    with tarfile.open(path, "r:") as tar:
        members: dict[str, bytes] = {}
        for member in tar.getmembers():
            stream = tar.extractfile(member)
            assert stream is not None
            members[member.name] = stream.read()
        return members


def write_member(path: Path, members: dict[str, bytes]) -> None:
    """Write ``members`` back as the tar at ``path`` (as a tampering person would)."""
    with tarfile.open(path, "w:") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
