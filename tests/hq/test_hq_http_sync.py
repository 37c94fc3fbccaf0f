"""``/v1/push`` and ``/v1/pull`` over HTTP: signed, bounded, and passed to HQ's data side as is
(its rules are pinned by the test_hq_data_* tests; here: what the HTTP layer adds)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fuanjian_desktop.hq.http_context import HqLimits
from fuanjian_desktop.ids import new_id
from tests.hq.hq_data_support import Laptop, case, enterprise
from tests.hq.hq_http_support import (  # noqa: F401  (fixtures)
    Device,
    Hq,
    hq_url_fixture,
    refusal,
    start_hq,
)

PUSH_LIMIT = 64 * 1024


@pytest.fixture(name="hq")
def small_hq(hq_url: str, tmp_path: Path) -> Iterator[Hq]:
    """An HQ taking push bodies of at most 64 KiB and pull pages of at most 3 records."""
    yield from start_hq(hq_url, tmp_path, HqLimits(push_bytes=PUSH_LIMIT, pull_page=3))


def laptop(hq: Hq, device: Device) -> Laptop:
    """H2's push builder for an enrolled device (chained audit events, versions, bases)."""
    return Laptop(hq.db, device.squad_id, device_id=device.device_id)


def push(device: Device, batch: dict[str, Any]) -> Any:
    """POST the batch, signed."""
    return device.request("POST", "/v1/push", batch)


def pull_all(device: Device, tables: str | None = None) -> list[dict[str, Any]]:
    """Every record the device may pull, page by page (pages of HQ's maximum size)."""
    records: list[dict[str, Any]] = []
    cursor, more = 0, True
    while more:
        query = f"/v1/pull?cursor={cursor}&limit=1000" + (f"&tables={tables}" if tables else "")
        page = device.request("GET", query)
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["records"]) <= 3
        records += body["records"]
        cursor, more = body["cursor"], body["more"]
    return records


def test_a_pushed_record_reaches_the_squads_other_laptop_only(hq: Hq) -> None:
    """园岭 A pushes a case; 园岭 B pulls it, 南园 does not see it."""
    first, second = hq.enroll("园岭"), hq.enroll("园岭", "园岭二号机")
    other = hq.enroll("南园", "南园一号机")
    row = case(first.squad_id, new_id())
    builder = laptop(hq, first)
    answer = push(first, builder.batch(builder.change("enforcement_case", row)))
    assert answer.status_code == 200, answer.text
    assert [item["id"] for item in answer.json()["applied"]] == [row["id"]]
    assert row["id"] in {record["id"] for record in pull_all(second)}
    assert row["id"] not in {record["id"] for record in pull_all(other)}


def test_a_batch_delivered_twice_answers_the_same_and_a_changed_one_is_409(hq: Hq) -> None:
    """Idempotency seen over HTTP: same key and bytes → the same result; other content → 409."""
    device = hq.enroll()
    builder = laptop(hq, device)
    batch = builder.batch(builder.change("enterprise", enterprise(device.squad_id)))
    first = push(device, batch)
    assert push(device, batch).json() == first.json()
    batch["records"][0]["fields"]["name"] = "改过的名称"
    assert refusal(push(device, batch)) == (409, "idempotency_mismatch")


def test_a_push_in_another_devices_name_is_403(hq: Hq) -> None:
    """The signed device must be the batch's device."""
    device, other = hq.enroll(), hq.enroll("园岭", "园岭二号机")
    builder = laptop(hq, other)
    batch = builder.batch(builder.change("enterprise", enterprise(device.squad_id)))
    assert refusal(push(device, batch)) == (403, "scope")


def test_push_bodies_are_bounded_and_must_be_objects(hq: Hq) -> None:
    """Over the push limit → 413 before parsing; a JSON array → 422; not JSON → 400."""
    device = hq.enroll()
    builder = laptop(hq, device)
    big = builder.batch(
        builder.change("enterprise", enterprise(device.squad_id, notes="长" * 30000))
    )
    assert len(json.dumps(big).encode()) > PUSH_LIMIT
    assert refusal(push(device, big)) == (413, "too_large")
    assert refusal(device.request("POST", "/v1/push", b"[1, 2]")) == (422, "invalid")
    assert refusal(device.request("POST", "/v1/push", b"{")) == (400, "bad_request")


def test_pull_pages_are_capped_and_queries_checked(hq: Hq) -> None:
    """A limit above HQ's maximum is served at the maximum; a negative cursor is 422; an
    unknown table name is 400 with HQ's Chinese message."""
    device = hq.enroll()
    page = device.request("GET", "/v1/pull?cursor=0&limit=100000").json()
    assert len(page["records"]) == 3
    assert page["more"] is True
    assert refusal(device.request("GET", "/v1/pull?cursor=-1")) == (422, "invalid")
    assert refusal(device.request("GET", "/v1/pull?cursor=0&limit=0")) == (422, "invalid")
    unknown = device.request("GET", "/v1/pull?cursor=0&tables=no_such_table")
    assert refusal(unknown) == (400, "bad_request")


def test_a_tables_snapshot_gives_only_those_tables_with_cursor_0(hq: Hq) -> None:
    """What a new laptop fetches at enrollment: the squads, no cursor."""
    device = hq.enroll()
    answer = device.request("GET", "/v1/pull?cursor=0&tables=squad").json()
    assert answer["cursor"] == 0
    assert answer["more"] is False
    assert {record["table"] for record in answer["records"]} == {"squad"}
    assert {"园岭", "南园"} <= {record["fields"]["short_name"] for record in answer["records"]}
