"""apply_push: what is applied once, what is refused whole, and what is quarantined."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.mirror import mirror_table
from fuanjian_desktop.hq.models import HqBatch, HqDevice, HqRecord, HqRevision
from fuanjian_desktop.hq.pull import pull_page
from fuanjian_desktop.hq.push import apply_push
from fuanjian_desktop.ids import new_id
from tests.hq.hq_data_support import (
    NANYUAN,
    YUANLING,
    Laptop,
    case,
    case_event,
    document,
    handler,
    hq,  # noqa: F401
)

USER = new_id()


def count(db: HqDatabase, table: str, **where: Any) -> int:
    """Rows of a mirror table (matching ``where``)."""
    stored = mirror_table(table)
    query = select(func.count()).select_from(stored)
    for name, value in where.items():
        query = query.where(stored.c[name] == value)
    with db.read() as session:
        return int(session.scalar(query) or 0)


def revisions(db: HqDatabase, **where: Any) -> list[HqRevision]:
    """HQ's revisions (matching ``where``), in sequence order."""
    with db.read() as session:
        query = select(HqRevision).filter_by(**where).order_by(HqRevision.seq)
        return list(session.scalars(query))


def device(db: HqDatabase, device_id: str) -> HqDevice:
    """HQ's row of a device."""
    with db.read() as session:
        found = session.get(HqDevice, device_id)
        assert found is not None
        return found


def test_a_push_is_applied_mirrored_and_anchored(hq: HqDatabase) -> None:  # noqa: F811
    """A new case with its handler and a step: revisions, mirror rows, pointers, new anchor."""
    laptop = Laptop(hq, YUANLING).enroll()
    row = case(YUANLING, USER)
    first = laptop.change("enforcement_case", row, {"case_handler": [handler(USER, 1, "王五")]})
    second = laptop.change(
        "case_event", case_event(row["id"], "approve_filing", dt.date(2026, 3, 3))
    )
    status, body = laptop.push(laptop.batch(first, second))
    assert status == 200 and body["quarantined"] is False and body["conflicts"] == []
    assert [(item["table"], item["merged"]) for item in body["applied"]] == [
        ("enforcement_case", False),
        ("case_event", False),
    ]
    assert body["anchor"] == {"device_seq": 2, "event_hash": laptop.head}
    assert count(hq, "enforcement_case", id=row["id"], case_no=row["case_no"]) == 1
    assert count(hq, "case_handler", case_id=row["id"], full_name="王五") == 1
    assert count(hq, "audit_event", device_id=laptop.device_id) == 2
    stored = revisions(hq, device_id=laptop.device_id)
    assert [item.table_name for item in stored] == [
        "audit_event",
        "audit_event",
        "enforcement_case",
        "case_event",
    ]
    assert {item.batch_key for item in stored} == {body["batch_key"]}
    assert device(hq, laptop.device_id).anchor_seq == 2
    with hq.read() as session:
        pointer = session.get(HqRecord, ("enforcement_case", row["id"]))
        assert pointer is not None and pointer.squad_id == YUANLING
        assert pointer.current_seq == body["applied"][0]["revision"]


def test_the_same_batch_twice_applies_once(hq: HqDatabase) -> None:  # noqa: F811
    """A batch delivered again answers the stored result and adds nothing."""
    laptop = Laptop(hq, YUANLING).enroll()
    batch = laptop.batch(laptop.change("enforcement_case", case(YUANLING, USER)))
    first = apply_push(hq, laptop.device_id, batch)
    before = len(revisions(hq))
    again = apply_push(hq, laptop.device_id, batch)
    assert again == first
    assert len(revisions(hq)) == before
    assert count(hq, "enforcement_case") == 1


def test_the_same_content_in_another_key_order_is_the_same_batch(
    hq: HqDatabase,  # noqa: F811
) -> None:
    """The digest is of the content: the batch re-parsed with its keys in another order (and
    a float in a sheet) replays the stored result."""
    laptop = Laptop(hq, YUANLING).enroll()
    row = case(YUANLING, USER)
    batch = laptop.batch(laptop.change("case_document", document(row["id"], sheet={"w": 0.1})))
    first = apply_push(hq, laptop.device_id, batch)
    reordered = dict(reversed(list(batch.items())))
    reordered["records"] = [dict(reversed(list(item.items()))) for item in batch["records"]]
    assert apply_push(hq, laptop.device_id, reordered) == first
    assert count(hq, "case_document") == 1


def test_the_same_key_with_other_content_is_refused(hq: HqDatabase) -> None:  # noqa: F811
    """Same batch key, different body: 409 idempotency_mismatch, nothing of it applied."""
    laptop = Laptop(hq, YUANLING).enroll()
    batch = laptop.batch(laptop.change("enforcement_case", case(YUANLING, USER)))
    assert apply_push(hq, laptop.device_id, batch)[0] == 200
    other = laptop.batch(laptop.change("enforcement_case", case(YUANLING, USER)))
    other["batch_key"] = batch["batch_key"]
    status, body = apply_push(hq, laptop.device_id, other)
    assert status == 409 and body["error"] == "idempotency_mismatch"
    assert "不同的内容" in body["message"]
    assert count(hq, "enforcement_case") == 1


def test_a_record_of_another_squad_refuses_the_whole_push(hq: HqDatabase) -> None:  # noqa: F811
    """A 园岭 laptop pushing a 南园 case next to its own: 403 scope, nothing applied."""
    laptop = Laptop(hq, YUANLING).enroll()
    own = laptop.change("enforcement_case", case(YUANLING, USER))
    foreign = laptop.change("enforcement_case", case(NANYUAN, USER))
    status, body = laptop.push(laptop.batch(own, foreign))
    assert status == 403 and body["error"] == "scope"
    assert "另一个中队" in body["message"]
    assert count(hq, "enforcement_case") == 0 and count(hq, "audit_event") == 0
    assert revisions(hq, device_id=laptop.device_id) == []
    with hq.read() as session:
        assert session.scalar(select(func.count()).select_from(HqBatch)) == 0


def test_a_child_of_another_squads_record_is_refused(hq: HqDatabase) -> None:  # noqa: F811
    """A step added to a 南园 case HQ holds (the squad found through the parent): 403."""
    nanyuan = Laptop(hq, NANYUAN).enroll()
    row = case(NANYUAN, USER)
    assert nanyuan.push(nanyuan.batch(nanyuan.change("enforcement_case", row)))[0] == 200
    intruder = Laptop(hq, YUANLING).enroll()
    step = intruder.change(
        "case_event", case_event(row["id"], "approve_filing", dt.date(2026, 3, 3))
    )
    status, body = intruder.push(intruder.batch(step))
    assert (status, body["error"]) == (403, "scope")
    assert count(hq, "case_event") == 0


def test_a_record_moved_to_another_squad_is_refused(hq: HqDatabase) -> None:  # noqa: F811
    """Taking a 南园 case over by pushing it with 园岭's squad id: 403 (HQ's owner counts)."""
    nanyuan = Laptop(hq, NANYUAN).enroll()
    row = case(NANYUAN, USER)
    nanyuan.push(nanyuan.batch(nanyuan.change("enforcement_case", row)))
    intruder = Laptop(hq, YUANLING).enroll()
    status, _body = intruder.push(
        intruder.batch(intruder.change("enforcement_case", {**row, "squad_id": YUANLING}))
    )
    assert status == 403
    assert count(hq, "enforcement_case", squad_id=NANYUAN) == 1


def test_hq_reference_tables_are_not_a_devices_to_change(hq: HqDatabase) -> None:  # noqa: F811
    """A laptop pushing an org unit: 403, whatever squad it names."""
    laptop = Laptop(hq, YUANLING).enroll()
    row = {
        "id": YUANLING,
        "name": "改名",
        "short_name": "园岭",
        "is_bureau": False,
        "street": None,
        "parent_id": None,
        "created_at": dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        "updated_at": dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
    }
    status, body = laptop.push(laptop.batch(laptop.change("squad", row)))
    assert (status, body["error"]) == (403, "scope")


def test_a_batch_of_another_device_is_refused(hq: HqDatabase) -> None:  # noqa: F811
    """The batch names another device than the authenticated one: 403."""
    laptop = Laptop(hq, YUANLING).enroll()
    other = Laptop(hq, YUANLING).enroll()
    batch = other.batch(other.change("enforcement_case", case(YUANLING, USER)))
    assert apply_push(hq, laptop.device_id, batch)[0] == 403


def test_unknown_and_revoked_devices_get_401(hq: HqDatabase) -> None:  # noqa: F811
    """No such device, or a revoked one: 401 with the protocol's codes."""
    laptop = Laptop(hq, YUANLING).enroll()
    batch = laptop.batch(laptop.change("enforcement_case", case(YUANLING, USER)))
    assert apply_push(hq, new_id(), {**batch})[1]["error"] == "unknown_device"
    with hq.write() as session:
        row = session.get(HqDevice, laptop.device_id)
        assert row is not None
        row.revoked_at = dt.datetime.now(dt.UTC)
    status, body = apply_push(hq, laptop.device_id, batch)
    assert (status, body["error"]) == (401, "revoked")
    assert "停用" in body["message"]


def test_an_invalid_value_refuses_the_push(hq: HqDatabase) -> None:  # noqa: F811
    """A date that is no date: 422 invalid, nothing half-written."""
    laptop = Laptop(hq, YUANLING).enroll()
    good = laptop.change("enforcement_case", case(YUANLING, USER))
    bad = laptop.change("enforcement_case", case(YUANLING, USER))
    bad[1]["fields"]["opened_on"] = "3月2日"
    status, body = laptop.push(laptop.batch(good, bad))
    assert (status, body["error"]) == (422, "invalid")
    assert "opened_on" in body["message"]
    assert count(hq, "enforcement_case") == 0 and revisions(hq, device_id=laptop.device_id) == []


def test_an_unknown_table_refuses_the_push(hq: HqDatabase) -> None:  # noqa: F811
    """A local table (never synced) in a push: 422 with the table named."""
    laptop = Laptop(hq, YUANLING).enroll()
    event, record = laptop.change("enforcement_case", case(YUANLING, USER))
    record["table"] = "local_setting"
    status, body = laptop.push(laptop.batch((event, record)))
    assert status == 422 and "local_setting" in body["message"]


def test_a_clash_the_checks_did_not_foresee_refuses_the_push(
    hq: HqDatabase,  # noqa: F811
) -> None:
    """A laptop whose own, well-chained event reuses another laptop's event id: the database
    refuses it, the push is answered 409 conflict and nothing of it is stored."""
    first, second = Laptop(hq, YUANLING).enroll(), Laptop(hq, YUANLING).enroll()
    taken = first.change("enforcement_case", case(YUANLING, USER))
    first.push(first.batch(taken))
    event = second.event("enforcement_case", None, event_id=taken[0]["id"])
    status, body = apply_push(
        hq, second.device_id, second.batch((event, taken[1])) | {"records": []}
    )
    assert (status, body["error"]) == (409, "conflict")
    assert "未写入任何数据" in body["message"]
    assert revisions(hq, device_id=second.device_id) == []


def test_a_push_tops_up_the_devices_number_blocks(hq: HqDatabase) -> None:  # noqa: F811
    """After a push the device holds a block HQ published to its squad."""
    laptop = Laptop(hq, YUANLING).enroll()
    laptop.push(laptop.batch(laptop.change("enforcement_case", case(YUANLING, USER))))
    assert count(hq, "number_block", device_id=laptop.device_id) >= 1
    other = Laptop(hq, YUANLING).enroll()
    pulled = pull_page(hq, other.device_id, 0, 100, ["number_block"])["records"]
    assert {item["fields"]["device_id"] for item in pulled} == {laptop.device_id}
