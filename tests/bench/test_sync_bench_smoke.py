"""Smoke tests of the sync benchmarks at tiny scale, so they cannot rot between scale runs.

Each benchmark runs once against a real ``hq serve`` on the test process's throwaway PostgreSQL
cluster, with a few cases instead of ten thousand; the counts they report are checked against
numbers written out here by hand (six records per case: the case, its inspection, two hazards,
two issued documents; one audit event each).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Select, func, select

from bench import sync_first_sync, sync_idle_round, sync_push
from bench.sync_support import SyncedDemo, synced_demo
from bench.sync_workload import add_squad_work
from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import AuditEvent, OutboxEntry
from fuanjian_desktop.services.setup import installation
from fuanjian_desktop.services.trail_check import verify_trail
from tests.conftest import DemoTemplate
from tests.support.pg import PgCluster, pg_cluster  # noqa: F401  (fixture)

THREE_CASES = {
    "inspection": 3,
    "hazard": 6,
    "enforcement_case": 3,
    "case_document": 6,
    "audit_event": 18,
}


@pytest.fixture
def laptop(demo_template: DemoTemplate, tmp_path: Path) -> Iterator[Database]:
    """A private copy of the demo laptop (园岭)."""
    database = demo_template.copy_to(DataFolder(tmp_path / "laptop"))
    yield database
    database.close()


def test_workload_extends_the_chain_and_the_outbox(laptop: Database) -> None:
    """Generated records leave an intact audit chain and one unsent outbox row each."""
    squad_id = installation(laptop).home_squad_id
    assert squad_id is not None
    with laptop.read() as session:
        events_before = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        unsent_before = session.scalar(_unsent()) or 0
    workload = add_squad_work(laptop, squad_id, 3)
    assert {table: len(ids) for table, ids in workload.ids.items()} == THREE_CASES
    assert (workload.records, workload.events, workload.first_seq) == (18, 18, events_before + 1)
    with laptop.read() as session:
        assert session.scalar(_unsent()) == unsent_before + 18
    report = verify_trail(laptop)
    assert report.problem is None and report.events == events_before + 18


def _unsent() -> Select[int]:
    """Counts the outbox rows not yet sent to HQ."""
    return select(func.count()).select_from(OutboxEntry).where(OutboxEntry.sent_at.is_(None))


@pytest.fixture(scope="module")
def synced(
    demo_template: DemoTemplate,
    pg_cluster: PgCluster,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SyncedDemo]:
    """One demo laptop enrolled with one ``hq serve`` and synced, shared by the benchmarks'
    runs below (each adds its own records, so none depends on another having run)."""
    folder = tmp_path_factory.mktemp("sync-bench")
    laptop = demo_template.copy_to(DataFolder(folder / "laptop"))
    try:
        with synced_demo(laptop, pg_cluster, folder) as ready:
            yield ready
    finally:
        laptop.close()


@pytest.mark.slow
def test_push_bench_moves_every_row(synced: SyncedDemo) -> None:
    """Three cases pushed through hq serve all arrive, and the bulk insert copies the same rows."""
    report = sync_push.measure(synced, 3)
    assert report.expected() == THREE_CASES
    assert report.arrived == THREE_CASES
    # child rows: two handlers per case, two inspectors per inspection
    assert report.rows == sum(THREE_CASES.values()) + 3 * 2 + 3 * 2
    assert report.push_s > 0 and report.copy_s > 0 and report.executemany_s > 0
    assert any("every row" in line for line in report.lines())


@pytest.mark.slow
def test_idle_round_bench_times_rounds_that_move_nothing(synced: SyncedDemo) -> None:
    """After settling, each timed round is idle and is reported."""
    report = sync_idle_round.measure(synced, 2)
    assert len(report.samples_ms) == 2 and all(ms > 0 for ms in report.samples_ms)
    assert 1 <= report.settling_rounds <= sync_idle_round.SETTLING_ROUNDS


@pytest.mark.slow
def test_first_sync_bench_brings_everything(synced: SyncedDemo) -> None:
    """A new laptop's first round brings the published registry and the pushed squad records."""
    report = sync_first_sync.measure(synced, 30, 12)
    two_cases = {table: 2 * count // 3 for table, count in THREE_CASES.items()}
    assert {table: len(ids) for table, ids in report.workload.ids.items()} == two_cases
    records = {table: n for table, n in two_cases.items() if table != "audit_event"}
    assert {t: n for t, n in report.held_workload.items() if t != "audit_event"} == records
    assert report.held_enterprises >= 30
    assert report.result.pulled >= 30 + sum(records.values())
