"""文号 number blocks granted to laptops, and every number issued or voided.

See ``docs/numbering.md``: a laptop draws numbers only from its own blocks, so two laptops
of a squad never issue the same number even offline; the unique constraint on
``issued_number`` makes a second use of a number impossible, and a voided number stays
recorded with its reason.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fuanjian_desktop.db.base import Base, SyncedRecord


class NumberBlock(SyncedRecord, Base):
    """A range of serials (号段) of one year that one laptop may use for every document code."""

    __tablename__ = "number_block"
    __table_args__ = (Index("ix_number_block_prefix_year", "prefix", "year", "first"),)

    prefix: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    first: Mapped[int] = mapped_column(Integer)
    last: Mapped[int] = mapped_column(Integer)
    squad_id: Mapped[str] = mapped_column(ForeignKey("squad.id"))
    device_id: Mapped[str] = mapped_column(String(26), index=True)
    note: Mapped[str | None] = mapped_column(Text)


class IssuedNumber(SyncedRecord, Base):
    """One 文号 taken: by which laptop, for which record; ``status`` used or voided."""

    __tablename__ = "issued_number"
    __table_args__ = (UniqueConstraint("prefix", "code", "year", "serial", "part"),)

    prefix: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    part: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(String(60), index=True)
    squad_id: Mapped[str] = mapped_column(ForeignKey("squad.id"))
    device_id: Mapped[str] = mapped_column(String(26))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(26))
    status: Mapped[str] = mapped_column(String(10), default="used")
    void_reason: Mapped[str | None] = mapped_column(Text)
