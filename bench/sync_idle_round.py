"""A sync round with nothing to send: what the desktop pays every N minutes when nothing changed.

``python bench/sync_idle_round.py [--rounds 30]``

A fresh demo laptop of 园岭 is enrolled with a real ``hq serve`` (its own process, loopback
HTTP, ``hq init`` on a throwaway PostgreSQL cluster) and syncs until it has nothing left to send
or fetch. Then ``--rounds`` further rounds (the client's own ``run_round``, in this process, as
the background worker calls it) are timed one by one, after two untimed ones. Each timed round
must push and pull nothing — the figure would mean something else otherwise. Goal: median
< 200 ms. Reports only.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from bench.sync_support import SyncedDemo, fresh_synced_demo
from bench.timing import Summary, time_ms
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.sync_client.round import run_round

GOAL_MS = 200.0
SETTLING_ROUNDS = 5  # rounds allowed to bring the laptop up to date before it must be idle
WARMUP = 2


@dataclass(frozen=True)
class IdleReport:
    """The timed idle rounds (ms) and how many rounds it took to settle."""

    samples_ms: list[float]
    settling_rounds: int

    def lines(self) -> list[str]:
        """The report, one figure a line."""
        summary = Summary.of(self.samples_ms)
        verdict = "met" if summary.median_ms < GOAL_MS else "NOT met"
        return [
            f"rounds until idle after enrollment: {self.settling_rounds}",
            f"idle round ({len(self.samples_ms)} timed after {WARMUP} warm-ups): "
            f"median {summary.median_ms:.1f} ms, p95 {summary.p95_ms:.1f} ms, "
            f"max {max(self.samples_ms):.1f} ms (goal < {GOAL_MS:.0f} ms) {verdict}",
        ]


def measure(synced: SyncedDemo, rounds: int) -> IdleReport:
    """Bring the synced demo laptop fully up to date, then time ``rounds`` idle rounds."""
    laptop = synced.laptop
    settling = settle(laptop)
    for _ in range(WARMUP):
        run_round(laptop)
    samples = []
    for _ in range(rounds):
        elapsed, result = time_ms(lambda: run_round(laptop))
        if result.pushed or result.pulled:
            raise AssertionError(f"an idle round moved records: {result.lines()}")
        samples.append(elapsed)
    return IdleReport(samples, settling)


def settle(laptop: Database) -> int:
    """Run rounds until one pushes and pulls nothing; how many it took."""
    for number in range(1, SETTLING_ROUNDS + 1):
        result = run_round(laptop)
        if not result.pushed and not result.pulled:
            return number
    raise AssertionError(f"still syncing after {SETTLING_ROUNDS} rounds: {result.lines()}")


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="空同步轮次基准：无待上传数据时一轮同步的耗时")
    parser.add_argument("--rounds", type=int, default=30, help="计时轮数（默认 30）")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run once and print the figures with the machine's load."""
    args = build_parser().parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores shared)", flush=True)
    with fresh_synced_demo("fj-bench-idle-") as synced:
        report = measure(synced, args.rounds)
    for line in report.lines():
        print(line)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
