"""Open a benchmark data folder the way the app's data is kept: encrypted, with its keys.json.

A new folder gets a new data key; an existing one is opened with the key unwrapped by the demo
administrator's published password, without signing in, so opening writes nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fuanjian_desktop.config import DATABASE_FILE, resolve_data_folder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.demo.demo import DEMO_PASSWORD
from fuanjian_desktop.security.keyring import KEYRING_FILE, Keyring
from fuanjian_desktop.services.setup import create_encrypted_database

DEMO_ADMIN = "zhaolei"


def open_dataset(data_dir: Path) -> Database:
    """The (possibly new) encrypted database of ``data_dir``."""
    folder = resolve_data_folder(str(data_dir))
    if not Keyring.exists(folder) or Keyring.load(folder).is_empty:
        return create_encrypted_database(folder)
    return open_database(folder, Keyring.load(folder).unlock(DEMO_ADMIN, DEMO_PASSWORD))


def copy_dataset(data_dir: Path, into: Path) -> Path:
    """Copy a closed dataset's database and keys.json into ``into``; return ``into``."""
    into.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(data_dir / DATABASE_FILE, into / DATABASE_FILE)
    shutil.copyfile(data_dir / KEYRING_FILE, into / KEYRING_FILE)
    return into
