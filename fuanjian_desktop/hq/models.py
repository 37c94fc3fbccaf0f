"""The HQ server's own tables (``hq_*``): devices, keys, push batches and every revision received.

They live on their own metadata (:class:`HqBase`), apart from the laptop's ``Base``: the HQ
database also holds a *mirror* of the laptop's synced tables (``hq.mirror``), HQ's current state
of every record, which ``services.statistics`` reads by the same code as on a laptop.

``hq_revision`` is the server change sequence: every version HQ received or made, in commit order
(``hq.sequence`` explains why the order holds), with who sent it, when and in which batch.
``hq_record`` points each record at its current revision; quarantined revisions (a broken audit
chain) and refused ones (a colliding number) are kept but never become current.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from fuanjian_desktop.db.base import NAMING_CONVENTION, UtcDateTime, utc_now
from fuanjian_desktop.security.audit_chain import GENESIS

HQ_DEVICE = "hq"  # the device_id of revisions HQ made itself (publish)


class HqBase(DeclarativeBase):
    """Base of the HQ server's own tables (named constraints, as on the laptop)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class HqKey(HqBase):
    """HQ's key pairs: ``signing`` (Ed25519, packages to devices) and ``escrow`` (X25519)."""

    __tablename__ = "hq_key"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    private_b64: Mapped[str] = mapped_column(Text)
    public_b64: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class HqDevice(HqBase):
    """An enrolled laptop: its squad, its secret, and the head of its audit chain HQ has seen.

    ``anchor_seq``/``anchor_hash`` is the last audit event HQ accepted from the device: the next
    push must continue the chain from there. ``flagged_at``/``flag_reason`` mark a device whose
    chain broke (its pushes are kept quarantined until an administrator looks).
    """

    __tablename__ = "hq_device"

    id: Mapped[str] = mapped_column(String(26), primary_key=True)
    squad_id: Mapped[str] = mapped_column(String(26), index=True)
    name: Mapped[str] = mapped_column(String(100))
    secret_b64: Mapped[str] = mapped_column(String(100))
    signing_public_b64: Mapped[str] = mapped_column(String(100))
    app_version: Mapped[str] = mapped_column(String(40))
    enrolled_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_contact_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    flagged_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    flag_reason: Mapped[str | None] = mapped_column(Text)
    anchor_seq: Mapped[int] = mapped_column(Integer, default=0)
    anchor_hash: Mapped[str] = mapped_column(String(64), default=GENESIS)
    package_in_seq: Mapped[int] = mapped_column(Integer, default=0)
    package_out_seq: Mapped[int] = mapped_column(Integer, default=0)


class HqEnrollmentCode(HqBase):
    """A one-time enrollment code, stored only as its SHA-256."""

    __tablename__ = "hq_enrollment_code"

    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    squad_id: Mapped[str] = mapped_column(String(26))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    device_id: Mapped[str | None] = mapped_column(String(26))


class HqNonce(HqBase):
    """A request nonce a device used recently (replay protection)."""

    __tablename__ = "hq_nonce"

    device_id: Mapped[str] = mapped_column(String(26), primary_key=True)
    nonce: Mapped[str] = mapped_column(String(32), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)


class HqBatch(HqBase):
    """A push batch applied once: its body's hash and the result answered (replayed on retry)."""

    __tablename__ = "hq_batch"

    batch_key: Mapped[str] = mapped_column(String(26), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(26))
    body_sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    quarantined: Mapped[bool] = mapped_column(Boolean, default=False)


class HqRevision(HqBase):
    """One version of one record as HQ received or made it (the server change sequence).

    ``squad_id`` is the squad the revision is published to (``None``: every device);
    ``merged`` marks a revision HQ made by merging a push with a newer state (the pushing device
    must pull it); ``fields``/``children`` are the envelope's, in wire encoding.
    """

    __tablename__ = "hq_revision"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    table_name: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(200))
    squad_id: Mapped[str | None] = mapped_column(String(26))
    version: Mapped[int] = mapped_column(Integer)
    op: Mapped[str] = mapped_column(String(10))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    children: Mapped[dict[str, Any]] = mapped_column(JSON)
    device_id: Mapped[str] = mapped_column(String(26))
    batch_key: Mapped[str | None] = mapped_column(String(26))
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    quarantined: Mapped[bool] = mapped_column(Boolean, default=False)
    merged: Mapped[bool] = mapped_column(Boolean, default=False)


class HqRecord(HqBase):
    """A record's current revision at HQ (``deleted``: its current revision is a tombstone).

    The key's index leads with ``entity_id``: HQ looks records up by lists of ids of one table,
    and PostgreSQL, planning with the statistics of a table still being filled, used an index
    led by ``table_name`` for the table alone and compared every id of the list with every row
    of that table (a 20,000-record publish: 41 s instead of 6). Objects are still identified
    as ``(table_name, entity_id)``.
    """

    __tablename__ = "hq_record"
    __table_args__ = (PrimaryKeyConstraint("entity_id", "table_name"),)

    table_name: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(200))
    squad_id: Mapped[str | None] = mapped_column(String(26))
    current_seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    origin_device: Mapped[str] = mapped_column(String(26))

    # the identity stays (table_name, entity_id) whatever the index order
    __mapper_args__ = {"primary_key": [table_name, entity_id]}  # noqa: RUF012


class HqAttachment(HqBase):
    """An evidence file HQ holds (``data_dir/attachments/ab/<sha256>``)."""

    __tablename__ = "hq_attachment"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    stored_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    origin_device: Mapped[str] = mapped_column(String(26))


class HqEscrow(HqBase):
    """A squad's recovery key sealed to HQ's escrow key by one device."""

    __tablename__ = "hq_escrow"

    device_id: Mapped[str] = mapped_column(String(26), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    squad_id: Mapped[str] = mapped_column(String(26))
    sealed: Mapped[dict[str, Any]] = mapped_column(JSON)
    stored_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
