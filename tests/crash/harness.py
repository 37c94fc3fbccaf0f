"""Kill the crash child at random points, reopen the data folder and check it, round after round.

One round: have ``python -m tests.crash.child`` fork a writing child on the folder, let it commit
a random number of writes (seeded), wait a random moment more, SIGKILL it (mid-transaction,
mid-file: wherever it is), take every line it completed, then reopen the database as the app
does after a sign-in (``auth.open_unlocked``: open, migrate, sweep the evidence store of what an
interrupted import left) and run the checks of :mod:`tests.crash.checks`.
The next round continues on the same folder, so damage one kill left is also met by the next.
"""

from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.services.auth import open_unlocked
from fuanjian_desktop.services.setup import create_encrypted_database
from tests.crash import checks
from tests.crash.plan import Plan, prepare
from tests.crash.writes import WRITES, Done

ROOT = Path(__file__).resolve().parents[2]
CHILD = "tests.crash.child"
MAX_WRITES_BEFORE_KILL = 12
MAX_EXTRA_WAIT = 0.4  # seconds after the chosen write (about one write): the kill lands within one
WRITES_PER_CHILD = 100_000  # more than any child lives to do
STALL_SECONDS = 120.0  # no line this long: the child is stuck (a bench once hung), not slow
KINDS = sorted(WRITES)


class ChildStalled(AssertionError):
    """Neither the server nor its child wrote a line for :data:`STALL_SECONDS`."""


class ChildFailed(AssertionError):
    """The child stopped on its own (an exception in a write path) before it was killed."""


@dataclass
class Tally:
    """Figures of a run: kills, acknowledged writes per kind and every problem found."""

    kills: int = 0
    writes: Counter[str] = field(default_factory=Counter)
    integrity: int = 0
    lost: int = 0
    audit: int = 0
    chain: int = 0
    orphans: int = 0
    missing: int = 0
    swept: int = 0  # files a killed import left unreferenced, removed at the next start
    checking: float = 0.0  # seconds spent reopening and checking (the rest is the children)
    problems: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        """Seconds since the run started."""
        return time.monotonic() - self.started

    def add(self, findings: checks.Findings) -> None:
        """Count one round's findings (the first fifty are kept as text)."""
        for name, found in vars(findings).items():
            setattr(self, name, getattr(self, name) + len(found))
        self.problems += findings.all()[: max(0, 50 - len(self.problems))]


@dataclass
class Run:
    """A crash run on one data folder: its key, its plan and what has been acknowledged.

    Use as a context manager: it starts the child server and stops it (and removes its scratch
    folder) at the end.
    """

    folder: DataFolder
    key: DataKey
    plan: Plan
    seed: int
    tally: Tally = field(default_factory=Tally)
    typed: int = 0  # the most transcript characters ever reported
    sabotage: str = ""  # the harness's own test only: a rule the child breaks on purpose
    most_writes: int = MAX_WRITES_BEFORE_KILL  # a kill comes after least..most writes
    least_writes: int = 0
    verified: set[str] = field(default_factory=set)  # evidence already found whole
    # None: walk the whole chain after every kill; a mark: walk what is new (a long run)
    chain_mark: checks.ChainMark | None = None
    _server: subprocess.Popen[bytes] | None = None
    _errors: IO[bytes] | None = None
    _scratch: Path | None = None

    def __enter__(self) -> Run:
        self._scratch = Path(tempfile.mkdtemp(prefix="crash-photos-"))
        self._errors = tempfile.TemporaryFile()
        self._server = subprocess.Popen(
            [sys.executable, "-m", CHILD],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            bufsize=0,  # unbuffered, so select() sees every line that is waiting
        )
        return self

    def __exit__(self, *_: object) -> None:
        if self._server is not None:
            assert self._server.stdin is not None
            self._server.stdin.close()
            self._server.wait(timeout=60)
        if self._errors is not None:
            self._errors.close()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def round(self, number: int) -> tuple[list[Done], checks.Findings]:
        """Start, kill and check once: the writes acknowledged and the findings (also added
        to the tally)."""
        dones = self.kill_child(number)
        for done in dones:
            self.tally.writes[done.kind] += 1
            if done.kind in ("typing", "checkpoint"):
                self.typed = max(self.typed, int(done.value))
        began = time.monotonic()
        findings = self.check(dones)
        self.tally.checking += time.monotonic() - began
        self.tally.kills += 1
        self.tally.add(findings)
        return dones, findings

    def check(self, dones: list[Done]) -> checks.Findings:
        """Reopen the folder as the app does and run every check."""
        left = checks.stored_files(self.folder)
        try:
            database = open_unlocked(self.folder, self.key)  # the app's start after sign-in
        except Exception as error:  # a database that no longer opens is the worst damage
            return checks.Findings(integrity=[f"does not open: {error!r}"])
        self.tally.swept += len(left - checks.stored_files(self.folder))
        try:
            findings = checks.Findings(integrity=checks.integrity(database))
            findings.lost = checks.acknowledged(database, dones)
            findings.lost += checks.typed_text(database, self.plan.transcript, self.typed)
            findings.lost += checks.answers_and_hazards(database, self.plan.inspection)
            findings.audit = checks.audit_and_outbox(database)
            if self.chain_mark is None:
                findings.chain = checks.chain(database)
            else:
                findings.chain = checks.chain_since(database, self.chain_mark)
            findings.orphans, findings.missing = checks.evidence_files(database, self.verified)
        finally:
            database.close()
        return findings

    def kill_child(self, number: int) -> list[Done]:
        """Run the child of round ``number`` until the round's seed says, kill it; return the
        writes it reported complete (nothing is checked)."""
        rng = random.Random(f"{self.seed}:{number}")
        wanted = rng.randint(self.least_writes, self.most_writes)
        wait = rng.uniform(0, MAX_EXTRA_WAIT)
        self._send(self._order(rng.getrandbits(64), KINDS[number % len(KINDS)]))
        pid, lines = None, []
        try:
            while pid is None or len(lines) < wanted + 1:  # "ready", then the writes wanted
                line = self._line()
                if line.startswith("pid "):
                    pid = int(line.split()[1])
                elif line.startswith("exit "):
                    raise ChildFailed(self._stderr_tail())
                else:
                    lines.append(line)
        except ChildStalled:
            if pid is None:  # the server itself is stuck: nothing more can run
                raise
            os.kill(pid, signal.SIGKILL)  # end it, and read its exit so the next round starts clean
            while not self._line().startswith("exit "):
                pass
            raise ChildFailed(f"子进程 {STALL_SECONDS:.0f} 秒没有输出，已被结束。") from None
        time.sleep(wait)
        os.kill(pid, signal.SIGKILL)
        while not (line := self._line()).startswith("exit "):
            lines.append(line)
        status = int(line.split()[2])
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            raise ChildFailed(self._stderr_tail())
        return [Done.parse(line) for line in lines if line.startswith("done ")]

    def _order(self, seed: int, first: str) -> dict[str, Any]:
        """What the child is told: where, with which key, on what, how, and which write first
        (each kind in turn, so a short run with a write before each kill takes every path)."""
        return {
            "folder": str(self.folder.root),
            "key": self.key.raw.hex(),
            "plan": self.plan.to_json(),
            "seed": seed,
            "writes": WRITES_PER_CHILD,
            "sabotage": self.sabotage,
            "scratch": str(self._scratch),
            "first": first,
        }

    def _send(self, order: dict[str, Any]) -> None:
        assert self._server is not None and self._server.stdin is not None, "not entered"
        self._server.stdin.write(json.dumps(order).encode() + b"\n")
        self._server.stdin.flush()

    def _line(self) -> str:
        """The next line of the server or its child (a write to a pipe of a short line is
        atomic, so a killed child never leaves half a line)."""
        assert self._server is not None and self._server.stdout is not None
        if not select.select([self._server.stdout], [], [], STALL_SECONDS)[0]:
            raise ChildStalled(self._stderr_tail())
        line = self._server.stdout.readline()
        if not line:
            raise ChildFailed(self._stderr_tail())
        return line.decode("utf-8").rstrip("\n")

    def _stderr_tail(self) -> str:
        assert self._errors is not None
        self._errors.seek(0)
        return self._errors.read().decode("utf-8", "replace")[-4000:]


def new_run(folder: DataFolder, key: DataKey, seed: int) -> Run:
    """A run on ``folder`` (a copy of the demo data open with ``key``): the plan made on it."""
    database = open_database(folder, key)
    try:
        plan = prepare(database)
    finally:
        database.close()
    return Run(folder, key, plan, seed)


def demo_run(root: Path, seed: int) -> Run:
    """A run on a new demo data folder made in ``root`` (empty), as ``main.py demo`` makes it."""
    folder = DataFolder(root)
    database = create_encrypted_database(folder)
    try:
        demo.create_demo(database)
        key = database.key
    finally:
        database.close()
    assert key is not None
    return new_run(folder, key, seed)
