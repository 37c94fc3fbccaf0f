"""The evidence-file rows of a case file's intake (scans, recordings, photos, the frozen volume).

A file is stored once by its SHA-256, so its row is too: a second import of the same bytes
(the same recording for two cases, a scan page attached again) reuses the row. Files are
stored before the transaction that references them; a failed action removes the ones it newly
stored (:func:`discard_new`), as the inspection photo import does; an action that found its
file already stored checks, under the write lock, that it still is (:func:`require_stored`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.maintenance import StoredName, remove_unreferenced
from fuanjian_desktop.evidence.store import (
    EvidenceStore,
    MediaRejected,
    PhotoRejected,
    ScanRejected,
)
from fuanjian_desktop.models import EvidenceFile
from fuanjian_desktop.services.unit_of_work import ActionScope


def evidence_file(
    scope: ActionScope,
    *,
    sha256: str,
    extension: str,
    size_bytes: int,
    name: str,
    width: int | None = None,
    height: int | None = None,
    captured_at: dt.datetime | None = None,
    camera: str | None = None,
) -> EvidenceFile:
    """The row of the stored file ``sha256``: the existing one, or a new one recorded now."""
    existing = scope.session.scalar(select(EvidenceFile).where(EvidenceFile.sha256 == sha256))
    if existing is not None:
        return existing
    row = EvidenceFile(
        sha256=sha256,
        extension=extension,
        size_bytes=size_bytes,
        original_name=name[:255],
        width=width,
        height=height,
        captured_at=captured_at,
        camera=camera,
    )
    scope.session.add(row)
    scope.record(row, f"证据文件入库 {name}", None)
    return row


def discard_new(database: Database, store: EvidenceStore, new: Sequence[StoredName]) -> None:
    """After a failed action: remove the files it newly stored that no row references. If even
    that fails (the database is unusable), the start-up sweep removes them, and the action's
    own error is the one shown."""
    try:
        remove_unreferenced(database, store, new)
    except Exception:  # the original failure is the one to report
        return


def require_stored(
    store: EvidenceStore, name: StoredName, file_name: str, again: Callable[[], StoredName]
) -> None:
    """Refuse unless the file is (again) in the store. Call inside the action's transaction: a
    concurrent failed action that stored the same file may have removed it between our storing
    it and this transaction taking the write lock; ``again`` stores it anew from its source."""
    if store.holds_original(name.sha256, name.extension):
        return
    try:
        if again().sha256 == name.sha256:
            return
    except (PhotoRejected, ScanRejected, MediaRejected):
        pass
    raise UserError(f"“{file_name}”在导入过程中被移走或改动，请重新选择文件后再试")
