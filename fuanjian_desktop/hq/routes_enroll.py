"""``POST /v1/enroll``: a laptop with a one-time code becomes a device of the code's squad.

The only unsigned request. In one transaction: the code is used up (single use, not expired),
the device is stored with a fresh 32-byte secret and the Ed25519 key it signs its offline
packages with, and its first number blocks are granted. Any refusal rolls all of it back, so a
refused laptop leaves nothing behind and its code stays valid. The answer carries the secret
(the one time it travels; TLS protects it) and HQ's public keys the laptop pins.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.enrollment import EnrollmentRefused, consume_code
from fuanjian_desktop.hq.http_body import read_body, validated
from fuanjian_desktop.hq.http_context import Context, hq_context
from fuanjian_desktop.hq.http_errors import ApiError, invalid
from fuanjian_desktop.hq.models import HqDevice, HqKey
from fuanjian_desktop.hq.number_blocks import top_up
from fuanjian_desktop.hq.setup import ESCROW, SIGNING
from fuanjian_desktop.models.org import Squad
from fuanjian_desktop.sync_protocol.keys import b64, signing_public
from fuanjian_desktop.sync_protocol.signing import new_secret

log = logging.getLogger("fuanjian_desktop.hq")
ULID_PATTERN = r"^[0-9A-HJKMNP-TV-Z]{26}$"
ALREADY_ENROLLED = "这个设备编号已在区局登记过，请在新的数据文件夹中登记。"

router = APIRouter()


class EnrollRequest(BaseModel):
    """The laptop's enrollment request (``docs/sync-protocol.md``)."""

    code: str = Field(min_length=1, max_length=100)
    device_id: str = Field(pattern=ULID_PATTERN)
    device_name: str = Field(min_length=1, max_length=100)
    signing_public_key: str = Field(max_length=100)
    app_version: str = Field(min_length=1, max_length=40)


async def enroll_body(request: Request) -> bytes:
    """The enrollment body, read within the JSON limit (413 beyond it)."""
    return await read_body(request, hq_context(request).limits.json_bytes)


@router.post("/enroll")
def enroll(body: Annotated[bytes, Depends(enroll_body)], context: Context) -> dict[str, Any]:
    """Enroll a laptop; 401 ``enrollment`` for a wrong, used or expired code."""
    request = validated(EnrollRequest, body)
    try:
        signing_public(request.signing_public_key)
    except UserError as error:
        raise invalid(f"设备签名公钥无效：{error.message}") from None
    now = context.now()
    secret = new_secret()
    try:
        with context.db.write() as session:
            squad_id = consume_code(session, request.code, request.device_id, now)
            if session.get(HqDevice, request.device_id) is not None:
                raise ApiError(
                    409, "conflict", "这个设备编号已在区局登记过，请在新的数据文件夹中登记。"
                )
            session.add(_device(request, squad_id, b64(secret), now))
            session.flush()
            top_up(session, request.device_id, now)
            answer = _answer(session, request.device_id, squad_id)
    except EnrollmentRefused as error:
        raise ApiError(401, "enrollment", error.message) from None
    log.info("device %s enrolled for squad %s", request.device_id, squad_id)
    return {**answer, "secret": b64(secret), "server_time": now.isoformat()}


def _device(request: EnrollRequest, squad_id: str, secret_b64: str, now: dt.datetime) -> HqDevice:
    return HqDevice(
        id=request.device_id,
        squad_id=squad_id,
        name=request.device_name,
        secret_b64=secret_b64,
        signing_public_b64=request.signing_public_key,
        app_version=request.app_version,
        enrolled_at=now,
    )


def _answer(session: Session, device_id: str, squad_id: str) -> dict[str, Any]:
    """The squad and HQ's public keys (set up by ``hq init``; missing ones are HQ's fault)."""
    keys = {key.name: key.public_b64 for key in session.scalars(select(HqKey))}
    squad_name = session.scalar(select(Squad.name).where(Squad.id == squad_id))
    if squad_name is None or not {SIGNING, ESCROW} <= keys.keys():
        raise RuntimeError("HQ keys or the squad row are missing: was `hq init` run?")
    return {
        "device_id": device_id,
        "squad_id": squad_id,
        "squad_name": squad_name,
        "hq_signing_public_key": keys[SIGNING],
        "hq_escrow_public_key": keys[ESCROW],
    }
