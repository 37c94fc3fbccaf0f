"""Pull: pages from the cursor, one transaction each; nothing pulled enters the outbox; local
unsent changes win until pushed; audit events are insert-only; parents may come later."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import httpx
import pytest
from sqlalchemy import delete, func, select

from fuanjian_desktop.demo.demo import DEMO_PASSWORD
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import (
    AuditEvent,
    Case,
    CaseDeadlineRow,
    Enterprise,
    Inspection,
    OutboxEntry,
    SyncBase,
)
from fuanjian_desktop.services.auth import sign_in
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.sync_client import pull, state
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.progress import ignore
from fuanjian_desktop.sync_client.pull import pull_all, refresh_stale_cases
from fuanjian_desktop.sync_client.state import Key
from fuanjian_desktop.sync_client.transport import Transport
from fuanjian_desktop.sync_protocol.codec import encode_audit_event, encode_record
from tests.sync_client.conftest import Laptop


@pytest.fixture
def laptop(synced_laptop: Laptop) -> Laptop:
    """Everything so far is at HQ: these tests are about what comes next."""
    return synced_laptop


def envelope_of(laptop: Laptop, table: str, query: Any) -> dict[str, Any]:
    """A stored record's envelope (a template for records 'made on another laptop')."""
    with laptop.database.read() as session:
        entity_id = session.scalars(query.limit(1)).one()
        found = encode_record(session, table, entity_id)
    assert found is not None
    return found


def new_enterprise(laptop: Laptop, name: str) -> dict[str, Any]:
    """A 园岭 enterprise another laptop registered."""
    template = envelope_of(
        laptop,
        "enterprise",
        select(Enterprise.id).where(Enterprise.squad_id == laptop.squads["园岭"]),
    )
    fields = {**template["fields"], "name": name, "uscc": None}
    return {**template, "id": new_id(), "version": 1, "fields": fields}


def outbox_size(laptop: Laptop) -> int:
    with laptop.database.read() as session:
        return session.scalar(select(func.count()).select_from(OutboxEntry)) or 0


def stored_name(laptop: Laptop, entity_id: str) -> str | None:
    with laptop.database.read() as session:
        found = session.get(Enterprise, entity_id)
        return found.name if found else None


def test_pulled_records_are_stored_with_their_base_and_never_queued(laptop: Laptop) -> None:
    """A record from another laptop is written as is; its revision is its base; no outbox row."""
    made = new_enterprise(laptop, "福田区新开的五金店")
    revision = laptop.hq.publish(made)
    queued = outbox_size(laptop)
    tally = pull_all(laptop.database, laptop.transport(), ignore)
    assert tally.written == 1
    assert stored_name(laptop, made["id"]) == "福田区新开的五金店"
    assert outbox_size(laptop) == queued
    with laptop.database.read() as session:
        assert session.get(SyncBase, ("enterprise", made["id"])).revision == revision
        assert state.get_int(session, Key.CURSOR) == revision


def test_a_record_with_unsent_local_changes_is_not_overwritten(laptop: Laptop) -> None:
    """The laptop's unpushed edit stays; HQ merges it at the next push."""
    actor = sign_in(laptop.database, "zhaolei", DEMO_PASSWORD)
    target = envelope_of(
        laptop,
        "enterprise",
        select(Enterprise.id).where(Enterprise.squad_id == laptop.squads["园岭"]),
    )
    draft = registry.load_draft(laptop.database, target["id"])
    registry.update_enterprise(
        laptop.database, actor, target["id"], replace(draft, notes="本机改的")
    )
    theirs = {
        **target,
        "version": target["version"] + 5,
        "fields": {**target["fields"], "notes": "别处改的"},
    }
    laptop.hq.publish(theirs)
    tally = pull_all(laptop.database, laptop.transport(), ignore)
    assert (tally.written, tally.skipped) == (0, 1)
    with laptop.database.read() as session:
        assert session.get(Enterprise, target["id"]).notes == "本机改的"


def test_audit_events_are_insert_only(laptop: Laptop) -> None:
    """A pulled event whose id is already stored changes nothing (the chain is append-only)."""
    with laptop.database.read() as session:
        row = session.execute(select(AuditEvent.__table__).limit(1)).one()
    event = encode_audit_event(dict(row._mapping))
    forged = {**event, "fields": {**event["fields"], "summary": "被改写的记录"}}
    laptop.hq.publish(forged)
    pull_all(laptop.database, laptop.transport(), ignore)
    with laptop.database.read() as session:
        assert session.get(AuditEvent, row.id).summary == row.summary


def test_a_cut_pull_resumes_at_the_first_page_not_stored(
    laptop: Laptop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each page commits with its cursor; after a cut the next pull asks from there."""
    monkeypatch.setattr(pull, "PAGE_SIZE", 2)
    made = [new_enterprise(laptop, f"商户{n}") for n in range(5)]
    for item in made:
        laptop.hq.publish(item)
    handle = laptop.hq.handle
    calls = []

    def cut_third(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.params.get("cursor"))
        if len(calls) == 3:
            raise httpx.ReadError("link dropped")
        return handle(request)

    client = httpx.Client(transport=httpx.MockTransport(cut_third), base_url="http://hq.test")
    with laptop.database.read() as session:
        peer = state.require_peer(session)
    with pytest.raises(SyncError):
        pull_all(laptop.database, Transport.for_peer(peer, client), ignore)
    assert [stored_name(laptop, item["id"]) for item in made][:4] == [
        "商户0",
        "商户1",
        "商户2",
        "商户3",
    ]
    assert stored_name(laptop, made[4]["id"]) is None
    with laptop.database.read() as session:
        assert state.get_int(session, Key.CURSOR) == laptop.hq.published[3]["revision"]
    pull_all(laptop.database, laptop.transport(), ignore)
    assert stored_name(laptop, made[4]["id"]) == "商户4"
    assert calls == ["0", "2", "4"]


def test_a_child_may_arrive_a_page_before_its_parent(
    laptop: Laptop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An inspection of an enterprise that only the next page brings is stored with it."""
    monkeypatch.setattr(pull, "PAGE_SIZE", 1)
    parent = new_enterprise(laptop, "后到的企业")
    child = envelope_of(
        laptop,
        "inspection",
        select(Inspection.id).where(Inspection.squad_id == laptop.squads["园岭"]),
    )
    child = {**child, "id": new_id(), "fields": {**child["fields"], "enterprise_id": parent["id"]}}
    laptop.hq.publish(child)
    laptop.hq.publish(parent)
    pull_all(laptop.database, laptop.transport(), ignore)
    with laptop.database.read() as session:
        assert session.get(Inspection, child["id"]).enterprise_id == parent["id"]


def test_a_child_whose_parent_never_comes_is_refused_whole(laptop: Laptop) -> None:
    """A dangling reference is a Chinese error and nothing of the page is stored."""
    child = envelope_of(
        laptop,
        "inspection",
        select(Inspection.id).where(Inspection.squad_id == laptop.squads["园岭"]),
    )
    child = {**child, "id": new_id(), "fields": {**child["fields"], "enterprise_id": new_id()}}
    laptop.hq.publish(child)
    with pytest.raises(SyncError) as refused:
        pull_all(laptop.database, laptop.transport(), ignore)
    assert refused.value.code == "integrity"
    with laptop.database.read() as session:
        assert session.get(Inspection, child["id"]) is None
        assert state.get_int(session, Key.CURSOR) == 0


def test_a_pulled_record_colliding_on_a_unique_value_is_left_out(laptop: Laptop) -> None:
    """Another laptop's venue with this laptop's credit code (HQ holds it as a conflict): left
    out, and the rest of the page still arrives."""
    with laptop.database.read() as session:
        taken = session.scalars(select(Enterprise.uscc).where(Enterprise.uscc.is_not(None))).first()
    clash = new_enterprise(laptop, "同一信用代码的另一家")
    clash["fields"]["uscc"] = taken
    fine = new_enterprise(laptop, "正常的新企业")
    laptop.hq.publish(clash)
    laptop.hq.publish(fine)
    tally = pull_all(laptop.database, laptop.transport(), ignore)
    assert (tally.written, tally.skipped) == (1, 1)
    assert stored_name(laptop, clash["id"]) is None
    assert stored_name(laptop, fine["id"]) == "正常的新企业"


def test_a_pulled_cases_deadlines_are_recomputed_once_at_the_end(laptop: Laptop) -> None:
    """case_deadline is derived, not synced: remembered with the page, recomputed after."""
    case = envelope_of(
        laptop,
        "enforcement_case",
        select(Case.id).where(
            Case.squad_id == laptop.squads["园岭"], Case.stage == "investigation"
        ),
    )
    with laptop.database.write() as session:
        session.execute(delete(CaseDeadlineRow).where(CaseDeadlineRow.case_id == case["id"]))
    laptop.hq.publish(case)
    pull_all(laptop.database, laptop.transport(), ignore)
    with laptop.database.read() as session:
        assert state.get(session, Key.STALE_CASES) == json.dumps([case["id"]])
    assert refresh_stale_cases(laptop.database, ignore) == 1
    with laptop.database.read() as session:
        assert state.get(session, Key.STALE_CASES) is None
        rows = session.scalars(select(CaseDeadlineRow).where(CaseDeadlineRow.case_id == case["id"]))
        assert list(rows)
