"""Run a crash-test child (``python -m tests.crash_…``) and kill it without warning.

The child prints a line after each save has committed; the parent reads lines until it has
enough, then kills the child with SIGKILL, as a power cut would stop it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lines_until_killed(module: str, args: list[str], count: int) -> list[str]:
    """The first ``count`` lines ``module`` printed before it was killed (SIGKILL)."""
    child = subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert child.stdout is not None
    lines: list[str] = []
    try:
        for line in child.stdout:
            lines.append(line)
            if len(lines) >= count:
                break
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return lines
