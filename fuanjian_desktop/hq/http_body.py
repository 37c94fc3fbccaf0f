"""Reading request bodies with a size limit, and JSON bodies checked against their shape.

A body is read before anything else can look at it (the signature covers it), so the limit is
enforced while reading: a declared ``Content-Length`` over it is refused at once, and a body that
streams past it is cut off, so no request makes HQ hold more than the limit in memory (413).
Bodies that are not JSON are 400; JSON of the wrong shape is 422 with the offending fields named.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from fuanjian_desktop.hq.http_errors import ApiError, fields_message, invalid

Model = TypeVar("Model", bound=BaseModel)


def _too_large(limit: int) -> ApiError:
    return ApiError(
        413, "too_large", f"请求内容超过区局服务器允许的大小（{limit} 字节），请分批发送。"
    )


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body of ``request``, refused with 413 as soon as it exceeds ``limit`` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    parts: list[bytes] = []
    size = 0
    async for part in request.stream():
        size += len(part)
        if size > limit:
            raise _too_large(limit)
        parts.append(part)
    return b"".join(parts)


def parse_json(body: bytes) -> Any:
    """The JSON value of a UTF-8 body (400 ``bad_request`` when it is not JSON)."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ApiError(400, "bad_request", "请求内容不是有效的 UTF-8 JSON。") from None


def json_object(body: bytes) -> dict[str, Any]:
    """A body that must be one JSON object (422 ``invalid`` for an array, a string…)."""
    value = parse_json(body)
    if not isinstance(value, dict):
        raise invalid("请求内容应为一个 JSON 对象。")
    return value


def validated(model: type[Model], body: bytes) -> Model:
    """The body parsed into ``model`` (400 if not JSON, 422 naming the wrong fields)."""
    value = parse_json(body)
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise invalid(fields_message(item["loc"] for item in error.errors())) from None
