"""The issue's "Done when", end to end through the commands, on SQLite and on PostgreSQL.

The demo laptop of 园岭 enrolls and syncs; a second, empty laptop enrolled for 园岭 receives the
squad's data in its first ``sync run``; a case step taken on either appears on the other after
the next round; ``hq stats`` equals the laptops' ``stats`` line for line; a second ``sync run``
changes nothing at HQ — but for one record: the audit event of the command's own sign-in
(``--user``), which the round pushes like any event of the trail. The test pins exactly that.

The demo laptop also holds 南园's data (its users, a case, inspections: the demo shows both
squads), which a 园岭 device may not push. HQ therefore holds 园岭's share only, and so does the
second laptop; the demo laptop's own all-squads ``stats`` exceeds HQ's by exactly 南园's figures.
The test pins that difference instead of hiding it.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.demo.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from fuanjian_desktop.hq.database import open_hq
from fuanjian_desktop.hq.models import HqRevision
from fuanjian_desktop.models import Case, Inspection, Squad, User
from fuanjian_desktop.services.cases.case_actions import StepInput
from fuanjian_desktop.services.inspections.inspections import local_today
from tests.cases import open_plain_case, perform_written
from tests.conftest import DemoTemplate
from tests.crash.actors import actor_named
from tests.support.server import HqServer, enrollment_code, hq
from tests.sync_e2e.laptops import Laptop
from tests.sync_e2e.records import Picture, compare, picture_of

SECOND_PASSWORD = "Yuanling-2026"  # the account's password on the new laptop
SIGN_IN = "登录"  # the audit action of a sign-in
pytestmark = pytest.mark.timeout(600)


def hq_state(server: HqServer) -> tuple[Picture, int]:
    """HQ's mirror record by record, and its last revision number."""
    db = open_hq(server.db_url)
    try:
        with db.read() as session:
            last = session.scalar(select(func.max(HqRevision.seq))) or 0
            return picture_of(session), last
    finally:
        db.close()


def assert_idle(before: tuple[Picture, int], after: tuple[Picture, int], rounds: int) -> None:
    """Nothing changed at HQ but, per ``sync run``, the one audit event of the command's own
    sign-in (every command that opens the data signs its user in, and the trail records it)."""
    change = compare(before[0], after[0])
    assert not change.changed and not change.only_left, change.summary()
    added = [json.loads(after[0][key])[1] for key in change.only_right]
    assert [key[0] for key in change.only_right] == ["audit_event"] * rounds
    assert [event["action"] for event in added] == [SIGN_IN] * rounds, added
    assert after[1] == before[1] + rounds


def without_sign_ins(records: Picture) -> Picture:
    """``records`` without the audit events of sign-ins (登录)."""
    return {
        key: content
        for key, content in records.items()
        if key[0] != "audit_event" or json.loads(content)[1]["action"] != SIGN_IN
    }


def nanyuan_share(laptop: Laptop) -> dict[str, set[str]]:
    """The demo's 南园 users, cases and inspections (read by hand, not by the sync code)."""
    with laptop.opened() as database, database.read() as session:
        squad = session.scalars(select(Squad.id).where(Squad.short_name == "南园")).one()
        return {
            "app_user": set(session.scalars(select(User.id).where(User.squad_id == squad))),
            "enforcement_case": set(session.scalars(select(Case.id).where(Case.squad_id == squad))),
            "inspection": set(
                session.scalars(select(Inspection.id).where(Inspection.squad_id == squad))
            ),
        }


def test_two_laptops_of_a_squad_share_one_picture_through_hq(
    hq_server: HqServer, demo_template: DemoTemplate, tmp_path: Path
):
    """The Done-when flow, every step through ``main.py`` as an operator types it."""
    year = local_today().year
    demo = Laptop(tmp_path / "demo", "zhaolei", DEMO_PASSWORD)
    demo_template.copy_files(demo.folder)
    demo.enroll(hq_server.url, enrollment_code(hq_server.db_url, "园岭"))
    demo.sync()

    # a second round with nothing new changes nothing at HQ
    before = hq_state(hq_server)
    demo.sync()
    after = hq_state(hq_server)
    assert_idle(before, after, rounds=1)

    # HQ holds everything of the demo laptop but 南园's share, and nothing else
    with demo.opened() as database, database.read() as session:
        demo_picture = picture_of(session)
    held = compare(demo_picture, after[0])
    assert not held.changed and not held.only_right, held.summary()
    share = nanyuan_share(demo)
    names = {a.username for a in DEMO_ACCOUNTS if a.squad == "南园"}
    assert len(share["app_user"]) == len(names) and share["enforcement_case"]
    for table, ids in share.items():
        assert {(table, i) for i in ids} <= held.only_left, table
    print("demo records HQ does not hold, by table:", Counter(t for t, _ in held.only_left))

    # an empty laptop enrolled for 园岭 receives the squad's data in its first round
    second = Laptop(tmp_path / "second", "zhaolei", SECOND_PASSWORD)
    second.enroll(hq_server.url, enrollment_code(hq_server.db_url, "园岭"))
    second.sync()
    state = hq_state(hq_server)
    with second.opened() as database, database.read() as session:
        received = compare(picture_of(session), state[0])
    assert received.empty, received.summary()

    # a case step on either laptop appears on the other after the next round
    with demo.opened() as database:
        zhang = actor_named(database, "zhangwei")
        lina = actor_named(database, "lina")
        case_id = open_plain_case(database, zhang, lina.user_id or "", local_today())
    demo.sync()
    second.sync()
    with second.opened() as database:
        with database.read() as session:
            assert session.get(Case, case_id) is not None
        leader = actor_named(database, "liuyang")
        perform_written(database, leader, case_id, "approve_filing", StepInput(on=local_today()))
    second.sync()
    demo.sync()
    with demo.opened() as database, database.read() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.filed_on == local_today()

    # both laptops and HQ agree record by record on 园岭's share (but for the sign-ins of the
    # last commands: each laptop pushes its own before the other pulls it)
    state = hq_state(hq_server)
    at_hq = without_sign_ins(state[0])
    with second.opened() as database, database.read() as session:
        theirs = compare(without_sign_ins(picture_of(session)), at_hq)
    assert theirs.empty, theirs.summary()
    with demo.opened() as database, database.read() as session:
        mine = compare(without_sign_ins(picture_of(session)), at_hq)
    assert not mine.changed and not mine.only_right, mine.summary()

    # hq stats = each laptop's stats for 园岭, line for line
    hq_lines = hq("stats", "--db", hq_server.db_url, "--year", str(year)).stdout.splitlines()
    hq_yuanling = hq("stats", "--db", hq_server.db_url, "--year", str(year), "--squad", "园岭")
    assert hq_lines == hq_yuanling.stdout.splitlines()
    assert hq_lines == second.stats(year)
    assert hq_lines == demo.stats(year, "园岭")
    # the demo laptop's all-squads figures: 园岭's plus the 南园 share HQ never receives
    nanyuan = demo.stats(year, "南园")
    assert demo.stats(year) == [summed(a, b) for a, b in zip(hq_lines, nanyuan, strict=True)]

    # a second round on each changes nothing at HQ (the stats commands' sign-ins go first)
    demo.sync()
    second.sync()
    state = hq_state(hq_server)
    demo.sync()
    second.sync()
    assert_idle(state, hq_state(hq_server), rounds=2)


def summed(yuanling: str, nanyuan: str) -> str:
    """``名称: a`` and ``名称: b`` → ``名称: a+b`` (each figure counts distinct cases, venues
    or hazards of one squad, so two squads' figures add up)."""
    name, first = yuanling.split(": ")
    other_name, second = nanyuan.split(": ")
    assert name == other_name
    return f"{name}: {Decimal(first) + Decimal(second)}"
