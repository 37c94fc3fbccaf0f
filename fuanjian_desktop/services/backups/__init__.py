"""Backups of a data folder: written verified and encrypted, restored only after every check.

``create_backup`` (``main.py backup``), ``restore_backup`` (``main.py restore``, onto another
laptop), ``restore_newest_in_place`` (the damaged-database dialog) and ``automatic_backup``
(once a day after sign-in, seven kept).
"""

from __future__ import annotations

from fuanjian_desktop.services.backups.create import BackupReport, create_backup, verify_backup
from fuanjian_desktop.services.backups.restore import (
    RestoreReport,
    restore_backup,
    restore_newest_in_place,
    with_password,
    with_recovery_code,
)
from fuanjian_desktop.services.backups.rotation import automatic_backup, prune

__all__ = [
    "BackupReport",
    "RestoreReport",
    "automatic_backup",
    "create_backup",
    "prune",
    "restore_backup",
    "restore_newest_in_place",
    "verify_backup",
    "with_password",
    "with_recovery_code",
]
