"""Request signing: the HMAC covers method, path, query, body and moment; the clock window."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from fuanjian_desktop.sync_protocol import signing
from fuanjian_desktop.sync_protocol.version import (
    HEADER_DEVICE,
    HEADER_NONCE,
    HEADER_PROTOCOL,
    HEADER_SIGNATURE,
    HEADER_TIMESTAMP,
)

SECRET = bytes(range(32))
NOW = 1_800_000_000
NONCE = "0123456789abcdef0123456789abcdef"
BODY = b'{"batch_key":"01J"}'
PATH = "/v1/pull?cursor=5&limit=100"


def headers(**overrides: object) -> dict[str, str]:
    made = signing.signed_headers("DEV1", SECRET, "POST", PATH, BODY, now=NOW, nonce=NONCE)
    made.update({key: str(value) for key, value in overrides.items()})
    return made


def test_signature_is_the_documented_hmac() -> None:
    """The signature equals HMAC-SHA256 of the five documented lines, written out by hand."""
    body_hash = hashlib.sha256(BODY).hexdigest()
    text = f"POST\n/v1/pull?cursor=5&limit=100\n{NOW}\n{NONCE}\n{body_hash}"
    expected = hmac.new(SECRET, text.encode(), hashlib.sha256).hexdigest()
    made = headers()
    assert made[HEADER_SIGNATURE] == expected
    assert made[HEADER_PROTOCOL] == "1"
    assert made[HEADER_DEVICE] == "DEV1"
    assert made[HEADER_TIMESTAMP] == str(NOW)
    assert made[HEADER_NONCE] == NONCE


def test_valid_request_verifies() -> None:
    """A request signed with the secret verifies, header names in any case."""
    lowered = {key.lower(): value for key, value in headers().items()}
    assert signing.verify(SECRET, "POST", PATH, BODY, lowered, NOW) is None


@pytest.mark.parametrize(
    ("method", "path", "body", "secret"),
    [
        ("PUT", PATH, BODY, SECRET),  # another method
        ("POST", "/v1/pull?cursor=6&limit=100", BODY, SECRET),  # another query
        ("POST", "/v1/push", BODY, SECRET),  # another path
        ("POST", PATH, BODY + b" ", SECRET),  # another body
        ("POST", PATH, BODY, bytes(32)),  # another device's secret
    ],
)
def test_any_change_breaks_the_signature(
    method: str, path: str, body: bytes, secret: bytes
) -> None:
    """Changing any covered part of the request, or the secret, gives 'signature'."""
    assert signing.verify(secret, method, path, body, headers(), NOW) == "signature"


@pytest.mark.parametrize(
    "override",
    [
        {HEADER_TIMESTAMP: NOW + 1},  # the signed moment changed
        {HEADER_NONCE: "f" * 32},  # the signed nonce changed
        {HEADER_NONCE: "xyz"},  # malformed nonce
        {HEADER_TIMESTAMP: "soon"},  # malformed timestamp
        {HEADER_SIGNATURE: "签名"},  # not hex at all
        {HEADER_SIGNATURE: ""},
    ],
)
def test_altered_or_malformed_headers_are_signature_errors(override: dict[str, object]) -> None:
    """A changed or malformed timestamp, nonce or signature header is 'signature'."""
    assert signing.verify(SECRET, "POST", PATH, BODY, headers(**override), NOW) == "signature"


def test_missing_headers_are_a_signature_error() -> None:
    """No signing headers at all is 'signature', not an exception."""
    assert signing.verify(SECRET, "POST", PATH, BODY, {}, NOW) == "signature"


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(0, None), (300, None), (-300, None), (301, "clock"), (-301, "clock"), (86400, "clock")],
)
def test_clock_window_is_300_seconds(offset: int, expected: str | None) -> None:
    """Exactly 300 s of skew either way is accepted, 301 s is 'clock' (boundary pinned)."""
    assert signing.verify(SECRET, "POST", PATH, BODY, headers(), NOW + offset) == expected


def test_nonces_are_fresh_and_well_formed() -> None:
    """Every request gets a new 32-hex nonce; the nonce memory outlives the clock window."""
    made = {signing.new_nonce() for _ in range(100)}
    assert len(made) == 100
    assert all(len(n) == 32 and int(n, 16) >= 0 for n in made)
    assert signing.NONCE_TTL_SECONDS >= 2 * signing.MAX_SKEW_SECONDS
