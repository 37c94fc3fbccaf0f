"""``/v1/status`` and ``/v1/escrow``, and how HQ answers what goes wrong (never a traceback)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from fuanjian_desktop.hq.http_context import HqContext
from fuanjian_desktop.hq.models import HqDevice, HqEscrow
from fuanjian_desktop.security.audit_chain import GENESIS
from fuanjian_desktop.sync_protocol.version import HEADER_PROTOCOL
from tests.hq.hq_http_support import (  # noqa: F401  (fixtures)
    PROTOCOL,
    Hq,
    hq_fixture,
    hq_template_fixture,
    refusal,
)

SEALED = {"ephemeral": "AAAA", "nonce": "BBBB", "ciphertext": "CCCC"}


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
    """The sealed key is kept with the device's squad; a second post of the key replaces it."""
    device = hq.enroll()
    assert (
        device.request("POST", "/v1/escrow", {"key_id": "k1", "sealed": SEALED}).status_code == 200
    )
    hq.clock.now += 10
    newer = {**SEALED, "ciphertext": "DDDD"}
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


def test_a_malformed_escrow_is_422_and_not_stored(hq: Hq) -> None:
    """No key id, or a sealed value that is not an object: refused, naming the field."""
    device = hq.enroll()
    for body, field in (({"sealed": SEALED}, "key_id"), ({"key_id": "k", "sealed": "x"}, "sealed")):
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
