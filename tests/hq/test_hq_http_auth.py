"""Device authentication at HQ: protocol version, signature, clock window, replay, revocation.

Each rule is shown refusing once with the contract's status, code and a Chinese message, and
the request beside it that passes.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from fuanjian_desktop.hq.devices import revoke_device
from fuanjian_desktop.hq.models import HqDevice, HqNonce
from fuanjian_desktop.sync_protocol.version import HEADER_PROTOCOL
from tests.hq.hq_http_support import (  # noqa: F401  (fixtures)
    Hq,
    hq_fixture,
    hq_url_fixture,
    refusal,
)

STATUS = "/v1/status"


def test_a_signed_request_passes(hq: Hq) -> None:
    """The baseline every refusal below differs from in one thing."""
    device = hq.enroll()
    answer = device.request("GET", STATUS)
    assert answer.status_code == 200, answer.text
    assert answer.json()["device_id"] == device.device_id
    assert answer.headers[HEADER_PROTOCOL] == "1"


def test_another_protocol_version_is_426_before_anything_else(hq: Hq) -> None:
    """Version 2, or no version at all, is told apart in Chinese; the answer names version 1."""
    device = hq.enroll()
    for given in ("2", None):
        headers = device.headers("GET", STATUS)
        if given is None:
            del headers[HEADER_PROTOCOL]
        else:
            headers[HEADER_PROTOCOL] = given
        answer = hq.client.get(STATUS, headers=headers)
        assert refusal(answer) == (426, "protocol")
        assert f"本机同步协议版本为 {given or '未知'}，区局服务器为 1" in answer.json()["message"]
        assert answer.headers[HEADER_PROTOCOL] == "1"
    unsigned = hq.client.post("/v1/enroll", json={}, headers={HEADER_PROTOCOL: "0"})
    assert refusal(unsigned) == (426, "protocol")


def test_an_unknown_device_is_401(hq: Hq) -> None:
    """A device id HQ never enrolled (or no device header) is refused as unknown."""
    device = hq.enroll()
    device.device_id = "01JZZZZZZZZZZZZZZZZZZZZZZZ"
    assert refusal(device.request("GET", STATUS)) == (401, "unknown_device")
    headers = device.headers("GET", STATUS)
    del headers["X-FJ-Device"]
    assert refusal(hq.client.get(STATUS, headers=headers)) == (401, "unknown_device")


def test_a_wrong_secret_or_a_changed_request_is_401_signature(hq: Hq) -> None:
    """Another secret, another path, a changed query or body: the signature no longer fits."""
    device = hq.enroll()
    good_secret = device.secret
    device.secret = bytes(32)
    assert refusal(device.request("GET", STATUS)) == (401, "signature")
    device.secret = good_secret
    for signed, sent in ((STATUS + "?page=1", STATUS + "?page=2"), ("/v1/statuz", STATUS)):
        answer = hq.client.get(sent, headers=device.headers("GET", signed))
        assert refusal(answer) == (401, "signature")
    query = STATUS + "?page=1"
    assert hq.client.get(query, headers=device.headers("GET", query)).status_code == 200
    body = b'{"key_id": "k", "sealed": {}}'
    headers = device.headers("POST", "/v1/escrow", body)
    answer = hq.client.post("/v1/escrow", content=body.replace(b"k", b"x"), headers=headers)
    assert refusal(answer) == (401, "signature")


def test_the_clock_window_is_five_minutes_either_way(hq: Hq) -> None:
    """300 s off passes; 301 s off (early or late) is 401 clock with the fix-your-time text."""
    device = hq.enroll()
    now = int(hq.clock.now)
    for skew in (300, -300):
        assert device.request("GET", STATUS, now=now + skew).status_code == 200
    for skew in (301, -301):
        answer = device.request("GET", STATUS, now=now + skew)
        assert refusal(answer) == (401, "clock")
        assert "时钟" in answer.json()["message"]


def test_a_replayed_request_is_401_replay_and_changes_nothing(hq: Hq) -> None:
    """The same signed chunk upload twice: the second is refused (not appended, not even 409),
    though its clock is still valid."""
    device = hq.enroll()
    chunk = b"evidence"
    upload = f"/v1/attachments/{hashlib.sha256(chunk).hexdigest()}/upload"
    headers = device.headers("PUT", upload + "?offset=0", chunk)
    assert hq.client.put(upload + "?offset=0", content=chunk, headers=headers).status_code == 200
    hq.clock.now += 60
    replayed = hq.client.put(upload + "?offset=0", content=chunk, headers=headers)
    assert refusal(replayed) == (401, "replay")
    assert device.request("GET", upload).json() == {"received": len(chunk)}


def test_nonces_are_forgotten_after_fifteen_minutes(hq: Hq) -> None:
    """A nonce older than 900 s is deleted on the device's next request; younger ones stay."""
    device = hq.enroll()
    device.request("GET", STATUS, nonce="a" * 32)
    hq.clock.now += 900
    device.request("GET", STATUS, nonce="b" * 32)
    assert _nonces(hq, device.device_id) == {"a" * 32, "b" * 32}
    hq.clock.now += 1
    device.request("GET", STATUS, nonce="c" * 32)
    assert _nonces(hq, device.device_id) == {"b" * 32, "c" * 32}


def test_a_revoked_device_is_401_revoked_in_chinese(hq: Hq) -> None:
    """After ``hq revoke`` the device's correctly signed request is refused, naming it."""
    device = hq.enroll()
    revoke_device(hq.db, device.device_id, "笔记本遗失")
    answer = device.request("GET", STATUS)
    assert refusal(answer) == (401, "revoked")
    assert answer.json()["message"] == (
        f"本机已被区局停用同步（设备 {device.device_id}），请联系区局管理员。"
    )


def test_last_contact_is_the_moment_of_the_last_accepted_request(hq: Hq) -> None:
    """A passing request stamps last contact; a refused one does not."""
    device = hq.enroll()
    hq.clock.now += 3600
    device.request("GET", STATUS)
    contact = hq.clock_moment()
    hq.clock.now += 60
    device.request("GET", STATUS, now=int(hq.clock.now) - 1000)  # refused: clock
    with hq.db.read() as session:
        stored = session.get(HqDevice, device.device_id)
        assert stored is not None
        assert stored.last_contact_at == contact


def _nonces(hq: Hq, device_id: str) -> set[str]:
    with hq.db.read() as session:
        return set(session.scalars(select(HqNonce.nonce).where(HqNonce.device_id == device_id)))
