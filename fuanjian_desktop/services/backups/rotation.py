"""Automatic backups: one a day into the data folder's ``backups/``, the seven newest kept.

The newest seven daily backups are kept rather than the last seven calendar days: a laptop left
in a drawer for a month still comes back with a week of history instead of none. Only files
named ``auto-YYYY-MM-DD.fabak`` are pruned; anything else in ``backups/`` (the copies taken before
a schema upgrade, a backup the user put there) is left alone.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from fuanjian_desktop.security.private_files import make_private_folder
from fuanjian_desktop.services.backups.archive import SUFFIX

if TYPE_CHECKING:
    from fuanjian_desktop.db.engine import Database

KEEP = 7
AUTO_PREFIX = "auto-"
_AUTO_NAME = re.compile(rf"^{AUTO_PREFIX}(\d{{4}}-\d{{2}}-\d{{2}}){re.escape(SUFFIX)}$")


def automatic_backup(database: Database, today: dt.date) -> Path | None:
    """Today's backup if there is none yet, then prune; ``None`` when nothing was written.

    A plaintext (not yet encrypted) database gets no automatic backup: ``backups/`` must hold no
    plaintext. Called by the GUI on a worker after sign-in.
    """
    from fuanjian_desktop.services.backups.create import create_backup

    if database.key is None:
        return None
    folder = make_private_folder(database.folder / "backups")
    target = folder / auto_name(today)
    if target.exists():
        return None
    _remove_interrupted(folder)
    create_backup(database, target)
    prune(folder)
    return target


def _remove_interrupted(folder: Path) -> None:
    """Work folders an interrupted automatic backup left (``.auto-….fabak.<random>``)."""
    for path in folder.glob(f".{AUTO_PREFIX}*{SUFFIX}.*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def auto_name(day: dt.date) -> str:
    """The file name of ``day``'s automatic backup."""
    return f"{AUTO_PREFIX}{day.isoformat()}{SUFFIX}"


def automatic_backups(folder: Path) -> list[tuple[dt.date, Path]]:
    """The automatic backups in ``folder``, newest first."""
    found: list[tuple[dt.date, Path]] = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():
        match = _AUTO_NAME.match(path.name)
        if match and path.is_file():
            try:
                found.append((dt.date.fromisoformat(match.group(1)), path))
            except ValueError:
                continue
    return sorted(found, reverse=True)


def prune(folder: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the ``keep`` newest automatic backups; return what was deleted."""
    removed = [path for _day, path in automatic_backups(folder)[keep:]]
    for path in removed:
        path.unlink()
    return removed


def backups_newest_first(folder: Path) -> list[Path]:
    """Every backup file in ``folder`` to try when restoring: newest (by time written) first."""
    if not folder.is_dir():
        return []
    files = [path for path in folder.iterdir() if path.is_file() and path.suffix == SUFFIX]
    return sorted(files, key=lambda path: path.stat().st_mtime, reverse=True)
