"""``POST /v1/push`` and ``GET /v1/pull``: the two halves of a sync round, over HQ's data side.

The HTTP side only authenticates, bounds and parses; what a push may change and what a pull may
see is decided by ``hq.push.apply_push`` and ``hq.pull.pull_page`` (one transaction each), so
an offline package (``hq import``) goes through exactly the same rules.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from fuanjian_desktop.hq.auth import SignedJson, SignedPush
from fuanjian_desktop.hq.http_body import json_object
from fuanjian_desktop.hq.http_context import Context
from fuanjian_desktop.hq.pull import pull_page
from fuanjian_desktop.hq.push import apply_push

DEFAULT_PULL_PAGE = 500

router = APIRouter()


@router.post("/push")
def push(request: SignedPush, context: Context) -> JSONResponse:
    """Apply one PushBatch (idempotent by its ``batch_key``) and answer its PushResult."""
    status, result = apply_push(context.db, request.device_id, json_object(request.body))
    return JSONResponse(result, status_code=status)


@router.get("/pull")
def pull(
    request: SignedJson,
    context: Context,
    cursor: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1)] = DEFAULT_PULL_PAGE,
    tables: Annotated[str | None, Query(max_length=2000)] = None,
) -> dict[str, Any]:
    """One page of what the device may see after ``cursor`` (a page never exceeds HQ's limit;
    ``tables=a,b`` asks a filtered snapshot instead, for a newly enrolled laptop)."""
    names = [name for name in tables.split(",") if name] if tables is not None else None
    page_size = min(limit, context.limits.pull_page)
    return pull_page(context.db, request.device_id, cursor, page_size, names)
