"""Pushing a squad's year of work to HQ on PostgreSQL, against a plain bulk insert of the same rows.

``python bench/sync_push.py [--cases 10000]``

The real protocol end to end: a fresh demo laptop of 园岭 is enrolled with a real ``hq serve``
(its own process, loopback HTTP, a throwaway PostgreSQL cluster, ``hq init`` schema) and runs
one round to send the demo's own records. Then ``--cases`` cases are added to its outbox
(``sync_workload``: each with its inspection, two hazards, two issued documents, six audit
events on the laptop's chain and six outbox rows) and one timed sync round (the client's own
``run_round``: batches read from the outbox and encoded, signed requests, HQ's ``apply_push`` —
chain check, merge, revisions, mirror — and the local acknowledgement) sends them all. The
mirror is then counted to make sure every row arrived.

The baselines are the same rows — every record, child row and audit event of the workload, read
back from the laptop — written into the same mirror tables of a database made by the same
``hq init``, in one transaction: once by ``COPY``, once by ``executemany`` of a plain ``INSERT``
per table (each into its own fresh database). Goal: push ≤ 3 × baseline. Reports only.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from bench.sync_support import (
    SyncedDemo,
    bulk_copy,
    bulk_executemany,
    fresh_hq,
    fresh_synced_demo,
    mirror_counts,
    rows_to_copy,
    seconds,
)
from bench.sync_workload import RECORDS_PER_CASE, Workload, add_squad_work
from fuanjian_desktop.services.setup import installation
from fuanjian_desktop.sync_client.round import run_round

GOAL = 3.0


@dataclass(frozen=True)
class PushReport:
    """What one run measured (seconds) and what it moved."""

    workload: Workload
    generate_s: float
    first_round_s: float
    push_s: float
    rows: int
    copy_s: float
    executemany_s: float
    arrived: dict[str, int]

    def lines(self) -> list[str]:
        """The report, one figure a line."""
        w = self.workload
        missing = {t: n for t, n in self.expected().items() if self.arrived.get(t) != n}
        return [
            f"cases: {w.cases:,}  records: {w.records:,}  audit events: {w.events:,}  "
            f"rows incl. child rows: {self.rows:,}",
            f"generate (direct rows, chained events, outbox): {self.generate_s:.1f} s",
            f"first round after enrollment (the demo's own records): {self.first_round_s:.1f} s",
            f"push round over HTTP to hq serve on PostgreSQL: {self.push_s:.1f} s "
            f"({w.records / self.push_s:,.0f} records/s)",
            _baseline("COPY", self.copy_s, self.push_s),
            _baseline("executemany", self.executemany_s, self.push_s),
            "arrived at HQ: "
            + ("every row" if not missing else f"MISSING {missing} of {self.expected()}"),
        ]

    def expected(self) -> dict[str, int]:
        """Rows per mirror table the push must have made."""
        return {table: len(ids) for table, ids in self.workload.ids.items()}


def _baseline(kind: str, seconds: float, push_s: float) -> str:
    ratio = push_s / seconds
    verdict = "met" if ratio <= GOAL else "NOT met"
    return (
        f"{kind} of the same rows into the same mirror tables: {seconds:.1f} s → "
        f"push / {kind} {ratio:.2f}× (goal ≤ {GOAL:.0f}×) {verdict}"
    )


def measure(synced: SyncedDemo, cases: int) -> PushReport:
    """Add ``cases`` cases to the synced demo laptop and push them in one timed round, then
    write the same rows into two fresh HQ databases, by COPY and by executemany."""
    laptop = synced.laptop
    squad_id = installation(laptop).home_squad_id
    assert squad_id is not None
    started = time.perf_counter()
    workload = add_squad_work(laptop, squad_id, cases)
    generate_s = time.perf_counter() - started
    push_s = seconds(lambda: run_round(laptop))
    arrived = mirror_counts(synced.server.db_url, workload.ids)
    tables = rows_to_copy(laptop, workload)
    copy_s = bulk_copy(fresh_hq(synced.cluster), tables)
    executemany_s = bulk_executemany(fresh_hq(synced.cluster), tables)
    rows = sum(len(table.rows) for table in tables)
    return PushReport(
        workload, generate_s, synced.first_round_s, push_s, rows, copy_s, executemany_s, arrived
    )


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description="同步上传基准测试：N 件案件推送到区局（PostgreSQL）"
    )
    parser.add_argument("--cases", type=int, default=10_000, help="案件数（默认 10000）")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run once and print the figures with the machine's load."""
    args = build_parser().parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores shared)", flush=True)
    with fresh_synced_demo("fj-bench-push-") as synced:
        report = measure(synced, args.cases)
    for line in report.lines():
        print(line)
    print(f"records per case: {RECORDS_PER_CASE}; load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
