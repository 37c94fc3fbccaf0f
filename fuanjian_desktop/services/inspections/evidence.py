"""Attach photos to an inspection or one of its items, list them, and read one.

Files go into the store first (checked by content, sealed, content-addressed, durable); the
database rows follow in one transaction. A file that is not a whole JPEG or PNG of a sensible
size is refused by name with a Chinese reason and the rest of the batch goes on; if the
transaction fails, the files the batch newly stored are removed again. Importing the same
photo again attaches nothing new and stores nothing new. Photos are read back as bytes in
memory (thumbnails in :class:`PhotoView`, the original by :func:`photo_original`): the store
holds them encrypted and no decrypted copy is ever written to disk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.maintenance import EVIDENCE_FOLDER as EVIDENCE_FOLDER
from fuanjian_desktop.evidence.maintenance import remove_unreferenced, store_of
from fuanjian_desktop.evidence.store import (
    PHOTO_EXTENSIONS,
    AddedPhoto,
    EvidenceStore,
    PhotoFacts,
    PhotoRejected,
)
from fuanjian_desktop.models import EvidenceFile, Inspection, InspectionPhoto
from fuanjian_desktop.security.file_cipher import DamagedCipherFile
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.lookup import fetch, fetch_own, fetch_readable
from fuanjian_desktop.services.squad_scope import inspection_squad, read_as, require_changeable
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action


@dataclass
class PhotoImport:
    """What an import did: photos attached, already there, and files refused with reasons."""

    attached: int = 0
    already_attached: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """One Chinese line for the status bar or a message box."""
        text = f"已添加 {self.attached} 张照片"
        if self.already_attached:
            text += f"，{self.already_attached} 张此前已添加（未重复保存）"
        if self.refused:
            text += f"，{len(self.refused)} 个文件未能导入"
        return text


@dataclass(frozen=True)
class PhotoView:
    """A photo as the inspection screen shows it; ``thumbnail`` is JPEG bytes (decrypted in
    memory), ``None`` if the file is missing or damaged."""

    id: str
    item_id: str
    thumbnail: bytes | None
    captured_at: dt.datetime | None
    original_name: str


def evidence_store(database: Database) -> EvidenceStore:
    """The store beside this database, sealed with its evidence key."""
    return store_of(database)


def photos_in_folder(folder: Path) -> list[Path]:
    """Every photo under ``folder`` (e.g. a camera card's DCIM), in name order."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file() and path.suffix.lower() in PHOTO_EXTENSIONS
    )


def attach_photos(
    database: Database,
    actor: Actor,
    inspection_id: str,
    item_id: str,
    files: Sequence[Path],
) -> PhotoImport:
    """Store ``files`` and attach them to the inspection (``item_id`` "" for the whole)."""
    actor.require(Permission.ATTACH_EVIDENCE)
    with read_as(database, actor) as (session, reader):  # refused before any file is stored
        require_changeable(reader, inspection_squad(session, inspection_id), "检查记录")
    store = evidence_store(database)
    report = PhotoImport()
    added: list[tuple[Path, AddedPhoto]] = []
    for path in files:
        try:
            added.append((path, store.add_photo(path)))
        except PhotoRejected as rejected:
            report.refused.append((path.name, rejected.reason))
    try:
        _attach(database, actor, store, inspection_id, item_id, added, report)
    except BaseException:
        _clean_up(database, store, [photo.facts for _, photo in added if photo.created])
        raise
    return report


def _attach(
    database: Database,
    actor: Actor,
    store: EvidenceStore,
    inspection_id: str,
    item_id: str,
    added: list[tuple[Path, AddedPhoto]],
    report: PhotoImport,
) -> None:
    """The rows of one import, in one transaction."""
    with user_action(database, actor, "添加照片") as scope:
        scope.actor.require(Permission.ATTACH_EVIDENCE)
        fetch_own(scope, Inspection, inspection_id)
        for path, stored in added:
            facts = stored.facts
            if not _still_stored(store, path, facts):
                report.refused.append((path.name, "文件在导入过程中被移走或改动，请重新导入"))
                continue
            evidence = _evidence(scope, facts, path.name)
            if _linked(scope.session, inspection_id, item_id, evidence.id):
                report.already_attached += 1
                continue
            photo = InspectionPhoto(
                inspection_id=inspection_id, item_id=item_id, evidence_id=evidence.id
            )
            scope.session.add(photo)
            scope.record(photo, f"添加照片 {path.name}", None)
            report.attached += 1


def _still_stored(store: EvidenceStore, path: Path, facts: PhotoFacts) -> bool:
    """Whether the file is (again) in the store: a concurrent import of the same photo that
    failed may have removed it between our storing it and this transaction taking the lock."""
    if store.holds(facts.sha256, facts.extension):
        return True
    try:
        return store.add_photo(path).facts.sha256 == facts.sha256
    except PhotoRejected:
        return False


def _clean_up(database: Database, store: EvidenceStore, new: list[PhotoFacts]) -> None:
    """Remove what a failed import newly stored; if even that fails (the database is
    unusable), the start-up sweep removes the files, and the import's own error is shown."""
    try:
        remove_unreferenced(database, store, new)
    except Exception:  # the original failure is the one to report
        return


def photos_of(database: Database, actor: Actor, inspection_id: str) -> list[PhotoView]:
    """Photos of an inspection, by capture time."""
    store = evidence_store(database)
    with read_as(database, actor) as (session, reader):
        fetch_readable(session, reader, Inspection, inspection_id)
        photos = session.scalars(
            select(InspectionPhoto).where(InspectionPhoto.inspection_id == inspection_id)
        )
        return sorted(
            (_view(store, photo) for photo in photos),
            key=lambda view: view.captured_at or dt.datetime.max.replace(tzinfo=dt.UTC),
        )


def _evidence(scope: ActionScope, facts: PhotoFacts, name: str) -> EvidenceFile:
    existing = scope.session.scalar(select(EvidenceFile).where(EvidenceFile.sha256 == facts.sha256))
    if existing is not None:
        return existing
    evidence = EvidenceFile(
        sha256=facts.sha256,
        extension=facts.extension,
        size_bytes=facts.size_bytes,
        original_name=name[:255],
        width=facts.width,
        height=facts.height,
        captured_at=facts.captured_at,
        camera=facts.camera,
    )
    scope.session.add(evidence)
    scope.record(evidence, f"证据文件入库 {name}", None)
    return evidence


def _linked(session: Session, inspection_id: str, item_id: str, evidence_id: str) -> bool:
    return (
        session.scalar(
            select(InspectionPhoto.id).where(
                InspectionPhoto.inspection_id == inspection_id,
                InspectionPhoto.item_id == item_id,
                InspectionPhoto.evidence_id == evidence_id,
            )
        )
        is not None
    )


def photo_original(database: Database, actor: Actor, photo_id: str) -> bytes:
    """The photo's original file (JPEG or PNG bytes), decrypted in memory, for the viewer."""
    with read_as(database, actor) as (session, reader):
        photo = fetch(session, InspectionPhoto, photo_id)
        fetch_readable(session, reader, Inspection, photo.inspection_id)
        evidence = photo.evidence
    try:
        return evidence_store(database).read_original(evidence.sha256, evidence.extension)
    except FileNotFoundError as error:
        raise UserError(
            f"照片“{evidence.original_name}”的文件不在证据文件夹中（可能被删除），"
            "请从原始照片重新导入"
        ) from error
    except DamagedCipherFile as error:
        raise UserError(
            f"照片“{evidence.original_name}”的文件已损坏或被改动，无法打开，"
            "请从原始照片重新导入或从备份恢复"
        ) from error


def _view(store: EvidenceStore, photo: InspectionPhoto) -> PhotoView:
    evidence = photo.evidence
    return PhotoView(
        id=photo.id,
        item_id=photo.item_id,
        thumbnail=_thumbnail(store, evidence.sha256),
        captured_at=evidence.captured_at,
        original_name=evidence.original_name,
    )


def _thumbnail(store: EvidenceStore, sha256: str) -> bytes | None:
    """A missing or damaged thumbnail shows as a placeholder, never stops the page."""
    try:
        return store.read_thumbnail(sha256)
    except (OSError, DamagedCipherFile):
        return None
