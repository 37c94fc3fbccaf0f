"""A demo laptop joined to the fake HQ (tests/sync_client/fake_hq.py) as 园岭's device."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import OutboxEntry, Squad
from fuanjian_desktop.security import audit_chain
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.state import Key, Peer
from fuanjian_desktop.sync_client.transport import Transport
from fuanjian_desktop.sync_protocol.keys import b64
from tests.sync_client.fake_hq import (
    BASE_URL,
    ESCROW_PUBLIC_B64,
    HQ_SIGNING_PUBLIC_B64,
    SECRET,
    FakeHq,
)

DEVICE_SIGNING_RAW = bytes(range(3, 35))  # the laptop's Ed25519 private key in these tests


@dataclass
class Laptop:
    """The demo laptop, its HQ and a transport between them."""

    database: Database
    hq: FakeHq
    squads: dict[str, str]

    def transport(self) -> Transport:
        """A fresh signed transport to the fake HQ (one per round, as the app makes)."""
        with self.database.read() as session:
            peer = state.require_peer(session)
        return Transport.for_peer(peer, self.hq.client())


def join(database: Database, hq: FakeHq, squad_id: str) -> None:
    """Store an enrollment as ``enroll`` would (without the HTTP exchange)."""
    with database.write() as session:
        hq.device_id = state.chain_device(session)
        state.save_peer(
            session,
            Peer(
                hq_url=BASE_URL,
                device_id=hq.device_id,
                secret_b64=b64(SECRET),
                signing_key_b64=b64(DEVICE_SIGNING_RAW),
                hq_signing_key_b64=HQ_SIGNING_PUBLIC_B64,
                hq_escrow_key_b64=ESCROW_PUBLIC_B64,
                squad_id=squad_id,
                squad_name="园岭中队",
                pin=None,
                ca_pem=None,
            ),
        )


@pytest.fixture
def joined(demo_database: Database) -> Iterator[Laptop]:
    """The demo laptop of 园岭, joined to a fresh fake HQ."""
    with demo_database.read() as session:
        squads = {squad.short_name: squad.id for squad in session.scalars(select(Squad))}
    hq = FakeHq(squad_id=squads["园岭"])
    join(demo_database, hq, squads["园岭"])
    yield Laptop(demo_database, hq, squads)


def mark_synced(database: Database) -> None:
    """As if every change so far had reached HQ: outbox sent, anchor at the chain head (so a
    test about something else does not push the whole demo first)."""
    with database.write() as session:
        _device, seq, head = audit_chain.chain_head(session)
        session.execute(update(OutboxEntry).values(sent_at=utc_now()))
        state.put(session, Key.ANCHOR_SEQ, seq)
        state.put(session, Key.ANCHOR_HASH, head)


@pytest.fixture
def laptop(joined: Laptop) -> Laptop:
    """The demo laptop of 园岭 with all its changes still to push."""
    return joined


@pytest.fixture
def synced_laptop(joined: Laptop) -> Laptop:
    """The demo laptop with everything so far already at HQ."""
    mark_synced(joined.database)
    joined.hq.anchor = state_anchor(joined.database)
    return joined


def state_anchor(database: Database) -> tuple[int, str]:
    with database.read() as session:
        return state.anchor(session)
