"""A large attachment never sits in HQ's memory: completion hashes it and a download streams it
in bounded chunks. Measured with tracemalloc on the ASGI app itself (a test client would
collect the whole body and measure itself)."""

from __future__ import annotations

import asyncio
import hashlib
import tracemalloc
from pathlib import Path

import pytest

from fuanjian_desktop.hq.attachments import MAX_CHUNK_BYTES
from fuanjian_desktop.hq.envelopes import hq_envelope
from fuanjian_desktop.hq.publish import publish
from fuanjian_desktop.ids import new_id
from tests.hq.hq_http_support import (  # noqa: F401  (fixtures)
    Device,
    Hq,
    asgi_request,
    hq_fixture,
    hq_url_fixture,
)

MIB = 1024 * 1024
FILE_MIB = 96
MEMORY_BOUND = 24 * MIB  # a quarter of the file: the whole file in memory would break it


def write_large_file(path: Path) -> str:
    """A ``FILE_MIB`` MiB file of varied bytes, written chunk by chunk; returns its SHA-256."""
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        for index in range(FILE_MIB):
            chunk = hashlib.sha256(str(index).encode()).digest() * (MIB // 32)
            digest.update(chunk)
            handle.write(chunk)
    return digest.hexdigest()


def upload_in_chunks(device: Device, path: Path, sha: str) -> None:
    """Send the file in 8 MiB chunks, as a laptop does."""
    with path.open("rb") as handle:
        offset = 0
        while chunk := handle.read(MAX_CHUNK_BYTES):
            url = f"/v1/attachments/{sha}/upload?offset={offset}"
            assert device.request("PUT", url, chunk).status_code == 200
            offset += len(chunk)


@pytest.mark.parametrize("hq_url", ["sqlite"], indirect=True)  # memory does not depend on it
def test_a_large_file_is_completed_and_downloaded_in_bounded_memory(hq: Hq, tmp_path: Path) -> None:
    """96 MiB in, hashed and out again: HQ's peak allocation stays under 24 MiB, no download
    message exceeds 8 MiB, and the bytes out hash to the name."""
    device = hq.enroll()
    source = tmp_path / "video.mp4"
    sha = write_large_file(source)
    upload_in_chunks(device, source, sha)
    size = FILE_MIB * MIB
    fields = {"sha256": sha, "extension": ".mp4", "size_bytes": size, "original_name": "v"}
    with hq.db.write() as session:
        publish(session, hq_envelope("evidence_file", new_id(), fields), device.squad_id)
    path = f"/v1/attachments/{sha}"
    tracemalloc.start()
    try:
        done = device.request("POST", f"{path}/complete", {"size": size})
        assert done.status_code == 200, done.text
        answer = asyncio.run(asgi_request(hq.client.app, "GET", path, device.headers("GET", path)))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (answer.status, answer.body_sha256) == (200, sha)
    assert answer.largest_message <= MAX_CHUNK_BYTES
    assert peak < MEMORY_BOUND, f"peak {peak / MIB:.1f} MiB"
