"""The fault-injecting proxy: each fault does what it says, the schedule is reproducible."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tests.support.proxy import CALM, Fault, FaultPlan, FaultProxy

BODY = b"x" * 5000


class Upstream(ThreadingHTTPServer):
    """A tiny HTTP/1.1 server counting the whole requests it received."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.whole: Counter[str] = Counter()


class Handler(BaseHTTPRequestHandler):
    """POST /echo answers with the body's length; GET /chunked answers in chunks."""

    protocol_version = "HTTP/1.1"
    server: Upstream

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        body = self.rfile.read(length)
        if len(body) == length:
            self.server.whole[self.path] += 1
        answer = str(len(body)).encode() * 100
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def do_GET(self) -> None:
        self.server.whole[self.path] += 1
        self.send_response(200)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for part in (b"abc", b"defgh", b""):
            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")

    def log_message(self, *_: object) -> None:
        """Quiet."""


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    """The tiny server, running in a thread."""
    server = Upstream()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def only(fault: Fault) -> FaultPlan:
    """A plan where every request meets ``fault``."""
    return FaultPlan(seed=1, weights={fault: 1.0}, max_delay=0.05, hold=0.3)


def test_the_schedule_is_a_function_of_the_seed():
    """Same seed, same faults request by request; another seed, another sequence."""
    weights = {fault: 1.0 for fault in Fault}
    first = [FaultPlan(7, weights).draw(n)[0] for n in range(300)]
    assert first == [FaultPlan(7, weights).draw(n)[0] for n in range(300)]
    assert first != [FaultPlan(8, weights).draw(n)[0] for n in range(300)]
    assert set(first) == set(Fault)


def test_calm_relays_keep_alive_requests_and_chunked_answers(upstream: Upstream):
    """Without faults, several requests on one connection and a chunked answer pass intact."""
    with FaultProxy(upstream.server_address[1], CALM) as proxy, httpx.Client() as client:
        for _ in range(3):
            assert client.post(f"{proxy.url}/echo", content=BODY).text == "5000" * 100
        assert client.get(f"{proxy.url}/chunked").content == b"abcdefgh"
    assert upstream.whole == {"/echo": 3, "/chunked": 1} and proxy.requests == 4
    assert not proxy.injected


@pytest.mark.parametrize(
    ("fault", "answered", "handled"),
    [
        (Fault.DELAY, True, {1}),
        (Fault.CUT_REQUEST, False, {0}),
        (Fault.CUT_RESPONSE, False, {1}),
        (Fault.RESET, False, {0, 1}),
        (Fault.BLACKHOLE, False, {0}),
        (Fault.DUPLICATE, True, {2}),
        (Fault.STALL, False, {1}),
    ],
)
def test_each_fault(upstream: Upstream, fault: Fault, answered: bool, handled: set[int]):
    """What the laptop sees and how many whole copies HQ got, fault by fault."""
    with FaultProxy(upstream.server_address[1], only(fault)) as proxy:
        try:
            answer = httpx.post(f"{proxy.url}/echo", content=BODY, timeout=2.0)
            got = answer.status_code == 200 and answer.text == "5000" * 100
        except httpx.TransportError:
            got = False
    assert got is answered
    assert upstream.whole["/echo"] in handled
    assert proxy.injected == {fault: 1}
    assert proxy.stalled.is_set() is (fault is Fault.STALL)


def test_faults_strike_only_the_path_asked_for(upstream: Upstream):
    """With a path, other requests pass untouched and are not counted as faults."""
    plan = FaultPlan(seed=3, weights={Fault.CUT_RESPONSE: 1.0}, path="/echo")
    with FaultProxy(upstream.server_address[1], plan) as proxy, httpx.Client() as client:
        assert client.get(f"{proxy.url}/chunked").content == b"abcdefgh"
        with pytest.raises(httpx.TransportError):
            client.post(f"{proxy.url}/echo", content=BODY)
    assert proxy.injected == {Fault.CUT_RESPONSE: 1} and proxy.requests == 2
