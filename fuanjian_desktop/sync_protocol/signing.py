"""Per-device request signing: HMAC-SHA256 over the request, a timestamp and a one-time nonce.

Each enrolled laptop holds a 32-byte secret shared with HQ only. A request is signed as::

    signature = hex HMAC-SHA256(secret, "{METHOD}\\n{path_with_query}\\n{timestamp}\\n{nonce}\\n"
                                        "{sha256 hex of the body}")

The signature binds the method, the exact path and query, the body and the moment, so nothing
of a captured request can be reused for another one; the timestamp bounds how long a capture is
worth anything (:data:`MAX_SKEW_SECONDS`) and the nonce, remembered by HQ for longer than that
window (:data:`NONCE_TTL_SECONDS`), makes a replay inside the window fail too. Why this scheme
and not bearer tokens, JWT or client certificates alone: ``docs/sync-protocol.md``.

This module is pure: the nonce memory lives in HQ's database (``hq_nonce``), not here.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Mapping

from fuanjian_desktop.sync_protocol.version import (
    HEADER_DEVICE,
    HEADER_NONCE,
    HEADER_PROTOCOL,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
    PROTOCOL_VERSION,
)

MAX_SKEW_SECONDS = 300
NONCE_TTL_SECONDS = 900  # > 2 × MAX_SKEW_SECONDS: a nonce is remembered as long as it is valid
NONCE_HEX_CHARS = 32
SECRET_BYTES = 32
_NONCE = re.compile(r"[0-9a-f]{32}")
_TIMESTAMP = re.compile(r"-?[0-9]{1,12}")
_SIGNATURE = re.compile(r"[0-9a-fA-F]{64}")

# the 401 error codes verify() answers
SIGNATURE_ERROR = "signature"
CLOCK_ERROR = "clock"


def new_nonce() -> str:
    """32 lower-case hex characters (128 random bits)."""
    return secrets.token_hex(NONCE_HEX_CHARS // 2)


def new_secret() -> bytes:
    """A fresh device secret, made by HQ at enrollment."""
    return secrets.token_bytes(SECRET_BYTES)


def string_to_sign(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    """The exact bytes the HMAC covers (``path`` with its query, as sent on the wire)."""
    digest = hashlib.sha256(body).hexdigest()
    return f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n{digest}".encode()


def signature_of(
    secret: bytes, method: str, path: str, timestamp: str, nonce: str, body: bytes
) -> str:
    """Hex HMAC-SHA256 of :func:`string_to_sign` under ``secret``."""
    message = string_to_sign(method, path, timestamp, nonce, body)
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def signed_headers(
    device_id: str,
    secret: bytes,
    method: str,
    path: str,
    body: bytes,
    *,
    now: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """Every header an authenticated request carries, the protocol version included."""
    timestamp = str(int(time.time()) if now is None else now)
    nonce = nonce or new_nonce()
    return {
        HEADER_PROTOCOL: str(PROTOCOL_VERSION),
        HEADER_DEVICE: device_id,
        HEADER_TIMESTAMP: timestamp,
        HEADER_NONCE: nonce,
        HEADER_SIGNATURE: signature_of(secret, method, path, timestamp, nonce, body),
    }


def header(headers: Mapping[str, str], name: str) -> str | None:
    """A header's value by case-insensitive name (HTTP header names are case-insensitive)."""
    wanted = name.lower()
    for key, value in headers.items():
        if key.lower() == wanted:
            return value
    return None


def verify(
    secret: bytes, method: str, path: str, body: bytes, headers: Mapping[str, str], now: int
) -> str | None:
    """``None`` if the request is signed by ``secret`` within the clock window, else the code.

    Missing or malformed headers and a wrong signature are all ``"signature"``; a correct
    signature made more than :data:`MAX_SKEW_SECONDS` from ``now`` is ``"clock"``. The
    signature is checked first, so only the secret's holder learns that its clock is off. The
    nonce's freshness is the caller's check (HQ's nonce table).
    """
    timestamp = header(headers, HEADER_TIMESTAMP) or ""
    nonce = header(headers, HEADER_NONCE) or ""
    given = header(headers, HEADER_SIGNATURE) or ""
    well_formed = _TIMESTAMP.fullmatch(timestamp) and _NONCE.fullmatch(nonce)
    if not (well_formed and _SIGNATURE.fullmatch(given)):
        return SIGNATURE_ERROR
    expected = signature_of(secret, method, path, timestamp, nonce, body)
    if not hmac.compare_digest(expected, given.lower()):
        return SIGNATURE_ERROR
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        return CLOCK_ERROR
    return None
