"""A fault-injecting TCP proxy between a laptop and HQ, driven by a seeded schedule.

It sits on a loopback port in front of the HQ server and relays HTTP/1.1 exchanges, but decides
for every request, from the seed and the request's number alone, whether to let it through or to
break it the ways real networks do: a delay, a request cut mid-body (HQ never gets all of it), an
answer cut mid-body after HQ has committed (the laptop does not know it succeeded), a connection
reset before or after HQ handled the request, a blackhole (no answer at all, then the connection
closes), a request delivered twice (the laptop gets one of the two answers), or an answer held
back after HQ committed (a stall: the moment to kill the laptop between HQ's commit and its own
acknowledgement). The same seed and
the same requests give the same faults, so a failing run is reproduced by its seed.

It parses only HTTP's framing (Content-Length and chunked bodies), which is what lets a fault hit
a chosen request on a keep-alive connection; each relayed request gets its own upstream
connection. The proxy runs its event loop in a thread of its own, so synchronous tests and code
under test (httpx) use it like any server.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import socket
import struct
import threading
from collections import Counter
from collections.abc import Coroutine, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

HOST = "127.0.0.1"
HEAD_END = b"\r\n\r\n"
NO_BODY_STATUSES = (204, 304)


class Fault(StrEnum):
    """What the proxy does to one request."""

    NONE = "none"
    DELAY = "delay"  # request and answer each held back a little
    CUT_REQUEST = "cut_request"  # HQ gets part of the request, then both connections close
    CUT_RESPONSE = "cut_response"  # HQ handled it; the laptop gets part of the answer
    RESET = "reset"  # the laptop's connection reset (RST), before or after HQ handled it
    BLACKHOLE = "blackhole"  # swallowed: no answer while held, then the connection closes
    DUPLICATE = "duplicate"  # delivered to HQ twice; the laptop gets one of the two answers
    STALL = "stall"  # HQ handled it; its answer is held back while held, then the link closes


@dataclass(frozen=True)
class FaultPlan:
    """The seeded schedule: how often each fault strikes and how hard.

    ``weights`` are relative to each other and to ``Fault.NONE`` (missing faults never strike).
    With ``path``, only requests whose path starts with it can meet a fault.
    """

    seed: int
    weights: Mapping[Fault, float]
    max_delay: float = 0.15  # seconds, each way
    hold: float = 0.5  # seconds a blackhole or a stall keeps the connection before closing it
    path: str = ""

    def draw(self, number: int, target: str = "") -> tuple[Fault, random.Random]:
        """The fault for request ``number`` (to path ``target``) and the random source for its
        details."""
        rng = random.Random(f"{self.seed}:{number}")
        faults = list(self.weights)
        fault = rng.choices(faults, [self.weights[f] for f in faults])[0]
        return (fault if target.startswith(self.path) else Fault.NONE), rng


CALM = FaultPlan(0, {Fault.NONE: 1.0})


@dataclass
class Message:
    """One HTTP message: its head (start line and headers) and its body as sent."""

    head: bytes
    body: bytes

    @property
    def raw(self) -> bytes:
        """The message as bytes on the wire."""
        return self.head + self.body

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or None."""
        for line in self.head.decode("latin-1").split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name:
                return value.strip()
        return None


async def read_message(
    reader: asyncio.StreamReader, *, answer_to: str | None = None
) -> Message | None:
    """Read one whole request (or, with ``answer_to`` = the request's method, one response);
    None at a clean end of the connection."""
    try:
        head = await reader.readuntil(HEAD_END)
    except asyncio.IncompleteReadError as error:
        if error.partial:
            raise
        return None
    message = Message(head, b"")
    length = message.header("content-length")
    if length is not None:
        message.body = await reader.readexactly(int(length))
    elif (message.header("transfer-encoding") or "").lower() == "chunked":
        message.body = await _read_chunked(reader)
    elif answer_to is not None and _response_has_body(head, answer_to):
        message.body = await reader.read()  # delimited by the end of the connection
    return message


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    """A chunked body, framing included, up to and including its trailer's blank line."""
    parts = []
    while True:
        line = await reader.readuntil(b"\r\n")
        parts.append(line)
        size = int(line.split(b";")[0], 16)
        if size == 0:
            break
        parts.append(await reader.readexactly(size + 2))
    while (trailer := await reader.readuntil(b"\r\n")) != b"\r\n":
        parts.append(trailer)
    parts.append(b"\r\n")
    return b"".join(parts)


def _response_has_body(head: bytes, method: str) -> bool:
    """Whether a response without length or chunking has a body (ended by the close)."""
    status = int(head.split(b" ", 2)[1])
    return method != "HEAD" and status >= 200 and status not in NO_BODY_STATUSES


def _method(request: Message) -> str:
    """The request's method."""
    return request.head.split(b" ", 1)[0].decode("ascii")


def _path(request: Message) -> str:
    """The request's target (path and query)."""
    return request.head.split(b" ", 2)[1].decode("ascii")


def _reset(writer: asyncio.StreamWriter) -> None:
    """Close with a TCP reset (RST) instead of an orderly close."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


@dataclass
class FaultProxy:
    """The proxy: listens on ``port``, relays to ``upstream_port``, breaks what ``plan`` says.

    ``injected`` counts the faults that struck, by kind; ``requests`` counts every request seen;
    ``stalled`` is set once a stalled answer is being held (HQ has handled that request).
    Set ``plan`` to :data:`CALM` (or back) at any time: it applies from the next request.
    """

    upstream_port: int
    plan: FaultPlan
    port: int = 0
    requests: int = 0
    injected: Counter[str] = field(default_factory=Counter)
    stalled: threading.Event = field(default_factory=threading.Event)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    @property
    def url(self) -> str:
        """The base URL to give the laptop instead of HQ's."""
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> FaultProxy:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server = self._call(asyncio.start_server(self._serve, HOST, 0))
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *_: object) -> None:
        assert self._loop is not None and self._thread is not None
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def _call(self, work: Coroutine[Any, Any, Any]) -> Any:
        """Run ``work`` on the proxy's loop and wait for its result."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=30)

    async def _shutdown(self) -> None:
        """Stop listening and end every open connection."""
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Relay the requests of one client connection until it ends or a fault ends it."""
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while (request := await read_message(reader)) is not None:
                fault, rng = self.plan.draw(self.requests, _path(request))
                self.requests += 1
                if fault is not Fault.NONE:
                    self.injected[fault] += 1
                if not await self._relay(request, fault, rng, writer):
                    break
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass  # the laptop or HQ went away mid-message: the connection ends
        except asyncio.CancelledError:
            pass  # the proxy is shutting down (ending quietly: asyncio logs a cancelled handler)
        finally:
            self._tasks.discard(task)
            writer.transport.abort()

    async def _relay(
        self, request: Message, fault: Fault, rng: random.Random, client: asyncio.StreamWriter
    ) -> bool:
        """Handle one request under ``fault``; False when the client connection is finished."""
        if fault is Fault.CUT_REQUEST:
            await self._deliver_part(request.raw, rng)
            return False
        if fault is Fault.BLACKHOLE:
            await asyncio.sleep(self.plan.hold)
            return False
        if fault is Fault.RESET and rng.random() < 0.5:
            _reset(client)  # before HQ saw anything
            return False
        if fault is Fault.DELAY:
            await asyncio.sleep(rng.uniform(0, self.plan.max_delay))
        answer = await self._exchange(request)
        if fault is Fault.DUPLICATE:
            again = await self._exchange(request)
            answer = rng.choice((answer, again))
        if fault is Fault.RESET:
            _reset(client)  # after HQ handled it
            return False
        if fault is Fault.STALL:
            self.stalled.set()
            await asyncio.sleep(self.plan.hold)
            return False
        if fault is Fault.CUT_RESPONSE:
            client.write(answer.raw[: rng.randrange(1, len(answer.raw))])
            await client.drain()
            return False
        if fault is Fault.DELAY:
            await asyncio.sleep(rng.uniform(0, self.plan.max_delay))
        client.write(answer.raw)
        await client.drain()
        return (answer.header("connection") or "").lower() != "close"

    async def _exchange(self, request: Message) -> Message:
        """Send ``request`` to HQ on a fresh connection and read its whole answer."""
        reader, writer = await asyncio.open_connection(HOST, self.upstream_port)
        try:
            writer.write(request.raw)
            await writer.drain()
            answer = await read_message(reader, answer_to=_method(request))
            if answer is None:
                raise ConnectionError("HQ closed the connection without an answer")
            return answer
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def _deliver_part(self, raw: bytes, rng: random.Random) -> None:
        """Send HQ a random proper prefix of ``raw`` and hang up."""
        _, writer = await asyncio.open_connection(HOST, self.upstream_port)
        try:
            writer.write(raw[: rng.randrange(1, len(raw))])
            await writer.drain()
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
