"""``hq stats``: the laptop's figures, line for line, from HQ's mirror of the same records.

The demo laptop's synced records are written into a fresh HQ mirror as a push would leave them;
HQ's lines must then equal what the laptop's own ``stats`` prints for every squad choice, on
SQLite and on PostgreSQL (dates, sums and distinct counts by the same SQLAlchemy queries).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.database import HqDatabase, migrate_hq, open_hq
from fuanjian_desktop.hq.stats import squad_id_of, statistics_lines
from fuanjian_desktop.services.setup import find_squad
from fuanjian_desktop.services.statistics import enforcement_statistics
from fuanjian_desktop.sync_protocol.codec import iter_table, write_record
from fuanjian_desktop.sync_protocol.policy import synced_tables
from tests.support.pg import pg_database  # noqa: F401

YEAR = 2026


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_hq(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HqDatabase]:
    """A migrated HQ database without ``hq init`` (the demo brings its own org units)."""
    url = (
        f"sqlite:///{tmp_path / 'hq.sqlite'}"
        if request.param == "sqlite"
        else request.getfixturevalue("pg_database")
    )
    migrate_hq(url)
    db = open_hq(url)
    yield db
    db.close()


def mirror(laptop: Database, hq: HqDatabase) -> int:
    """Write every synced record of ``laptop`` into HQ's mirror; how many."""
    written = 0
    with laptop.read() as source, hq.write() as target:
        for policy in synced_tables():
            for envelope in iter_table(source, policy.table):
                write_record(target, envelope)
                written += 1
    return written


def laptop_lines(laptop: Database, squad: str | None) -> list[str]:
    """What ``python main.py stats --year 2026 [--squad S]`` prints on the laptop."""
    squad_id = find_squad(laptop, squad).id if squad else None
    return [f"{name}: {value}" for name, value in enforcement_statistics(laptop, YEAR, squad_id)]


@pytest.mark.slow
def test_hq_figures_equal_the_laptops(demo_database: Database, empty_hq: HqDatabase):
    """All squads, 园岭 and 南园: HQ's lines are the laptop's lines."""
    assert mirror(demo_database, empty_hq) > 1000
    for squad in (None, "园岭", "南园"):
        expected = laptop_lines(demo_database, squad)
        assert statistics_lines(empty_hq, YEAR, squad_id_of(empty_hq, squad)) == expected
    figures = dict(line.split(": ") for line in laptop_lines(demo_database, None))
    assert int(figures["立案"]) > 0 and int(figures["检查企业"]) > 0  # the demo has real data


def test_unknown_squad_is_refused(empty_hq: HqDatabase):
    """An unknown squad name: the laptop's Chinese error, as ``stats`` gives it."""
    with pytest.raises(UserError, match="没有名为“东门”的中队"):
        squad_id_of(empty_hq, "东门")
