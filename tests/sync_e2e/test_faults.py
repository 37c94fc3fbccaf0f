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

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.hq.database import open_hq
from fuanjian_desktop.hq.models import HqRevision
from fuanjian_desktop.models import AuditEvent, SyncConflict
from fuanjian_desktop.sync_client import state
from tests.support.proxy import CALM, Fault, FaultPlan, FaultProxy
from tests.support.server import HqServer
from tests.sync_e2e.fleet import FieldLaptop, Write, new_laptop
from tests.sync_e2e.records import compare, picture, picture_of, shared_scopes, union

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

    a1, a2, b1 = laptops
    pictures = {laptop.name: picture(laptop.database) for laptop in laptops}
    db = open_hq(hq_server.db_url)
    try:
        with db.read() as session:
            at_hq = picture_of(session)
            revisions = list(session.execute(select(HqRevision)).scalars())
            audit_at_hq = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
            conflicts = list(session.scalars(select(SyncConflict)))
    finally:
        db.close()

    # HQ = the union of the laptops; the two 园岭 laptops hold the same records
    same_squad = compare(pictures["a1"], pictures["a2"])
    assert same_squad.empty, same_squad.summary()
    everything = union(pictures.values())
    shared = compare(pictures["a1"], pictures["b1"])
    assert not shared.changed, shared.summary()
    assert compare(everything, at_hq).empty, compare(everything, at_hq).summary()

    # each laptop holds its squad's share: of the other squad's records only the shared ones
    for mine, theirs in ((pictures["a1"], pictures["b1"]), (pictures["b1"], pictures["a1"])):
        foreign = {key for key in theirs.keys() - mine.keys()}
        assert not {table for table, _ in foreign} & shared_scopes()
    accounts = {
        (w.table, w.record_id, w.laptop)
        for w in [*a1.writes, *a2.writes, *b1.writes]
        if w.table == "app_user"
    }
    for table, record_id, author in accounts:
        holders = {name for name, held in pictures.items() if (table, record_id) in held}
        assert holders == ({"a1", "a2"} if author != "b1" else {"b1"}), (record_id, holders)

    # nothing lost: every last value each laptop wrote reached HQ
    history: dict[tuple[str, str], list[dict[str, object]]] = {}
    for revision in revisions:
        history.setdefault((revision.table_name, revision.entity_id), []).append(revision.fields)
    kept = {str(c.device_value) for c in conflicts} | {str(c.hq_value) for c in conflicts}
    writes = [*a1.writes, *a2.writes, *b1.writes]
    lost = lost_values(writes, history, kept)
    assert not lost, lost[:5]

    # nothing doubled: a pushed version applied once, each audit event once
    applied = Counter(
        (r.table_name, r.entity_id, r.version, r.device_id)
        for r in revisions
        if not r.merged and not r.quarantined
    )
    doubled = [key for key, count in applied.items() if count > 1]
    assert not doubled, doubled[:5]
    own_events = 0
    for laptop in laptops:
        device = device_of(laptop)
        with laptop.database.read() as session:
            own_events += (
                session.scalar(
                    select(func.count())
                    .select_from(AuditEvent)
                    .where(AuditEvent.device_id == device)
                )
                or 0
            )
    assert audit_at_hq == own_events

    rounds = sum(laptop.rounds for laptop in laptops)
    failed = sum((laptop.failures for laptop in laptops), Counter())
    assert rounds >= 200 and sum(injected.values()) >= 50
    print(
        f"\nfault test (seed {SEED}): {rounds} rounds, {sum(failed.values())} failed by the "
        f"network ({dict(failed)}); faults injected {sum(injected.values())}: "
        f"{ {str(kind): count for kind, count in injected.items()} }; "
        f"{len(writes)} writes; records compared: HQ {len(at_hq)}, laptops "
        f"{ {name: len(p) for name, p in pictures.items()} }; conflicts {len(conflicts)}; "
        f"lost {len(lost)}; doubled {len(doubled)}"
    )
