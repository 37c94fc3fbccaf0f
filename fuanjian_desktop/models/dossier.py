"""The case file (案卷) of a case: what a person decides about its volume, and what it holds
besides the issued documents (scans of signed paper originals, audio-video, photos attached
to the case itself).

The volume itself is compiled from the records (``services/dossiers``); only the person's
choices (备注, order overrides with their reason, 备考表 text) and the archiving facts (归档号,
the frozen volume's evidence file and SHA-256) are stored here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fuanjian_desktop.db.base import Base, SyncedRecord, UtcDateTime


class CaseDossier(SyncedRecord, Base):
    """One case's volume: the clerk's choices and, once archived, the frozen volume."""

    __tablename__ = "case_dossier"

    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), unique=True)
    # binding convention key of resources/dossier/binding_order.json; None: the setting's
    convention: Mapped[str | None] = mapped_column(String(30))
    # item key -> 备注 a person typed (the system's own remarks are computed, not stored)
    remarks: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # [{"item": item key, "position": 1-based position, "reason": why}] in the order applied
    order_overrides: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)  # 备考表: 本卷情况说明
    filed_by: Mapped[str | None] = mapped_column(String(50))  # 立卷人
    checked_by: Mapped[str | None] = mapped_column(String(50))  # 检查人
    filed_on: Mapped[dt.date | None] = mapped_column(Date)  # 立卷时间
    # archiving: the cover's own 文号 (应急案), the 8-digit 归档号 and the 保管期限
    archive_number: Mapped[str | None] = mapped_column(String(60))
    archive_no: Mapped[str | None] = mapped_column(String(20), index=True)
    archived_on: Mapped[dt.date | None] = mapped_column(Date)
    retention: Mapped[str | None] = mapped_column(String(20))
    volume_evidence_id: Mapped[str | None] = mapped_column(ForeignKey("evidence_file.id"))
    volume_sha256: Mapped[str | None] = mapped_column(String(64))
    page_count: Mapped[int | None] = mapped_column(Integer)
    item_count: Mapped[int | None] = mapped_column(Integer)


class DocumentScan(SyncedRecord, Base):
    """The scan of a document's signed paper original: it stands in the document's place.

    ``pages`` lists the evidence files in page order (JPEG/PNG pages or PDFs of several pages);
    a new scan of the same document replaces the old one (one row per document).
    """

    __tablename__ = "document_scan"

    document_id: Mapped[str] = mapped_column(ForeignKey("case_document.id"), unique=True)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("enforcement_case.id"), index=True)
    pages: Mapped[list[str]] = mapped_column(JSON, default=list)
    page_count: Mapped[int] = mapped_column(Integer)
    scanned_on: Mapped[dt.date] = mapped_column(Date)
    attached_by: Mapped[str] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)


class CaseMedia(SyncedRecord, Base):
    """A 执法记录仪 audio-video file of a case: the 音像资料目录 lists it, never embeds it."""

    __tablename__ = "case_media"

    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), index=True)
    evidence_id: Mapped[str] = mapped_column(ForeignKey("evidence_file.id"))
    kind: Mapped[str] = mapped_column(String(10))  # "video" or "audio"
    title: Mapped[str] = mapped_column(String(200))  # 名称/内容
    device: Mapped[str] = mapped_column(String(100))  # 执法记录仪编号
    officer_id: Mapped[str | None] = mapped_column(ForeignKey("app_user.id"))
    officer_name: Mapped[str] = mapped_column(String(50))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    step: Mapped[str | None] = mapped_column(String(40))  # procedure action or "inspection"
    step_label: Mapped[str] = mapped_column(String(60))  # 记录的执法环节, as shown
    gap_reason: Mapped[str | None] = mapped_column(Text)  # why the recording is not continuous


class CasePhoto(SyncedRecord, Base):
    """A photo attached to the case itself (not taken in one of its inspections)."""

    __tablename__ = "case_photo"

    case_id: Mapped[str] = mapped_column(ForeignKey("enforcement_case.id"), index=True)
    evidence_id: Mapped[str] = mapped_column(ForeignKey("evidence_file.id"))
    position: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str | None] = mapped_column(String(200))  # 证据名称/说明
    place: Mapped[str | None] = mapped_column(String(200))  # 拍摄地点
    photographer: Mapped[str | None] = mapped_column(String(50))  # 拍摄人
    proves: Mapped[str | None] = mapped_column(String(200))  # 证明对象
