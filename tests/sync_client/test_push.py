"""Push: stored idempotent batches, own squad only, one envelope per entity, the whole chain."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.demo.demo import DEMO_PASSWORD
from fuanjian_desktop.models import AuditEvent, Enterprise, OutboxEntry, SyncBatch
from fuanjian_desktop.services.auth import sign_in
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.round import run_round
from fuanjian_desktop.sync_client.status import sync_status
from tests.sync_client.conftest import Laptop


def unsent(laptop: Laptop) -> int:
    with laptop.database.read() as session:
        return (
            session.scalar(
                select(func.count()).select_from(OutboxEntry).where(OutboxEntry.sent_at.is_(None))
            )
            or 0
        )


def own_events(laptop: Laptop) -> int:
    with laptop.database.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_a_round_pushes_the_whole_chain_and_every_own_record_once(laptop: Laptop) -> None:
    """Every audit event reaches HQ in chain order; each own-squad record goes up once."""
    run_round(laptop.database, transport=laptop.transport())
    hq = laptop.hq
    assert [e["fields"]["device_seq"] for e in hq.events] == list(range(1, own_events(laptop) + 1))
    pushed = [(table, entity_id) for table, entity_id, _version in hq.record_pushes]
    assert len(pushed) == len(set(pushed))  # one envelope per entity, however many rows
    assert len(hq.applied) == len(hq.batches) > 1  # several batches of a few hundred
    with laptop.database.read() as session:
        kept = session.scalars(select(SyncBatch)).all()
    assert {batch.batch_key for batch in kept} == set(hq.applied)
    assert all(batch.acked_at and batch.body == "" for batch in kept)  # bodies only until acked


def test_records_of_another_squad_stay_on_the_laptop(laptop: Laptop) -> None:
    """The demo's 南园 records are counted as other-squad pending and never pushed."""
    other = laptop.squads["南园"]
    run_round(laptop.database, transport=laptop.transport())
    owners = {r["fields"].get("squad_id") for r in laptop.hq.records.values()}
    assert other not in owners
    status = sync_status(laptop.database)
    assert status.pending == 0
    assert status.other_squad_pending > 0
    assert unsent(laptop) == status.other_squad_pending  # exactly those rows stay unsent


def test_a_batch_is_stored_before_it_is_sent(laptop: Laptop) -> None:
    """When the answer is lost, the stored batch holds the bytes HQ received and no row is
    marked sent."""
    laptop.hq.lose_push_answers = 1
    before = unsent(laptop)
    with pytest.raises(SyncError) as failed:
        run_round(laptop.database, transport=laptop.transport())
    assert failed.value.code == "unreachable"
    with laptop.database.read() as session:
        stored = session.scalars(select(SyncBatch)).all()
    assert len(stored) == 1 and stored[0].acked_at is None
    assert stored[0].batch_key == laptop.hq.applied[0]
    assert unsent(laptop) == before  # sent only on HQ's acknowledgement


def test_a_crash_between_hqs_commit_and_the_ack_applies_once(laptop: Laptop) -> None:
    """The resend after a lost answer carries the same key and bytes; HQ applies it once."""
    laptop.hq.lose_push_answers = 1
    with pytest.raises(SyncError):
        run_round(laptop.database, transport=laptop.transport())
    first_key = laptop.hq.applied[0]
    run_round(laptop.database, transport=laptop.transport())
    assert laptop.hq.applied.count(first_key) == 1
    pushed = [(table, entity_id) for table, entity_id, _version in laptop.hq.record_pushes]
    assert len(pushed) == len(set(pushed))
    assert sync_status(laptop.database).pending == 0


def test_a_changed_stored_batch_is_refused_by_hq(laptop: Laptop) -> None:
    """Same key, other content: 409, and the laptop reports it in Chinese."""
    laptop.hq.lose_push_answers = 1
    with pytest.raises(SyncError):
        run_round(laptop.database, transport=laptop.transport())
    with laptop.database.write() as session:
        stored = session.scalars(select(SyncBatch)).one()
        body = json.loads(stored.body)
        body["app_version"] = "tampered"
        stored.body = json.dumps(body)
    with pytest.raises(SyncError) as refused:
        run_round(laptop.database, transport=laptop.transport())
    assert refused.value.code == "idempotency_mismatch"


def test_a_second_round_sends_nothing_new(laptop: Laptop) -> None:
    """With nothing changed, the next round pushes no record and no event."""
    run_round(laptop.database, transport=laptop.transport())
    pushes, events = len(laptop.hq.record_pushes), len(laptop.hq.events)
    result = run_round(laptop.database, transport=laptop.transport())
    assert result.pushed == 0
    assert (len(laptop.hq.record_pushes), len(laptop.hq.events)) == (pushes, events)


def test_an_entity_changed_three_times_goes_once_at_its_current_version(
    synced_laptop: Laptop,
) -> None:
    """Three edits, three outbox rows: one envelope of the newest version covers them all."""
    laptop = synced_laptop
    actor = sign_in(laptop.database, "zhaolei", DEMO_PASSWORD)
    with laptop.database.read() as session:
        target = session.scalars(
            select(Enterprise).where(Enterprise.squad_id == laptop.squads["园岭"])
        ).first()
    assert target is not None
    for note in ("一改", "二改", "三改"):
        draft = registry.load_draft(laptop.database, target.id)
        registry.update_enterprise(laptop.database, actor, target.id, replace(draft, notes=note))
    run_round(laptop.database, transport=laptop.transport())
    sent = [p for p in laptop.hq.record_pushes if p[:2] == ("enterprise", target.id)]
    assert sent == [("enterprise", target.id, target.version + 3)]
    assert laptop.hq.records[("enterprise", target.id)]["fields"]["notes"] == "三改"
    assert unsent(laptop) == sync_status(laptop.database).other_squad_pending


def test_outbox_rows_of_tables_that_never_travel_are_settled_not_counted(
    synced_laptop: Laptop,
) -> None:
    """Org units (HQ's) and local tables in the outbox: never sent, never pending, marked sent
    with the next acknowledged batch."""
    laptop = synced_laptop
    with laptop.database.write() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.device_seq.desc())).first()
        assert event is not None
        for table in ("squad", "local_setting"):
            session.add(
                OutboxEntry(
                    entity_type=table,
                    entity_id="X" * 26,
                    entity_version=1,
                    operation="update",
                    audit_event_id=event.id,
                )
            )
    assert sync_status(laptop.database).pending == 0
    actor = sign_in(laptop.database, "zhaolei", DEMO_PASSWORD)  # a sign-in: one more event
    assert actor.user_id is not None
    run_round(laptop.database, transport=laptop.transport())
    assert not any(table in ("squad", "local_setting") for table, _i, _v in laptop.hq.record_pushes)
    assert unsent(laptop) == sync_status(laptop.database).other_squad_pending
