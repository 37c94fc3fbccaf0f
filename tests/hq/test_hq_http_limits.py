"""Body limits hold however the body arrives: a declared Content-Length over the limit is
refused before a byte is read, and a body streamed without one is cut off at the limit."""

from __future__ import annotations

import asyncio

from fuanjian_desktop.hq.http_context import MIB
from tests.hq.hq_http_support import (  # noqa: F401  (fixtures)
    PROTOCOL,
    Hq,
    asgi_request,
    hq_fixture,
    hq_url_fixture,
)

PART = 100 * 1024


def test_a_declared_length_over_the_limit_is_413_unread(hq: Hq) -> None:
    """Content-Length one byte over 1 MiB: refused with no body read at all."""
    headers = {**PROTOCOL, "content-length": str(MIB + 1), "content-type": "application/json"}
    answer = asyncio.run(asgi_request(hq.client.app, "POST", "/v1/enroll", headers, [b"{}"]))
    assert (answer.status, answer.parts_read) == (413, 0)


def test_a_streamed_body_is_cut_off_at_the_limit(hq: Hq) -> None:
    """2 MiB in 100 KiB parts without a length: refused once the 11th part passes 1 MiB."""
    parts = [b" " * PART] * 20
    for path in ("/v1/enroll", "/v1/escrow"):
        answer = asyncio.run(asgi_request(hq.client.app, "POST", path, PROTOCOL, parts))
        assert (path, answer.status, answer.parts_read) == (path, 413, MIB // PART + 1)


def test_a_body_at_the_limit_is_read(hq: Hq) -> None:
    """Exactly 1 MiB is within the limit: read whole, then refused for what it says (not 413)."""
    parts = [b" " * (MIB - 2) + b"{}"]
    answer = asyncio.run(asgi_request(hq.client.app, "POST", "/v1/enroll", PROTOCOL, parts))
    assert (answer.status, answer.parts_read) == (422, 1)
