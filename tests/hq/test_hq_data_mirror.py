"""The HQ schema and its mirror: what the migration makes, what open_hq refuses, and the
laptop's statistics running on HQ's current state."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.database import VERSION_TABLE, HqDatabase, migrate_hq, open_hq
from fuanjian_desktop.hq.mirror import mirror_metadata
from fuanjian_desktop.hq.models import HqBase
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.services.statistics import enforcement_statistics
from tests.hq.hq_data_support import (
    NANYUAN,
    YUANLING,
    Laptop,
    case,
    case_event,
    enterprise,
    hazard,
    hq,  # noqa: F401
    inspection,
)

USER = new_id()
LOCAL_OR_DERIVED = (
    "local_setting",
    "outbox_entry",
    "draft_journal",
    "case_deadline",
    "sync_state",
    "sync_batch",
    "sync_base",
)


def test_the_migration_makes_exactly_the_models(hq: HqDatabase) -> None:  # noqa: F811
    """After the migrations the database matches hq.models and the mirror (nothing missing or
    extra), stamped in hq_alembic_version."""
    with hq.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "version_table": VERSION_TABLE}
        )
        assert compare_metadata(context, [HqBase.metadata, mirror_metadata()]) == []
        assert (
            connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar() == "0002"
        )


def test_the_mirror_has_no_foreign_keys_and_no_local_tables(hq: HqDatabase) -> None:  # noqa: F811
    """Synced tables are mirrored without foreign keys; local and derived ones are not there."""
    found = inspect(hq.engine)
    tables = set(found.get_table_names())
    assert {"enforcement_case", "case_handler", "audit_event", "sync_conflict"} <= tables
    assert tables.isdisjoint(LOCAL_OR_DERIVED)
    assert all(found.get_foreign_keys(name) == [] for name in tables)
    uniques = {item["name"] for item in found.get_unique_constraints("issued_number")}
    assert uniques == {"uq_issued_number_prefix"}


def test_a_database_never_initialised_is_refused(tmp_path: Path) -> None:
    """open_hq on an empty database: the Chinese hint to run hq init."""
    with pytest.raises(
        UserError, match=re.escape("区局数据库尚未初始化，请先运行 python main.py hq init")
    ):
        open_hq(f"sqlite:///{tmp_path / 'empty.db'}")


@pytest.mark.parametrize("url", ["r/hq.db", "foo://bar", "postgres://fj@127.0.0.1/hq"])
def test_a_mistyped_address_is_named_in_chinese(url: str) -> None:
    """A bare path or an unknown scheme in --db: what it should look like, not a traceback."""
    with pytest.raises(UserError, match=re.escape(f"区局数据库地址“{url}”无效，应形如 sqlite:///")):
        open_hq(url)


def test_a_database_of_a_newer_program_is_refused(tmp_path: Path) -> None:
    """A schema stamp this program does not know: refused, not migrated."""
    url = f"sqlite:///{tmp_path / 'hq.db'}"
    migrate_hq(url)
    database = HqDatabase(url)
    with database.engine.begin() as connection:
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = '0099'"))
    database.close()
    for attempt in (open_hq, migrate_hq):
        with pytest.raises(UserError, match="更新版本"):
            attempt(url)


def test_migrating_twice_changes_nothing(tmp_path: Path) -> None:
    """hq init may run again: the second migration is a no-op."""
    url = f"sqlite:///{tmp_path / 'hq.db'}"
    migrate_hq(url)
    migrate_hq(url)
    open_hq(url).close()


def test_the_laptops_statistics_run_on_the_mirror(hq: HqDatabase) -> None:  # noqa: F811
    """enforcement_statistics on HQ's current state, by hand: 园岭 has two general cases filed
    in 2026 (one decided with a 5,000 yuan fine, 2,000 paid, and closed; one with two 集体讨论
    steps), one simple case; 南园 one general case filed; a 园岭 case deleted later does not
    count. Two 园岭 enterprises inspected (a 复查 not counted), three hazards found, one
    rectified."""
    a, c = Laptop(hq, YUANLING).enroll(), Laptop(hq, NANYUAN).enroll()
    decided = case(
        YUANLING,
        USER,
        filed_on=dt.date(2026, 3, 3),
        decided_on=dt.date(2026, 5, 6),
        closed_on=dt.date(2026, 6, 1),
        outcome="penalty",
        total_fine=5000,
        paid_amount=2000,
        stage="closed",
    )
    discussed = case(YUANLING, USER, filed_on=dt.date(2026, 4, 1))
    simple = case(YUANLING, USER, procedure="simple")
    gone = case(YUANLING, USER, filed_on=dt.date(2026, 4, 2))
    venues = [enterprise(YUANLING), enterprise(YUANLING)]
    checks = [inspection(YUANLING, venue["id"], USER) for venue in venues]
    recheck = inspection(YUANLING, venues[0]["id"], USER, source="recheck")
    found = [hazard(YUANLING, checks[0]["id"], venues[0]["id"]) for _ in range(2)]
    found.append(
        hazard(
            YUANLING,
            checks[1]["id"],
            venues[1]["id"],
            status="rectified",
            closed_on=dt.date(2026, 3, 9),
        )
    )
    changes = [a.change("enterprise", venue) for venue in venues]
    changes += [a.change("enforcement_case", row) for row in (decided, discussed, simple, gone)]
    changes += [
        a.change("case_event", case_event(discussed["id"], "record_discussion", day))
        for day in (dt.date(2026, 4, 10), dt.date(2026, 4, 20))
    ]
    changes += [a.change("inspection", row) for row in (*checks, recheck)]
    changes += [a.change("hazard", row) for row in found]
    assert a.push(a.batch(*changes))[0] == 200
    assert a.push(a.batch(a.change("enforcement_case", gone, delete=True)))[0] == 200
    filed_elsewhere = case(NANYUAN, USER, filed_on=dt.date(2026, 7, 1))
    assert c.push(c.batch(c.change("enforcement_case", filed_elsewhere)))[0] == 200
    figures = dict(enforcement_statistics(hq.core(), 2026, YUANLING))
    assert (figures["立案"], figures["结案"], figures["作出处罚决定"]) == (2, 1, 1)
    assert (figures["罚没金额"], figures["已缴罚款"]) == (5000, 2000)
    assert (figures["集体讨论"], figures["听证"]) == (1, 0)
    assert (figures["检查企业"], figures["发现隐患"], figures["整改隐患"]) == (2, 3, 1)
    everyone = dict(enforcement_statistics(hq.core(), 2026))
    assert everyone["立案"] == 3
    assert dict(enforcement_statistics(hq.core(), 2025, YUANLING))["立案"] == 0
