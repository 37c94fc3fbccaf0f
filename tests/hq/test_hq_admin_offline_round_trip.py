"""Offline packages end to end: a 园岭 laptop's package reaches HQ by ``hq import``, and HQ's
package for 园岭 (``hq export``) brings it to the squad's other laptop by ``sync import``.

Both laptops are real (enrolled at a running HQ, then cut off); the packages are the ones the
laptop and HQ code write, not hand-made.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests.support and tests.sync_e2e)

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.hq.database import open_hq
from fuanjian_desktop.hq.packages import export_package, import_package
from fuanjian_desktop.models import Enterprise, NumberBlock
from fuanjian_desktop.sync_client import packages as laptop_packages
from tests.support.server import HqServer, hq_db, hq_server  # noqa: F401
from tests.sync_e2e.fleet import cheap_accounts, new_laptop, register  # noqa: F401

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("cheap_accounts")]


def names(laptop_database: Database) -> set[str]:
    """The enterprise names a laptop holds."""
    with laptop_database.read() as session:
        return set(session.scalars(select(Enterprise.name)))


@pytest.mark.parametrize("hq_db", ["sqlite"], indirect=True)
def test_squad_syncs_by_packages_both_ways(hq_server: HqServer, tmp_path: Path):
    """Laptop A's new venue: A → package → hq import → hq export → B; again is a no-op."""
    first = new_laptop(tmp_path / "a", "a", "园岭", hq_server, 1)
    second = new_laptop(tmp_path / "b", "b", "园岭", hq_server, 2)
    register(first)
    venue = first.writes[-1].value
    assert venue not in names(second.database)

    outgoing = tmp_path / "a-1.fjsync"
    laptop_packages.export_package(first.database, outgoing)
    hq = open_hq(hq_server.db_url)
    try:
        imported = import_package(hq, hq_server.data_dir, outgoing)
        assert (imported.sequence, imported.conflicts, imported.quarantined) == (1, 0, False)
        exported = export_package(hq, hq_server.data_dir, "园岭", tmp_path / "hq-yl.fjsync")
    finally:
        hq.close()

    received = laptop_packages.import_package(second.database, tmp_path / "hq-yl.fjsync")
    assert received.sequence == exported.revision and received.records > 0
    assert venue in names(second.database)
    with second.database.read() as session:
        devices = set(session.scalars(select(NumberBlock.device_id)))
    assert len(devices) == 2  # both laptops' blocks: the squad's share came along
    again = laptop_packages.import_package(second.database, tmp_path / "hq-yl.fjsync")
    assert again.records == 0 and again.note and "已经导入过" in again.note
