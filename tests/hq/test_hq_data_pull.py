"""pull_page: what each device sees, once, in change order, by a cursor that never skips."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.publish import publish, publish_many
from fuanjian_desktop.hq.pull import pull_page, visible_records
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.sync_protocol.codec import encode_row
from tests.hq.hq_data_support import (
    BUREAU,
    MOMENT,
    NANYUAN,
    YUANLING,
    Laptop,
    case,
    enterprise,
    hq,  # noqa: F401
)

USER = new_id()


def ids(page: dict[str, Any], table: str) -> list[str]:
    """The record ids of ``table`` in a page, in order."""
    return [item["id"] for item in page["records"] if item["table"] == table]


def user(squad_id: str, username: str) -> dict[str, Any]:
    """An app_user row of ``squad_id``."""
    return {
        "id": new_id(),
        "username": username,
        "full_name": username,
        "cert_no": None,
        "squad_id": squad_id,
        "password_hash": "keys.json",
        "active": True,
        "failed_logins": 0,
        "locked_until": None,
        "created_at": MOMENT,
        "updated_at": MOMENT,
    }


def test_a_laptop_sees_its_squad_and_what_is_published_to_all(hq: HqDatabase) -> None:  # noqa: F811
    """B (园岭) pulls A's case, audit events and registry entry; C (南园) only the registry
    entry (published to all) and never 园岭's case or events."""
    a, b, c = (Laptop(hq, squad).enroll() for squad in (YUANLING, YUANLING, NANYUAN))
    venue, row = enterprise(YUANLING), case(YUANLING, USER)
    a.push(a.batch(a.change("enterprise", venue), a.change("enforcement_case", row)))
    mine = pull_page(hq, b.device_id, 0, 1000, None)
    assert ids(mine, "enforcement_case") == [row["id"]]
    assert ids(mine, "enterprise") == [venue["id"]]
    assert len(ids(mine, "audit_event")) == 2
    theirs = pull_page(hq, c.device_id, 0, 1000, None)
    assert ids(theirs, "enforcement_case") == [] and ids(theirs, "audit_event") == []
    assert ids(theirs, "enterprise") == [venue["id"]]
    assert sorted(ids(theirs, "squad")) == sorted([BUREAU, YUANLING, NANYUAN])


def test_a_laptop_does_not_get_back_what_it_pushed(hq: HqDatabase) -> None:  # noqa: F811
    """A's own unmerged revisions (records and events) are not served to A."""
    a = Laptop(hq, YUANLING).enroll()
    a.push(a.batch(a.change("enforcement_case", case(YUANLING, USER))))
    page = pull_page(hq, a.device_id, 0, 1000, None)
    assert ids(page, "enforcement_case") == [] and ids(page, "audit_event") == []
    assert {item["origin_device"] for item in page["records"]} == {"hq"}


def test_only_the_current_revision_is_served(hq: HqDatabase) -> None:  # noqa: F811
    """A case changed three times reaches the other laptop once, at its last version."""
    a, b = Laptop(hq, YUANLING).enroll(), Laptop(hq, YUANLING).enroll()
    row = case(YUANLING, USER)
    for cause in ("一", "二", "三"):
        a.push(a.batch(a.change("enforcement_case", {**row, "cause": cause})))
    [served] = [
        item
        for item in pull_page(hq, b.device_id, 0, 1000, None)["records"]
        if item["table"] == "enforcement_case"
    ]
    assert (served["version"], served["fields"]["cause"]) == (3, "三")
    assert served["origin_device"] == a.device_id and served["base_revision"] is None


def test_users_of_the_squad_and_of_the_bureau(hq: HqDatabase) -> None:  # noqa: F811
    """app_user: a laptop gets its squad's users and the bureau's, not another squad's."""
    with hq.write() as session:
        for squad, name in ((YUANLING, "yl"), (BUREAU, "qj"), (NANYUAN, "ny")):
            publish(
                session,
                encode_row("app_user", {**user(squad, name), "version": 1}, {"user_role": []}),
                squad,
            )
    a = Laptop(hq, YUANLING).enroll()
    page = pull_page(hq, a.device_id, 0, 1000, ["app_user"])
    assert sorted(item["fields"]["username"] for item in page["records"]) == ["qj", "yl"]


def test_a_snapshot_of_some_tables_ignores_the_cursor(hq: HqDatabase) -> None:  # noqa: F811
    """tables=squad: every org unit whatever the cursor, cursor answered 0, nothing else."""
    a = Laptop(hq, YUANLING).enroll()
    page = pull_page(hq, a.device_id, 10_000, 1, ["squad"])
    assert sorted(ids(page, "squad")) == sorted([BUREAU, YUANLING, NANYUAN])
    assert (page["cursor"], page["more"]) == (0, False)
    assert {item["table"] for item in page["records"]} == {"squad"}


def test_pages_follow_the_cursor_without_gaps_or_repeats(hq: HqDatabase) -> None:  # noqa: F811
    """Pages of 2: each record once, in revision order, ``more`` until the last page, and the
    cursor of a page that is not full is HQ's high-water mark."""
    a, b = Laptop(hq, YUANLING).enroll(), Laptop(hq, YUANLING).enroll()
    rows = [case(YUANLING, USER) for _ in range(3)]
    a.push(a.batch(*(a.change("enforcement_case", row) for row in rows)))
    seen: list[int] = []
    cursor, more = 0, True
    while more:
        page = pull_page(hq, b.device_id, cursor, 2, None)
        seen += [item["revision"] for item in page["records"]]
        assert len(page["records"]) <= 2
        cursor, more = page["cursor"], page["more"]
    assert seen == sorted(set(seen))
    everything = pull_page(hq, b.device_id, 0, 1000, None)["records"]
    assert seen == [item["revision"] for item in everything]
    assert cursor == max(seen)
    assert pull_page(hq, b.device_id, cursor, 2, None) == {
        "records": [],
        "cursor": cursor,
        "more": False,
    }


def test_the_cursor_moves_past_what_the_device_may_not_see(hq: HqDatabase) -> None:  # noqa: F811
    """南园's pushes after 园岭's last pull move 园岭's cursor without records."""
    a, c = Laptop(hq, YUANLING).enroll(), Laptop(hq, NANYUAN).enroll()
    start = pull_page(hq, a.device_id, 0, 1000, None)["cursor"]
    c.push(c.batch(c.change("enforcement_case", case(NANYUAN, USER))))
    page = pull_page(hq, a.device_id, start, 1000, None)
    assert page["records"] == [] and page["cursor"] > start


def test_an_unknown_table_or_limit_is_refused(hq: HqDatabase) -> None:  # noqa: F811
    """tables= naming a table that does not sync, or a page of 0: a Chinese UserError."""
    a = Laptop(hq, YUANLING).enroll()
    with pytest.raises(UserError, match="未知的数据表"):
        pull_page(hq, a.device_id, 0, 10, ["outbox_entry"])
    with pytest.raises(UserError, match="大于 0"):
        pull_page(hq, a.device_id, 0, 0, None)


def test_visible_records_is_the_squads_share(hq: HqDatabase) -> None:  # noqa: F811
    """What an offline package for 园岭 carries: its records and events, the published ones,
    including those this squad's devices pushed themselves."""
    a, c = Laptop(hq, YUANLING).enroll(), Laptop(hq, NANYUAN).enroll()
    own, foreign = case(YUANLING, USER), case(NANYUAN, USER)
    a.push(a.batch(a.change("enforcement_case", own)))
    c.push(c.batch(c.change("enforcement_case", foreign)))
    with hq.read() as session:
        share = list(visible_records(session, YUANLING))
        limited = list(visible_records(session, YUANLING, up_to=3))
    assert [item["id"] for item in share if item["table"] == "enforcement_case"] == [own["id"]]
    assert [item["revision"] for item in limited] == [1, 2, 3]


def test_a_published_record_gets_a_new_version_each_time(hq: HqDatabase) -> None:  # noqa: F811
    """publish: HQ's version rises by one, the squad's devices pull the latest; an org unit
    goes to everyone."""
    a = Laptop(hq, YUANLING).enroll()
    row = {
        "id": YUANLING,
        "name": "园岭街道执法中队",
        "short_name": "园岭",
        "is_bureau": False,
        "street": "园岭",
        "parent_id": BUREAU,
        "created_at": MOMENT,
        "updated_at": MOMENT + dt.timedelta(days=1),
    }
    with hq.write() as session:
        seq = publish(session, encode_row("squad", {**row, "version": 99}, {}), YUANLING)
    c = Laptop(hq, NANYUAN).enroll()
    [served] = [
        item
        for item in pull_page(hq, c.device_id, 0, 100, ["squad"])["records"]
        if item["id"] == YUANLING
    ]
    assert (served["revision"], served["version"]) == (seq, 2)
    assert served["fields"]["name"] == "园岭街道执法中队"
    assert a.device_id


def test_publishing_many_at_once(hq: HqDatabase) -> None:  # noqa: F811
    """publish_many: revisions in the order given, a record named twice gets versions 1 and 2,
    and every device sees the registry (published to all) at its last version."""
    venues = [enterprise(YUANLING) for _ in range(3)]
    renamed = {**venues[0], "name": "改名后的公司"}
    envelopes = [
        encode_row("enterprise", {**row, "version": 0}, {"enterprise_category": []})
        for row in (*venues, renamed)
    ]
    with hq.write() as session:
        numbers = publish_many(session, envelopes, YUANLING)
    assert numbers == sorted(numbers) and len(set(numbers)) == 4
    c = Laptop(hq, NANYUAN).enroll()
    served = {
        item["id"]: item for item in pull_page(hq, c.device_id, 0, 100, ["enterprise"])["records"]
    }
    assert set(served) == {row["id"] for row in venues}
    assert (served[venues[0]["id"]]["version"], served[venues[0]["id"]]["fields"]["name"]) == (
        2,
        "改名后的公司",
    )
    assert served[venues[0]["id"]]["revision"] == numbers[3]
