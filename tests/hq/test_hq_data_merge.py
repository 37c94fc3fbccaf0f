"""HQ as the merge point: field merges, conflicts kept for a person, frozen records, tombstones
and collisions, with every received version kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.mirror import mirror_table
from fuanjian_desktop.hq.models import HqRecord, HqRevision
from fuanjian_desktop.hq.pull import pull_page
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.sync_protocol.codec import encode_row
from tests.hq.hq_data_support import (
    NANYUAN,
    YUANLING,
    Laptop,
    case,
    case_event,
    document,
    hq,  # noqa: F401
    issued_number,
)

USER = new_id()


def mirrored(db: HqDatabase, table: str, entity_id: str) -> dict[str, Any] | None:
    """The mirror row of a record (``None``: not there)."""
    stored = mirror_table(table)
    with db.read() as session:
        row = session.execute(select(stored).where(stored.c.id == entity_id)).first()
        return None if row is None else dict(row._mapping)


def conflicts(db: HqDatabase) -> list[dict[str, Any]]:
    """The sync_conflict records HQ holds."""
    stored = mirror_table("sync_conflict")
    with db.read() as session:
        return [dict(row._mapping) for row in session.execute(select(stored))]


def pulled(laptop: Laptop, table: str | None = None) -> list[dict[str, Any]]:
    """Everything ``laptop`` pulls from cursor 0 (of ``table``), taken as its state."""
    records = pull_page(laptop.db, laptop.device_id, 0, 10_000, None)["records"]
    for item in records:
        laptop.learn(item)
    return [item for item in records if table is None or item["table"] == table]


def shared_document(db: HqDatabase) -> tuple[Laptop, Laptop, dict[str, Any], dict[str, Any]]:
    """Two 园岭 laptops that both hold one draft document (A made it, B pulled it)."""
    a, b = Laptop(db, YUANLING).enroll(), Laptop(db, YUANLING).enroll()
    row = case(YUANLING, USER)
    draft = document(row["id"])
    a.push(a.batch(a.change("enforcement_case", row), a.change("case_document", draft)))
    assert len(pulled(b, "case_document")) == 1
    return a, b, row, draft


def test_changes_to_different_fields_merge(hq: HqDatabase) -> None:  # noqa: F811
    """A edits the values, B the recipient: HQ holds both; B is told its push was merged and
    pulls the merged state back."""
    a, b, _row, draft = shared_document(hq)
    a.push(a.batch(a.change("case_document", {**draft, "values": {"facts": "甲改"}})))
    status, body = b.push(b.batch(b.change("case_document", {**draft, "recipient": "乙"})))
    assert status == 200 and body["conflicts"] == []
    assert body["applied"][0]["merged"] is True
    row = mirrored(hq, "case_document", draft["id"])
    assert row is not None and row["values"] == {"facts": "甲改"} and row["recipient"] == "乙"
    back = pulled(b, "case_document")
    assert [item["revision"] for item in back] == [body["applied"][0]["revision"]]
    assert back[0]["fields"]["values"] == {"facts": "甲改"}


def test_the_same_field_changed_on_both_sides_is_a_conflict(hq: HqDatabase) -> None:  # noqa: F811
    """Two laptops type different facts into one draft: HQ keeps the first, a sync_conflict
    holds both values, and it reaches the squad's laptops (not another squad's)."""
    a, b, _row, draft = shared_document(hq)
    a.push(a.batch(a.change("case_document", {**draft, "values": {"facts": "甲的事实"}})))
    status, body = b.push(
        b.batch(b.change("case_document", {**draft, "values": {"facts": "乙的事实"}}))
    )
    assert status == 200 and len(body["conflicts"]) == 1
    row = mirrored(hq, "case_document", draft["id"])
    assert row is not None and row["values"] == {"facts": "甲的事实"}
    [conflict] = conflicts(hq)
    assert conflict["id"] == body["conflicts"][0]
    assert (conflict["kind"], conflict["field"]) == ("field", "values")
    assert conflict["hq_value"] == {"facts": "甲的事实"}
    assert conflict["device_value"] == {"facts": "乙的事实"}
    assert (conflict["squad_id"], conflict["device_id"]) == (YUANLING, b.device_id)
    assert conflict["entity_id"] == draft["id"] and conflict["resolved_at"] is None
    assert [item["id"] for item in pulled(a, "sync_conflict")] == [conflict["id"]]
    assert [item["id"] for item in pulled(b, "sync_conflict")] == [conflict["id"]]
    other_squad = Laptop(hq, NANYUAN).enroll()
    assert pulled(other_squad, "sync_conflict") == []


def test_a_resolution_syncs_back(hq: HqDatabase) -> None:  # noqa: F811
    """A laptop marks the conflict resolved: HQ takes it (fast-forward) and the other laptop
    pulls the resolution."""
    a, b, _row, draft = shared_document(hq)
    a.push(a.batch(a.change("case_document", {**draft, "values": {"facts": "甲"}})))
    b.push(b.batch(b.change("case_document", {**draft, "values": {"facts": "乙"}})))
    [envelope] = pulled(b, "sync_conflict")
    conflict = mirrored(hq, "sync_conflict", envelope["id"])
    assert conflict is not None
    moment = dt.datetime(2026, 3, 3, tzinfo=dt.UTC)
    resolved = {
        **conflict,
        "resolved_at": moment,
        "resolution": "hq",
        "resolution_note": "以甲为准",
    }
    resolved.update(
        resolved_by_id=USER, resolved_by_name="赵磊", created_at=moment, updated_at=moment
    )
    resolved["detected_at"] = conflict["detected_at"].replace(tzinfo=dt.UTC)
    status, body = b.push(b.batch(b.change("sync_conflict", resolved)))
    assert status == 200 and body["applied"][0]["merged"] is False
    stored = mirrored(hq, "sync_conflict", conflict["id"])
    assert stored is not None and stored["resolution"] == "hq"
    [seen] = pulled(a, "sync_conflict")
    assert seen["fields"]["resolution_note"] == "以甲为准"


def test_an_issued_document_never_changes(hq: HqDatabase) -> None:  # noqa: F811
    """A different sheet for an issued document (sha256 set): kind immutable, HQ keeps what
    was signed; serving it (not frozen) still applies."""
    a, b, _row, draft = shared_document(hq)
    issued = {
        **draft,
        "status": "issued",
        "sheet": {"text": "签发的文书"},
        "sha256": "a" * 64,
        "number": "深福应急罚〔2026〕7号",
        "issued_on": dt.date(2026, 3, 4),
    }
    a.push(a.batch(a.change("case_document", issued)))
    pulled(b)
    tampered = {**issued, "sheet": {"text": "改过的文书"}, "recipient": "王五"}
    status, body = b.push(b.batch(b.change("case_document", tampered)))
    assert status == 200 and len(body["conflicts"]) == 1
    row = mirrored(hq, "case_document", draft["id"])
    assert row is not None and row["sheet"] == {"text": "签发的文书"} and row["recipient"] == "王五"
    [conflict] = conflicts(hq)
    assert (conflict["kind"], conflict["field"]) == ("immutable", "sheet")
    assert conflict["device_value"] == {"text": "改过的文书"}


def test_an_archived_case_never_changes(hq: HqDatabase) -> None:  # noqa: F811
    """Any field of an archived case pushed different: immutable conflict, case unchanged."""
    a = Laptop(hq, YUANLING).enroll()
    row = case(YUANLING, USER, stage="archived", outcome="penalty")
    a.push(a.batch(a.change("enforcement_case", row)))
    _status, body = a.push(a.batch(a.change("enforcement_case", {**row, "cause": "改案由"})))
    assert len(body["conflicts"]) == 1 and body["applied"][0]["merged"] is True
    stored = mirrored(hq, "enforcement_case", row["id"])
    assert stored is not None and stored["cause"] == row["cause"]
    assert conflicts(hq)[0]["kind"] == "immutable"


def test_an_archived_case_reopened_on_a_laptop_is_taken(hq: HqDatabase) -> None:  # noqa: F811
    """重新打开案卷 pushed (stage 已归档 → 已结案, a later stamp, its timeline event): applied
    without a conflict; the case then changes again, and archiving it again freezes it again."""
    a = Laptop(hq, YUANLING).enroll()
    row = case(YUANLING, USER, stage="archived", outcome="penalty")
    a.push(a.batch(a.change("enforcement_case", row)))
    later = row["updated_at"] + dt.timedelta(days=30)
    reopened = {**row, "stage": "closed", "updated_at": later}
    event = case_event(row["id"], "reopen_archive", later.date(), note="补充送达回执扫描件")
    _status, body = a.push(
        a.batch(a.change("enforcement_case", reopened), a.change("case_event", event))
    )
    assert body["conflicts"] == [] and conflicts(hq) == []
    stored = mirrored(hq, "enforcement_case", row["id"])
    assert stored is not None and stored["stage"] == "closed"
    assert mirrored(hq, "case_event", event["id"]) is not None
    _status, body = a.push(a.batch(a.change("enforcement_case", {**reopened, "facts": "补充"})))
    assert body["conflicts"] == []
    rearchived = {**reopened, "facts": "补充", "stage": "archived"}
    a.push(a.batch(a.change("enforcement_case", rearchived)))
    _status, body = a.push(a.batch(a.change("enforcement_case", {**rearchived, "facts": "再改"})))
    assert len(body["conflicts"]) == 1
    assert [(c["kind"], c["field"]) for c in conflicts(hq)] == [("immutable", "facts")]


def test_a_deletion_is_a_tombstone(hq: HqDatabase) -> None:  # noqa: F811
    """A deleted draft leaves the mirror, its pointer says deleted, the squad pulls op delete."""
    a, b, _row, draft = shared_document(hq)
    status, body = a.push(a.batch(a.change("case_document", draft, delete=True)))
    assert status == 200 and body["conflicts"] == []
    assert mirrored(hq, "case_document", draft["id"]) is None
    with hq.read() as session:
        pointer = session.get(HqRecord, ("case_document", draft["id"]))
        assert pointer is not None and pointer.deleted
    [tombstone] = [item for item in pulled(b, "case_document") if item["id"] == draft["id"]]
    assert (tombstone["op"], tombstone["fields"]) == ("delete", {})


def test_a_deletion_against_a_newer_change_is_a_conflict(hq: HqDatabase) -> None:  # noqa: F811
    """B deletes the draft A changed meanwhile: HQ keeps A's draft, a delete conflict."""
    a, b, _row, draft = shared_document(hq)
    a.push(a.batch(a.change("case_document", {**draft, "recipient": "甲"})))
    _status, body = b.push(b.batch(b.change("case_document", draft, delete=True)))
    assert len(body["conflicts"]) == 1
    stored = mirrored(hq, "case_document", draft["id"])
    assert stored is not None and stored["recipient"] == "甲"
    assert conflicts(hq)[0]["kind"] == "delete"


def test_a_colliding_number_is_refused_loudly(hq: HqDatabase) -> None:  # noqa: F811
    """Two laptops took the same 文号 (typed-in overlapping blocks): the second is not
    mirrored, a number conflict names both."""
    a, b = Laptop(hq, YUANLING).enroll(), Laptop(hq, YUANLING).enroll()
    first = issued_number(YUANLING, a.device_id, 5)
    second = issued_number(YUANLING, b.device_id, 5)
    a.push(a.batch(a.change("issued_number", first)))
    status, body = b.push(b.batch(b.change("issued_number", second)))
    assert status == 200 and len(body["conflicts"]) == 1
    assert mirrored(hq, "issued_number", second["id"]) is None
    assert mirrored(hq, "issued_number", first["id"]) is not None
    [conflict] = conflicts(hq)
    assert conflict["kind"] == "number" and conflict["hq_value"] == first["id"]
    assert conflict["field"] == "prefix,code,year,serial,part"
    assert conflict["device_value"]["serial"] == 5


def test_a_duplicate_inside_one_push_is_refused(hq: HqDatabase) -> None:  # noqa: F811
    """Two cases of one push with one 案号: the first is kept, the second is a unique conflict."""
    a = Laptop(hq, YUANLING).enroll()
    first = case(YUANLING, USER, case_no="深福应急立〔2026〕1号")
    second = case(YUANLING, USER, case_no="深福应急立〔2026〕1号")
    _status, body = a.push(
        a.batch(a.change("enforcement_case", first), a.change("enforcement_case", second))
    )
    assert len(body["conflicts"]) == 1
    assert mirrored(hq, "enforcement_case", first["id"]) is not None
    assert mirrored(hq, "enforcement_case", second["id"]) is None
    assert conflicts(hq)[0]["kind"] == "unique"


def test_every_received_version_is_kept(hq: HqDatabase) -> None:  # noqa: F811
    """A merged push leaves both the version as received (who, when, which batch) and HQ's
    merge result; only the merge result is current."""
    a, b, _row, draft = shared_document(hq)
    a.push(a.batch(a.change("case_document", {**draft, "values": {"facts": "甲"}})))
    _status, body = b.push(b.batch(b.change("case_document", {**draft, "recipient": "乙"})))
    with hq.read() as session:
        versions = session.scalars(
            select(HqRevision).where(HqRevision.entity_id == draft["id"]).order_by(HqRevision.seq)
        ).all()
        pointer = session.get(HqRecord, ("case_document", draft["id"]))
    assert [(item.device_id, item.merged) for item in versions] == [
        (a.device_id, False),
        (a.device_id, False),
        (b.device_id, False),
        (b.device_id, True),
    ]
    assert (
        versions[2].fields["recipient"] == "乙" and versions[2].fields["values"] == draft["values"]
    )
    assert versions[2].batch_key == body["batch_key"] and versions[2].received_at is not None
    assert pointer is not None and pointer.current_seq == versions[3].seq


def checklist_change(
    laptop: Laptop, values: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """An audited change of a checklist_version row (keyed by template and version)."""
    event = laptop.event("checklist_version", None)
    return event, {**encode_row("checklist_version", values, {}), "audit_event_id": event["id"]}


CHECKLIST = {
    "template_id": "restaurant",
    "version": "1.0",
    "content_sha256": "a" * 64,
    "document": {"items": [1, 2]},
}


def test_an_append_only_record_keyed_by_two_columns(hq: HqDatabase) -> None:  # noqa: F811
    """checklist_version (key: template and version; never changes): sent again it is the
    same revision; other content under the same key is an immutable conflict, HQ keeps the
    first, and the squad's other laptop pulls it once."""
    a, b = Laptop(hq, YUANLING).enroll(), Laptop(hq, YUANLING).enroll()
    first = a.push(a.batch(checklist_change(a, CHECKLIST)))[1]["applied"]
    assert first[0]["id"] == '["restaurant","1.0"]'
    assert a.push(a.batch(checklist_change(a, CHECKLIST)))[1]["applied"] == first
    changed = {**CHECKLIST, "document": {"items": [3]}}
    body = a.push(a.batch(checklist_change(a, changed)))[1]
    assert len(body["conflicts"]) == 1 and conflicts(hq)[0]["kind"] == "immutable"
    [served] = pulled(b, "checklist_version")
    assert served["fields"]["document"] == {"items": [1, 2]}


def test_a_shared_record_may_come_from_any_squad(hq: HqDatabase) -> None:  # noqa: F811
    """The same checklist version sent by a 园岭 and then a 南园 laptop (shared by all squads,
    no squad of its own): no scope refusal; other content from 南园 is a conflict of 南园's."""
    a, c = Laptop(hq, YUANLING).enroll(), Laptop(hq, NANYUAN).enroll()
    a.push(a.batch(checklist_change(a, CHECKLIST)))
    status, body = c.push(c.batch(checklist_change(c, CHECKLIST)))
    assert status == 200 and body["conflicts"] == []
    changed = {**CHECKLIST, "content_sha256": "b" * 64}
    body = c.push(c.batch(checklist_change(c, changed)))[1]
    [conflict] = conflicts(hq)
    assert (conflict["kind"], conflict["squad_id"]) == ("immutable", NANYUAN)
    assert body["conflicts"] == [conflict["id"]]
