"""The first sync of a newly enrolled laptop: the whole registry and its squad's records at once.

``python bench/sync_first_sync.py [--enterprises 100000] [--records 10000]``

HQ (a real ``hq serve`` on a throwaway PostgreSQL cluster, ``hq init`` schema and reference data)
is given a registry of ``--enterprises`` synthetic enterprises across the district's streets,
published the way HQ publishes its own records (``hq.publish.publish_many``, to every device),
and the 园岭 demo laptop pushes its own records plus about ``--records`` more records of its
squad (``sync_workload``: cases with their inspections, hazards and issued documents) through the
real protocol. Then a second, empty laptop is enrolled for 园岭 with ``python main.py sync
enroll`` (a new encrypted folder, the squad and its users fetched, the administrator's password
set) and its first round (the client's own ``run_round``, in this process) is timed: everything
it is owed, pulled page by page and written. The laptop is then checked to hold the registry and
every record pushed. Goal: first sync < 60 s. Reports only.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from sqlalchemy import func, select

from bench.encrypted import DEMO_ADMIN, open_dataset
from bench.generate import DEFAULT_SEED, enterprise_rows
from bench.sync_support import SyncedDemo, fresh_synced_demo, seconds
from bench.sync_workload import RECORDS_PER_CASE, Workload, add_squad_work, table_of
from fuanjian_desktop import reference
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.demo.synthetic import EnterpriseFactory
from fuanjian_desktop.models import Enterprise, Squad
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.setup import installation
from fuanjian_desktop.sync_client.round import RoundResult, run_round
from tests.support.server import HqServer, enrollment_code
from tests.test_main_cli import run

GOAL_S = 60.0
PUBLISH_BATCH = 1_000
AUDIT_EVENT = "audit_event"


@dataclass(frozen=True)
class FirstSyncReport:
    """What one run measured (seconds) and what the new laptop ended up holding."""

    enterprises: int
    workload: Workload
    publish_s: float
    push_s: float
    enroll_s: float
    first_sync_s: float
    result: RoundResult
    held_enterprises: int
    held_workload: dict[str, int]

    def lines(self) -> list[str]:
        """The report, one figure a line."""
        verdict = "met" if self.first_sync_s < GOAL_S else "NOT met"
        expected = {table: len(ids) for table, ids in self.workload.ids.items()}
        events = expected.pop(AUDIT_EVENT)
        held = {t: n for t, n in self.held_workload.items() if t != AUDIT_EVENT}
        complete = held == expected and self.held_enterprises >= self.enterprises
        return [
            f"HQ registry published: {self.enterprises:,} enterprises in {self.publish_s:.1f} s "
            "(setup)",
            f"squad records pushed by the demo laptop: {self.workload.records:,} "
            f"({self.workload.cases:,} cases) + the demo's own, in {self.push_s:.1f} s (setup)",
            f"sync enroll of the empty laptop (command, incl. Python start): {self.enroll_s:.1f} s",
            f"first sync round: {self.first_sync_s:.1f} s (goal < {GOAL_S:.0f} s) {verdict}",
            f"  pulled {self.result.pulled:,} records, "
            f"{self.result.downloaded_bytes / 1e6:,.1f} MB downloaded",
            f"new laptop holds {self.held_enterprises:,} enterprises; pushed squad records: "
            + ("all" if complete else f"INCOMPLETE {held} of {expected}"),
            f"  and {self.held_workload[AUDIT_EVENT]:,} of their {events:,} audit events",
        ]


def measure(
    synced: SyncedDemo, enterprises: int, records: int, seed: int = DEFAULT_SEED
) -> FirstSyncReport:
    """Fill HQ (about ``records`` more records pushed by the synced demo laptop, then the
    registry), then enroll and time the first round of a new laptop of the same squad."""
    cases = math.ceil(records / RECORDS_PER_CASE)
    push_s, workload = _push_squad_work(synced.laptop, cases)
    publish_s = seconds(lambda: publish_registry(synced.server.db_url, enterprises, seed))
    folder = Path(tempfile.mkdtemp(prefix="second-laptop-", dir=synced.scratch))
    enroll_s = seconds(lambda: _enroll_new_laptop(folder, synced.server))
    second = open_dataset(folder)
    try:
        results: list[RoundResult] = []
        first_sync_s = seconds(lambda: results.append(run_round(second)))
        held = _held(second, workload)
        held_enterprises = _count(second, Enterprise)
    finally:
        second.close()
    return FirstSyncReport(
        enterprises,
        workload,
        publish_s,
        push_s,
        enroll_s,
        first_sync_s,
        results[0],
        held_enterprises,
        held,
    )


def _push_squad_work(laptop: Database, cases: int) -> tuple[float, Workload]:
    """Add ``cases`` cases to the enrolled laptop and push them; seconds and workload."""
    squad_id = installation(laptop).home_squad_id
    assert squad_id is not None
    workload = add_squad_work(laptop, squad_id, cases)
    return seconds(lambda: run_round(laptop)), workload


def publish_registry(hq_url: str, count: int, seed: int) -> None:
    """Publish ``count`` synthetic enterprises to every device, as HQ publishes its records."""
    from fuanjian_desktop.hq.database import open_hq
    from fuanjian_desktop.hq.publish import publish_many
    from fuanjian_desktop.sync_protocol.codec import encode_row

    hq = open_hq(hq_url)
    try:
        with hq.read() as session:
            squads = {squad.street: squad.id for squad in session.scalars(select(Squad))}
            taken = {
                tuple(row) for row in session.execute(select(Enterprise.uscc, Enterprise.name))
            }
        drafts = _drafts(EnterpriseFactory(seed, reference.street_names()), taken)
        rows = (enterprise_rows(registry.check_draft(draft), squads) for draft in drafts)
        remaining = islice(rows, count)
        while batch := list(islice(remaining, PUBLISH_BATCH)):
            envelopes = [
                encode_row("enterprise", row, {"enterprise_category": list(categories)})
                for row, categories in batch
            ]
            with hq.write() as session:
                publish_many(session, envelopes, None)
    finally:
        hq.close()


def _drafts(factory: EnterpriseFactory, taken: set[tuple[Any, ...]]) -> Iterator[Any]:
    """Endless enterprise drafts whose code and name HQ's registry does not hold yet."""
    codes = {code for code, _ in taken}
    names = {name for _, name in taken}
    while True:
        draft = factory.draft()
        if draft.uscc not in codes and draft.name not in names:
            yield draft


def _enroll_new_laptop(folder: Path, server: HqServer) -> None:
    """``python main.py sync enroll`` into an empty folder, as the demo administrator."""
    code = enrollment_code(server.db_url, demo.DEMO_HOME_SQUAD)
    done = run(
        "sync",
        "enroll",
        "--data-dir",
        str(folder),
        "--hq",
        server.url,
        "--code",
        code,
        "--user",
        DEMO_ADMIN,
        password=demo.DEMO_PASSWORD,
    )
    if done.returncode != 0:
        raise AssertionError(f"sync enroll → {done.returncode}: {done.stderr}")


def _held(database: Database, workload: Workload) -> dict[str, int]:
    """How many of the pushed workload's rows the laptop holds, per table."""
    with database.read() as session:
        held = {}
        for name, ids in workload.ids.items():
            table = table_of(name)
            held[name] = sum(
                session.scalar(select(func.count()).where(table.c.id.in_(ids[i : i + 500]))) or 0
                for i in range(0, len(ids), 500)
            )
        return held


def _count(database: Database, model: type[Any]) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="首次同步基准：新登记笔记本的第一轮同步")
    parser.add_argument("--enterprises", type=int, default=100_000, help="企业数（默认 100000）")
    parser.add_argument("--records", type=int, default=10_000, help="中队记录数（默认 10000）")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run once and print the figures with the machine's load."""
    args = build_parser().parse_args(argv)
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores shared)", flush=True)
    with fresh_synced_demo("fj-bench-first-") as synced:
        report = measure(synced, args.enterprises, args.records)
    for line in report.lines():
        print(line)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
