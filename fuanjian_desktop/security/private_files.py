"""Files and folders only the signed-in operating-system user can read (0600 / 0700).

The data folder holds personal information; another account on the same laptop must not read
it, even where the file contents are encrypted (names of files, sizes and times still tell).
Writes are atomic: a crash leaves the old file or the new one, never half of either.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700
PRIVATE_UMASK = 0o077


def use_private_umask() -> int:
    """Make every file this process creates user-only from now on; return the old umask."""
    return os.umask(PRIVATE_UMASK)


def make_private_folder(path: Path) -> Path:
    """Create ``path`` (and parents) if missing and make it 0700; return it."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER_MODE)
    with contextlib.suppress(OSError):  # a folder we do not own (e.g. on a FAT stick) stays as is
        os.chmod(path, PRIVATE_FOLDER_MODE)
    return path


def make_private(path: Path) -> None:
    """Make an existing file 0600 (e.g. a database file SQLite created)."""
    with contextlib.suppress(FileNotFoundError):
        os.chmod(path, PRIVATE_FILE_MODE)


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (temp file, fsync, rename), user-only (0600)."""
    # mkstemp creates the file 0600 whatever the umask.
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Flush the rename to disk (POSIX); Windows has no directory handles to sync."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
