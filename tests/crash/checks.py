"""What must hold after a kill, read from the database reopened as the app reopens it.

Each check returns the problems it found as Chinese-free diagnostic lines (for the developer,
never shown to a user); an empty list means it holds. The parent counts them per kind.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.inspection_rules import Answer
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.maintenance import EVIDENCE_FOLDER, store_of
from fuanjian_desktop.evidence.store import PHOTO_EXTENSIONS
from fuanjian_desktop.models import AuditEvent, CaseDocument
from fuanjian_desktop.security.audit_chain import GENESIS, event_values, hash_of
from fuanjian_desktop.services.documents.document_integrity import DocumentTampered, check_frozen
from fuanjian_desktop.services.trail_check import GUARD_TRIGGERS, verify_trail
from tests.crash.writes import Done, expected_answer, expected_question, typed_values

# kind → (table, field of the value written); the audit event's ``after`` holds the same field
AUDITED = {
    "registry": ("enterprise", "notes"),
    "answer": ("inspection_answer", "note"),
    "hazard": ("hazard", "description"),
    "photo": ("inspection_photo", "evidence_id"),
    "case": ("enforcement_case", "stage"),
    "document": ("case_document", "number"),
    "checkpoint": ("case_document", "values"),
}


@dataclass
class Findings:
    """Problems found after one kill, by kind."""

    integrity: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    audit: list[str] = field(default_factory=list)
    chain: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def all(self) -> list[str]:
        """Every problem, labelled with its kind."""
        return [
            f"{name}: {problem}" for name, problems in vars(self).items() for problem in problems
        ]


def integrity(database: Database) -> list[str]:
    """``PRAGMA integrity_check`` says ok, every page's HMAC verifies (SQLCipher's
    ``cipher_integrity_check`` lists the pages that do not) and no foreign key dangles."""
    with database.engine.connect() as connection:
        verdict = [row[0] for row in connection.exec_driver_sql("PRAGMA integrity_check")]
        pages = connection.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
        dangling = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    problems = [] if verdict == ["ok"] else [f"integrity_check: {verdict[:5]}"]
    problems += [f"cipher_integrity_check: {row[0]}" for row in pages[:5]]
    return problems + [f"foreign key: {tuple(row)}" for row in dangling[:5]]


def expected_value(done: Done) -> str:
    """The stored form of the value a write reported (notes and hazards carry a prefix)."""
    prefixes = {"registry": "备注", "hazard": "隐患"}
    if done.kind == "answer":
        return "备注" + done.value.split(":", 1)[1]
    return prefixes.get(done.kind, "") + done.value


def acknowledged(database: Database, dones: Sequence[Done]) -> list[str]:
    """Each write reported done is there: its change in the audit trail and outbox at the
    version reported, and the record still holding it unless a later version replaced it."""
    problems: list[str] = []
    with database.engine.connect() as connection:
        for done in dones:
            if done.kind == "typing":
                continue  # the journal is neither audited nor synced: checked by typed_text
            problems += _audited_write(connection, done)
            problems += _current_value(connection, done)
    return problems


def _audited_write(connection: Any, done: Done) -> list[str]:
    table, column = AUDITED[done.kind]
    row = connection.execute(
        text(
            "SELECT a.after FROM outbox_entry o JOIN audit_event a ON a.id = o.audit_event_id "
            "WHERE o.entity_type = :t AND o.entity_id = :i AND o.entity_version = :v"
        ),
        {"t": table, "i": done.record_id, "v": done.version},
    ).fetchone()
    if row is None:
        return [f"{done.line()}: no outbox row and event for version {done.version}"]
    after = _json(row[0])
    if not _matches(done, after.get(column), connection):
        return [f"{done.line()}: the event of version {done.version} holds {after.get(column)!r}"]
    if done.kind == "answer" and after.get("result") != done.value.split(":", 1)[0]:
        return [f"{done.line()}: the event of version {done.version} holds {after['result']!r}"]
    return []


def _current_value(connection: Any, done: Done) -> list[str]:
    table, column = AUDITED[done.kind]
    row = connection.execute(
        text(f'SELECT version, "{column}" FROM {table} WHERE id = :i'), {"i": done.record_id}
    ).fetchone()
    if row is None:
        deleted = connection.execute(
            text(
                "SELECT 1 FROM outbox_entry WHERE entity_type = :t AND entity_id = :i "
                "AND operation = 'delete' AND entity_version > :v"
            ),
            {"t": table, "i": done.record_id, "v": done.version},
        ).fetchone()
        return [] if deleted else [f"{done.line()}: the record is gone"]
    version, value = row
    if version < done.version:
        return [f"{done.line()}: the record is at version {version}"]
    if version == done.version and not _matches(done, _json(value), connection):
        return [f"{done.line()}: the record holds {value!r}"]
    return []


def _matches(done: Done, value: Any, connection: Any) -> bool:
    if done.kind == "photo":  # the photo names its evidence row; the value is the file's hash
        sha = connection.execute(
            text("SELECT sha256 FROM evidence_file WHERE id = :i"), {"i": value}
        ).scalar()
        return bool(sha == done.value)
    if done.kind == "checkpoint":
        return _answer_length(value) == int(done.value)
    return bool(value == expected_value(done))


def _answer_length(values: Any) -> int:
    return sum(len(pair["a"]) for pair in (values or {}).get("qa", []))


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) and value[:1] in ("{", "[") else value


def answers_and_hazards(database: Database, inspection_id: str) -> list[str]:
    """Each 不符合 answer of the inspection has its one hazard, and no other answer has one:
    an answer and its hazard commit together or not at all."""
    query = text(
        "SELECT a.item_id, a.result, (SELECT count(*) FROM hazard h "
        "WHERE h.inspection_id = a.inspection_id AND h.item_id = a.item_id) "
        "FROM inspection_answer a WHERE a.inspection_id = :i"
    )
    strays = text(
        "SELECT h.item_id FROM hazard h WHERE h.inspection_id = :i AND NOT EXISTS (SELECT 1 "
        "FROM inspection_answer a WHERE a.inspection_id = :i AND a.item_id = h.item_id)"
    )
    with database.engine.connect() as connection:
        answers = connection.execute(query, {"i": inspection_id}).fetchall()
        unanswered = connection.execute(strays, {"i": inspection_id}).fetchall()
    problems = [
        f"item {item_id} answered {result} has {hazards} hazards"
        for item_id, result, hazards in answers
        if hazards != (1 if result == Answer.NON_COMPLIANT.value else 0)
    ]
    return problems + [f"item {row[0]} has a hazard and no answer" for row in unanswered]


def typed_text(database: Database, document_id: str, reported: int) -> list[str]:
    """The transcript holds at least the characters reported typed, each where it was typed."""
    pairs = typed_values(database, document_id).get("qa", [])
    problems = [
        f"transcript pair {index + 1} holds {pair!r}"
        for index, pair in enumerate(pairs)
        if pair.get("q") != expected_question(index)
        or not expected_answer(index).startswith(pair.get("a", "\0"))
    ]
    length = typed_length_of(database, document_id)
    if length < reported:
        problems.append(f"transcript holds {length} characters, {reported} were reported typed")
    return problems


def typed_length_of(database: Database, document_id: str) -> int:
    """Characters of answers the transcript holds (its journal over the draft)."""
    return sum(len(pair.get("a", "")) for pair in typed_values(database, document_id)["qa"])


def audit_and_outbox(database: Database) -> list[str]:
    """Every change has its event and outbox row and vice versa; each record's version 1..n is
    in the outbox once; each record's current version has its row; a deleted record is gone.

    Read whole into memory and compared in Python: the outbox has no index for these joins.
    """
    with database.engine.connect() as connection:
        events = {
            row[0]: (row[1], row[2], bool(row[3]))
            for row in connection.exec_driver_sql(
                "SELECT id, entity_type, entity_id, before IS NOT NULL OR after IS NOT NULL "
                "FROM audit_event"
            )
        }
        outbox = connection.exec_driver_sql(
            "SELECT seq, entity_type, entity_id, entity_version, operation, audit_event_id "
            "FROM outbox_entry"
        ).fetchall()
        tables: dict[str, dict[str, int]] = {
            table: dict(connection.exec_driver_sql(f"SELECT id, version FROM {table}").fetchall())
            for table in _versioned_tables(connection)
        }
    problems = _events_and_outbox(events, outbox)
    for table, versions in tables.items():
        problems += _versions_of(table, versions, outbox)
    return problems


def _events_and_outbox(
    events: dict[str, tuple[str | None, str | None, bool]], outbox: Sequence[Any]
) -> list[str]:
    problems: list[str] = []
    queued: Counter[str] = Counter(row.audit_event_id for row in outbox)
    for row in outbox:
        event = events.get(row.audit_event_id)
        if event is None or not _names_entity(event, row):
            problems.append(f"outbox row {row.seq} without its event")
    for event_id, (entity_type, _, changed) in events.items():
        if entity_type is not None and changed and not queued[event_id]:
            problems.append(f"change event without its outbox row: {event_id}")
    problems += [f"event with two outbox rows: {key}" for key, n in queued.items() if n > 1]
    versions: dict[tuple[str, str], list[int]] = {}
    for row in outbox:
        versions.setdefault((row.entity_type, row.entity_id), []).append(row.entity_version)
    problems += [
        f"versions of {key} not 1..n: {sorted(found)[:10]}"
        for key, found in versions.items()
        if sorted(found) != list(range(1, len(found) + 1))
    ]
    return problems


def _names_entity(event: tuple[str | None, str | None, bool], row: Any) -> bool:
    """Whether the event is about the outbox row's record. A record keyed by several columns (a
    pinned checklist version) is named in the outbox by its JSON key (``["tpl","1.0"]``), too
    long for the event's id column, which stays empty (``ActionScope.record_immutable``)."""
    entity_type, entity_id, _changed = event
    if entity_type != row.entity_type:
        return False
    return entity_id == row.entity_id or (entity_id is None and row.entity_id.startswith("["))


def _versioned_tables(connection: Any) -> list[str]:
    query = (
        "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' "
        "AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'version') "
        "AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'id')"
    )
    return [row[0] for row in connection.exec_driver_sql(query)]


def _versions_of(table: str, current: dict[str, int], outbox: Sequence[Any]) -> list[str]:
    """Each row's current version has its outbox row; each record the outbox last inserted or
    updated exists, each it deleted does not."""
    kept = {
        (row.entity_id, row.entity_version)
        for row in outbox
        if row.entity_type == table and row.operation != "delete"
    }
    last: dict[str, tuple[int, str]] = {}
    for row in outbox:
        if row.entity_type == table:
            seen = last.get(row.entity_id)
            if seen is None or row.entity_version > seen[0]:
                last[row.entity_id] = (row.entity_version, row.operation)
    problems = [
        f"{table} {record_id}: version {version} has no outbox row"
        for record_id, version in current.items()
        if (record_id, version) not in kept
    ]
    for record_id, (version, operation) in last.items():
        if record_id in current and version > current[record_id]:
            problems.append(f"{table} {record_id}: the outbox holds a newer version {version}")
        if operation != "delete" and record_id not in current:
            problems.append(f"{table} {record_id}: in the outbox, not in the table")
        if operation == "delete" and record_id in current:
            problems.append(f"{table} {record_id}: deleted in the outbox, still in the table")
    return problems


def evidence_files(
    database: Database, verified: set[str] | None = None
) -> tuple[list[str], list[str]]:
    """(orphans, missing): the store holds exactly each evidence row's original and thumbnail,
    each whole (it decrypts, and the original's plaintext hashes to the row's SHA-256).

    Files are written once and never changed, so a long run passes ``verified`` (hashes found
    whole before, to which those found whole now are added) and decrypts each file once.
    """
    verified = set() if verified is None else verified
    store = store_of(database)
    with database.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT sha256, extension FROM evidence_file").fetchall()
    expected = {store.path_of(sha, ext) for sha, ext in rows}
    # photos and scanned pages have thumbnails; a frozen volume (.pdf) or a recording has none
    expected |= {store.thumbnail_of(sha) for sha, ext in rows if ext in PHOTO_EXTENSIONS}
    present = set(_files_under(store.root))
    orphans = sorted(str(path.relative_to(store.root)) for path in present - expected)
    missing = sorted(str(path.relative_to(store.root)) for path in expected - present)
    for sha256, extension in rows:
        if sha256 in verified:
            continue
        damaged = []
        if store.path_of(sha256, extension) in present:
            damaged += _unreadable(sha256, partial(store.read_original, sha256, extension))
        if store.thumbnail_of(sha256) in present:
            damaged += _unreadable(sha256, partial(store.read_thumbnail, sha256), hashed=False)
        missing += damaged
        thumbnail = store.thumbnail_of(sha256) in present or extension not in PHOTO_EXTENSIONS
        if not damaged and store.holds_original(sha256, extension) and thumbnail:
            verified.add(sha256)
    return orphans, missing


def _unreadable(sha256: str, read: Callable[[], bytes], hashed: bool = True) -> list[str]:
    """The file's problem, if it does not decrypt or (an original) does not hash to its name."""
    try:
        data = read()
    except (OSError, UserError) as error:
        return [f"{sha256[:12]}: {type(error).__name__}"]
    if hashed and hashlib.sha256(data).hexdigest() != sha256:
        return [f"{sha256[:12]}: the plaintext does not hash to its name"]
    return []


def stored_files(folder: DataFolder) -> set[Path]:
    """Every file in the folder's evidence store (read without opening the database)."""
    return set(_files_under(folder.root / EVIDENCE_FOLDER))


def _files_under(root: Path) -> Iterable[Path]:
    return (path for path in root.rglob("*") if path.is_file()) if root.exists() else ()


def chain(database: Database) -> list[str]:
    """The audit chain and every issued document verify (``main.py audit verify``'s walk)."""
    report = verify_trail(database)
    return [] if report.intact else [report.summary]


TRIGGERS = "SELECT name FROM sqlite_master WHERE type = 'trigger'"


@dataclass
class ChainMark:
    """How far a long run has verified the chain: each device's last (number, hash) and the
    issued documents already found intact."""

    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    documents: set[str] = field(default_factory=set)


def chain_since(database: Database, mark: ChainMark) -> list[str]:
    """The walk of :func:`chain` over what was added since ``mark`` only, advancing it.

    A thousand full walks of a growing trail would take most of a long run; the events already
    walked are still tied in (each device's walk starts from the hash it ended on, which must
    still be there), and the bench walks the whole trail now and then and at the end.
    """
    with database.read() as session:
        devices = list(session.scalars(select(AuditEvent.device_id).distinct()))
        heads = {}
        for device in devices:
            head = mark.heads.get(device, (0, GENESIS))
            walked = _walk_from(session, device, head)
            if isinstance(walked, str):
                return [walked]
            heads[device] = walked
        triggers = set(
            session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        )
        if not set(GUARD_TRIGGERS) <= triggers:
            return ["the triggers guarding the audit trail are gone"]
        issued = set(
            session.scalars(select(CaseDocument.id).where(CaseDocument.sha256.is_not(None)))
        )
        for document_id in sorted(issued - mark.documents):
            document = session.get(CaseDocument, document_id)
            assert document is not None
            try:
                check_frozen(session, document)
            except DocumentTampered as refused:
                return [refused.finding]
    mark.heads.update(heads)
    mark.documents |= issued
    return []


def _walk_from(session: Any, device: str, head: tuple[int, str]) -> tuple[int, str] | str:
    """The device's new (number, hash) after walking its events past ``head``, or a problem."""
    number, previous = head
    if (
        number
        and session.scalar(
            select(AuditEvent.event_hash).where(
                AuditEvent.device_id == device, AuditEvent.device_seq == number
            )
        )
        != previous
    ):
        return f"device {device}: event {number}, walked before, is changed or gone"
    query = (
        select(AuditEvent)
        .where(AuditEvent.device_id == device, AuditEvent.device_seq > number)
        .order_by(AuditEvent.device_seq)
    )
    for event in session.scalars(query):
        number += 1
        if event.device_seq != number:
            return f"device {device}: event {number} is missing (found {event.device_seq})"
        if event.prev_hash != previous:
            return f"device {device}: event {number} does not follow event {number - 1}"
        if hash_of(event_values(event)) != event.event_hash:
            return f"device {device}: event {number} does not hash to its fingerprint"
        previous = event.event_hash
    return number, previous
