"""The data key, sealed to HQ's escrow key, deposited once per key (the squad's last resort).

If every password and the printed recovery key of a squad's laptop are lost, the bureau can
unseal the key with its escrow private key and open the laptop's database or backup. Only HQ can
unseal it; the laptop sends it once for each data key it has used (``escrowed_key_id``).
"""

from __future__ import annotations

import hashlib

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.state import Key, Peer
from fuanjian_desktop.sync_client.transport import Transport
from fuanjian_desktop.sync_protocol.escrow import seal
from fuanjian_desktop.sync_protocol.keys import unb64


def key_id(database: Database) -> str:
    """A public name of the data key (reveals nothing of it)."""
    if database.key is None:
        raise SyncError("数据已锁定，请重新登录后再同步。", "locked")
    return hashlib.sha256(database.key.derive("escrow-key-id")).hexdigest()[:32]


def escrow_once(database: Database, transport: Transport, peer: Peer) -> None:
    """Deposit the data key at HQ unless this key was already deposited."""
    current = key_id(database)
    with database.read() as session:
        if state.get(session, Key.ESCROWED_KEY_ID) == current:
            return
    assert database.key is not None
    sealed = seal(unb64(peer.hq_escrow_key_b64), database.key.raw, current)
    transport.json("POST", "/escrow", {"key_id": current, "sealed": sealed})
    with database.write() as session:
        state.put(session, Key.ESCROWED_KEY_ID, current)
