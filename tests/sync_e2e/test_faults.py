"""Hundreds of sync rounds through a faulty network end with nothing lost and nothing doubled.

Three laptops — two of 园岭, one of 南园 — write at random through the services and sync through
the fault-injecting proxy (seeded: a failure is reproduced by its seed), round after round. Then
the network calms down, the laptops sync until nothing moves, and the pictures are compared
record by record: HQ holds exactly the union of the laptops' data, the two 园岭 laptops hold the
same records, each squad's laptops hold none of the other squad's own records, every value a
laptop wrote reached HQ (as a revision, or kept in a conflict record), and no record, revision,
account or audit event is doubled.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.hq.database import open_hq
from fuanjian_desktop.hq.models import HqRevision
from fuanjian_desktop.models import AuditEvent, EvidenceFile, SyncConflict
from fuanjian_desktop.services.inspections.evidence import evidence_store
from fuanjian_desktop.sync_client import state
from tests.support.proxy import CALM, Fault, FaultPlan, FaultProxy
from tests.support.server import HqServer
from tests.sync_e2e.fleet import FieldLaptop, Write, new_laptop
from tests.sync_e2e.records import Picture, compare, picture, picture_of, shared_scopes, union

SEED = 20261207
ROUNDS_EACH = 70  # three laptops: 210 rounds
MOST_WRITES = 2  # per laptop between two of its rounds
SETTLE_PASSES = 6
FAULTS = {
    Fault.NONE: 30.0,
    Fault.DELAY: 3.0,
    Fault.CUT_REQUEST: 1.0,
    Fault.CUT_RESPONSE: 1.0,
    Fault.RESET: 1.0,
    Fault.BLACKHOLE: 1.0,
    Fault.DUPLICATE: 1.0,
}
pytestmark = [pytest.mark.timeout(300), pytest.mark.usefixtures("cheap_accounts")]


def settle(laptops: list[FieldLaptop]) -> None:
    """Calm rounds until a whole pass moves nothing; every calm round must succeed."""
    for _ in range(SETTLE_PASSES):
        moved = 0
        for laptop in laptops:
            result = laptop.round()
            moved += result.pushed + result.pulled
        if moved == 0:
            return
    raise AssertionError(f"still moving after {SETTLE_PASSES} calm passes")


def device_of(laptop: FieldLaptop) -> str:
    """The laptop's device id at HQ."""
    with laptop.database.read() as session:
        return state.require_peer(session).device_id


def lost_values(
    writes: list[Write], history: dict[tuple[str, str], list[dict[str, object]]], kept: set[str]
) -> list[Write]:
    """Each laptop's last value of each field it wrote that HQ never received: found in no
    revision of the record and in no conflict record."""
    last: dict[tuple[str, str, str, str], Write] = {}
    for write in writes:
        last[(write.laptop, write.table, write.record_id, write.field)] = write
    return [
        write
        for write in last.values()
        if write.value not in kept
        and not any(
            fields.get(write.field) == write.value
            for fields in history.get((write.table, write.record_id), [])
        )
    ]


@dataclass
class HqView:
    """What HQ holds at the end: its mirror, every revision, audit events and conflicts."""

    records: Picture
    revisions: list[HqRevision]
    audit_events: int
    conflicts: list[SyncConflict]

    def history(self) -> dict[tuple[str, str], list[dict[str, object]]]:
        """Every revision's fields, by record."""
        found: dict[tuple[str, str], list[dict[str, object]]] = {}
        for revision in self.revisions:
            found.setdefault((revision.table_name, revision.entity_id), []).append(revision.fields)
        return found

    def kept_values(self) -> set[str]:
        """Both values of every conflict (a value kept for a person is not lost)."""
        return {str(c.device_value) for c in self.conflicts} | {
            str(c.hq_value) for c in self.conflicts
        }


def hq_view(server: HqServer) -> HqView:
    """Read HQ's end state."""
    db = open_hq(server.db_url)
    try:
        with db.read() as session:
            return HqView(
                picture_of(session),
                list(session.scalars(select(HqRevision))),
                session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
                list(session.scalars(select(SyncConflict))),
            )
    finally:
        db.close()


def foreign_records(pictures: dict[str, Picture], writes: list[Write]) -> list[str]:
    """Records a laptop holds that are another squad's own: any record of a shared-scope
    table aside, 园岭's laptops a1 and a2 never hold b1's accounts, nor b1 theirs."""
    problems = [
        f"{table} only on one squad"
        for mine, theirs in (("a1", "b1"), ("b1", "a1"))
        for table, _ in pictures[theirs].keys() - pictures[mine].keys()
        if table in shared_scopes()
    ]
    for write in writes:
        if write.table == "app_user":
            holders = {
                name for name, held in pictures.items() if ("app_user", write.record_id) in held
            }
            if holders != ({"b1"} if write.laptop == "b1" else {"a1", "a2"}):
                problems.append(f"account {write.record_id} on {sorted(holders)}")
    return problems


def doubled_versions(revisions: list[HqRevision]) -> list[tuple[str, str, int, str]]:
    """A version a device pushed stored more than once (merges and quarantine aside)."""
    applied = Counter(
        (r.table_name, r.entity_id, r.version, r.device_id)
        for r in revisions
        if not r.merged and not r.quarantined
    )
    return [key for key, count in applied.items() if count > 1]


def own_events(laptop: FieldLaptop) -> int:
    """How many audit events the laptop's own chain holds."""
    device = device_of(laptop)
    with laptop.database.read() as session:
        query = select(func.count()).select_from(AuditEvent).where(AuditEvent.device_id == device)
        return session.scalar(query) or 0


def broken_evidence(laptop: FieldLaptop, hq_files: Path) -> list[str]:
    """Evidence files the laptop's records name whose bytes are missing or wrong, on the laptop
    or at HQ (``attachments/<first two hex>/<sha256>`` under HQ's data folder)."""
    store = evidence_store(laptop.database)
    with laptop.database.read() as session:
        files = session.execute(select(EvidenceFile.sha256, EvidenceFile.extension)).all()
    broken = []
    for sha256, extension in files:
        at_hq = hq_files / sha256[:2] / sha256
        here = store.read_original(sha256, extension) if store.holds(sha256, extension) else b""
        there = at_hq.read_bytes() if at_hq.is_file() else b""
        if {hashlib.sha256(here).hexdigest(), hashlib.sha256(there).hexdigest()} != {sha256}:
            broken.append(f"{laptop.name}:{sha256}")
    return broken


@pytest.mark.parametrize("hq_db", ["sqlite"], indirect=True)
def test_rounds_under_faults_lose_nothing_and_double_nothing(hq_server: HqServer, tmp_path: Path):
    """≥ 200 randomised rounds of three laptops of two squads under faults, then compared."""
    with FaultProxy(hq_server.port, CALM) as proxy:
        laptops = [
            new_laptop(tmp_path / name, name, squad, hq_server, SEED, via=proxy.url)
            for name, squad in (("a1", "园岭"), ("a2", "园岭"), ("b1", "南园"))
        ]
        proxy.plan = FaultPlan(SEED, FAULTS, max_delay=0.05, hold=0.2)
        for _ in range(ROUNDS_EACH):
            for laptop in laptops:
                laptop.write_some(MOST_WRITES)
                laptop.try_round()
        proxy.plan = CALM
        settle(laptops)
        injected = Counter(proxy.injected)

    pictures = {laptop.name: picture(laptop.database) for laptop in laptops}
    hq = hq_view(hq_server)
    writes = [write for laptop in laptops for write in laptop.writes]
    everything = union(pictures.values())
    same_squad = compare(pictures["a1"], pictures["a2"])
    missing_at_hq = compare(everything, hq.records)
    lost = lost_values(writes, hq.history(), hq.kept_values())
    broken = [
        sha
        for laptop in laptops
        for sha in broken_evidence(laptop, hq_server.data_dir / "attachments")
    ]
    doubled = doubled_versions(hq.revisions)
    rounds = sum(laptop.rounds for laptop in laptops)
    failed = sum((laptop.failures for laptop in laptops), Counter())
    photos = sum(1 for write in writes if write.table == "inspection")
    print(
        f"\nfault test (seed {SEED}): {rounds} rounds, {sum(failed.values())} failed by the "
        f"network ({dict(failed)}); faults injected {sum(injected.values())}: "
        f"{ {str(kind): count for kind, count in injected.items()} }; {len(writes)} writes "
        f"({photos} inspections with a photo); records compared: HQ {len(hq.records)}, laptops "
        f"{ {name: len(p) for name, p in pictures.items()} }; conflicts {len(hq.conflicts)}; "
        f"not at HQ {len(missing_at_hq.only_left)}; lost {len(lost)}; doubled {len(doubled)}"
    )

    assert rounds >= 200 and sum(injected.values()) >= 50 and photos >= 5
    # HQ = the union of the laptops; the two 园岭 laptops hold the same records
    assert same_squad.empty, same_squad.summary()
    assert not compare(pictures["a1"], pictures["b1"]).changed
    assert missing_at_hq.empty, missing_at_hq.summary()
    # each laptop holds its squad's share and none of the other squad's own records
    assert not foreign_records(pictures, writes)
    # nothing lost: every last value each laptop wrote reached HQ; every photo whole everywhere
    assert not lost, lost[:5]
    assert not broken, broken[:5]
    # nothing doubled: a pushed version applied once, each audit event once
    assert not doubled, doubled[:5]
    assert hq.audit_events == sum(own_events(laptop) for laptop in laptops)
