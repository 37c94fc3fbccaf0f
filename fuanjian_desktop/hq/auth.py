"""Who is asking: the protocol check every request passes, and the device check of signed ones.

Order of the checks, each refusal in Chinese for the laptop to show:

1. ``X-FJ-Protocol`` must name HQ's version (426 ``protocol``) — before anything is read, so a
   laptop of another version learns so without HQ trying to understand its request.
2. The body is read within its limit (413) — the signature covers it.
3. The device must be enrolled (401 ``unknown_device``) and not revoked (401 ``revoked``).
4. The HMAC over method, path, timestamp, nonce and body must be the device's (401
   ``signature``) and the timestamp within five minutes of HQ's clock (401 ``clock``).
5. The nonce must not have been seen from that device within 15 minutes (401 ``replay``).
   Nonces older than that are deleted on the way: the clock check refuses their requests anyway.

A request that passes records its nonce and the device's last contact in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from fuanjian_desktop.hq.http_body import read_body
from fuanjian_desktop.hq.http_context import HqContext, HqLimits, hq_context
from fuanjian_desktop.hq.http_errors import ApiError
from fuanjian_desktop.hq.models import HqDevice, HqNonce
from fuanjian_desktop.sync_protocol.keys import unb64
from fuanjian_desktop.sync_protocol.signing import (
    CLOCK_ERROR,
    NONCE_TTL_SECONDS,
    header,
    verify,
)
from fuanjian_desktop.sync_protocol.version import (
    HEADER_DEVICE,
    HEADER_NONCE,
    HEADER_PROTOCOL,
    PROTOCOL_VERSION,
    ProtocolMismatch,
    check_version,
)

SIGNATURE_MESSAGE = "请求签名无效：本机的同步密钥与区局登记的不一致，请重新登记同步。"
CLOCK_MESSAGE = "本机时钟与区局服务器相差超过 5 分钟，请校准本机的日期和时间后再同步。"
REPLAY_MESSAGE = "区局服务器拒绝了一个重复发送的请求（可能被截获重放），本次未做任何改动。"


def unknown_device_message(device_id: str) -> str:
    """The 401 text for a device HQ has never enrolled (or whose record is gone)."""
    return f"区局服务器没有本机的登记（设备 {device_id or '未注明'}），请重新登记同步。"


def revoked_message(device_id: str) -> str:
    """The 401 text for a revoked device (the laptop shows it as it is)."""
    return f"本机已被区局停用同步（设备 {device_id}），请联系区局管理员。"


def require_protocol(request: Request) -> None:
    """426 unless the request speaks HQ's protocol version (a dependency of every route)."""
    given = request.headers.get(HEADER_PROTOCOL)
    try:
        check_version(given)
    except ProtocolMismatch:
        message = ProtocolMismatch(given or "未知", PROTOCOL_VERSION).message
        raise ApiError(426, "protocol", message) from None


@dataclass(frozen=True)
class DeviceRequest:
    """An authenticated request: the device, its squad and the body its signature covers."""

    device_id: str
    squad_id: str
    body: bytes


def signed_path(request: Request) -> str:
    """The path with its query exactly as sent on the wire (what the client signed)."""
    path = request.scope.get("raw_path") or request.scope["path"].encode()
    query = request.scope.get("query_string", b"")
    text: str = path.decode("latin-1")
    return f"{text}?{query.decode('latin-1')}" if query else text


def authenticate(
    context: HqContext, method: str, path: str, headers: dict[str, str], body: bytes
) -> DeviceRequest:
    """Checks 3–5 of the module docstring; on success the nonce and the contact are stored."""
    device_id = header(headers, HEADER_DEVICE) or ""
    now = context.clock()
    seen_at = dt.datetime.fromtimestamp(now, dt.UTC)
    try:
        with context.db.write() as session:
            device = session.get(HqDevice, device_id) if device_id else None
            if device is None:
                raise ApiError(401, "unknown_device", unknown_device_message(device_id))
            if device.revoked_at is not None:
                raise ApiError(401, "revoked", revoked_message(device_id))
            problem = verify(unb64(device.secret_b64), method, path, body, headers, int(now))
            if problem is not None:
                message = CLOCK_MESSAGE if problem == CLOCK_ERROR else SIGNATURE_MESSAGE
                raise ApiError(401, problem, message)
            expired = seen_at - dt.timedelta(seconds=NONCE_TTL_SECONDS)
            session.execute(
                delete(HqNonce).where(HqNonce.device_id == device_id, HqNonce.seen_at < expired)
            )
            nonce = header(headers, HEADER_NONCE) or ""
            session.add(HqNonce(device_id=device_id, nonce=nonce, seen_at=seen_at))
            session.flush()
            device.last_contact_at = seen_at
            squad_id = device.squad_id
    except IntegrityError:
        # the key (device, nonce) is taken: by an earlier request, or a concurrent twin
        raise ApiError(401, "replay", REPLAY_MESSAGE) from None
    return DeviceRequest(device_id, squad_id, body)


def signed_by_device(
    limit: Callable[[HqLimits], int],
) -> Callable[[Request], Awaitable[DeviceRequest]]:
    """A dependency that reads the body within ``limit(limits)`` bytes and authenticates it.

    The body is read on the event loop (it streams in); the database checks run on a worker
    thread like every blocking handler.
    """

    async def dependency(request: Request) -> DeviceRequest:
        context = hq_context(request)
        body = await read_body(request, limit(context.limits))
        headers = dict(request.headers.items())
        return await run_in_threadpool(
            authenticate, context, request.method, signed_path(request), headers, body
        )

    return dependency


SignedJson = Annotated[DeviceRequest, Depends(signed_by_device(lambda limits: limits.json_bytes))]
SignedPush = Annotated[DeviceRequest, Depends(signed_by_device(lambda limits: limits.push_bytes))]
SignedChunk = Annotated[DeviceRequest, Depends(signed_by_device(lambda limits: limits.chunk_bytes))]
