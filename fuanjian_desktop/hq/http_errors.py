"""How HQ answers a refused request: ``{"error": code, "message": Chinese}``, never a traceback.

The laptop shows ``message`` to the user as it is and acts on ``error`` (a revoked device stops
its automatic rounds, ``clock`` tells the user to fix the time…). Whatever goes wrong inside HQ
is logged in English to stderr for the bureau's administrator and answered with a short Chinese
500; the client never sees a stack.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from fuanjian_desktop.errors import NotFound, UserError
from fuanjian_desktop.hq.attachments import HashMismatch, OffsetMismatch, TooLarge
from fuanjian_desktop.sync_protocol.version import HEADER_PROTOCOL, PROTOCOL_VERSION

log = logging.getLogger("fuanjian_desktop.hq")

INTERNAL_MESSAGE = "区局服务器内部错误，本次同步未完成，请稍后重试；如反复出现请联系区局管理员。"
ROUTE_MESSAGES = {
    404: "区局服务器没有这个接口（地址错误，或服务器版本不同）。",
    405: "区局服务器的这个接口不接受这种请求方法。",
}


class ApiError(Exception):
    """A refusal with its HTTP status, the contract's error code and a Chinese message.

    ``extra`` adds fields to the body (a 409 on an upload carries ``received``).
    """

    def __init__(
        self, status: int, code: str, message: str, extra: dict[str, object] | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra or {}


def error_response(status: int, code: str, message: str, **extra: object) -> JSONResponse:
    """The body every refusal has (plus ``extra`` fields)."""
    return JSONResponse({"error": code, "message": message, **extra}, status_code=status)


def invalid(message: str) -> ApiError:
    """422 ``invalid``: well-formed JSON that does not say what the contract asks."""
    return ApiError(422, "invalid", message)


def _user_error_answer(error: UserError) -> ApiError:
    """The contract's answer for a core error raised while serving a request."""
    if isinstance(error, OffsetMismatch):
        return ApiError(409, "conflict", error.message, {"received": error.received})
    if isinstance(error, HashMismatch):
        return ApiError(422, "hash_mismatch", error.message)
    if isinstance(error, TooLarge):
        return ApiError(413, "too_large", error.message)
    if isinstance(error, NotFound):
        return ApiError(404, "not_found", error.message)
    return ApiError(400, "bad_request", error.message)


def fields_message(locations: Iterable[Sequence[object]]) -> str:
    """A Chinese sentence naming the fields (pydantic locations) that are missing or wrong."""
    fields = sorted({".".join(str(part) for part in location) for location in locations})
    named = "、".join(field or "请求" for field in fields)
    return f"请求内容不符合同步协议：{named} 缺失或格式错误。"


def install_error_handlers(app: FastAPI) -> None:
    """Make every refusal and every failure answer in the contract's shape."""

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, **error.extra)

    @app.exception_handler(UserError)
    async def user_error(_request: Request, error: UserError) -> JSONResponse:
        answer = _user_error_answer(error)
        return error_response(answer.status, answer.code, answer.message, **answer.extra)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
        # the location's first part says where (query, path, body); the rest names the field
        message = fields_message(item["loc"][1:] for item in error.errors())
        return error_response(422, "invalid", message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        message = ROUTE_MESSAGES.get(error.status_code, "区局服务器拒绝了这个请求。")
        code = "not_found" if error.status_code == 404 else "bad_request"
        return error_response(error.status_code, code, message)

    @app.exception_handler(Exception)
    async def failure(request: Request, error: Exception) -> JSONResponse:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
        answer = error_response(500, "internal", INTERNAL_MESSAGE)
        # answered by Starlette's outermost middleware, past the one that names the version
        answer.headers[HEADER_PROTOCOL] = str(PROTOCOL_VERSION)
        return answer
