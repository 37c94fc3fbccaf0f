"""Fixtures of the HQ data-side tests: a migrated HQ database with squads and laptops, and
laptops that make pushes the way a real one does (a chained audit event per change).

``hq`` runs each test on SQLite and on PostgreSQL (the schema migrated once per session there,
each test on a ``TEMPLATE`` copy). The expected values in the tests come from the protocol's
rules written out by hand, never from the code under test.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from fuanjian_desktop.hq.database import HqDatabase, migrate_hq, open_hq
from fuanjian_desktop.hq.mirror import mirror_metadata
from fuanjian_desktop.hq.models import HqBase, HqDevice
from fuanjian_desktop.hq.publish import publish
from fuanjian_desktop.hq.push import apply_push
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.security.audit_chain import GENESIS, hash_of
from fuanjian_desktop.sync_protocol.codec import encode_audit_event, encode_row
from tests.support.pg import PgCluster

KINDS = ("sqlite", "postgresql")
BUREAU, YUANLING, NANYUAN = new_id(), new_id(), new_id()
MOMENT = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="session")
def hq_sqlite_schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite HQ database migrated once per session (tests take copies)."""
    path = tmp_path_factory.mktemp("hq-data-schema") / "hq.db"
    migrate_hq(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def hq_postgresql(request: pytest.FixtureRequest) -> str:
    """A PostgreSQL HQ database migrated once per session (tests empty it first): a fresh
    TEMPLATE copy per test costs seconds, emptying it milliseconds."""
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.url(cluster.create_database(template=cluster.template("hq-data", migrate_hq)))


@pytest.fixture(params=KINDS)
def hq(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[HqDatabase]:
    """A migrated HQ database with the bureau and two squads published: SQLite, PostgreSQL."""
    if request.param == "sqlite":
        target = tmp_path / "hq.db"
        shutil.copyfile(request.getfixturevalue("hq_sqlite_schema"), target)
        db = open_hq(f"sqlite:///{target}")
    else:
        db = open_hq(request.getfixturevalue("hq_postgresql"))
        empty(db)
    seed_squads(db)
    yield db
    db.close()


def empty(db: HqDatabase) -> None:
    """Remove every row of the HQ tables and the mirror (not the schema stamp); DELETE, not
    TRUNCATE: the tables are tiny, and TRUNCATE makes new files for every table and index."""
    with db.write() as session:
        for metadata in (HqBase.metadata, mirror_metadata()):
            for table in metadata.sorted_tables:
                session.execute(table.delete())


def seed_squads(db: HqDatabase) -> None:
    """The bureau (区局) and the squads 园岭 and 南园, as HQ publishes them."""
    with db.write() as session:
        for squad_id, name, bureau in (
            (BUREAU, "区局", True),
            (YUANLING, "园岭", False),
            (NANYUAN, "南园", False),
        ):
            row = {
                "id": squad_id,
                "version": 1,
                "name": f"{name}执法队",
                "short_name": name,
                "is_bureau": bureau,
                "street": None,
                "parent_id": None if bureau else BUREAU,
                "created_at": MOMENT,
                "updated_at": MOMENT,
            }
            publish(session, encode_row("squad", row, {}), None)


@dataclass
class Laptop:
    """An enrolled laptop: its chain head, the versions and HQ bases of its records."""

    db: HqDatabase
    squad_id: str
    device_id: str = field(default_factory=new_id)
    seq: int = 0
    head: str = GENESIS
    versions: dict[tuple[str, str], int] = field(default_factory=dict)
    bases: dict[tuple[str, str], int] = field(default_factory=dict)

    def enroll(self) -> Laptop:
        """Register the device at HQ (as /v1/enroll does)."""
        with self.db.write() as session:
            session.add(
                HqDevice(
                    id=self.device_id,
                    squad_id=self.squad_id,
                    name=f"笔记本{self.device_id[-4:]}",
                    secret_b64="c2VjcmV0",
                    signing_public_b64="cHVibGlj",
                    app_version="test",
                )
            )
        return self

    def event(
        self,
        entity_type: str | None = None,
        entity_id: str | None = None,
        *,
        event_id: str | None = None,
    ) -> dict[str, Any]:
        """The next audit event of this laptop's chain, as an envelope."""
        self.seq += 1
        values: dict[str, Any] = {
            "id": event_id or new_id(),
            "device_id": self.device_id,
            "device_seq": self.seq,
            "prev_hash": self.head,
            "occurred_at": MOMENT + dt.timedelta(seconds=self.seq),
            "actor_id": None,
            "actor_name": "测试员",
            "action": "测试",
            "summary": f"第{self.seq}次修改",
            "entity_type": entity_type,
            "entity_id": entity_id,
            "before": None,
            "after": {"n": self.seq},
        }
        values["event_hash"] = self.head = hash_of(values)
        return encode_audit_event(values)

    def change(
        self,
        table: str,
        row: dict[str, Any],
        children: dict[str, list[dict[str, Any]]] | None = None,
        *,
        delete: bool = False,
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(audit event, record envelope) of one audited change, version bumped, base set."""
        key = (table, row["id"])
        version = self.versions[key] = self.versions.get(key, 0) + 1
        event = self.event(table, row["id"])
        envelope = encode_row(table, {**row, "version": version}, children or {})
        envelope["base_revision"] = self.bases.get(key)
        envelope["audit_event_id"] = event["id"]
        if delete:
            envelope.update(op="delete", fields={}, children={})
        return event, envelope

    def batch(self, *changes: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
        """A PushBatch of ``changes``."""
        return {
            "batch_key": new_id(),
            "device_id": self.device_id,
            "app_version": "test",
            "chain_from": {"device_seq": 0, "event_hash": GENESIS},
            "audit_events": [event for event, _record in changes],
            "records": [record for _event, record in changes],
        }

    def push(self, batch: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Push ``batch``; on success remember each answered revision as the new base."""
        status, body = apply_push(self.db, self.device_id, batch)
        if status == 200:
            for applied in body["applied"]:
                self.bases[(applied["table"], applied["id"])] = applied["revision"]
        return status, body

    def learn(self, envelope: dict[str, Any]) -> None:
        """Take a pulled record as this laptop's state (version and base from HQ)."""
        key = (envelope["table"], envelope["id"])
        self.versions[key] = envelope["version"]
        self.bases[key] = envelope["revision"]


def enterprise(squad_id: str, **over: Any) -> dict[str, Any]:
    """A registry row of ``squad_id``."""
    return {
        "id": new_id(),
        "name": "深圳市示例餐饮有限公司",
        "uscc": None,
        "uscc_override_reason": None,
        "operator_name": None,
        "operator_id_no": None,
        "address": "园岭街道八卦路1号",
        "street": "园岭",
        "community": None,
        "grid": None,
        "contact_name": "张三",
        "contact_phone": "13800000000",
        "floor_area": None,
        "key_supervision": False,
        "blacklisted": False,
        "notes": None,
        "squad_id": squad_id,
        "search_text": "",
        "created_at": MOMENT,
        "updated_at": MOMENT,
        **over,
    }


def case(squad_id: str, user_id: str, **over: Any) -> dict[str, Any]:
    """A general-procedure case of ``squad_id``, just opened."""
    return {
        "id": new_id(),
        "case_no": f"深福应急罚〔2026〕{new_id()[-6:]}号",
        "year": 2026,
        "serial": 1,
        "squad_id": squad_id,
        "procedure": "general",
        "source": "inspection",
        "source_note": None,
        "party_kind": "unit",
        "enterprise_id": None,
        "party_name": "深圳市示例餐饮有限公司",
        "party_id_type": "uscc",
        "party_id_no": None,
        "party_representative": None,
        "party_phone": None,
        "party_address": None,
        "cause": "未按规定开展安全生产教育培训",
        "facts": None,
        "stage": "filing",
        "outcome": None,
        "opened_on": dt.date(2026, 3, 2),
        "filed_on": None,
        "decided_on": None,
        "closed_on": None,
        "total_fine": 0,
        "paid_amount": 0,
        "other_penalties": [],
        "extension_days": 0,
        "reviewer_id": None,
        "next_due_on": None,
        "next_due_label": None,
        "created_by_id": user_id,
        "created_at": MOMENT,
        "updated_at": MOMENT,
        **over,
    }


def handler(user_id: str, position: int, name: str) -> dict[str, Any]:
    """A case_handler child row (without the parent key)."""
    return {"position": position, "user_id": user_id, "full_name": name, "cert_no": "44030012"}


def case_event(case_id: str, action: str, on: dt.date, **over: Any) -> dict[str, Any]:
    """A procedure step of a case."""
    return {
        "id": new_id(),
        "case_id": case_id,
        "action": action,
        "stage_before": "filing",
        "stage_after": "investigation",
        "occurred_on": on,
        "actor_id": None,
        "actor_name": "测试员",
        "note": None,
        "milestones": {},
        "data": {},
        "created_at": MOMENT,
        "updated_at": MOMENT,
        **over,
    }


def document(case_id: str, **over: Any) -> dict[str, Any]:
    """A draft document of a case."""
    return {
        "id": new_id(),
        "case_id": case_id,
        "inspection_id": None,
        "type_key": "filing_approval",
        "title": "立案审批表",
        "variant": None,
        "number": None,
        "status": "draft",
        "values": {"facts": "初稿"},
        "sheet": None,
        "sha256": None,
        "issued_on": None,
        "issued_at": None,
        "served_on": None,
        "served_method": None,
        "recipient": None,
        "event_id": None,
        "edition": 1,
        "corrects_id": None,
        "correction_reason": None,
        "void_reason": None,
        "created_at": MOMENT,
        "updated_at": MOMENT,
        **over,
    }


def inspection(squad_id: str, enterprise_id: str, user_id: str, **over: Any) -> dict[str, Any]:
    """A routine inspection of ``enterprise_id``."""
    return {
        "id": new_id(),
        "enterprise_id": enterprise_id,
        "squad_id": squad_id,
        "source": "routine",
        "status": "finished",
        "template_id": None,
        "template_version": None,
        "follow_up_of_id": None,
        "facts": {},
        "venue_categories": [],
        "place": "园岭街道八卦路1号",
        "site_person_name": "李四",
        "site_person_position": None,
        "site_person_phone": None,
        "site_person_id_no": None,
        "started_at": MOMENT,
        "ended_at": MOMENT + dt.timedelta(hours=1),
        "summary": None,
        "refused_to_sign": False,
        "refusal_note": None,
        "onsite_measures": [],
        "onsite_measures_note": None,
        "created_by_id": user_id,
        "created_at": MOMENT,
        "updated_at": MOMENT,
        **over,
    }


def hazard(squad_id: str, inspection_id: str, enterprise_id: str, **over: Any) -> dict[str, Any]:
    """A hazard found by an inspection."""
    return {
        "id": new_id(),
        "inspection_id": inspection_id,
        "item_id": f"item-{new_id()[-6:]}",
        "enterprise_id": enterprise_id,
        "squad_id": squad_id,
        "description": "灭火器过期",
        "level": "general",
        "rectification": "更换灭火器",
        "basis_text": "《消防法》",
        "violation_code": None,
        "found_on": dt.date(2026, 3, 2),
        "days": 7,
        "due_date": dt.date(2026, 3, 9),
        "status": "open",
        "closed_on": None,
        "closed_by_id": None,
        "created_at": MOMENT,
        "updated_at": MOMENT,
        **over,
    }


def issued_number(squad_id: str, device_id: str, serial: int, **over: Any) -> dict[str, Any]:
    """A 文号 taken from a block."""
    return {
        "id": new_id(),
        "prefix": "深福应急",
        "code": "罚",
        "year": 2026,
        "serial": serial,
        "part": 1,
        "text": f"深福应急罚〔2026〕{serial}号",
        "squad_id": squad_id,
        "device_id": device_id,
        "entity_type": "case_document",
        "entity_id": new_id(),
        "status": "used",
        "void_reason": None,
        "created_at": MOMENT,
        "updated_at": MOMENT,
        **over,
    }
