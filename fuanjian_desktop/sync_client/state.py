"""This laptop's side of the conversation with HQ, kept in the encrypted ``sync_state`` table.

What enrollment received (HQ address, device id and secret, the device's signing key, HQ's
public keys, the squad) and what each round moves on (cursor, chain anchor, last success and
error). Everything secret stays inside the encrypted database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from fuanjian_desktop.models import SyncBase, SyncState
from fuanjian_desktop.security import audit_chain
from fuanjian_desktop.security.audit_chain import GENESIS
from fuanjian_desktop.sync_client.errors import NOT_ENROLLED, SyncError


class Key(StrEnum):
    """The names of the ``sync_state`` rows."""

    HQ_URL = "hq_url"
    DEVICE_ID = "device_id"
    SECRET = "secret_b64"
    SIGNING_KEY = "signing_private_b64"
    HQ_SIGNING_KEY = "hq_signing_public_b64"
    HQ_ESCROW_KEY = "hq_escrow_public_b64"
    SQUAD_ID = "squad_id"
    SQUAD_NAME = "squad_name"
    PIN = "tls_pin_sha256"
    CA_PEM = "tls_ca_pem"
    CURSOR = "cursor"
    ANCHOR_SEQ = "anchor_seq"
    ANCHOR_HASH = "anchor_hash"
    LAST_SUCCESS = "last_success_at"
    LAST_ERROR = "last_error"
    LAST_ERROR_CODE = "last_error_code"
    FLAGGED = "flagged"
    ESCROWED_KEY_ID = "escrowed_key_id"
    PACKAGE_OUT_SEQ = "package_out_seq"
    PACKAGE_IN_SEQ = "package_in_seq"
    STALE_CASES = "stale_cases"  # JSON list: cases whose derived deadlines await recomputing


def read_all(session: Session) -> dict[str, str]:
    """Every stored value by key (one query)."""
    return {row.key: row.value for row in session.scalars(select(SyncState))}


def get(session: Session, key: Key) -> str | None:
    """One stored value, or ``None``."""
    row = session.get(SyncState, str(key))
    return row.value if row else None


def put(session: Session, key: Key, value: str | int | None) -> None:
    """Store (``None``: remove) one value inside the caller's transaction."""
    row = session.get(SyncState, str(key))
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(SyncState(key=str(key), value=str(value)))
    else:
        row.value = str(value)
    session.flush()


def get_int(session: Session, key: Key, default: int = 0) -> int:
    """A stored number (cursor, sequence), ``default`` when absent."""
    value = get(session, key)
    return int(value) if value is not None else default


def put_time(session: Session, key: Key, moment: dt.datetime) -> None:
    """Store a moment as ISO-8601 UTC."""
    put(session, key, moment.astimezone(dt.UTC).isoformat())


def parse_time(value: str | None) -> dt.datetime | None:
    """A stored moment back as an aware UTC datetime."""
    return dt.datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Peer:
    """What enrollment made this laptop: its identity at one HQ and how to reach that HQ."""

    hq_url: str
    device_id: str
    secret_b64: str
    signing_key_b64: str
    hq_signing_key_b64: str
    hq_escrow_key_b64: str
    squad_id: str
    squad_name: str
    pin: str | None
    ca_pem: str | None


def peer_of(values: dict[str, str]) -> Peer | None:
    """The enrollment among stored ``values`` (:func:`read_all`), or ``None`` if not enrolled."""
    if Key.SECRET not in values:
        return None
    return Peer(
        hq_url=values[Key.HQ_URL],
        device_id=values[Key.DEVICE_ID],
        secret_b64=values[Key.SECRET],
        signing_key_b64=values[Key.SIGNING_KEY],
        hq_signing_key_b64=values[Key.HQ_SIGNING_KEY],
        hq_escrow_key_b64=values[Key.HQ_ESCROW_KEY],
        squad_id=values[Key.SQUAD_ID],
        squad_name=values[Key.SQUAD_NAME],
        pin=values.get(Key.PIN),
        ca_pem=values.get(Key.CA_PEM),
    )


def require_peer(session: Session) -> Peer:
    """The enrollment, or a Chinese :class:`SyncError` (``not_enrolled``)."""
    peer = peer_of(read_all(session))
    if peer is None:
        raise SyncError(NOT_ENROLLED, "not_enrolled")
    return peer


def save_peer(session: Session, peer: Peer) -> None:
    """Store a new enrollment with a fresh cursor and the chain anchor at its start."""
    fields = {
        Key.HQ_URL: peer.hq_url,
        Key.DEVICE_ID: peer.device_id,
        Key.SECRET: peer.secret_b64,
        Key.SIGNING_KEY: peer.signing_key_b64,
        Key.HQ_SIGNING_KEY: peer.hq_signing_key_b64,
        Key.HQ_ESCROW_KEY: peer.hq_escrow_key_b64,
        Key.SQUAD_ID: peer.squad_id,
        Key.SQUAD_NAME: peer.squad_name,
        Key.PIN: peer.pin,
        Key.CA_PEM: peer.ca_pem,
        Key.CURSOR: 0,
        Key.ANCHOR_SEQ: 0,
        Key.ANCHOR_HASH: GENESIS,
    }
    for key, value in fields.items():
        put(session, key, value)


def chain_device(session: Session) -> str:
    """The device id this laptop's audit chain is written under (``local_setting``)."""
    return audit_chain.chain_head(session)[0]


def anchor(session: Session) -> tuple[int, str]:
    """(device_seq, event_hash) of the newest own audit event HQ has acknowledged."""
    return get_int(session, Key.ANCHOR_SEQ), get(session, Key.ANCHOR_HASH) or GENESIS


def set_bases(session: Session, revisions: Iterable[tuple[str, str, int]]) -> None:
    """Store (table, id, HQ revision) as the records' bases, in one statement."""
    rows = [
        {"table_name": table, "entity_id": entity_id, "revision": revision}
        for table, entity_id, revision in revisions
    ]
    if not rows:
        return
    statement = insert(SyncBase)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["table_name", "entity_id"],
            set_={"revision": statement.excluded.revision},
        ),
        rows,
    )
