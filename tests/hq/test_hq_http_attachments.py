"""``/v1/attachments`` over HTTP: ask what HQ lacks, upload resumably, download by range, and
only what the device's squad may see."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from fuanjian_desktop.hq.envelopes import hq_envelope
from fuanjian_desktop.hq.http_context import HqLimits
from fuanjian_desktop.hq.models import HqAttachment
from fuanjian_desktop.hq.publish import publish
from fuanjian_desktop.ids import new_id
from tests.hq.hq_http_support import (  # noqa: F401  (fixtures)
    Device,
    Hq,
    hq_url_fixture,
    refusal,
    start_hq,
)

CHUNK = 1024
LIMITS = HqLimits(chunk_bytes=CHUNK, attachment_bytes=64 * CHUNK)
CONTENT = bytes(range(256)) * 20  # 5120 bytes: five chunks
SHA = hashlib.sha256(CONTENT).hexdigest()
OTHER = hashlib.sha256(b"other").hexdigest()
UPLOAD = f"/v1/attachments/{SHA}/upload"


@pytest.fixture(name="hq")
def small_hq(hq_url: str, tmp_path: Path) -> Iterator[Hq]:
    """An HQ taking chunks of at most 1 KiB and attachments of at most 64 KiB."""
    yield from start_hq(hq_url, tmp_path, LIMITS)


def upload(device: Device, content: bytes, sha: str = SHA) -> None:
    """Upload ``content`` in 1 KiB chunks and complete it (asserting each step)."""
    for offset in range(0, len(content), CHUNK):
        chunk = content[offset : offset + CHUNK]
        path = f"/v1/attachments/{sha}/upload?offset={offset}"
        answer = device.request("PUT", path, chunk)
        assert answer.json() == {"received": offset + len(chunk)}
    done = device.request("POST", f"/v1/attachments/{sha}/complete", {"size": len(content)})
    assert done.status_code == 200, done.text


def name_in_squad(hq: Hq, sha: str, squad_id: str | None) -> None:
    """An evidence record naming ``sha``, current at HQ for ``squad_id`` (None: everyone)."""
    fields = {"sha256": sha, "extension": ".jpg", "size_bytes": 1, "original_name": "a.jpg"}
    with hq.db.write() as session:
        publish(session, hq_envelope("evidence_file", new_id(), fields), squad_id)


def test_missing_names_what_hq_lacks_in_order_once(hq: Hq) -> None:
    """Held hashes drop out; duplicates are answered once; a malformed hash is refused."""
    device = hq.enroll()
    upload(device, CONTENT)
    asked = {"sha256": [OTHER, SHA, OTHER]}
    assert device.request("POST", "/v1/attachments/missing", asked).json() == {"missing": [OTHER]}
    bad = device.request("POST", "/v1/attachments/missing", {"sha256": ["../x"]})
    assert refusal(bad) == (400, "bad_request")


def test_an_interrupted_upload_resumes_where_hq_stopped(hq: Hq) -> None:
    """After two chunks HQ reports 2048; a chunk at another offset is 409 with that count."""
    device = hq.enroll()
    device.request("PUT", f"{UPLOAD}?offset=0", CONTENT[:CHUNK])
    device.request("PUT", f"{UPLOAD}?offset={CHUNK}", CONTENT[CHUNK : 2 * CHUNK])
    assert device.request("GET", UPLOAD).json() == {"received": 2 * CHUNK}
    again = device.request("PUT", f"{UPLOAD}?offset={CHUNK}", CONTENT[CHUNK : 2 * CHUNK])
    assert refusal(again) == (409, "conflict")
    assert again.json()["received"] == 2 * CHUNK
    for offset in range(2 * CHUNK, len(CONTENT), CHUNK):
        path = f"{UPLOAD}?offset={offset}"
        assert device.request("PUT", path, CONTENT[offset : offset + CHUNK]).status_code == 200
    complete = device.request("POST", f"/v1/attachments/{SHA}/complete", {"size": len(CONTENT)})
    assert complete.status_code == 200
    assert (hq.data_dir / "attachments" / SHA[:2] / SHA).read_bytes() == CONTENT
    with hq.db.read() as session:
        stored = session.get(HqAttachment, SHA)
        assert stored is not None
        assert (stored.size, stored.origin_device) == (len(CONTENT), device.device_id)


def test_a_corrupted_upload_is_422_and_dropped(hq: Hq) -> None:
    """Bytes that do not hash to the name: 422 hash_mismatch, nothing kept, restart from 0."""
    device = hq.enroll()
    damaged = bytes([CONTENT[0] ^ 1]) + CONTENT[1:]
    for offset in range(0, len(damaged), CHUNK):
        device.request("PUT", f"{UPLOAD}?offset={offset}", damaged[offset : offset + CHUNK])
    done = device.request("POST", f"/v1/attachments/{SHA}/complete", {"size": len(CONTENT)})
    assert refusal(done) == (422, "hash_mismatch")
    assert device.request("GET", UPLOAD).json() == {"received": 0}
    with hq.db.read() as session:
        assert session.scalars(select(HqAttachment)).all() == []


def test_a_chunk_over_the_limit_is_413_and_not_written(hq: Hq) -> None:
    """One byte over the chunk size is refused before HQ writes anything."""
    device = hq.enroll()
    answer = device.request("PUT", f"{UPLOAD}?offset=0", CONTENT[: CHUNK + 1])
    assert refusal(answer) == (413, "too_large")
    assert device.request("GET", UPLOAD).json() == {"received": 0}


def test_an_attachment_over_the_limit_is_413(hq: Hq) -> None:
    """Chunks that would take one file past HQ's bound are refused."""
    device = hq.enroll()
    big = hashlib.sha256(b"big").hexdigest()
    for offset in range(0, 64 * CHUNK, CHUNK):
        path = f"/v1/attachments/{big}/upload?offset={offset}"
        assert device.request("PUT", path, bytes(CHUNK)).status_code == 200
    over = device.request("PUT", f"/v1/attachments/{big}/upload?offset={64 * CHUNK}", b"x")
    assert refusal(over) == (413, "too_large")


def test_a_path_that_is_not_a_sha256_is_refused(hq: Hq) -> None:
    """Upper case, short or traversal names never reach the disk (422 from the route)."""
    device = hq.enroll()
    expected = {SHA.upper(): 422, SHA[:-1]: 422, "..%2F..%2Fetc%2Fpasswd": 404}
    for name, status in expected.items():
        answer = device.request("GET", f"/v1/attachments/{name}/upload")
        assert refusal(answer)[0] == status, answer.text


def test_a_device_downloads_what_its_squad_names_whole_or_by_range(hq: Hq) -> None:
    """200 with every byte; ``Range: bytes=N-`` is 206 from N with a Content-Range; a range
    past the end (or not understood) is answered with the whole file."""
    device = hq.enroll("园岭")
    upload(device, CONTENT)
    name_in_squad(hq, SHA, device.squad_id)
    whole = device.request("GET", f"/v1/attachments/{SHA}")
    assert whole.status_code == 200
    assert whole.content == CONTENT
    assert whole.headers["content-length"] == str(len(CONTENT))
    tail = device.request("GET", f"/v1/attachments/{SHA}", extra={"Range": "bytes=3000-"})
    assert tail.status_code == 206
    assert tail.content == CONTENT[3000:]
    assert tail.headers["content-range"] == f"bytes 3000-{len(CONTENT) - 1}/{len(CONTENT)}"
    middle = device.request("GET", f"/v1/attachments/{SHA}", extra={"Range": "bytes=10-19"})
    assert (middle.status_code, middle.content) == (206, CONTENT[10:20])
    for past_the_end in (f"bytes={len(CONTENT)}-", "bytes=9-3", "items=0-"):
        whole_again = device.request("GET", f"/v1/attachments/{SHA}", extra={"Range": past_the_end})
        assert (whole_again.status_code, whole_again.content) == (200, CONTENT)
    clipped = device.request("GET", f"/v1/attachments/{SHA}", extra={"Range": "bytes=5000-9999"})
    assert (clipped.status_code, clipped.content) == (206, CONTENT[5000:])
    assert clipped.headers["content-range"] == f"bytes 5000-{len(CONTENT) - 1}/{len(CONTENT)}"
    assert clipped.headers["content-length"] == str(len(CONTENT) - 5000)


def test_another_squads_file_is_403(hq: Hq) -> None:
    """A file only 南园's evidence names is refused to 园岭, as is a file nobody names."""
    yuanling = hq.enroll("园岭")
    nanyuan = hq.enroll("南园", "南园一号机")
    upload(nanyuan, CONTENT)
    name_in_squad(hq, SHA, nanyuan.squad_id)
    answer = yuanling.request("GET", f"/v1/attachments/{SHA}")
    assert refusal(answer) == (403, "scope")
    assert nanyuan.request("GET", f"/v1/attachments/{SHA}").status_code == 200
    unnamed = hashlib.sha256(b"unnamed").hexdigest()
    upload(yuanling, b"unnamed", unnamed)
    assert refusal(yuanling.request("GET", f"/v1/attachments/{unnamed}")) == (403, "scope")
