"""A squad's year of work, written into a laptop's database as the app would have left it unsent.

The sync benchmarks need thousands of cases waiting in a laptop's outbox. Making them through
the services (one audited user action each) would take hours, so this writes the rows directly —
but the way :class:`~fuanjian_desktop.services.unit_of_work.ActionScope` does: every record at
version 1 with one ``insert`` audit event (``before`` empty, ``after`` its audit snapshot, the
handlers or inspectors included) and one outbox row naming it, the events sealed onto the
device's own hash chain right after its current head — because HQ verifies the chain on push
and would quarantine anything else.

Each case comes with the records of the inspection that led to it (a completed inspection with
its two inspectors, two hidden dangers found, its issued 现场检查记录) and the case's own issued
document. They are copies of the laptop's own records of the squad (the demo's, which the
services made): a real case, inspection, hazards and issued documents with their full ``values``
and frozen ``sheet`` (a few kilobytes each, so the push carries real weight), given new ids, a
fresh 案号 and each a different enterprise of the squad as party and venue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import count, cycle
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.base import Base, SyncedRecord, utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.documents.document_types import document_type
from fuanjian_desktop.domain.numbering import format_number
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Case, CaseDocument, Enterprise, Hazard, Inspection
from fuanjian_desktop.security import audit_chain
from fuanjian_desktop.services.cases.cases import enterprise_party_columns
from fuanjian_desktop.services.numbering import numbering_settings
from fuanjian_desktop.services.unit_of_work import json_safe

CHUNK = 500  # cases written per round of inserts (all in one transaction)
CASE_NUMBER_DOCUMENT = "filing_approval"  # the 案号 of a general-procedure case is its 立案 number
RECORDS_PER_CASE = 6  # case, inspection, two hazards, two documents
UNAUDITED = SyncedRecord._unaudited_columns
# the owned child rows a parent's audit snapshot lists: parent table → (child table, FK, key)
CHILDREN = {
    "enforcement_case": ("case_handler", "case_id", "handlers"),
    "inspection": ("inspection_inspector", "inspection_id", "inspectors"),
}
ACTIONS = {
    "enforcement_case": "立案",
    "inspection": "现场检查",
    "hazard": "记录隐患",
    "case_document": "签发文书",
}

Row = dict[str, Any]


@dataclass
class Template:
    """One stored record to copy: its table, its row and its owned child rows."""

    table: str
    row: Row
    children: list[Row] = field(default_factory=list)

    def copy(self, now: dt.datetime, **changes: Any) -> Template:
        """This record with a new id, version 1, stamped ``now`` and ``changes`` applied."""
        row = {**self.row, **changes, "id": new_id(), "version": 1}
        row["created_at"] = row["updated_at"] = now
        if self.table not in CHILDREN:
            return Template(self.table, row)
        parent_key = CHILDREN[self.table][1]
        return Template(self.table, row, [{**c, parent_key: row["id"]} for c in self.children])


@dataclass(frozen=True)
class Templates:
    """The squad's records the generated ones are copies of."""

    case: Template
    inspection: Template
    hazards: tuple[Template, Template]
    case_document: Template
    inspection_document: Template
    parties: tuple[Row, ...]  # the squad's enterprises as case party columns


@dataclass
class Workload:
    """What was added: the ids per table (for reading the same rows back) and the counts."""

    squad_id: str
    cases: int = 0
    ids: dict[str, list[str]] = field(default_factory=dict)
    first_seq: int = 0  # device_seq of the first added audit event

    @property
    def records(self) -> int:
        """Synced records added (child rows travel inside their parent's envelope)."""
        return sum(len(ids) for table, ids in self.ids.items() if table != "audit_event")

    @property
    def events(self) -> int:
        """Audit events added (one per record)."""
        return len(self.ids.get("audit_event", []))


def add_squad_work(database: Database, squad_id: str, cases: int) -> Workload:
    """Add ``cases`` cases with their records, audit events and outbox rows, in one transaction.

    The records belong to ``squad_id`` (the laptop's own squad, so HQ accepts them from it).
    Refuses (Chinese ``UserError``) a laptop without records of that squad to copy.
    """
    workload = Workload(squad_id)
    with database.write() as session:
        templates = load_templates(session, squad_id)
        numbers = CaseNumbers(session, int(templates.case.row["year"]))
        device, seq, previous = audit_chain.chain_head(session)
        workload.first_seq = seq + 1
        chain = Chain(device, seq, previous)
        parties = cycle(templates.parties)
        while workload.cases < cases:
            size = min(CHUNK, cases - workload.cases)
            made = [_one_case(templates, next(parties), numbers.next()) for _ in range(size)]
            records = [record for group in made for record in group]
            _write(session, records, chain, workload, templates.inspection.children[0])
            workload.cases += size
    return workload


def load_templates(session: Session, squad_id: str) -> Templates:
    """A case of the squad with an issued document, an inspection of the squad with two
    hazards, an issued document of an inspection of the squad, and the squad's enterprises."""
    issued = select(CaseDocument).where(CaseDocument.sha256.is_not(None)).order_by(CaseDocument.id)
    squad_cases = select(Case.id).where(Case.squad_id == squad_id)
    case_document = _first(session, issued.where(CaseDocument.case_id.in_(squad_cases)))
    case = _by_id(session, "enforcement_case", case_document.row["case_id"])
    with_hazards = (
        select(Hazard.inspection_id)
        .where(Hazard.squad_id == squad_id)
        .group_by(Hazard.inspection_id)
        .having(func.count(func.distinct(Hazard.item_id)) >= 2)
    )
    squad_inspections = select(Inspection.id).where(Inspection.squad_id == squad_id)
    inspection_document = _first(
        session, issued.where(CaseDocument.inspection_id.in_(squad_inspections))
    )
    inspection = _first(
        session, select(Inspection).where(Inspection.id.in_(with_hazards)).order_by(Inspection.id)
    )
    hazards = session.scalars(
        select(Hazard.id).where(Hazard.inspection_id == inspection.row["id"]).order_by(Hazard.id)
    ).all()
    enterprises = session.scalars(
        select(Enterprise).where(Enterprise.squad_id == squad_id).order_by(Enterprise.id)
    ).all()
    return Templates(
        case=case,
        inspection=inspection,
        hazards=(_by_id(session, "hazard", hazards[0]), _by_id(session, "hazard", hazards[1])),
        case_document=case_document,
        inspection_document=inspection_document,
        parties=tuple(enterprise_party_columns(enterprise) for enterprise in enterprises),
    )


def _first(session: Session, query: Any) -> Template:
    """The first record ``query`` finds, as a template."""
    entity = session.scalars(query.limit(1)).first()
    if entity is None:
        raise UserError(
            "该数据库中缺少本中队可复制的案件、检查和已签发文书，无法生成同步基准数据。"
            "请使用演示数据文件夹。"
        )
    return _by_id(session, entity.__tablename__, entity.id)


def _by_id(session: Session, table_name: str, entity_id: str) -> Template:
    table = table_of(table_name)
    row = dict(session.execute(select(table).where(table.c.id == entity_id)).mappings().one())
    if table_name not in CHILDREN:
        return Template(table_name, row)
    child_name, parent_key, _ = CHILDREN[table_name]
    child = table_of(child_name)
    query = select(child).where(child.c[parent_key] == entity_id).order_by(child.c.position)
    return Template(table_name, row, [dict(r) for r in session.execute(query).mappings()])


class CaseNumbers:
    """Fresh 案号 of the laptop's numbering prefix, skipping any the laptop already holds."""

    def __init__(self, session: Session, year: int) -> None:
        self._prefix = numbering_settings(session).prefix
        code = document_type(CASE_NUMBER_DOCUMENT).code
        assert code is not None
        self._code, self._year = code, year
        self._taken = set(session.scalars(select(Case.case_no)))
        self._serials = count(1)

    def next(self) -> tuple[str, int]:
        """The next unused 案号 and its serial."""
        while True:
            serial = next(self._serials)
            text = format_number(self._prefix, self._code, self._year, serial)
            if text not in self._taken:
                return text, serial


def _one_case(templates: Templates, party: Row, number: tuple[str, int]) -> list[Template]:
    """A case and the inspection behind it, copied from the templates, in the order made."""
    now = utc_now()
    venue = {"enterprise_id": party["enterprise_id"]}
    inspection = templates.inspection.copy(now, follow_up_of_id=None, **venue)
    inspection.row["place"] = party["party_address"] or inspection.row["place"]
    still_open = {"status": "pending", "closed_on": None, "closed_by_id": None}
    hazards = [
        hazard.copy(now, inspection_id=inspection.row["id"], **venue, **still_open)
        for hazard in templates.hazards
    ]
    case = templates.case.copy(now, case_no=number[0], serial=number[1], **party)
    unlinked = {"event_id": None, "corrects_id": None}
    case_document = templates.case_document.copy(now, case_id=case.row["id"], **unlinked)
    inspection_document = templates.inspection_document.copy(
        now, inspection_id=inspection.row["id"], **unlinked
    )
    return [inspection, *hazards, inspection_document, case, case_document]


@dataclass
class Chain:
    """This device's chain head while events are appended to it."""

    device: str
    seq: int
    previous: str

    def seal(self, values: Row) -> Row:
        """``values`` as the next link: device, number, predecessor and own hash set."""
        self.seq += 1
        values.update(device_id=self.device, device_seq=self.seq, prev_hash=self.previous)
        values["event_hash"] = self.previous = audit_chain.hash_of(values)
        return values


def _write(
    session: Session, made: Sequence[Template], chain: Chain, workload: Workload, actor: Row
) -> None:
    """Insert the records, their child rows, and their audit events and outbox rows, all made
    by ``actor`` (an inspector row: ``user_id``, ``full_name``)."""
    events = [chain.seal(_event(record, actor)) for record in made]
    for table in ("inspection", "hazard", "enforcement_case", "case_document"):
        rows = [record.row for record in made if record.table == table]
        session.execute(insert(table_of(table)), rows)
        workload.ids.setdefault(table, []).extend(row["id"] for row in rows)
        if table in CHILDREN:
            children = [
                child for record in made if record.table == table for child in record.children
            ]
            session.execute(insert(table_of(CHILDREN[table][0])), children)
    session.execute(insert(table_of("audit_event")), events)
    session.execute(insert(table_of("outbox_entry")), [_outbox(event) for event in events])
    workload.ids.setdefault("audit_event", []).extend(event["id"] for event in events)


def _event(record: Template, actor: Row) -> Row:
    """The audit event of creating ``record``, as ``ActionScope.record`` writes it (unsealed)."""
    snapshot = {key: value for key, value in record.row.items() if key not in UNAUDITED}
    if record.table in CHILDREN:
        listed = [f"{child['full_name']}（{child['cert_no']}）" for child in record.children]
        snapshot[CHILDREN[record.table][2]] = listed
    return {
        "id": new_id(),
        "occurred_at": utc_now(),
        "actor_id": actor["user_id"],
        "actor_name": actor["full_name"],
        "action": ACTIONS[record.table],
        "summary": f"{ACTIONS[record.table]}（同步基准数据）",
        "entity_type": record.table,
        "entity_id": record.row["id"],
        "before": None,
        "after": audit_chain.as_stored(json_safe(snapshot)),
    }


def _outbox(event: Row) -> Row:
    return {
        "entity_type": event["entity_type"],
        "entity_id": event["entity_id"],
        "entity_version": 1,
        "operation": "insert",
        "audit_event_id": event["id"],
        "created_at": event["occurred_at"],
        "sent_at": None,
    }


def table_of(name: str) -> Table:
    """The laptop's table ``name``."""
    return Base.metadata.tables[name]


def rows_of(session: Session, table_name: str, ids: Sequence[str]) -> Iterator[Row]:
    """The stored rows of ``table_name`` with these ids (or, for a child table, these parents)."""
    table = table_of(table_name)
    key = next((fk for child, fk, _ in CHILDREN.values() if child == table_name), "id")
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        yield from (
            dict(row)
            for row in session.execute(select(table).where(table.c[key].in_(chunk))).mappings()
        )


def child_tables() -> Mapping[str, str]:
    """Parent table → its owned child table, for the tables this workload writes."""
    return {parent: child for parent, (child, _, _) in CHILDREN.items()}
