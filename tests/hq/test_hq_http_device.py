"""``/v1/status`` and ``/v1/escrow``, and how HQ answers what goes wrong (never a traceback)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from fuanjian_desktop.hq.http_context import HqContext
from fuanjian_desktop.hq.models import HqDevice, HqEscrow, HqKey
from fuanjian_desktop.security.audit_chain import GENESIS
from fuanjian_desktop.sync_protocol.escrow import seal, unseal
from fuanjian_desktop.sync_protocol.keys import escrow_private, public_raw, unb64
from fuanjian_desktop.sync_protocol.version import HEADER_PROTOCOL
from tests.hq.hq_http_support import (  # noqa: F401  (fixtures)
    PROTOCOL,
    Hq,
    hq_fixture,
    hq_url_fixture,
    refusal,
)

RECOVERY_KEY = bytes(range(32))
ESCROW = "/v1/escrow"


def sealed_for(hq: Hq, key_id: str, secret: bytes = RECOVERY_KEY) -> dict[str, Any]:
    """``secret`` sealed to this HQ's escrow key, as a laptop seals its recovery key."""
    with hq.db.read() as session:
        key = session.get(HqKey, "escrow")
        assert key is not None
        return seal(unb64(key.public_b64), secret, key_id)


def opened(hq: Hq, sealed: dict[str, Any]) -> bytes:
    """What HQ's administrator gets back from a stored escrow."""
    with hq.db.read() as session:
        key = session.get(HqKey, "escrow")
        assert key is not None
        return unseal(escrow_private(key.private_b64), sealed)


def test_status_of_a_new_device(hq: Hq) -> None:
    """Squad, no flag, the genesis anchor, HQ's time and protocol."""
    device = hq.enroll()
    assert device.request("GET", "/v1/status").json() == {
        "device_id": device.device_id,
        "squad_id": device.squad_id,
        "flagged": None,
        "anchor": {"device_seq": 0, "event_hash": GENESIS},
        "server_time": hq.clock_moment().isoformat(),
        "server_protocol": 1,
    }


def test_status_reports_the_flag_and_the_anchor(hq: Hq) -> None:
    """A flagged device reads HQ's reason; the anchor is the chain head HQ stored."""
    device = hq.enroll()
    with hq.db.write() as session:
        stored = session.get(HqDevice, device.device_id)
        assert stored is not None
        stored.flagged_at = hq.clock_moment()
        stored.flag_reason = "审计链在第 7 条断开"
        stored.anchor_seq, stored.anchor_hash = 6, "ab" * 32
    status = device.request("GET", "/v1/status").json()
    assert status["flagged"] == "审计链在第 7 条断开"
    assert status["anchor"] == {"device_seq": 6, "event_hash": "ab" * 32}


def test_escrow_is_stored_per_device_and_key_and_replaced(hq: Hq) -> None:
    """The sealed key is kept with the device's squad and opens with HQ's key; a second post
    of the same key id replaces it."""
    device = hq.enroll()
    first = sealed_for(hq, "k1")
    assert (
        device.request("POST", "/v1/escrow", {"key_id": "k1", "sealed": first}).status_code == 200
    )
    hq.clock.now += 10
    newer = sealed_for(hq, "k1", bytes(32))
    assert (
        device.request("POST", "/v1/escrow", {"key_id": "k1", "sealed": newer}).status_code == 200
    )
    with hq.db.read() as session:
        row = session.get(HqEscrow, (device.device_id, "k1"))
        assert row is not None
        assert (row.squad_id, row.sealed, row.stored_at) == (
            device.squad_id,
            newer,
            hq.clock_moment(),
        )
    assert opened(hq, newer) == bytes(32)


def test_an_escrow_hq_cannot_open_is_422_and_not_stored(hq: Hq) -> None:
    """Sealed to another key, altered, or filed under another key id: refused now, while the
    laptop can still send a good one."""
    device = hq.enroll()
    foreign = seal(public_raw(X25519PrivateKey.generate().public_key()), RECOVERY_KEY, "k")
    altered = sealed_for(hq, "k")
    altered["ciphertext"] = sealed_for(hq, "k", bytes(32))["ciphertext"]
    for sealed, words in (
        (foreign, "无法解开"),
        (altered, "无法解开"),
        (sealed_for(hq, "j"), "不一致"),
    ):
        answer = device.request("POST", "/v1/escrow", {"key_id": "k", "sealed": sealed})
        assert refusal(answer) == (422, "invalid")
        assert words in answer.json()["message"]
    with hq.db.read() as session:
        assert session.get(HqEscrow, (device.device_id, "k")) is None


def test_a_malformed_escrow_is_422_and_not_stored(hq: Hq) -> None:
    """No key id, or a sealed value that is not an object: refused, naming the field."""
    device = hq.enroll()
    cases = (
        ({"sealed": sealed_for(hq, "k")}, "key_id"),
        ({"key_id": "k", "sealed": "x"}, "sealed"),
    )
    for body, field in cases:
        answer = device.request("POST", "/v1/escrow", body)
        assert refusal(answer) == (422, "invalid")
        assert field in answer.json()["message"]
    with hq.db.read() as session:
        assert session.get(HqEscrow, (device.device_id, "k")) is None


def test_an_unknown_route_is_404_in_the_contract_shape(hq: Hq) -> None:
    """A path HQ does not serve, or a method it does not take, answers in Chinese."""
    assert refusal(hq.client.get("/v1/nothing", headers=PROTOCOL)) == (404, "not_found")
    assert refusal(hq.client.delete("/v1/enroll", headers=PROTOCOL)) == (405, "bad_request")


def test_a_failure_inside_hq_is_a_chinese_500_and_an_english_log(
    hq: Hq, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An unexpected error: the client reads a short Chinese message, the log has the stack."""
    device = hq.enroll()

    def broken(_self: HqContext) -> dt.datetime:
        raise RuntimeError("clock exploded")

    monkeypatch.setattr(HqContext, "now", broken)
    with caplog.at_level(logging.ERROR, logger="fuanjian_desktop.hq"):
        answer = device.request("GET", "/v1/status")
    assert refusal(answer) == (500, "internal")
    assert "clock exploded" not in answer.text
    assert answer.headers[HEADER_PROTOCOL] == "1"
    assert "unhandled error on GET /v1/status" in caplog.text
    assert "clock exploded" in caplog.text
