"""Every row of every synced table of the demo survives encode → write → encode unchanged.

Into an empty laptop database (SQLite) and into HQ's mirror on PostgreSQL (a throwaway
cluster, ``tests/support/pg.py``). The demo has no inspection photos, reference files or
conflicts, so one of each is added by hand first (its case files bring scans, case photos,
audio-video and an archived dossier); every synced table then holds rows and every column type
(dates, UTC moments, decimals, JSON, booleans, composite keys, owned children) is on the wire at
least once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.hq.database import migrate_hq, open_hq
from fuanjian_desktop.models import Enterprise, EvidenceFile, Inspection, InspectionPhoto, User
from fuanjian_desktop.models.sync import ReferenceFile, SyncConflict
from fuanjian_desktop.services.setup import create_encrypted_database
from fuanjian_desktop.sync_protocol import codec
from fuanjian_desktop.sync_protocol.policy import synced_tables
from tests.conftest import DemoTemplate
from tests.support.pg import PgCluster

Dump = dict[str, list[codec.RecordEnvelope]]
TABLES = [policy.table for policy in synced_tables()]


def add_missing_kinds(database: Database) -> None:
    """One photo, one reference file, one conflict and a floor area: what the demo lacks."""
    with database.write() as session:
        inspection = session.scalars(select(Inspection).order_by(Inspection.id)).first()
        assert inspection is not None
        evidence = EvidenceFile(
            sha256="ab" * 32,
            extension="jpg",
            size_bytes=123456,
            original_name="现场照片.jpg",
            width=4000,
            height=3000,
            captured_at=dt.datetime(2026, 3, 1, 9, 30, 15, 250000, tzinfo=dt.UTC),
            camera="HUAWEI P60",
        )
        session.add(evidence)
        session.flush()
        session.add(
            InspectionPhoto(inspection_id=inspection.id, evidence_id=evidence.id, caption="门口")
        )
        session.add(
            ReferenceFile(
                path="calendar/2026.json", sha256="cd" * 32, content='{"year": 2026}', revision=7
            )
        )
        session.add(
            SyncConflict(
                squad_id=inspection.squad_id,
                entity_type="case_document",
                entity_id="01HZZZZZZZZZZZZZZZZZZZZZZZ",
                kind="field",
                field="values",
                hq_value={"事实": "甲"},
                device_value=["乙", 2, None, True],
                device_id="01HDEVICE0000000000000000A",
            )
        )
        session.execute(update(Enterprise).values(floor_area=Decimal("120.5")))


def dump(database: Database) -> Dump:
    """Every synced record of ``database`` as envelopes, by table."""
    with database.read() as session:
        return dump_session(session)


def dump_session(session: Session) -> Dump:
    """Every synced record a session sees as envelopes, by table."""
    return {table: list(codec.iter_table(session, table, batch=97)) for table in TABLES}


def write_all(session: Session, envelopes: Dump, *, batched: bool) -> None:
    """Write every envelope, parents' tables first, in one transaction: one by one, or each
    table's in one call."""
    codec.defer_foreign_keys(session)
    for table in TABLES:
        if batched:
            codec.write_records(session, envelopes[table])
        else:
            for envelope in envelopes[table]:
                codec.write_record(session, envelope)


@pytest.fixture(scope="module")
def demo_dump(demo_template: DemoTemplate, tmp_path_factory: pytest.TempPathFactory) -> Dump:
    """The demo's synced records (with the kinds it lacks added) as envelopes."""
    source = demo_template.copy_to(DataFolder(tmp_path_factory.mktemp("source")))
    try:
        add_missing_kinds(source)
        return dump(source)
    finally:
        source.close()


@pytest.fixture(scope="module")
def round_trip(
    demo_dump: Dump, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Dump, Dump, Database]]:
    """(the demo's envelopes, the same read back after writing them into an empty laptop
    database, that database)."""
    target_folder = DataFolder(Path(tmp_path_factory.mktemp("target")) / "data")
    target_folder.root.mkdir()
    target = create_encrypted_database(target_folder)
    with target.write() as session:
        write_all(session, demo_dump, batched=False)
    yield demo_dump, dump(target), target
    target.close()


@pytest.fixture(scope="module")
def hq_round_trip(demo_dump: Dump, pg_cluster: PgCluster) -> Iterator[Dump]:
    """The demo's envelopes read back after writing them (a table at a time) into HQ's mirror
    on PostgreSQL."""
    name = pg_cluster.create_database()
    migrate_hq(pg_cluster.url(name))
    hq = open_hq(pg_cluster.url(name))
    try:
        with hq.write() as session:
            write_all(session, demo_dump, batched=True)
        with hq.read() as session:
            yield dump_session(session)
    finally:
        hq.close()
        pg_cluster.drop_database(name)


@pytest.mark.parametrize("table", TABLES)
def test_every_synced_table_round_trips(
    round_trip: tuple[Dump, Dump, Database], table: str
) -> None:
    """Encoding the written copy gives exactly the envelopes written (and some were written)."""
    before, after, _ = round_trip
    assert before[table], f"no {table} rows to test with"
    assert after[table] == before[table]


@pytest.mark.parametrize("table", TABLES)
def test_every_synced_table_round_trips_through_hq_on_postgresql(
    demo_dump: Dump, hq_round_trip: Dump, table: str
) -> None:
    """Written into HQ's mirror on PostgreSQL and read back: the same envelopes."""
    assert hq_round_trip[table] == demo_dump[table]


def test_children_travel_inside_their_parents(round_trip: tuple[Dump, Dump, Database]) -> None:
    """Handlers, inspectors, roles and categories are in their parents' envelopes, without the
    parent key, and none is lost."""
    before, _, _ = round_trip
    for table, child, parent_key in [
        ("enforcement_case", "case_handler", "case_id"),
        ("inspection", "inspection_inspector", "inspection_id"),
        ("app_user", "user_role", "user_id"),
        ("enterprise", "enterprise_category", "enterprise_id"),
    ]:
        rows = [row for envelope in before[table] for row in envelope["children"][child]]
        assert rows, child
        assert all(parent_key not in row for row in rows)


def test_wire_forms_of_the_column_types(round_trip: tuple[Dump, Dump, Database]) -> None:
    """Dates, moments, decimals and composite keys are in the documented text forms."""
    before, _, _ = round_trip
    photo = next(  # the one added by hand (the demo's own photos and scans come first)
        envelope["fields"]
        for envelope in before["evidence_file"]
        if envelope["fields"]["sha256"] == "ab" * 32
    )
    assert photo["captured_at"] == "2026-03-01T09:30:15.250000+00:00"
    enterprise = before["enterprise"][0]
    assert enterprise["fields"]["floor_area"] == "120.50"
    assert "search_text" not in enterprise["fields"]
    case = before["enforcement_case"][0]["fields"]
    assert len(case["opened_on"]) == 10 and case["opened_on"][4] == "-"
    assert case["created_at"].endswith("+00:00")
    checklist = before["checklist_version"][0]
    assert checklist["id"].startswith('["') and checklist["version"] == 1
    assert before["reference_file"][0]["version"] == 7
    assert "revision" not in before["reference_file"][0]["fields"]


def test_local_columns_stay_home(round_trip: tuple[Dump, Dump, Database]) -> None:
    """A user's lockout counters never travel; the password column does (a plain marker)."""
    before, _, _ = round_trip
    fields = before["app_user"][0]["fields"]
    assert "failed_logins" not in fields and "locked_until" not in fields
    assert fields["password_hash"] == "keys.json"


def test_search_text_is_recomputed_as_the_registry_stores_it(
    demo_template: DemoTemplate, round_trip: tuple[Dump, Dump, Database], tmp_path: Path
) -> None:
    """The written copy's search text equals what the registry service stored in the demo."""
    _, _, target = round_trip
    demo = demo_template.copy_to(DataFolder(tmp_path / "demo"))
    try:
        with demo.read() as session:
            stored = dict(session.execute(select(Enterprise.id, Enterprise.search_text)).all())
    finally:
        demo.close()
    with target.read() as session:
        written = dict(session.execute(select(Enterprise.id, Enterprise.search_text)).all())
    assert written == stored
    assert all(written.values())


def test_local_columns_keep_their_value_on_update(round_trip: tuple[Dump, Dump, Database]) -> None:
    """Rewriting a user keeps this laptop's lockout count; keep_local=False resets it."""
    before, _, target = round_trip
    envelope = before["app_user"][0]
    with target.write() as session:
        session.execute(update(User).where(User.id == envelope["id"]).values(failed_logins=3))
        codec.write_record(session, envelope)
        kept = session.scalar(select(User.failed_logins).where(User.id == envelope["id"]))
        codec.write_record(session, envelope, keep_local=False)
        reset = session.scalar(select(User.failed_logins).where(User.id == envelope["id"]))
        session.rollback()
    assert (kept, reset) == (3, 0)
