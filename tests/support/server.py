"""A real HQ server process for the tests: ``python main.py hq serve`` on a free loopback port.

The tests talk to HQ the way laptops do, over HTTP to a separate process, against SQLite or
PostgreSQL. ``hq init`` (schema, squads, reference data, keys) costs seconds, so it runs once per
session and database kind; each test gets a copy of that initialised database (a file copy for
SQLite, ``CREATE DATABASE … TEMPLATE`` for PostgreSQL) and its own data folder.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from fuanjian_desktop.hq.database import open_hq
from fuanjian_desktop.hq.enrollment import create_code
from tests.support.pg import PgCluster
from tests.test_main_cli import ROOT, run

HOST = "127.0.0.1"
READY_TIMEOUT = 60.0  # seconds: imports on a loaded two-core machine
STOP_TIMEOUT = 15.0
PORT_ATTEMPTS = 5  # a port found free can be taken before the server binds it
KINDS = ("sqlite", "postgresql")


class ServerFailed(AssertionError):
    """The HQ server did not start (its output is the message)."""


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def hq(*args: str) -> subprocess.CompletedProcess[str]:
    """``main.py hq …`` in a child process; a non-zero exit fails the test with its stderr."""
    done = run("hq", *args)
    assert done.returncode == 0, f"hq {' '.join(args)} → {done.returncode}\n{done.stderr}"
    return done


def init_hq(db_url: str) -> None:
    """``hq init --db URL``: the schema, the bureau's reference data and HQ's keys."""
    hq("init", "--db", db_url)


def enrollment_code(db_url: str, squad: str) -> str:
    """A fresh one-time enrollment code for ``squad`` (the last line ``hq enroll`` prints)."""
    return hq("enroll", "--db", db_url, "--squad", squad).stdout.strip().splitlines()[-1].strip()


def quick_code(db_url: str, squad: str) -> str:
    """A one-time code made in this process, as ``hq enroll`` makes it (a second per laptop
    less than :func:`enrollment_code`, for tests that set up many laptops)."""
    db = open_hq(db_url)
    try:
        return create_code(db, squad)
    finally:
        db.close()


@dataclass
class HqServer:
    """A running ``hq serve`` process: where it listens and what it serves."""

    db_url: str
    data_dir: Path
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        """The base URL laptops enroll with."""
        return f"http://{HOST}:{self.port}"

    def output(self) -> str:
        """What the server printed so far (its log)."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        """Stop it as an operator would (SIGTERM: uvicorn finishes and exits); kill if stuck."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _launch(db_url: str, data_dir: Path, port: int, log: Path) -> HqServer:
    """Start ``hq serve`` on ``port``; return once it answers HTTP, or raise ServerFailed."""
    command = [sys.executable, "main.py", "hq", "serve", "--db", db_url]
    command += ["--data-dir", str(data_dir), "--host", HOST, "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = HqServer(db_url, data_dir, port, process, log)
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"hq serve exited {process.returncode}:\n{server.output()}")
        try:
            httpx.get(f"{server.url}/v1/status", timeout=2.0)  # 401 unsigned: it is up
            return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.stop()
    raise ServerFailed(f"hq serve not ready after {READY_TIMEOUT} s:\n{server.output()}")


def start_hq(db_url: str, data_dir: Path) -> HqServer:
    """Start ``hq serve`` for ``db_url`` on a free loopback port, storing files in
    ``data_dir``; retried on another port when the chosen one was taken meanwhile."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir.parent / "hq-serve.log"
    for _ in range(PORT_ATTEMPTS - 1):
        try:
            return _launch(db_url, data_dir, free_port(), log)
        except ServerFailed as failure:
            if "address already in use" not in str(failure).lower():
                raise
    return _launch(db_url, data_dir, free_port(), log)


@contextmanager
def running_hq(db_url: str, data_dir: Path) -> Iterator[HqServer]:
    """``hq serve`` for the block's duration."""
    server = start_hq(db_url, data_dir)
    try:
        yield server
    finally:
        server.stop()


class HqTemplates:
    """``hq init`` once per database kind per session; fresh copies for each test."""

    def __init__(self, folder: Path, request: pytest.FixtureRequest) -> None:
        self._folder = folder
        self._request = request
        self._sqlite: Path | None = None

    def fresh(self, kind: str, where: Path) -> Iterator[str]:
        """Yield the URL of a fresh initialised HQ database of ``kind``; drop it afterwards."""
        if kind == "sqlite":
            yield self._fresh_sqlite(where)
            return
        cluster: PgCluster = self._request.getfixturevalue("pg_cluster")
        name = cluster.create_database(template=cluster.template("hq-init", init_hq))
        yield cluster.url(name)
        cluster.drop_database(name)

    def _fresh_sqlite(self, where: Path) -> str:
        """A copy of the session's initialised SQLite HQ database, in ``where``."""
        if self._sqlite is None:
            self._sqlite = self._folder / "hq.sqlite"
            init_hq(f"sqlite:///{self._sqlite}")
        target = where / "hq.sqlite"
        for suffix in ("", "-wal"):  # a WAL not yet checkpointed is part of the database
            if Path(f"{self._sqlite}{suffix}").exists():
                shutil.copyfile(f"{self._sqlite}{suffix}", f"{target}{suffix}")
        return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def hq_templates(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> HqTemplates:
    """The session's initialised HQ databases (made on first use)."""
    return HqTemplates(tmp_path_factory.mktemp("hq-template"), request)


@pytest.fixture(params=KINDS)
def hq_db(
    request: pytest.FixtureRequest, hq_templates: HqTemplates, tmp_path: Path
) -> Iterator[str]:
    """The URL of a fresh, initialised HQ database: once on SQLite, once on PostgreSQL."""
    yield from hq_templates.fresh(request.param, tmp_path)


@pytest.fixture
def hq_server(hq_db: str, tmp_path: Path) -> Iterator[HqServer]:
    """A running ``hq serve`` process on ``hq_db`` with its own data folder."""
    with running_hq(hq_db, tmp_path / "hq-data") as server:
        yield server
