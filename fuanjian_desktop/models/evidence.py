"""Photo evidence: files stored once by content hash, linked to inspections and items."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fuanjian_desktop.db.base import Base, SyncedRecord, UtcDateTime


class EvidenceFile(SyncedRecord, Base):
    """One file in the evidence store (``evidence/<ab>/<sha256>.<ext>`` under the data folder).

    ``sha256`` is the identity: importing the same photo twice stores it once.
    """

    __tablename__ = "evidence_file"

    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    extension: Mapped[str] = mapped_column(String(10))
    size_bytes: Mapped[int] = mapped_column(Integer)
    original_name: Mapped[str] = mapped_column(String(255))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    captured_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    camera: Mapped[str | None] = mapped_column(String(100))


class InspectionPhoto(SyncedRecord, Base):
    """A photo attached to an inspection, or to one of its items when ``item_id`` is set."""

    __tablename__ = "inspection_photo"
    __table_args__ = (UniqueConstraint("inspection_id", "item_id", "evidence_id"),)

    inspection_id: Mapped[str] = mapped_column(ForeignKey("inspection.id"), index=True)
    # "" for the inspection as a whole (SQLite would let NULLs repeat under the constraint)
    item_id: Mapped[str] = mapped_column(String(60), default="")
    evidence_id: Mapped[str] = mapped_column(ForeignKey("evidence_file.id"))
    caption: Mapped[str | None] = mapped_column(String(200))

    evidence: Mapped[EvidenceFile] = relationship(lazy="joined")
