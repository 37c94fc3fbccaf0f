"""Attach photos to an inspection or one of its items, and list them.

Files go into the store first (content-addressed, durable); the database rows follow in one
transaction. Importing the same photo again attaches nothing new and stores nothing new.
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
from fuanjian_desktop.evidence.store import (
    PHOTO_EXTENSIONS,
    EvidenceStore,
    PhotoFacts,
    PhotoRejected,
)
from fuanjian_desktop.models import EvidenceFile, Inspection, InspectionPhoto
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.lookup import fetch
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

EVIDENCE_FOLDER = "evidence"


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
    """A photo as the inspection screen shows it."""

    id: str
    item_id: str
    thumbnail: Path
    original: Path
    captured_at: dt.datetime | None
    original_name: str


def evidence_store(database: Database) -> EvidenceStore:
    """The store beside this database."""
    return EvidenceStore(database.folder / EVIDENCE_FOLDER)


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
    store = evidence_store(database)
    report = PhotoImport()
    stored: list[tuple[Path, PhotoFacts]] = []
    for path in files:
        try:
            stored.append((path, store.add_photo(path)))
        except PhotoRejected as rejected:
            report.refused.append((path.name, rejected.reason))
    with user_action(database, actor, "添加照片") as scope:
        fetch(scope.session, Inspection, inspection_id)
        for path, facts in stored:
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
    return report


def photos_of(database: Database, inspection_id: str) -> list[PhotoView]:
    """Photos of an inspection, by capture time."""
    store = evidence_store(database)
    with database.read() as session:
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


def _view(store: EvidenceStore, photo: InspectionPhoto) -> PhotoView:
    evidence = photo.evidence
    return PhotoView(
        id=photo.id,
        item_id=photo.item_id,
        thumbnail=store.thumbnail_of(evidence.sha256),
        original=store.path_of(evidence.sha256, evidence.extension),
        captured_at=evidence.captured_at,
        original_name=evidence.original_name,
    )
