"""What every HQ request handler works with: the database, the attachment store, the limits and
the clock, held by the app (``app.state``) rather than in module globals, so two apps in one
process (tests, a benchmark) never share anything."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from fuanjian_desktop.hq.attachments import MAX_CHUNK_BYTES, AttachmentStore
from fuanjian_desktop.hq.database import HqDatabase

MIB = 1024 * 1024


@dataclass(frozen=True)
class HqLimits:
    """Request size bounds (413 beyond them) and the largest pull page a device may ask for.

    A push batch of a few hundred records with their audit events is a few MiB; 64 MiB leaves
    room for a laptop's generous batch while keeping a hostile body from exhausting memory.
    """

    json_bytes: int = MIB
    push_bytes: int = 64 * MIB
    chunk_bytes: int = MAX_CHUNK_BYTES
    attachment_bytes: int = 4 * 1024 * MIB
    pull_page: int = 5000


@dataclass(frozen=True)
class HqContext:
    """The server's state for one app; ``clock`` gives unix seconds (injected by tests)."""

    db: HqDatabase
    store: AttachmentStore
    limits: HqLimits
    clock: Callable[[], float]

    def now(self) -> dt.datetime:
        """The clock's moment as an aware UTC datetime (what HQ's tables store)."""
        return dt.datetime.fromtimestamp(self.clock(), dt.UTC)


def hq_context(request: Request) -> HqContext:
    """The context of the app serving ``request`` (a FastAPI dependency)."""
    context: HqContext = request.app.state.hq
    return context


Context = Annotated[HqContext, Depends(hq_context)]
