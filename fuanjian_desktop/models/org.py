"""The organisation: the bureau and its squads (中队), and the people who sign in."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from fuanjian_desktop.db.base import Base, SyncedRecord, UtcDateTime


class Squad(SyncedRecord, Base):
    """An org unit: the district bureau (区局) or a subdistrict squad (街道执法中队)."""

    __tablename__ = "squad"

    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(20))
    is_bureau: Mapped[bool] = mapped_column(Boolean, default=False)
    street: Mapped[str | None] = mapped_column(String(50))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("squad.id"))


class User(SyncedRecord, Base):
    """A person who signs in; an 执法人员 also carries an 执法证号 (enforcement certificate)."""

    __tablename__ = "app_user"
    _unaudited_columns = SyncedRecord._unaudited_columns | {"failed_logins", "locked_until"}

    username: Mapped[str] = mapped_column(String(50), unique=True)
    full_name: Mapped[str] = mapped_column(String(50))
    cert_no: Mapped[str | None] = mapped_column(String(30))
    squad_id: Mapped[str] = mapped_column(ForeignKey("squad.id"))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    squad: Mapped[Squad] = relationship(lazy="joined")
    role_rows: Mapped[list[UserRole]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="UserRole.role"
    )

    @property
    def roles(self) -> frozenset[str]:
        """The role codes this user holds (see ``domain.roles.Role``)."""
        return frozenset(row.role for row in self.role_rows)

    def audit_snapshot(self) -> dict[str, Any]:
        """Column values (never the password hash) plus the roles, kept in their own table."""
        return {**super().audit_snapshot(), "roles": sorted(self.roles)}


class UserRole(Base):
    """One role held by one user; a user may hold several (e.g. 执法人员 and 内勤)."""

    __tablename__ = "user_role"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(30), primary_key=True)
