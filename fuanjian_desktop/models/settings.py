"""Settings of this one installation (mode, the squad the laptop belongs to); never synced."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fuanjian_desktop.db.base import Base


class LocalSetting(Base):
    """A key/value setting of this laptop, e.g. ``mode`` = ``demo`` or ``production``."""

    __tablename__ = "local_setting"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
