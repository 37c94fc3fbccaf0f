"""Requests racing each other: a captured request fired many times at once passes once, and two
laptops sending the same photo's first chunk at once leave one copy of it."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Callable

from fastapi.testclient import TestClient
from httpx import Response

from tests.hq.hq_http_support import Hq, hq_fixture, hq_url_fixture  # noqa: F401  (fixtures)

RACERS = 6


def race(hq: Hq, send: Callable[[TestClient, int], Response]) -> list[Response]:
    """Run ``send`` on ``RACERS`` threads released together, each with its own client."""
    barrier = threading.Barrier(RACERS)
    answers: list[Response] = []
    lock = threading.Lock()

    def racer(index: int) -> None:
        client = TestClient(hq.client.app, raise_server_exceptions=False)
        barrier.wait()
        answer = send(client, index)
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=racer, args=(index,)) for index in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == RACERS
    return answers


def test_one_request_fired_at_once_many_times_passes_once(hq: Hq) -> None:
    """The same signed bytes six times concurrently: one 200, five 401 replay."""
    device = hq.enroll()
    headers = device.headers("GET", "/v1/status")
    answers = race(hq, lambda client, _index: client.get("/v1/status", headers=headers))
    outcomes = Counter(
        answer.status_code if answer.status_code == 200 else answer.json()["error"]
        for answer in answers
    )
    assert outcomes == Counter({200: 1, "replay": RACERS - 1})


def test_the_same_first_chunk_from_many_laptops_is_written_once(hq: Hq) -> None:
    """Six laptops send offset 0 of one photo at once: one is taken, the others hear 409 with
    the count HQ holds; the file completes with the right bytes."""
    devices = [hq.enroll("园岭", f"园岭{index}号机") for index in range(RACERS)]
    content = b"the same photo on six laptops" * 100
    sha = hashlib.sha256(content).hexdigest()
    path = f"/v1/attachments/{sha}/upload?offset=0"

    def send(client: TestClient, index: int) -> Response:
        headers = devices[index].headers("PUT", path, content)
        return client.put(path, content=content, headers=headers)

    answers = race(hq, send)
    assert sorted(answer.status_code for answer in answers) == [200] + [409] * (RACERS - 1)
    assert {answer.json()["received"] for answer in answers} == {len(content)}
    done = devices[0].request("POST", f"/v1/attachments/{sha}/complete", {"size": len(content)})
    assert done.status_code == 200
    assert (hq.data_dir / "attachments" / sha[:2] / sha).read_bytes() == content
