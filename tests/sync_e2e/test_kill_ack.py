"""A laptop killed after HQ committed its push, before it stored the acknowledgement.

The proxy holds HQ's answer to the push back (HQ has committed the batch) and the test kills
``sync run`` right then. The laptop still counts its records as pending; the next ``sync run``
sends the stored batch again, and HQ applies it once: every record keeps the one revision the
batch brought the first time.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from fuanjian_desktop.hq.database import open_hq
from fuanjian_desktop.hq.models import HqRevision
from tests.support.proxy import CALM, Fault, FaultPlan, FaultProxy
from tests.support.server import HqServer
from tests.sync_e2e.fleet import PASSWORD, new_laptop, register
from tests.sync_e2e.laptops import Laptop

STALL_SECONDS = 120.0  # longer than the test waits: the laptop dies before any answer
pytestmark = [pytest.mark.timeout(300), pytest.mark.usefixtures("cheap_accounts")]


def hq_revisions(server: HqServer, ids: set[str]) -> Counter[tuple[str, str | None]]:
    """HQ's revisions of ``ids``, counted by record and the batch that brought them."""
    db = open_hq(server.db_url)
    try:
        with db.read() as session:
            query = select(HqRevision.entity_id, HqRevision.batch_key)
            rows = session.execute(query.where(HqRevision.entity_id.in_(ids)))
            return Counter((entity_id, batch_key) for entity_id, batch_key in rows)
    finally:
        db.close()


@pytest.mark.parametrize("hq_db", ["sqlite", "postgresql"], indirect=True)
def test_a_push_committed_but_never_acknowledged_applies_once(hq_server: HqServer, tmp_path: Path):
    """Kill ``sync run`` between HQ's commit and its own acknowledgement; the re-push applies
    once."""
    with FaultProxy(hq_server.port, CALM) as proxy:
        field = new_laptop(tmp_path / "k", "k", "园岭", hq_server, 7, via=proxy.url)
        for _ in range(3):
            register(field)
        made = {write.record_id for write in field.writes}
        field.database.close()
        laptop = Laptop(tmp_path / "k", "admin_k", PASSWORD)
        pending = int(laptop.status()["待上传"])
        assert pending > 0

        proxy.plan = FaultPlan(1, {Fault.STALL: 1.0}, path="/v1/push", hold=STALL_SECONDS)
        child = laptop.start("sync", "run")
        try:
            assert proxy.stalled.wait(timeout=120), "the push never reached HQ"
        finally:
            child.kill()
            child.wait(timeout=30)
        committed = hq_revisions(hq_server, made)
        assert {entity for entity, _ in committed} == made  # HQ has them,
        assert len({batch for _, batch in committed}) == 1  # from the one batch,
        assert set(committed.values()) == {1}  # once each
        assert int(laptop.status()["待上传"]) == pending  # not acknowledged on the laptop

        proxy.plan = CALM
        laptop.sync()
    assert hq_revisions(hq_server, made) == committed  # the re-push applied nothing again
    assert int(laptop.status()["待上传"]) == 0
