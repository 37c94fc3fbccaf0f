"""The photo evidence of a case: every photo of its file, with what the 照片证据 page prints, and
photos attached to the case itself.

A case's photos come from the inspections it links (and their 复查), from single photos it
links, and from photos attached to the case directly (:class:`CasePhoto`). Each is printed
with 证据名称/说明, 拍摄时间 (EXIF), 拍摄地点, 拍摄人 and 证明对象. For an inspection's photo only
the caption is typed (it lives on the photo); the rest is what the inspection record says: its
place, its inspectors, and the check or hidden danger the photo was attached to. For a photo of
the case itself a person types all four. The same picture reached twice (linked and taken in
a linked inspection) is one piece of evidence: listed once, where it comes first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.registry_rules import FieldIssue, InvalidFields
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import NotFound
from fuanjian_desktop.evidence.store import EvidenceStore, PhotoFacts, PhotoRejected
from fuanjian_desktop.models import (
    Case,
    CaseLink,
    CasePhoto,
    EvidenceFile,
    Inspection,
    InspectionPhoto,
)
from fuanjian_desktop.security.file_cipher import DamagedCipherFile
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.archive_lock import require_open
from fuanjian_desktop.services.dossiers.case_inspections import linked_inspections, rechecks_of
from fuanjian_desktop.services.dossiers.evidence_files import (
    discard_new,
    evidence_file,
    require_stored,
)
from fuanjian_desktop.services.dossiers.photo_facts import InspectionFacts
from fuanjian_desktop.services.inspections.evidence import evidence_store
from fuanjian_desktop.services.lookup import fetch, fetch_own, fetch_readable
from fuanjian_desktop.services.squad_scope import case_squad, read_as, require_changeable
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

CASE_PHOTO = "case_photo"
INSPECTION_PHOTO = "inspection_photo"
PHOTO_LINK = "photo"
# the columns' widths (models/dossier.py CasePhoto, InspectionPhoto.caption)
LIMITS = {"caption": 200, "place": 200, "photographer": 50, "proves": 200}
FIELD_LABELS = {
    "caption": "证据名称/说明",
    "place": "拍摄地点",
    "photographer": "拍摄人",
    "proves": "证明对象",
    "path": "照片文件",
}
PHOTO_MISSING = "该照片不存在（可能已被删除），请刷新后重试。"


class PhotoInvalid(InvalidFields):
    """Photo details or a photo file that cannot be saved; each issue names its field."""

    def __init__(self, issues: Sequence[FieldIssue]) -> None:
        super().__init__("照片信息有以下问题，请修改后再保存：", issues)


@dataclass(frozen=True)
class PhotoRef:
    """Which photo row: ``table`` is ``case_photo`` or ``inspection_photo``."""

    table: str
    id: str


@dataclass(frozen=True)
class PhotoInput:
    """What a person types about a photo (only the caption for an inspection's photo)."""

    caption: str
    place: str = ""
    photographer: str = ""
    proves: str = ""


@dataclass(frozen=True)
class PhotoEvidence:
    """One photo of a case's file as the 照片证据 page prints it.

    ``taken_at`` is the EXIF capture time (aware, UTC; ``None``: 未记录). ``width``/``height``
    are the stored pixels before EXIF orientation. ``source`` is where it comes from:
    ``inspection``, ``recheck``, ``linked`` or ``case``; ``editable``: place, photographer
    and proves are typed (a case photo), not taken from an inspection record.
    """

    ref: PhotoRef
    caption: str | None
    taken_at: dt.datetime | None
    place: str | None
    photographer: str | None
    proves: str | None
    sha256: str
    extension: str
    width: int | None
    height: int | None
    source: str
    editable: bool

    def read(self, store: EvidenceStore) -> bytes:
        """The original's bytes, decrypted in memory (errors as ``read_original``)."""
        return store.read_original(self.sha256, self.extension)

    def thumbnail(self, store: EvidenceStore) -> bytes | None:
        """The thumbnail's JPEG bytes; ``None`` if missing or damaged (a placeholder shows)."""
        try:
            return store.read_thumbnail(self.sha256)
        except (OSError, DamagedCipherFile):
            return None


def case_photo_rows(session: Session, case_id: str) -> list[PhotoEvidence]:
    """Every photo of the case in evidence order (see the module docstring), each once."""
    linked = linked_inspections(session, case_id)
    rows: list[PhotoEvidence] = []
    for source, inspections in (("inspection", linked), ("recheck", rechecks_of(session, linked))):
        for inspection in inspections:
            rows.extend(_inspection_rows(session, inspection, source))
    rows.extend(_linked_rows(session, case_id))
    query = select(CasePhoto).where(CasePhoto.case_id == case_id).order_by(CasePhoto.position)
    rows.extend(_case_row(session, photo) for photo in session.scalars(query))
    return _first_of_each(rows)


def case_photos(database: Database, actor: Actor, case_id: str) -> list[PhotoEvidence]:
    """The case's photo evidence for the screen (the case must be readable by ``actor``)."""
    with read_as(database, actor) as (session, reader):
        fetch_readable(session, reader, Case, case_id)
        return case_photo_rows(session, case_id)


def attach_case_photo(
    database: Database, actor: Actor, case_id: str, path: Path, details: PhotoInput
) -> str:
    """Store the photo at ``path`` and attach it to the case with ``details``; its id."""
    actor.require(Permission.KEEP_CASE_RECORDS)
    clean = _clean(details, caption_required=True)
    with read_as(database, actor) as (session, reader):  # refused before the file is stored
        require_changeable(reader, case_squad(session, case_id), "案件")
        require_open(session, case_id)
    store = evidence_store(database)
    try:
        added = store.add_photo(path)
    except PhotoRejected as rejected:
        raise PhotoInvalid([_issue("path", f"“{path.name}”：{rejected.reason}")]) from rejected
    try:
        with user_action(database, actor, "添加案件照片") as scope:
            require_stored(store, added.facts, path.name, lambda: store.add_photo(path).facts)
            return _attach(scope, case_id, path, added.facts, clean)
    except BaseException:
        if added.created:
            discard_new(database, store, [added.facts])
        raise


def _attach(
    scope: ActionScope, case_id: str, path: Path, facts: PhotoFacts, clean: PhotoInput
) -> str:
    scope.actor.require(Permission.KEEP_CASE_RECORDS)
    case = fetch_own(scope, Case, case_id)
    evidence = evidence_file(
        scope,
        sha256=facts.sha256,
        extension=facts.extension,
        size_bytes=facts.size_bytes,
        name=path.name,
        width=facts.width,
        height=facts.height,
        captured_at=facts.captured_at,
        camera=facts.camera,
    )
    if any(row.sha256 == facts.sha256 for row in case_photo_rows(scope.session, case.id)):
        raise PhotoInvalid([_issue("path", f"“{path.name}”已是本案的照片证据，不必重复添加")])
    last = scope.session.scalar(
        select(func.max(CasePhoto.position)).where(CasePhoto.case_id == case.id)
    )
    photo = CasePhoto(
        case_id=case.id,
        evidence_id=evidence.id,
        position=(last or 0) + 1,
        caption=clean.caption or None,
        place=clean.place or None,
        photographer=clean.photographer or None,
        proves=clean.proves or None,
    )
    scope.session.add(photo)
    scope.record(photo, f"{case.case_no} 添加照片证据：{clean.caption}", None)
    return photo.id


def edit_photo_evidence(
    database: Database, actor: Actor, ref: PhotoRef, details: PhotoInput
) -> None:
    """Save what a person typed about a photo. A case photo takes all four fields; an
    inspection photo only its caption: its place, photographer and proves come from the
    inspection record, so a value other than those (or empty) is refused by field."""
    actor.require(Permission.KEEP_CASE_RECORDS)
    with user_action(database, actor, "修改照片说明") as scope:
        scope.actor.require(Permission.KEEP_CASE_RECORDS)
        if ref.table == CASE_PHOTO:
            _edit_case_photo(scope, ref.id, _clean(details, caption_required=True))
        elif ref.table == INSPECTION_PHOTO:
            _edit_inspection_photo(scope, ref.id, _clean(details, caption_required=False))
        else:
            raise NotFound(PHOTO_MISSING)


def _edit_case_photo(scope: ActionScope, photo_id: str, clean: PhotoInput) -> None:
    photo = scope.session.get(CasePhoto, photo_id)
    if photo is None:
        raise NotFound(PHOTO_MISSING)
    case = fetch_own(scope, Case, photo.case_id)
    before = photo.audit_snapshot()
    photo.caption = clean.caption or None
    photo.place = clean.place or None
    photo.photographer = clean.photographer or None
    photo.proves = clean.proves or None
    scope.record(photo, f"{case.case_no} 修改照片证据：{clean.caption}", before)


def _edit_inspection_photo(scope: ActionScope, photo_id: str, clean: PhotoInput) -> None:
    photo = scope.session.get(InspectionPhoto, photo_id)
    if photo is None:
        raise NotFound(PHOTO_MISSING)
    fetch_own(scope, InspectionPhoto, photo_id)
    inspection = fetch(scope.session, Inspection, photo.inspection_id)
    derived = InspectionFacts(scope.session, inspection).of_photo(photo.item_id)
    typed = {"place": clean.place, "photographer": clean.photographer, "proves": clean.proves}
    issues = [
        _issue(name, "现场检查照片的这一项取自检查记录，不能在此修改")
        for name, value in typed.items()
        if value and value != (getattr(derived, name) or "")
    ]
    if issues:
        raise PhotoInvalid(issues)
    before = photo.audit_snapshot()
    photo.caption = clean.caption or None
    scope.record(photo, f"修改现场检查照片说明：{clean.caption or '（清空）'}", before)


def _clean(details: PhotoInput, *, caption_required: bool) -> PhotoInput:
    """The input trimmed, or :class:`PhotoInvalid` naming each field too long or missing."""
    clean = PhotoInput(
        details.caption.strip(),
        details.place.strip(),
        details.photographer.strip(),
        details.proves.strip(),
    )
    issues = [
        _issue(name, f"不能超过 {limit} 个字")
        for name, limit in LIMITS.items()
        if len(getattr(clean, name)) > limit
    ]
    if caption_required and not clean.caption:
        issues.insert(0, _issue("caption", "请填写证据名称/说明（这张照片证明什么）"))
    if issues:
        raise PhotoInvalid(issues)
    return clean


def _issue(field: str, message: str) -> FieldIssue:
    return FieldIssue(field, message, field_label=FIELD_LABELS[field])


def _inspection_rows(session: Session, inspection: Inspection, source: str) -> list[PhotoEvidence]:
    """An inspection's photos by capture time (an undated one by when it was added)."""
    query = select(InspectionPhoto).where(InspectionPhoto.inspection_id == inspection.id)
    photos = sorted(session.scalars(query), key=_capture_order)
    facts = InspectionFacts(session, inspection)
    return [_inspection_row(photo, facts, source) for photo in photos]


def _linked_rows(session: Session, case_id: str) -> list[PhotoEvidence]:
    """Single photos the case links, by capture time."""
    linked = select(CaseLink.target_id).where(
        CaseLink.case_id == case_id, CaseLink.kind == PHOTO_LINK
    )
    photos = sorted(
        session.scalars(select(InspectionPhoto).where(InspectionPhoto.id.in_(linked))),
        key=_capture_order,
    )
    facts: dict[str, InspectionFacts] = {}
    rows = []
    for photo in photos:
        if photo.inspection_id not in facts:
            inspection = fetch(session, Inspection, photo.inspection_id)
            facts[photo.inspection_id] = InspectionFacts(session, inspection)
        rows.append(_inspection_row(photo, facts[photo.inspection_id], "linked"))
    return rows


def _capture_order(photo: InspectionPhoto) -> tuple[dt.datetime, dt.datetime, str]:
    taken = photo.evidence.captured_at or dt.datetime.max.replace(tzinfo=dt.UTC)
    return taken, photo.created_at, photo.id


def _inspection_row(photo: InspectionPhoto, facts: InspectionFacts, source: str) -> PhotoEvidence:
    derived = facts.of_photo(photo.item_id)
    return _row(
        PhotoRef(INSPECTION_PHOTO, photo.id),
        photo.evidence,
        PhotoInput(photo.caption or "", derived.place, derived.photographer, derived.proves),
        source,
    )


def _case_row(session: Session, photo: CasePhoto) -> PhotoEvidence:
    evidence = fetch(session, EvidenceFile, photo.evidence_id)
    typed = PhotoInput(
        photo.caption or "", photo.place or "", photo.photographer or "", photo.proves or ""
    )
    return _row(PhotoRef(CASE_PHOTO, photo.id), evidence, typed, "case")


def _row(ref: PhotoRef, evidence: EvidenceFile, text: PhotoInput, source: str) -> PhotoEvidence:
    return PhotoEvidence(
        ref=ref,
        caption=text.caption or None,
        taken_at=evidence.captured_at,
        place=text.place or None,
        photographer=text.photographer or None,
        proves=text.proves or None,
        sha256=evidence.sha256,
        extension=evidence.extension,
        width=evidence.width,
        height=evidence.height,
        source=source,
        editable=ref.table == CASE_PHOTO,
    )


def _first_of_each(rows: Iterable[PhotoEvidence]) -> list[PhotoEvidence]:
    seen: set[str] = set()
    kept = []
    for row in rows:
        if row.sha256 not in seen:
            seen.add(row.sha256)
            kept.append(row)
    return kept
