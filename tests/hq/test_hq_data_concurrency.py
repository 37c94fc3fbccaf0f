"""Pushes at the same time: one after the other, so no update is lost and no cursor skips."""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy import select

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.mirror import mirror_table
from fuanjian_desktop.hq.pull import pull_page
from fuanjian_desktop.hq.sequence import lock_sequence
from fuanjian_desktop.hq.store import Revision, store_revisions
from fuanjian_desktop.ids import new_id
from tests.hq.hq_data_support import (
    YUANLING,
    Laptop,
    case,
    document,
    hq,  # noqa: F401
)

USER = new_id()


def in_thread(work: Any) -> tuple[threading.Thread, list[Any]]:
    """Run ``work()`` in a started thread; its result lands in the returned list."""
    results: list[Any] = []
    thread = threading.Thread(target=lambda: results.append(work()), daemon=True)
    thread.start()
    return thread, results


def test_two_laptops_pushing_one_record_at_once_lose_nothing(hq: HqDatabase) -> None:  # noqa: F811
    """A and B change different fields of one draft and push together: HQ ends with both
    changes (the second push merged onto the first)."""
    a, b = Laptop(hq, YUANLING).enroll(), Laptop(hq, YUANLING).enroll()
    row = case(YUANLING, USER)
    draft = document(row["id"])
    a.push(a.batch(a.change("enforcement_case", row), a.change("case_document", draft)))
    for item in pull_page(hq, b.device_id, 0, 1000, None)["records"]:
        b.learn(item)
    from_a = a.batch(a.change("case_document", {**draft, "values": {"facts": "甲"}}))
    from_b = b.batch(b.change("case_document", {**draft, "recipient": "乙"}))
    gate = threading.Barrier(2)

    def pushing(laptop: Laptop, batch: dict[str, Any]) -> Any:
        gate.wait()
        return laptop.push(batch)

    pairs = ((a, from_a), (b, from_b))
    threads = [in_thread(lambda who=who, what=what: pushing(who, what)) for who, what in pairs]
    for thread, _results in threads:
        thread.join(60)
    assert [results[0][0] for _thread, results in threads] == [200, 200]
    stored = mirror_table("case_document")
    with hq.read() as session:
        merged = session.execute(select(stored).where(stored.c.id == draft["id"])).one()
    assert (merged.values, merged.recipient) == ({"facts": "甲"}, "乙")


def test_a_push_waits_for_an_open_writer_so_cursors_never_skip(hq: HqDatabase) -> None:  # noqa: F811
    """While one writer holds revision N uncommitted, a push waits; a pull meanwhile reports a
    cursor below N; after both commit the push's revisions are above N and a pull from that
    cursor gets N and the push's records."""
    a, b = Laptop(hq, YUANLING).enroll(), Laptop(hq, YUANLING).enroll()
    before = pull_page(hq, b.device_id, 0, 1000, None)["cursor"]
    row = case(YUANLING, USER)
    batch = a.batch(a.change("enforcement_case", row))
    with hq.write() as session:
        lock_sequence(session)
        held = Revision("sync_conflict", new_id(), 1, "delete", {}, {}, "hq", YUANLING, YUANLING)
        store_revisions(session, [held], None, utc_now())
        thread, results = in_thread(lambda: a.push(batch))
        time.sleep(1.0)
        assert thread.is_alive() and results == []
        meanwhile = pull_page(hq, b.device_id, before, 1000, None)
        assert meanwhile["cursor"] < held.seq and meanwhile["records"] == []
    thread.join(60)
    assert results[0][0] == 200
    assert min(item["revision"] for item in results[0][1]["applied"]) > held.seq
    after = pull_page(hq, b.device_id, meanwhile["cursor"], 1000, None)["records"]
    assert held.seq in {item["revision"] for item in after}
    assert row["id"] in {item["id"] for item in after}
