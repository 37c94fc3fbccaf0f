"""Compiling a case's volume from its records: items in binding order, their pages, the plan.

Everything but the cover is compiled here, inside one read session; the cover comes last
because archiving must take the 归档号 it prints inside its own write transaction
(``archiving.py``), and the cover is unnumbered, so nothing else depends on it. The 目录's
页号 come from the page plan, which comes from the pages each item really has: never typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from fuanjian_desktop.domain.procedure import Procedure, Stage
from fuanjian_desktop.dossier.binding import BindingItem, order_items, parse_overrides
from fuanjian_desktop.dossier.pagination import PagePlan, plan_pages
from fuanjian_desktop.dossier.render.assemble import ItemPart, VolumeParts, assemble
from fuanjian_desktop.dossier.render.cover import render_cover
from fuanjian_desktop.dossier.render.index import index_page_count, render_index
from fuanjian_desktop.dossier.render.model import CoverInfo, IndexRow
from fuanjian_desktop.dossier.render.notes import render_notes
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.store import EvidenceStore
from fuanjian_desktop.models import Case, CaseDossier
from fuanjian_desktop.security.file_cipher import DamagedCipherFile
from fuanjian_desktop.services.cases.case_facts import case_events
from fuanjian_desktop.services.documents.document_settings import organisation
from fuanjian_desktop.services.dossiers.case_photos import PhotoEvidence, case_photo_rows
from fuanjian_desktop.services.dossiers.dossier_settings import (
    DossierSettings,
    dossier_settings,
    retention,
)
from fuanjian_desktop.services.dossiers.volume_cover import cover_info, notes_info
from fuanjian_desktop.services.dossiers.volume_items import (
    VolumeItem,
    bound_documents,
    collect_items,
)
from fuanjian_desktop.services.dossiers.volume_parts import item_pdf, page_count

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class VolumeRow:
    """One row of the 目录 as the dossier page shows it.

    ``remark`` is what the 目录 prints: the system's 备注 and the person's, joined;
    ``first_page`` the item's 0-based physical page in the built PDF (for the preview).
    """

    key: str
    sequence: int
    title: str
    on: dt.date | None
    pages_text: str
    remark: str
    system_remark: str
    user_remark: str
    override_reason: str
    first_page: int


@dataclass(frozen=True)
class Compiled:
    """A volume compiled up to its cover: the ordered items, their PDFs, rows and plan."""

    case_id: str
    case_no: str
    items: tuple[VolumeItem, ...]
    parts: tuple[bytes, ...]
    rows: tuple[VolumeRow, ...]
    index_pdf: bytes
    notes_pdf: bytes
    plan: PagePlan
    cover: CoverInfo
    settings: DossierSettings
    convention: str  # the binding convention the items were ordered by
    photos: tuple[PhotoEvidence, ...]

    @property
    def steps(self) -> int:
        """The progress steps of a build: each item, the 目录, the assembly."""
        return len(self.items) + 2

    @property
    def item_count(self) -> int:
        """件数: the items of the 目录."""
        return len(self.items)

    @property
    def page_count(self) -> int:
        """页数: the numbered pages."""
        return self.plan.numbered


def dossier_of(session: Session, case_id: str) -> CaseDossier | None:
    """The case's dossier record (the person's choices, the archiving), if one was made."""
    return session.query(CaseDossier).filter(CaseDossier.case_id == case_id).one_or_none()


def ordered_items(
    items: Sequence[VolumeItem], convention: str, dossier: CaseDossier | None
) -> list[VolumeItem]:
    """``items`` in the binding order of ``convention`` with the person's overrides applied
    (an override of an item no longer in the volume is left out)."""
    by_key = {item.key: item for item in items}
    binding = order_items(
        [BindingItem(i.key, i.order_key, i.on or _day(i.made), i.number) for i in items],
        convention,
        parse_overrides(dossier.order_overrides if dossier else []),
    )
    return [by_key[entry.key] for entry in binding.items]


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.astimezone().date() if moment is not None else None


def volume_rows(
    items: Sequence[VolumeItem], plan: PagePlan, dossier: CaseDossier | None
) -> tuple[VolumeRow, ...]:
    """The 目录 rows of ``items`` paged by ``plan``."""
    remarks = dossier.remarks if dossier else {}
    reasons = {
        row["item"]: str(row.get("reason", ""))
        for row in (dossier.order_overrides if dossier else [])
    }
    rows = []
    for sequence, (item, pages) in enumerate(zip(items, plan.items, strict=True), start=1):
        system = "；".join(item.system_remarks)
        user = (remarks.get(item.key) or "").strip()
        rows.append(
            VolumeRow(
                key=item.key,
                sequence=sequence,
                title=item.heading,
                on=item.on or _day(item.made),
                pages_text=pages.label,
                remark="；".join(text for text in (system, user) if text),
                system_remark=system,
                user_remark=user,
                override_reason=reasons.get(item.key, ""),
                first_page=pages.first_physical - 1,
            )
        )
    return tuple(rows)


def compile_volume(
    session: Session,
    store: EvidenceStore,
    case: Case,
    *,
    duplex: bool,
    progress: Progress | None = None,
    archiving_on: dt.date | None = None,
) -> Compiled:
    """Everything of the case's volume but its cover, inside one read session.

    ``archiving_on``: the day the volume is being archived, the 备考表's 立卷时间 unless the
    clerk entered one (a volume not archived leaves it blank for the pen).
    """
    dossier = dossier_of(session, case.id)
    settings = dossier_settings(session)
    convention = (dossier.convention if dossier else None) or settings.convention
    photos = tuple(case_photo_rows(session, case.id))
    first_photo = min((p.taken_at for p in photos if p.taken_at), default=None)
    items = ordered_items(
        collect_items(session, case.id, len(photos), _day(first_photo)), convention, dossier
    )
    total = len(items) + 2  # Compiled.steps
    parts = []
    for done, item in enumerate(items, start=1):
        try:
            parts.append(item_pdf(session, store, case.id, item, photos, settings.scan_placement))
        except (OSError, DamagedCipherFile):
            raise UserError(
                f"组卷时读取“{item.heading}”的证据文件失败（文件缺失或已被改动）。"
                "请从备份恢复证据文件后再组卷。"
            ) from None
        if progress is not None:
            progress(done, total)
    events = case_events(session, case.id)
    counts_pages = [part.pages for part in parts]
    # the 备考表's counts are known before the plan: 件数 and the numbered pages are the items'
    counts = (len(items), sum(counts_pages))
    archived = dossier is not None and case.stage == Stage.ARCHIVED.value
    filed_on = archiving_on or (dossier.archived_on if dossier and archived else None)
    notes_pdf = render_notes(notes_info(dossier, events, counts, filed_on))
    plan = plan_pages(
        (1, index_page_count(len(items))),
        counts_pages,
        page_count(notes_pdf),
        duplex=duplex,
        position=settings.page_number_position,
    )
    rows = volume_rows(items, plan, dossier)
    index_pdf = render_index(
        [IndexRow(r.sequence, r.title, r.on, r.pages_text, r.remark) for r in rows]
    )
    if progress is not None:
        progress(total - 1, total)
    documents = bound_documents(session, case.id)
    cover = cover_info(
        case,
        organisation(session)["bureau_name"],
        documents,
        dossier,
        retention(Procedure(case.procedure)),
        (len(items), plan.numbered),
    )
    return Compiled(
        case.id,
        case.case_no,
        tuple(items),
        tuple(part.pdf for part in parts),
        rows,
        index_pdf,
        notes_pdf,
        plan,
        cover,
        settings,
        convention,
        photos,
    )


def finish(compiled: Compiled, cover: CoverInfo, progress: Progress | None = None) -> bytes:
    """The volume's PDF: ``cover`` (with or without its 归档号), 目录, items, 备考表."""
    parts = VolumeParts(
        title=cover.case_name,
        cover=render_cover(cover),
        index=compiled.index_pdf,
        items=[
            ItemPart(row.title, pdf) for row, pdf in zip(compiled.rows, compiled.parts, strict=True)
        ],
        notes=compiled.notes_pdf,
    )
    pdf = assemble(compiled.plan, parts)
    if progress is not None:
        progress(compiled.steps, compiled.steps)
    return pdf
