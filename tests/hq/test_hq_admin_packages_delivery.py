"""Offline packages never lose a batch: ``sync export`` marks nothing delivered; only HQ's
confirmation (its answer online, or its package's list of applied batch keys) does.

Real laptops enrolled at a running HQ (SQLite); the packages are the ones the laptop and HQ code
write. The expectations are the rule's, counted by hand: every audit event and record version
the laptop wrote is at HQ exactly once, nothing quarantined, and the laptop's 待上传 and chain
anchor agree with HQ once HQ has confirmed.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests.support and tests.sync_e2e)

from __future__ import annotations

import json
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq import packages as hq_packages
from fuanjian_desktop.hq.database import HqDatabase, open_hq
from fuanjian_desktop.hq.models import HqBatch, HqDevice, HqRevision
from fuanjian_desktop.models import AuditEvent, Enterprise, SyncBatch, SyncConflict
from fuanjian_desktop.sync_client import packages as laptop_packages
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.state import Key
from fuanjian_desktop.sync_client.status import sync_status
from fuanjian_desktop.sync_protocol.keys import signing_private
from fuanjian_desktop.sync_protocol.package import read_package
from tests.support.server import HqServer, hq_db, hq_server  # noqa: F401
from tests.sync_e2e.fleet import (  # noqa: F401
    FieldLaptop,
    cheap_accounts,
    edit,
    new_laptop,
    register,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("cheap_accounts"),
    pytest.mark.parametrize("hq_db", ["sqlite"], indirect=True),
]


@contextmanager
def hq_of(server: HqServer) -> Iterator[HqDatabase]:
    hq = open_hq(server.db_url)
    try:
        yield hq
    finally:
        hq.close()


def device_of(laptop: FieldLaptop) -> str:
    with laptop.database.read() as session:
        return state.require_peer(session).device_id


def anchor_of(laptop: FieldLaptop) -> tuple[int, str]:
    with laptop.database.read() as session:
        return state.anchor(session)


def hq_anchor(server: HqServer, device: str) -> tuple[int, str]:
    with hq_of(server) as hq, hq.read() as session:
        row = session.get(HqDevice, device)
        assert row is not None
        return row.anchor_seq, row.anchor_hash


def hq_versions(server: HqServer, device: str) -> Counter[tuple[str, str, int]]:
    """How often HQ holds each (table, id, version) the device pushed (1 = once)."""
    with hq_of(server) as hq, hq.read() as session:
        rows = session.execute(
            select(HqRevision.table_name, HqRevision.entity_id, HqRevision.version).where(
                HqRevision.device_id == device
            )
        )
        return Counter((table, entity_id, version) for table, entity_id, version in rows)


def hq_quarantine(server: HqServer, device: str) -> tuple[int, bool]:
    """(quarantined revisions, device flagged) at HQ."""
    with hq_of(server) as hq, hq.read() as session:
        count = session.scalar(select(func.count()).where(HqRevision.quarantined.is_(True)))
        row = session.get(HqDevice, device)
        assert row is not None
        return count or 0, row.flagged_at is not None


def hq_batch_count(server: HqServer, device: str) -> int:
    with hq_of(server) as hq, hq.read() as session:
        count = session.scalar(select(func.count()).where(HqBatch.device_id == device))
        return count or 0


def laptop_events(laptop: FieldLaptop) -> set[tuple[str, str, int]]:
    """The laptop's audit events as HQ files them: (table, id, version 1)."""
    with laptop.database.read() as session:
        return {("audit_event", event_id, 1) for event_id in session.scalars(select(AuditEvent.id))}


def pending(laptop: FieldLaptop) -> int:
    return sync_status(laptop.database).pending


def batches_in(laptop: FieldLaptop, package: Path) -> list[dict[str, Any]]:
    """The batches of the laptop's package (verified with the laptop's own key)."""
    with laptop.database.read() as session:
        key = signing_private(state.get(session, Key.SIGNING_KEY) or "").public_key()
    with read_package(package, key, direction="device_to_hq") as opened:
        return list(opened.body["batches"])


def delivered_once(server: HqServer, laptop: FieldLaptop) -> None:
    """Every event the laptop wrote is at HQ, no version twice, nothing quarantined."""
    device = device_of(laptop)
    versions = hq_versions(server, device)
    assert laptop_events(laptop) <= set(versions)
    assert max(versions.values()) == 1
    assert hq_quarantine(server, device) == (0, False)


def test_a_lost_package_is_delivered_by_the_next_online_round(
    hq_server: HqServer, tmp_path: Path
) -> None:
    """Export, the file never reaches HQ; the next ``sync run`` still delivers every change
    once: the exported batch is sent first and the chain continues. The copy turning up at HQ
    afterwards applies nothing."""
    laptop = new_laptop(tmp_path / "a", "a", "园岭", hq_server, 1)
    laptop.round()
    register(laptop)
    waiting, anchor = pending(laptop), anchor_of(laptop)
    assert waiting > 0
    device = device_of(laptop)
    before = hq_versions(hq_server, device)

    package = tmp_path / "lost.fjsync"
    exported = laptop_packages.export_package(laptop.database, package)
    assert exported.batches == 1
    (sent,) = batches_in(laptop, package)
    assert (pending(laptop), anchor_of(laptop)) == (waiting, anchor)  # nothing counted delivered
    found_later = package.rename(tmp_path / "found-later.fjsync")  # gone from the way to HQ
    assert hq_versions(hq_server, device) == before

    laptop.round()
    delivered_once(hq_server, laptop)
    assert hq_batch_count(hq_server, device) > 0
    with hq_of(hq_server) as hq, hq.read() as session:
        assert session.get(HqBatch, sent["batch_key"]) is not None  # the stored batch went
    assert pending(laptop) == 0
    assert anchor_of(laptop) == hq_anchor(hq_server, device)
    with laptop.database.read() as session:
        stored = session.get(SyncBatch, sent["batch_key"])
        assert stored is not None and stored.acked_at is not None and stored.body == ""

    delivered = hq_versions(hq_server, device)  # the lost copy turns up at HQ after all
    with hq_of(hq_server) as hq:
        late = hq_packages.import_package(hq, hq_server.data_dir, found_later)
    assert (late.applied, late.conflicts, late.quarantined) == (0, 0, False)
    assert hq_versions(hq_server, device) == delivered


def test_hqs_package_confirms_the_laptops_batches(hq_server: HqServer, tmp_path: Path) -> None:
    """export → hq import → hq export → sync import: 待上传 0, anchor equal to HQ's; a tampered
    HQ package confirms nothing; the next export continues the chain (no quarantine)."""
    laptop = new_laptop(tmp_path / "a", "a", "园岭", hq_server, 2)
    laptop.round()
    register(laptop)
    device = device_of(laptop)
    outgoing = tmp_path / "a-1.fjsync"
    laptop_packages.export_package(laptop.database, outgoing)
    with hq_of(hq_server) as hq:
        imported = hq_packages.import_package(hq, hq_server.data_dir, outgoing)
        assert (imported.sequence, imported.quarantined) == (1, False)
        hq_packages.export_package(hq, hq_server.data_dir, "园岭", tmp_path / "hq.fjsync")
    assert pending(laptop) > 0  # HQ has it, but the laptop does not know yet

    tampered = tmp_path / "tampered.fjsync"
    with zipfile.ZipFile(tmp_path / "hq.fjsync") as source, zipfile.ZipFile(tampered, "w") as out:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "body.json":
                data += b" "  # one byte more after signing
            out.writestr(member, data)
    waiting = pending(laptop)
    with pytest.raises(UserError):
        laptop_packages.import_package(laptop.database, tampered)
    assert pending(laptop) == waiting

    received = laptop_packages.import_package(laptop.database, tmp_path / "hq.fjsync")
    assert received.confirmed == 1
    assert pending(laptop) == 0
    assert anchor_of(laptop) == hq_anchor(hq_server, device)
    with laptop.database.read() as session:
        assert session.scalar(select(func.count()).where(SyncBatch.acked_at.is_(None))) == 0
    again = laptop_packages.import_package(laptop.database, tmp_path / "hq.fjsync")
    assert again.note and "已经导入过" in again.note
    assert pending(laptop) == 0

    register(laptop)
    second = tmp_path / "a-2.fjsync"
    assert laptop_packages.export_package(laptop.database, second).batches == 1
    with hq_of(hq_server) as hq:
        assert not hq_packages.import_package(hq, hq_server.data_dir, second).quarantined
    delivered_once(hq_server, laptop)


def test_an_unconfirmed_batch_travels_again_and_applies_once(
    hq_server: HqServer, tmp_path: Path
) -> None:
    """Two exports without an import: the second holds the first's batch (same key, same
    bytes) and a new one; HQ importing both in order applies each batch once; the first again
    afterwards is a replay and refused; the next online round has them confirmed by HQ's
    stored answers, applying nothing again."""
    laptop = new_laptop(tmp_path / "a", "a", "园岭", hq_server, 3)
    laptop.round()
    register(laptop)
    first, second = tmp_path / "a-1.fjsync", tmp_path / "a-2.fjsync"
    laptop_packages.export_package(laptop.database, first)
    register(laptop)
    assert laptop_packages.export_package(laptop.database, second).batches == 2
    old, both = batches_in(laptop, first), batches_in(laptop, second)
    assert len(old) == 1 and len(both) == 2
    assert both[0] == old[0]  # key and exact text
    assert both[1]["batch_key"] != old[0]["batch_key"]

    device = device_of(laptop)
    batches_before = hq_batch_count(hq_server, device)
    with hq_of(hq_server) as hq:
        one = hq_packages.import_package(hq, hq_server.data_dir, first)
        after_first = hq_versions(hq_server, device)
        two = hq_packages.import_package(hq, hq_server.data_dir, second)
        with pytest.raises(UserError, match="已经导入过"):
            hq_packages.import_package(hq, hq_server.data_dir, first)
    assert one.applied > 0 and two.applied > 0
    after_second = hq_versions(hq_server, device)
    assert set(after_first) < set(after_second)
    new = json.loads(both[1]["body"])
    carried = {(r["table"], r["id"], r["version"]) for r in new["records"]}
    carried |= {("audit_event", e["id"], 1) for e in new["audit_events"]}
    assert set(after_second) - set(after_first) == carried  # the new batch, nothing else
    assert hq_batch_count(hq_server, device) == batches_before + 2
    delivered_once(hq_server, laptop)
    assert {write.value for write in laptop.writes} <= hq_names(hq_server)

    laptop.round()  # online before HQ's package: HQ answers both from its stored results
    assert hq_versions(hq_server, device) == after_second
    assert hq_batch_count(hq_server, device) == batches_before + 2
    assert pending(laptop) == 0
    assert anchor_of(laptop) == hq_anchor(hq_server, device)


def hq_names(server: HqServer) -> set[str]:
    with hq_of(server) as hq, hq.read() as session:
        return set(session.scalars(select(Enterprise.name)))


def test_a_record_changed_after_export_waits_for_the_confirmation(
    hq_server: HqServer, tmp_path: Path
) -> None:
    """A venue exported, then edited: the next package does not send it again against a base
    HQ has moved past (that would read as a conflict with itself); once HQ's package confirms
    the first batch, the edit goes with HQ's revision as base and becomes HQ's value."""
    laptop = new_laptop(tmp_path / "a", "a", "园岭", hq_server, 4)
    laptop.round()
    register(laptop)
    laptop_packages.export_package(laptop.database, tmp_path / "a-1.fjsync")
    edit(laptop, "notes", "导出后改的备注")
    venue = laptop.writes[-1].record_id
    laptop_packages.export_package(laptop.database, tmp_path / "a-2.fjsync")
    newer = json.loads(batches_in(laptop, tmp_path / "a-2.fjsync")[1]["body"])
    assert venue not in {record["id"] for record in newer["records"]}
    assert newer["audit_events"]  # the edit's event goes on: the chain stays whole
    with hq_of(hq_server) as hq:
        hq_packages.import_package(hq, hq_server.data_dir, tmp_path / "a-2.fjsync")
        hq_packages.export_package(hq, hq_server.data_dir, "园岭", tmp_path / "hq.fjsync")
    assert laptop_packages.import_package(laptop.database, tmp_path / "hq.fjsync").confirmed == 2
    assert pending(laptop) > 0  # the edit is still to go

    laptop_packages.export_package(laptop.database, tmp_path / "a-3.fjsync")
    with hq_of(hq_server) as hq:
        third = hq_packages.import_package(hq, hq_server.data_dir, tmp_path / "a-3.fjsync")
        with hq.read() as session:
            firm = session.get(Enterprise, venue)
            assert firm is not None and firm.notes == "导出后改的备注"
            assert session.scalar(select(func.count()).select_from(SyncConflict)) == 0
    assert (third.conflicts, third.quarantined) == (0, False)
    delivered_once(hq_server, laptop)
