"""``POST /v1/enroll``: a one-time code turns a laptop into a device of the code's squad."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from fuanjian_desktop.hq.models import HqDevice, HqKey, HqRecord
from fuanjian_desktop.models.org import Squad
from fuanjian_desktop.sync_protocol.keys import unb64
from tests.hq.hq_http_support import (  # noqa: F401  (fixtures)
    PROTOCOL,
    Hq,
    enrollment_body,
    hq_fixture,
    hq_url_fixture,
    refusal,
)


def post(hq: Hq, body: object) -> Any:
    """POST /v1/enroll with ``body`` as JSON."""
    return hq.client.post("/v1/enroll", json=body, headers=PROTOCOL)


def test_enrollment_gives_identity_secret_keys_and_number_blocks(hq: Hq) -> None:
    """The answer matches the contract; HQ stores the device, its key, and grants blocks."""
    key = Ed25519PrivateKey.generate()
    body = enrollment_body(hq.code("园岭"), "园岭一号机", key)
    answer = post(hq, body)
    assert answer.status_code == 200, answer.text
    reply = answer.json()
    assert set(reply) == {
        "device_id",
        "secret",
        "squad_id",
        "squad_name",
        "hq_signing_public_key",
        "hq_escrow_public_key",
        "server_time",
    }
    assert reply["device_id"] == body["device_id"]
    assert len(unb64(reply["secret"])) == 32
    assert dt.datetime.fromisoformat(reply["server_time"]) == hq.clock_moment()
    with hq.db.read() as session:
        squad = session.scalars(select(Squad).where(Squad.short_name == "园岭")).one()
        assert (reply["squad_id"], reply["squad_name"]) == (squad.id, squad.name)
        keys = {key.name: key.public_b64 for key in session.scalars(select(HqKey))}
        assert reply["hq_signing_public_key"] == keys["signing"]
        assert reply["hq_escrow_public_key"] == keys["escrow"]
        device = session.get(HqDevice, body["device_id"])
        assert device is not None
        assert (device.squad_id, device.name) == (squad.id, "园岭一号机")
        assert device.signing_public_b64 == body["signing_public_key"]
        assert device.secret_b64 == reply["secret"]
        assert device.enrolled_at == hq.clock_moment()
        blocks = session.scalars(select(HqRecord).where(HqRecord.table_name == "number_block"))
        assert [block.squad_id for block in blocks] != []


def test_a_code_enrolls_exactly_once(hq: Hq) -> None:
    """The second laptop with the same code is 401 enrollment; only the first is stored."""
    code = hq.code()
    first = enrollment_body(code, "甲", Ed25519PrivateKey.generate())
    second = enrollment_body(code, "乙", Ed25519PrivateKey.generate())
    assert post(hq, first).status_code == 200
    answer = post(hq, second)
    assert refusal(answer) == (401, "enrollment")
    assert "已经用过" in answer.json()["message"]
    with hq.db.read() as session:
        assert session.get(HqDevice, second["device_id"]) is None


def test_an_expired_or_unknown_code_is_401(hq: Hq) -> None:
    """A code past its hours, or one HQ never made, enrolls nothing."""
    code = hq.code(hours=1)
    hq.clock.now += 3600
    body = enrollment_body(code, "甲", Ed25519PrivateKey.generate())
    assert refusal(post(hq, body)) == (401, "enrollment")
    body["code"] = "AAAA-BBBB-CCCC-DDDD"
    assert refusal(post(hq, body)) == (401, "enrollment")
    with hq.db.read() as session:
        assert session.get(HqDevice, body["device_id"]) is None


def test_a_refused_enrollment_leaves_the_code_usable(hq: Hq) -> None:
    """A device id already enrolled is 409 and rolls back: the code still works afterwards."""
    enrolled = hq.enroll()
    code = hq.code()
    body = enrollment_body(code, "甲", Ed25519PrivateKey.generate())
    body["device_id"] = enrolled.device_id
    assert refusal(post(hq, body)) == (409, "conflict")
    body = enrollment_body(code, "甲", Ed25519PrivateKey.generate())
    assert post(hq, body).status_code == 200


def test_malformed_enrollment_bodies_are_refused_in_chinese(hq: Hq) -> None:
    """Not JSON → 400; missing fields, a bad device id or key → 422 naming the field."""
    code = hq.code()
    good = enrollment_body(code, "甲", Ed25519PrivateKey.generate())
    not_json = hq.client.post("/v1/enroll", content=b"{nope", headers=PROTOCOL)
    assert refusal(not_json) == (400, "bad_request")
    missing = post(hq, {key: value for key, value in good.items() if key != "device_name"})
    assert refusal(missing) == (422, "invalid")
    assert "device_name" in missing.json()["message"]
    bad_id = post(hq, {**good, "device_id": "not-a-ulid"})
    assert refusal(bad_id) == (422, "invalid")
    short_key = post(hq, {**good, "signing_public_key": "AAAA"})
    assert refusal(short_key) == (422, "invalid")
    assert "公钥" in short_key.json()["message"]
    assert refusal(post(hq, [good])) == (422, "invalid")
    assert post(hq, good).status_code == 200  # the code survived every refusal


def test_an_oversized_enrollment_is_413(hq: Hq) -> None:
    """A body over the JSON limit is refused before it is parsed."""
    body = enrollment_body(hq.code(), "甲" * 600_000, Ed25519PrivateKey.generate())
    assert refusal(post(hq, body)) == (413, "too_large")
