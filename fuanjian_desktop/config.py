"""Where the app keeps its data: one folder holding the database, backups and evidence.

The folder comes from, in order: the ``--data-dir`` option, the ``FUANJIAN_DATA_DIR``
environment variable, or the platform's per-user data folder (platformdirs).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

from fuanjian_desktop import APP_ID
from fuanjian_desktop.errors import UserError

DATA_DIR_ENV = "FUANJIAN_DATA_DIR"
DATABASE_FILE = "fuanjian.db"


@dataclass(frozen=True)
class DataFolder:
    """The resolved data folder and the well-known paths inside it."""

    root: Path

    @property
    def database(self) -> Path:
        """The SQLite database file."""
        return self.root / DATABASE_FILE

    @property
    def backups(self) -> Path:
        """Where a copy of the database is kept before every schema upgrade."""
        return self.root / "backups"


def chosen_data_folder(option: str | None = None) -> DataFolder:
    """The data folder chosen (option, then environment, then platform default), not created.

    A command that only reads (``review``) checks that the folder holds a database instead of
    making an empty one.
    """
    chosen = option or os.environ.get(DATA_DIR_ENV) or user_data_dir(APP_ID, appauthor=False)
    return DataFolder(Path(chosen).expanduser().resolve())


def resolve_data_folder(option: str | None = None) -> DataFolder:
    """Pick the data folder (option, then environment, then platform default) and create it."""
    root = chosen_data_folder(option).root
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(
            f"无法创建数据文件夹“{root}”：{error.strerror}。"
            "请用 --data-dir 指定一个有写入权限的文件夹。"
        ) from error
    return DataFolder(root)
