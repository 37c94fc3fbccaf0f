"""On-site inspections (现场检查), their answers, the hidden dangers they find, and 复查.

A 复查 (re-inspection) is itself an inspection with source ``recheck``: it has its own
inspectors, times, 现场负责人 and photos, and one finding per hazard it re-checks.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fuanjian_desktop.db.base import Base, SyncedRecord, UtcDateTime


class ChecklistVersion(Base):
    """The resolved document of a template version an inspection ran.

    Stored once per (template, version) when first used, so a newer template never changes a
    past inspection, and a template edited without a new version number is detected.
    """

    __tablename__ = "checklist_version"

    template_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[str] = mapped_column(String(20), primary_key=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class Inspection(SyncedRecord, Base):
    """One visit by two or more inspectors to one venue."""

    __tablename__ = "inspection"
    __table_args__ = (Index("ix_inspection_squad_status", "squad_id", "status", "started_at"),)

    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    squad_id: Mapped[str] = mapped_column(ForeignKey("squad.id"))
    source: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    template_id: Mapped[str | None] = mapped_column(String(60))
    template_version: Mapped[str | None] = mapped_column(String(20))
    follow_up_of_id: Mapped[str | None] = mapped_column(ForeignKey("inspection.id"), index=True)
    facts: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    venue_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    place: Mapped[str] = mapped_column(String(300))
    site_person_name: Mapped[str] = mapped_column(String(50))
    site_person_position: Mapped[str | None] = mapped_column(String(50))
    site_person_phone: Mapped[str | None] = mapped_column(String(30))
    site_person_id_no: Mapped[str | None] = mapped_column(String(18))
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    summary: Mapped[str | None] = mapped_column(Text)
    refused_to_sign: Mapped[bool] = mapped_column(Boolean, default=False)
    refusal_note: Mapped[str | None] = mapped_column(Text)
    # 现场处理措施 codes (resources/inspection/onsite_measures.json) and their wording on the day
    onsite_measures: Mapped[list[str]] = mapped_column(JSON, default=list)
    onsite_measures_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"))

    inspector_rows: Mapped[list[InspectionInspector]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="InspectionInspector.position"
    )

    def audit_snapshot(self) -> dict[str, Any]:
        """Column values plus the inspectors, who live in their own table."""
        inspectors = [f"{row.full_name}（{row.cert_no}）" for row in self.inspector_rows]
        return {**super().audit_snapshot(), "inspectors": inspectors}


class InspectionInspector(Base):
    """An inspector of an inspection, with the name and 执法证号 as printed on that day."""

    __tablename__ = "inspection_inspector"

    inspection_id: Mapped[str] = mapped_column(
        ForeignKey("inspection.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"))
    full_name: Mapped[str] = mapped_column(String(50))
    cert_no: Mapped[str] = mapped_column(String(30))


class InspectionAnswer(SyncedRecord, Base):
    """The result of one checklist item, saved the moment it is given."""

    __tablename__ = "inspection_answer"
    __table_args__ = (UniqueConstraint("inspection_id", "item_id"),)

    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspection.id"))
    item_id: Mapped[str] = mapped_column(String(60))
    result: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    answered_by_id: Mapped[str] = mapped_column(ForeignKey("app_user.id"))


class Hazard(SyncedRecord, Base):
    """A hidden danger (隐患) found by a failed item, tracked until rectified or transferred."""

    __tablename__ = "hazard"
    __table_args__ = (
        UniqueConstraint("inspection_id", "item_id"),
        Index("ix_hazard_status_due", "status", "due_date"),
        Index("ix_hazard_squad_status", "squad_id", "status", "due_date"),
    )

    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspection.id"))
    item_id: Mapped[str] = mapped_column(String(60))
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprise.id"), index=True)
    squad_id: Mapped[str] = mapped_column(ForeignKey("squad.id"))
    description: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(10))
    rectification: Mapped[str] = mapped_column(Text)
    basis_text: Mapped[str] = mapped_column(Text)
    violation_code: Mapped[str | None] = mapped_column(String(20))
    found_on: Mapped[dt.date] = mapped_column(Date)
    days: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_by_id: Mapped[str | None] = mapped_column(ForeignKey("inspection.id"))


class RecheckFinding(SyncedRecord, Base):
    """What a 复查 found for one hazard: rectified or not, with a note."""

    __tablename__ = "recheck_finding"
    __table_args__ = (UniqueConstraint("inspection_id", "hazard_id"),)

    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspection.id"))
    hazard_id: Mapped[str] = mapped_column(ForeignKey("hazard.id"), index=True)
    result: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
