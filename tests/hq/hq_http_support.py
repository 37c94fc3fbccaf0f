"""Helpers of the HQ HTTP tests: an initialised HQ per test, a settable clock, enrolled devices
and signed requests made the way a laptop makes them (``sync_protocol.signing``)."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from httpx import Response

from fuanjian_desktop.hq.app import create_app
from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.enrollment import create_code
from fuanjian_desktop.hq.http_context import HqContext, HqLimits
from fuanjian_desktop.hq.setup import initialise_hq
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.sync_protocol.keys import b64, public_raw, unb64
from fuanjian_desktop.sync_protocol.signing import signed_headers
from fuanjian_desktop.sync_protocol.version import HEADER_PROTOCOL
from tests.support.pg import PgCluster

START = 1_800_000_000  # 2027-01-15 08:00 UTC: a fixed moment, so every test sees the same clock
PROTOCOL = {HEADER_PROTOCOL: "1"}
KINDS = ("sqlite", "postgresql")


def refusal(response: Response) -> tuple[int, str]:
    """(status, error code) of a refused answer, with the contract's body shape checked."""
    status = response.status_code
    body = response.json()
    assert set(body) >= {"error", "message"}
    assert any("\u4e00" <= char <= "\u9fff" for char in body["message"]), body
    assert "Traceback" not in body["message"]
    return status, body["error"]


class Clock:
    """HQ's clock in a test: unix seconds the test moves by hand."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@dataclass
class Hq:
    """An initialised HQ (SQLite file) with its data folder, clock and client."""

    url: str
    data_dir: Path
    clock: Clock
    client: TestClient

    @property
    def db(self) -> HqDatabase:
        """The app's own database handle (reads see what the requests committed)."""
        context: HqContext = self.client.app.state.hq  # type: ignore[attr-defined]
        return context.db

    def enroll(self, squad: str = "园岭", name: str = "园岭一号机") -> Device:
        """Enroll a new laptop of ``squad`` through ``/v1/enroll`` (a fresh code each time)."""
        key = Ed25519PrivateKey.generate()
        body = enrollment_body(self.code(squad), name, key)
        answer = self.client.post("/v1/enroll", json=body, headers=PROTOCOL)
        assert answer.status_code == 200, answer.text
        reply = answer.json()
        return Device(reply["device_id"], unb64(reply["secret"]), reply["squad_id"], self)

    def code(self, squad: str = "园岭", hours: int = 72) -> str:
        """A one-time enrollment code, made as ``hq enroll`` makes it."""
        return create_code(self.db, squad, hours, now=self.clock_moment())

    def clock_moment(self) -> dt.datetime:
        """HQ's clock as an aware UTC datetime."""
        return dt.datetime.fromtimestamp(self.clock.now, dt.UTC)


def enrollment_body(code: str, name: str, key: Ed25519PrivateKey) -> dict[str, str]:
    """What a laptop sends to ``/v1/enroll``."""
    return {
        "code": code,
        "device_id": new_id(),
        "device_name": name,
        "signing_public_key": b64(public_raw(key.public_key())),
        "app_version": "0.1.0",
    }


@dataclass
class Device:
    """An enrolled laptop as the tests drive it: signs every request with its secret."""

    device_id: str
    secret: bytes
    squad_id: str
    hq: Hq

    def headers(self, method: str, path: str, body: bytes = b"", **options: Any) -> dict[str, str]:
        """The signed headers for one request (``now`` defaults to HQ's clock)."""
        options.setdefault("now", int(self.hq.clock.now))
        return signed_headers(self.device_id, self.secret, method, path, body, **options)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | Mapping[str, Any] | None = None,
        *,
        extra: Mapping[str, str] | None = None,
        **options: Any,
    ) -> Response:
        """Send a signed request; a mapping body is sent as JSON."""
        raw = json.dumps(body).encode() if isinstance(body, Mapping) else (body or b"")
        headers = {**self.headers(method, path, raw, **options), **(extra or {})}
        return self.hq.client.request(method, path, content=raw, headers=headers)


@pytest.fixture(scope="session", name="hq_template")
def hq_template_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised HQ database file (``hq init``), copied for every test."""
    path = tmp_path_factory.mktemp("hq-template") / "hq.db"
    initialise_hq(f"sqlite:///{path}")
    return path


@pytest.fixture(name="hq_url", params=KINDS)
def hq_url_fixture(
    request: pytest.FixtureRequest, hq_template: Path, tmp_path: Path
) -> Iterator[str]:
    """A fresh copy of an initialised HQ database: a SQLite file, then a PostgreSQL database
    (copied from a template initialised once per session)."""
    if request.param == "sqlite":
        path = tmp_path / "hq.db"
        shutil.copyfile(hq_template, path)
        yield f"sqlite:///{path}"
        return
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    name = cluster.create_database(template=cluster.template("hq-http-init", initialise_hq))
    yield cluster.url(name)
    cluster.drop_database(name)


def start_hq(url: str, folder: Path, limits: HqLimits | None = None) -> Iterator[Hq]:
    """HQ on the database at ``url`` served by a TestClient (closed afterwards)."""
    clock = Clock()
    app = create_app(url, folder / "data", limits=limits, clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Hq(url, folder / "data", clock, client)


@pytest.fixture(name="hq")
def hq_fixture(hq_url: str, tmp_path: Path) -> Iterator[Hq]:
    """A fresh initialised HQ of this test's own (default limits), on SQLite and PostgreSQL."""
    yield from start_hq(hq_url, tmp_path)


@dataclass
class AsgiAnswer:
    """What the app sent back through a bare ASGI call, and how much of the body it read."""

    status: int = 0
    body_sha256: str = ""
    largest_message: int = 0
    parts_read: int = 0


async def asgi_request(
    app: Any,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body_parts: Sequence[bytes] = (),
) -> AsgiAnswer:
    """One request straight through the ASGI app: the body arrives in ``body_parts`` (no
    Content-Length unless given), the answer's body is hashed and dropped, never collected (a
    test client would hold it all and spoil a memory measurement)."""
    answer = AsgiAnswer()
    digest = hashlib.sha256()
    finished = asyncio.Event()
    parts = list(body_parts) or [b""]

    async def receive() -> dict[str, Any]:
        if answer.parts_read < len(parts):
            answer.parts_read += 1
            more = answer.parts_read < len(parts)
            return {"type": "http.request", "body": parts[answer.parts_read - 1], "more_body": more}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer.status = message["status"]
        elif message["type"] == "http.response.body":
            body = message.get("body", b"")
            answer.largest_message = max(answer.largest_message, len(body))
            digest.update(body)
            if not message.get("more_body", False):
                finished.set()

    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(key.lower().encode(), value.encode()) for key, value in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8765),
    }
    await app(scope, receive, send)
    answer.body_sha256 = digest.hexdigest()
    return answer
