"""``GET /v1/status`` and ``POST /v1/escrow``: what HQ knows about the asking device, and the
squad's recovery key it keeps sealed.

Status tells the laptop whether HQ flagged its audit chain and where HQ anchored the chain's
head, so the desktop can show 链异常 and the client can check that its own chain still extends
the anchor. Escrow stores the recovery key sealed to HQ's escrow key (HQ can open it for the
bureau's administrator when a squad lost both its password and its key; nobody else can).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from fuanjian_desktop.hq.auth import SignedJson
from fuanjian_desktop.hq.http_body import validated
from fuanjian_desktop.hq.http_context import Context
from fuanjian_desktop.hq.http_errors import invalid
from fuanjian_desktop.hq.models import HqDevice, HqEscrow, HqKey
from fuanjian_desktop.hq.setup import ESCROW
from fuanjian_desktop.sync_protocol.escrow import EscrowRefused, unseal
from fuanjian_desktop.sync_protocol.keys import escrow_private
from fuanjian_desktop.sync_protocol.version import PROTOCOL_VERSION

FLAGGED_WITHOUT_REASON = "区局发现本机的审计链异常，已将本机上传的数据隔离，请联系区局管理员。"

router = APIRouter()


@router.get("/status")
def status(request: SignedJson, context: Context) -> dict[str, Any]:
    """The device as HQ sees it: squad, chain flag (Chinese reason or ``null``) and anchor."""
    with context.db.read() as session:
        device = session.get(HqDevice, request.device_id)
        assert device is not None, "authenticated a device that does not exist"
        flagged = (device.flag_reason or FLAGGED_WITHOUT_REASON) if device.flagged_at else None
        return {
            "device_id": device.id,
            "squad_id": device.squad_id,
            "flagged": flagged,
            "anchor": {"device_seq": device.anchor_seq, "event_hash": device.anchor_hash},
            "server_time": context.now().isoformat(),
            "server_protocol": PROTOCOL_VERSION,
        }


class EscrowRequest(BaseModel):
    """A sealed recovery key (``sync_protocol.escrow.seal``) and the key id it belongs to."""

    key_id: str = Field(min_length=1, max_length=64)
    sealed: dict[str, Any]


@router.post("/escrow")
def escrow(request: SignedJson, context: Context) -> dict[str, Any]:
    """Keep (or replace) this device's sealed copy of the key ``key_id``."""
    sealed = validated(EscrowRequest, request.body)
    now = context.now()
    with context.db.write() as session:
        _check_opens(session, sealed)
        row = session.get(HqEscrow, (request.device_id, sealed.key_id))
        if row is None:
            row = HqEscrow(device_id=request.device_id, key_id=sealed.key_id)
            session.add(row)
        row.squad_id = request.squad_id
        row.sealed = sealed.sealed
        row.stored_at = now
    return {"key_id": sealed.key_id, "stored_at": now.isoformat()}


def _check_opens(session: Session, request: EscrowRequest) -> None:
    """422 unless HQ's escrow key opens the sealed key and it is filed under its own key id.

    An escrow HQ cannot open is worthless exactly when it is needed (the squad lost its key), so
    it is refused now, while the laptop can still send a good one. The opened key is dropped.
    """
    key = session.get(HqKey, ESCROW)
    if key is None:
        raise RuntimeError("HQ has no escrow key: was `hq init` run?")
    if request.sealed.get("key_id") != request.key_id:
        raise invalid("托管的恢复密钥与其密钥编号不一致，区局未保存。")
    try:
        unseal(escrow_private(key.private_b64), request.sealed)
    except EscrowRefused as refused:
        raise invalid(refused.message) from None
