"""Sync with HQ: the conflicts a person must settle, HQ's reference files, and this laptop's
own sync bookkeeping.

``sync_conflict`` and ``reference_file`` travel (HQ writes conflicts and publishes reference
files; a conflict's resolution comes back from a laptop). ``sync_state``, ``sync_batch`` and
``sync_base`` are LOCAL: they describe this laptop's conversation with HQ and never leave it.
The device secret and signing key live in ``sync_state``, so they are as encrypted as the rest
of the database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fuanjian_desktop.db.base import Base, SyncedRecord, UtcDateTime, utc_now

CONFLICT_KINDS = ("field", "immutable", "number", "unique", "delete")
RESOLUTIONS = ("hq", "device")


class SyncConflict(SyncedRecord, Base):
    """Two different values for one thing that HQ would not choose between by itself.

    ``kind``: ``field`` (both sides changed one field of a mutable record), ``immutable`` (an
    issued document or an archived case arrived with different content), ``number``/``unique``
    (a pushed number or unique value collides), ``delete`` (deleted on one side, changed on the
    other). HQ keeps its value meanwhile; a person with the right role picks one side.
    """

    __tablename__ = "sync_conflict"

    squad_id: Mapped[str] = mapped_column(String(26), index=True)
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    field: Mapped[str | None] = mapped_column(String(100))
    hq_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    device_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    device_id: Mapped[str] = mapped_column(String(26))
    detected_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    resolved_by_id: Mapped[str | None] = mapped_column(String(26))
    resolved_by_name: Mapped[str | None] = mapped_column(String(50))
    resolution: Mapped[str | None] = mapped_column(String(20))
    resolution_note: Mapped[str | None] = mapped_column(Text)


class ReferenceFile(Base):
    """A ``resources/*.json`` file as HQ publishes it (``path`` relative to ``resources/``).

    The laptop reads these instead of its packaged copies from its next start, so the bureau
    can change the catalogue, calendar or wording without shipping a new program.
    """

    __tablename__ = "reference_file"

    path: Mapped[str] = mapped_column(String(200), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    revision: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class SyncState(Base):
    """One value of this laptop's sync state (HQ address, device secret, cursor, anchor, last
    success and error …); LOCAL, key/value so a new item needs no migration."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncBatch(Base):
    """A push batch exactly as it was (or will be) sent; LOCAL.

    Stored before the first send, so a crash between HQ's commit and the local acknowledgement
    re-sends the very same bytes under the same key and HQ applies it once. ``outbox_seqs``
    are the outbox rows the batch covers (marked sent when HQ acknowledges), ``last_event_seq``
    the chain position its last audit event reaches.
    """

    __tablename__ = "sync_batch"

    batch_key: Mapped[str] = mapped_column(String(26), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    outbox_seqs: Mapped[list[int]] = mapped_column(JSON)
    last_event_seq: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    acked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime, index=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SyncBase(Base):
    """The HQ revision this laptop's copy of a record started from (``base_revision``); LOCAL.

    Set from every pulled record and every acknowledged push, sent with the next push so HQ
    can merge three ways.
    """

    __tablename__ = "sync_base"

    table_name: Mapped[str] = mapped_column(String(50), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
