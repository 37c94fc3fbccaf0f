"""The enterprise and venue registry (企业/场所台账) the inspectors work from."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fuanjian_desktop.db.base import Base, SyncedRecord


class Enterprise(SyncedRecord, Base):
    """An enterprise, 个体工商户 or venue under supervision.

    Either ``uscc`` (统一社会信用代码) identifies it, or — for a 个体工商户 without one — the
    operator's name and resident ID do. ``search_text`` is a lower-cased concatenation of the
    searchable fields, maintained by the registry service so one scan answers any query.
    """

    __tablename__ = "enterprise"
    __table_args__ = (
        Index("ix_enterprise_squad_name", "squad_id", "name"),
        # Covering index for the registry search: walked in name order, it answers the filter
        # on search_text and returns ids without touching the table
        # (see services.registry.registry).
        Index("ix_enterprise_search", "name", "id", "search_text"),
    )

    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    uscc_override_reason: Mapped[str | None] = mapped_column(Text)
    operator_name: Mapped[str | None] = mapped_column(String(50))
    operator_id_no: Mapped[str | None] = mapped_column(String(18))
    address: Mapped[str] = mapped_column(String(300))
    street: Mapped[str] = mapped_column(String(50))
    community: Mapped[str | None] = mapped_column(String(50))
    grid: Mapped[str | None] = mapped_column(String(50))
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    floor_area: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    key_supervision: Mapped[bool] = mapped_column(Boolean, default=False)
    blacklisted: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    squad_id: Mapped[str] = mapped_column(ForeignKey("squad.id"), index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")

    category_rows: Mapped[list[EnterpriseCategory]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="EnterpriseCategory.category"
    )

    @property
    def categories(self) -> list[str]:
        """The category codes of this enterprise (see ``resources/registry/categories.json``)."""
        return [row.category for row in self.category_rows]

    def audit_snapshot(self) -> dict[str, Any]:
        """Column values plus the categories, which live in their own table."""
        return {**super().audit_snapshot(), "categories": self.categories}


class EnterpriseCategory(Base):
    """One supervision category of an enterprise (e.g. 三小场所·小档口, 有限空间)."""

    __tablename__ = "enterprise_category"

    enterprise_id: Mapped[str] = mapped_column(
        ForeignKey("enterprise.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)
