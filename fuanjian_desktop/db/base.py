"""Declarative base with a constraint naming convention and the columns synced records share.

Named constraints are required from the first migration: SQLite batch migrations recreate
tables and lose unnamed UNIQUE/CHECK constraints.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fuanjian_desktop.ids import new_id

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> dt.datetime:
    """The current moment, timezone-aware in UTC (stored as UTC, shown in local time)."""
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC and read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    """Base of every ORM entity."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SyncedRecord:
    """Columns of a record that will sync to HQ: ULID key, version and stamps.

    ``version`` rises by one with every audited change; the outbox row of that change names it,
    so HQ can tell a replayed change from a new one.
    """

    id: Mapped[str] = mapped_column(String(26), primary_key=True, default=new_id)
    version: Mapped[int] = mapped_column(Integer, default=0)
    # bookkeeping and derived columns the audit trail does not repeat
    _unaudited_columns: ClassVar[frozenset[str]] = frozenset(
        {"id", "version", "created_at", "updated_at", "search_text", "password_hash"}
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)

    def audit_snapshot(self) -> dict[str, Any]:
        """The record's own column values, as the audit trail stores them before and after."""
        table = self.__table__  # type: ignore[attr-defined]
        return {
            column.key: getattr(self, column.key)
            for column in table.columns
            if column.key not in self._unaudited_columns
        }
