"""Laptops for the end-to-end tests, driven through ``main.py`` as an inspector's machine is.

A laptop is a data folder and the account its commands open it with. Its commands run as child
processes (``main.py sync …``, ``main.py stats …``); what the commands cannot do (take a case
step) is done in the test process through the services, on the same folder, between commands.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.services import auth
from tests.test_main_cli import ROOT, run


@dataclass(frozen=True)
class Laptop:
    """One laptop: its data folder and the account (with password) its commands open it with."""

    root: Path
    user: str
    password: str

    @property
    def folder(self) -> DataFolder:
        """The laptop's data folder."""
        return DataFolder(self.root)

    def command(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``main.py <args> --data-dir <root> --user <user>`` with the password in the
        environment; the result, whatever the exit code."""
        return run(*args, "--data-dir", str(self.root), "--user", self.user, password=self.password)

    def ok(self, *args: str) -> str:
        """Run a command that must succeed; its standard output."""
        done = self.command(*args)
        assert done.returncode == 0, f"{' '.join(args)} → {done.returncode}\n{done.stderr}"
        return done.stdout

    def start(self, *args: str) -> subprocess.Popen[bytes]:
        """Start the command of :meth:`command` without waiting for it (to kill it midway)."""
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FUANJIAN_PASSWORD": self.password}
        return subprocess.Popen(
            [sys.executable, "main.py", *args, "--data-dir", str(self.root), "--user", self.user],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def status(self) -> dict[str, str]:
        """``sync status`` as a mapping of its ``名称: 数值`` lines."""
        return dict(line.split(": ", 1) for line in self.ok("sync", "status").splitlines())

    def enroll(self, hq_url: str, code: str) -> str:
        """``sync enroll`` with HQ's address and a one-time code."""
        return self.ok("sync", "enroll", "--hq", hq_url, "--code", code)

    def sync(self) -> str:
        """One ``sync run`` that must succeed."""
        return self.ok("sync", "run")

    def stats(self, year: int, squad: str | None = None) -> list[str]:
        """The lines of ``stats --year`` (for one squad or all)."""
        extra = ("--squad", squad) if squad else ()
        return self.ok("stats", "--year", str(year), *extra).splitlines()

    @contextmanager
    def opened(self) -> Iterator[Database]:
        """The laptop's database, unlocked with its account's key but without a sign-in (a
        sign-in is an audited event: it would itself be new data to sync)."""
        key = Keyring.load(self.folder).unlock(self.user, self.password)
        database = auth.open_unlocked(self.folder, key)
        try:
            yield database
        finally:
            database.close()
