"""What the data folder holds, found out before anyone signs in and without opening the data.

The start needs to know which window comes after the sign-in window's first second: 首次启动
(no key file, no database), sign-in (``keys.json``: the data opens with a password), or the
encryption of an older, unencrypted database (a database and no ``keys.json``). None of this
reads the encrypted database; its shape (a 0-byte or cut file) is checked here, its pages once
the key is unwrapped. Runs on a worker thread.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from fuanjian_desktop.config import DataFolder, resolve_data_folder


class Stage(enum.Enum):
    """What the folder needs next."""

    FIRST_START = "first_start"  # nothing yet (or a first start that made no account)
    SIGN_IN = "sign_in"  # encrypted: a password unwraps the key
    LEGACY = "legacy"  # an unencrypted database of an older version: an admin encrypts it


@dataclass(frozen=True)
class Examined:
    """The folder, what it needs next, and whether its accounts are the published demo ones."""

    folder: DataFolder
    stage: Stage
    is_demo: bool


def examine(data_dir: str | None) -> Examined:
    """Find the stage of the data folder; raises a Chinese ``UserError`` (``DatabaseDamaged``
    for a file that is empty, cut or not a database) when it cannot be used as it is."""
    from fuanjian_desktop.db.integrity import check_before_unlock, check_database
    from fuanjian_desktop.security.keyring import Keyring

    folder = resolve_data_folder(data_dir)
    if Keyring.exists(folder):
        keyring = Keyring.load(folder)
        if keyring.is_empty:  # a first start that stopped before its first account
            return Examined(folder, Stage.FIRST_START, is_demo=False)
        check_before_unlock(folder)
        return Examined(folder, Stage.SIGN_IN, keyring.is_demo)
    if not folder.database.exists():
        return Examined(folder, Stage.FIRST_START, is_demo=False)
    check_database(folder.database, None)  # no key file: it must be a whole plaintext file
    return _legacy(folder)


def _legacy(folder: DataFolder) -> Examined:
    """An unencrypted database: readable by anyone already, so its mode may be read now."""
    from fuanjian_desktop.db.startup import open_database
    from fuanjian_desktop.services.setup import installation

    database = open_database(folder, None)
    try:
        mode = installation(database)
    finally:
        database.close()
    if mode.mode is None:  # an older version's empty database: still a first start
        return Examined(folder, Stage.FIRST_START, is_demo=False)
    return Examined(folder, Stage.LEGACY, mode.is_demo)
