"""The evidence store of an open database, and keeping it equal to what the rows reference.

Files are stored before the transaction that references them commits (hashing, sealing and
thumbnailing a card of photos takes seconds, too long to hold the write lock). So a failed
import removes the files it newly stored that no row references, and the start-up sweeps
whatever a killed process left (unreferenced files, interrupted ``.part`` files). Not a
service: these act for the application, not for a user, and read no user's records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database, is_plaintext_file
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.store import EvidenceStore, LegacySealing
from fuanjian_desktop.models import EvidenceFile

EVIDENCE_FOLDER = "evidence"
KEY_PURPOSE = "evidence"


class StoredName(Protocol):
    """How a stored file is named: a photo's facts, a scan's, any stored file's."""

    @property
    def sha256(self) -> str: ...

    @property
    def extension(self) -> str: ...


def store_of(database: Database) -> EvidenceStore:
    """The store beside ``database``, sealed with its evidence key.

    Unsealed only beside a plaintext (legacy) database file. An encrypted database without its
    key (closed at sign-out or by the idle lock while an import was still running) gets no
    store at all, so nothing is ever written unsealed beside it.
    """
    root = database.folder / EVIDENCE_FOLDER
    if database.key is not None:
        return EvidenceStore(root, database.key.derive(KEY_PURPOSE))
    if is_plaintext_file(database.path):
        return EvidenceStore(root, None)
    raise UserError("数据已锁定（已退出登录或长时间未操作），证据文件无法读写，请重新登录后再试")


def referenced_hashes(database: Database) -> set[str]:
    """The hashes of every evidence file a row references."""
    with database.read() as session:
        return set(session.scalars(select(EvidenceFile.sha256)))


def sweep_evidence(database: Database) -> int:
    """Remove files no row references and interrupted writes; return how many were removed.

    Call once the database is open and before anything imports (the start-up): an import in
    progress holds files its transaction has not committed yet.
    """
    return store_of(database).sweep(referenced_hashes(database))


def encrypt_legacy_evidence(database: Database) -> LegacySealing:
    """Seal the plaintext evidence of a legacy data folder in place, with the key of the
    (now encrypted) ``database``; see :meth:`EvidenceStore.encrypt_legacy_files`."""
    if database.key is None:
        raise ValueError("the database must be open with its data key")
    return store_of(database).encrypt_legacy_files()


def remove_unreferenced(
    database: Database, store: EvidenceStore, new: Sequence[StoredName]
) -> None:
    """After a failed import: delete the files it newly stored that no row references.

    The check and the deletion run under the write lock, so no other import can commit a row
    referencing one of them in between (an import re-stores a file it finds missing under
    the same lock before referencing it).
    """
    if not new:
        return
    with database.write() as session:
        wanted = {facts.sha256 for facts in new}
        kept = set(
            session.scalars(select(EvidenceFile.sha256).where(EvidenceFile.sha256.in_(wanted)))
        )
        for facts in new:
            if facts.sha256 not in kept:
                store.remove(facts.sha256, facts.extension)
