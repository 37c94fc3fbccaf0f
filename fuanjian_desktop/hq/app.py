"""The HQ server's web application: the ``/v1`` endpoints of ``docs/sync-protocol.md``.

``create_app`` wires the pieces, each in its own module: the device check (``auth``), body
limits (``http_body``), refusals in Chinese (``http_errors``) and the routes by area
(``routes_enroll``, ``routes_sync``, ``routes_attachments``, ``routes_device``). Every response,
refusals included, names HQ's protocol version, so a laptop of another version refuses the
answer instead of misreading it.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fuanjian_desktop.hq import routes_attachments, routes_device, routes_enroll, routes_sync
from fuanjian_desktop.hq.attachments import AttachmentStore
from fuanjian_desktop.hq.auth import require_protocol
from fuanjian_desktop.hq.database import open_hq
from fuanjian_desktop.hq.http_context import HqContext, HqLimits
from fuanjian_desktop.hq.http_errors import install_error_handlers
from fuanjian_desktop.sync_protocol.version import API_PREFIX, HEADER_PROTOCOL, PROTOCOL_VERSION


def create_app(
    db_url: str,
    data_dir: Path,
    *,
    limits: HqLimits | None = None,
    clock: Callable[[], float] = time.time,
) -> FastAPI:
    """The HQ application on the database at ``db_url`` and attachments under ``data_dir``.

    The database is opened (and its schema checked) here, before any port is bound, so a wrong
    URL or an uninitialised database is a Chinese :class:`UserError` at start, not a 500 later.
    """
    limits = limits or HqLimits()
    context = HqContext(
        db=open_hq(db_url),
        store=AttachmentStore(data_dir, limits.attachment_bytes),
        limits=limits,
        clock=clock,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        context.db.close()

    app = FastAPI(
        title="FuAnJian HQ", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.hq = context
    install_error_handlers(app)
    for area in (routes_enroll, routes_sync, routes_attachments, routes_device):
        app.include_router(area.router, prefix=API_PREFIX, dependencies=[Depends(require_protocol)])
    app.add_middleware(ProtocolHeader)
    return app


class ProtocolHeader:
    """ASGI middleware adding ``X-FJ-Protocol`` to every response (streams pass untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                version = (HEADER_PROTOCOL.lower().encode(), str(PROTOCOL_VERSION).encode())
                message["headers"] = [*message.get("headers", []), version]
            await send(message)

        await self.app(scope, receive, send_with_version)
