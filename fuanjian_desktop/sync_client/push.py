"""Push: this laptop's changes and its audit chain to HQ, in stored, idempotent batches.

A batch is built, stored (``sync_batch``: key and exact body) and only then sent. HQ applies a
batch key once and answers a repeat with its stored result, so a crash anywhere — even between
HQ's commit and the local acknowledgement — ends in a resend of the same bytes and nothing
doubled. Outbox rows are marked sent, the chain anchor moved and the records' base revisions
set only from HQ's acknowledgement, in one transaction.

What goes: the audit events after the acknowledged anchor, in ``device_seq`` order (the whole
chain, also events about other squads' records); and, once per entity, the current state of
every own-squad record with unsent outbox rows (covering all of them up to its version). A
record of another squad (a 南园 case on a 园岭 laptop) is not sent and stays pending: counted,
never pushed. Evidence files the records name go up before the records.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from fuanjian_desktop import __version__
from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.evidence.maintenance import store_of
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import AuditEvent, OutboxEntry, SyncBase, SyncBatch
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.attachments import Attachment, upload_missing
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.progress import PUSHING, UPLOADING, Progress, RoundProgress
from fuanjian_desktop.sync_client.squads import LocalSquads
from fuanjian_desktop.sync_client.state import Key, Peer
from fuanjian_desktop.sync_client.transport import Transport
from fuanjian_desktop.sync_protocol.codec import DELETE, encode_audit_event, encode_records
from fuanjian_desktop.sync_protocol.policy import policy_of, synced_tables

EVENTS_PER_BATCH = 500
RECORDS_PER_BATCH = 500


@dataclass
class PushTally:
    """What a push did."""

    batches: int = 0
    records: int = 0
    events: int = 0
    conflict_ids: set[str] = field(default_factory=set)
    uploaded_bytes: int = 0
    missing_evidence: list[str] = field(default_factory=list)
    quarantined: bool = False


@dataclass(frozen=True)
class Pending:
    """One entity with unsent outbox rows: where its newest row's event sits in the chain
    (the entity goes in the batch whose events reach that far: HQ checks that every change it
    receives is accounted for by an event it has)."""

    table: str
    entity_id: str
    last_event_seq: int


@dataclass(frozen=True)
class Plan:
    """What the outbox holds: own-squad entities in order, and the counts of the rest."""

    own: list[Pending]
    own_rows: int
    other_squad_rows: int


# --- planning ---------------------------------------------------------------------------------


def plan_pending(session: Session, squad_id: str | None) -> Plan:
    """Group the unsent outbox rows by entity and sort them into own squad and others.

    ``squad_id`` is the squad this laptop pushes for (``None`` before enrollment: the home
    squad is not known to HQ yet, everything counts as own). Rows of tables that do not
    travel or that only HQ writes are not counted: they are settled with the next batch.
    """
    rows = session.execute(
        select(
            OutboxEntry.entity_type,
            OutboxEntry.entity_id,
            func.count(),
            func.max(AuditEvent.device_seq),
            func.max(OutboxEntry.seq),
        )
        .join(AuditEvent, AuditEvent.id == OutboxEntry.audit_event_id)
        .where(OutboxEntry.sent_at.is_(None))
        .group_by(OutboxEntry.entity_type, OutboxEntry.entity_id)
        .order_by(func.max(AuditEvent.device_seq))
    ).all()
    travelling = {policy.table for policy in synced_tables() if not policy.hq_owned}
    squads = LocalSquads(session)
    squads.prefetch((row[0], row[1]) for row in rows if row[0] in travelling)
    own: list[Pending] = []
    own_rows = other_rows = 0
    for table, entity_id, count, last_event, last_seq in rows:
        if table not in travelling:
            continue
        owner = squads.of_entity(table, entity_id, last_seq)
        if squad_id is None or owner is None or owner == squad_id:
            own.append(Pending(table, entity_id, last_event))
            own_rows += count
        else:
            other_rows += count
    return Plan(own, own_rows, other_rows)


def unsyncable_rows(session: Session) -> list[int]:
    """Unsent outbox rows of tables that never travel from a laptop (local ones, and those only
    HQ writes, such as the org units a first start made): covered by the next batch, so they
    are marked sent with its acknowledgement and stop counting."""
    travelling = [policy.table for policy in synced_tables() if not policy.hq_owned]
    return list(
        session.scalars(
            select(OutboxEntry.seq).where(
                OutboxEntry.sent_at.is_(None), OutboxEntry.entity_type.not_in(travelling)
            )
        )
    )


# --- building ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltBatch:
    """A batch ready to store: its body, the outbox rows it covers, its last event."""

    batch_key: str
    body: dict[str, Any]
    outbox_seqs: list[int]
    last_event_seq: int | None


def build_batch(
    session: Session,
    peer: Peer,
    chain_device: str,
    remaining: list[Pending],
    *,
    events_limit: int | None = EVENTS_PER_BATCH,
    records_limit: int | None = RECORDS_PER_BATCH,
    after: tuple[int, str] | None = None,
) -> BuiltBatch | None:
    """The next batch: events after the anchor, and the own-squad records they reach.

    Takes the records it sends off the front of ``remaining``; ``None`` when nothing is left.
    Without limits (an offline package) the batch holds everything pending. ``after`` is the
    chain position to continue from when it is not the acknowledged anchor (an offline package
    continues the stored batches HQ has not confirmed yet).
    """
    anchor_seq, anchor_hash = after or state.anchor(session)
    events = _events_after(session, chain_device, anchor_seq, events_limit)
    reach = events[-1]["device_seq"] if events else anchor_seq
    front = remaining[:records_limit]
    ready = [item for item in front if item.last_event_seq <= reach]
    if not events and not ready:
        return None
    del remaining[: len(ready)]  # ``ready`` is always a prefix: the plan is in chain order
    records, seqs, named = _records(session, ready)
    seqs += unsyncable_rows(session)
    if named > reach:  # changed again since the plan: send the events that account for it
        events += _events_after(session, chain_device, reach, None, up_to=named)
    batch_key = new_id()
    body: dict[str, Any] = {
        "batch_key": batch_key,
        "device_id": peer.device_id,
        "app_version": __version__,
        "chain_from": {"device_seq": anchor_seq, "event_hash": anchor_hash},
        "audit_events": [encode_audit_event(row) for row in events],
        "records": records,
    }
    last = events[-1]["device_seq"] if events else None
    return BuiltBatch(batch_key, body, sorted(seqs), last)


def _events_after(
    session: Session, device: str, seq: int, limit: int | None, *, up_to: int | None = None
) -> list[dict[str, Any]]:
    stored = AuditEvent.__table__
    query = select(stored).where(stored.c.device_id == device, stored.c.device_seq > seq)
    if up_to is not None:
        query = query.where(stored.c.device_seq <= up_to)
    rows = session.execute(query.order_by(stored.c.device_seq).limit(limit))
    return [dict(row._mapping) for row in rows]


def _records(session: Session, ready: list[Pending]) -> tuple[list[dict[str, Any]], list[int], int]:
    """Envelopes of the ``ready`` entities (current state, or a tombstone), the outbox rows
    each covers (all unsent rows up to the version sent) and the newest event they name."""
    by_table: dict[str, list[str]] = {}
    for item in ready:
        by_table.setdefault(item.table, []).append(item.entity_id)
    envelopes: list[dict[str, Any]] = []
    seqs: list[int] = []
    for table, ids in by_table.items():
        found = {envelope["id"]: envelope for envelope in encode_records(session, table, ids)}
        outbox = _unsent(session, table, ids)
        bases = _bases(session, table, ids)
        for entity_id in ids:
            rows = outbox.get(entity_id, [])
            if not rows:
                continue
            envelope = found.get(entity_id) or _tombstone(table, entity_id, rows)
            version = envelope["version"]
            covered = [row for row in rows if row.entity_version <= version]
            envelope["base_revision"] = bases.get(entity_id)
            envelope["audit_event_id"] = max(covered or rows, key=lambda r: r.seq).audit_event_id
            envelopes.append(envelope)
            seqs += [row.seq for row in covered]
    order = {policy.table: index for index, policy in enumerate(synced_tables())}
    envelopes.sort(key=lambda envelope: order[envelope["table"]])  # parents first
    return envelopes, seqs, _newest_event(session, [e["audit_event_id"] for e in envelopes])


def _newest_event(session: Session, event_ids: list[str]) -> int:
    """The highest chain position among the named events (0 for none)."""
    newest = 0
    for start in range(0, len(event_ids), 500):
        found = session.scalar(
            select(func.max(AuditEvent.device_seq)).where(
                AuditEvent.id.in_(event_ids[start : start + 500])
            )
        )
        newest = max(newest, found or 0)
    return newest


def _unsent(session: Session, table: str, ids: list[str]) -> dict[str, list[OutboxEntry]]:
    found: dict[str, list[OutboxEntry]] = {}
    for row in session.scalars(
        select(OutboxEntry).where(
            OutboxEntry.sent_at.is_(None),
            OutboxEntry.entity_type == table,
            OutboxEntry.entity_id.in_(ids),
        )
    ):
        found.setdefault(row.entity_id, []).append(row)
    return found


def _bases(session: Session, table: str, ids: list[str]) -> dict[str, int]:
    rows = session.execute(
        select(SyncBase.entity_id, SyncBase.revision).where(
            SyncBase.table_name == table, SyncBase.entity_id.in_(ids)
        )
    )
    return {entity_id: revision for entity_id, revision in rows}


def _tombstone(table: str, entity_id: str, rows: list[OutboxEntry]) -> dict[str, Any]:
    """The envelope of a record deleted here: its last version, no fields."""
    policy_of(table)  # a table that does not travel is refused here, loudly
    return {
        "table": table,
        "id": entity_id,
        "version": max(row.entity_version for row in rows),
        "op": DELETE,
        "fields": {},
        "children": {},
        "base_revision": None,
        "audit_event_id": None,
    }


def body_bytes(body: dict[str, Any]) -> str:
    """The batch as stored and sent (UTF-8 JSON; HQ hashes its canonical form)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def store_batch(session: Session, built: BuiltBatch) -> SyncBatch:
    """Keep the batch before it is sent (the resend after a crash needs the same bytes)."""
    stored = SyncBatch(
        batch_key=built.batch_key,
        body=body_bytes(built.body),
        outbox_seqs=built.outbox_seqs,
        last_event_seq=built.last_event_seq,
    )
    session.add(stored)
    return stored


# --- sending and acknowledging ------------------------------------------------------------------


def attachments_named(records: Iterable[dict[str, Any]]) -> list[Attachment]:
    """The evidence files a batch's records name (they go up before the batch)."""
    return [
        Attachment(
            str(envelope["fields"]["sha256"]),
            str(envelope["fields"]["extension"]),
            int(envelope["fields"].get("size_bytes") or 0),
        )
        for envelope in records
        if envelope["table"] == "evidence_file" and envelope["op"] != DELETE
    ]


def send_stored(
    database: Database,
    transport: Transport,
    batch: SyncBatch,
    tally: PushTally,
    progress: Progress,
    body: dict[str, Any] | None = None,
) -> None:
    """Upload the files a stored batch names, send its stored bytes, and apply HQ's
    acknowledgement (``body``: the batch as built, to save parsing what was just encoded)."""
    body = body if body is not None else json.loads(batch.body)
    files = attachments_named(body["records"])
    sent, absent = upload_missing(
        transport,
        store_of(database),
        files,
        lambda done, total: progress(RoundProgress(UPLOADING, done, total, bytes=True)),
    )
    tally.uploaded_bytes += sent
    tally.missing_evidence += absent
    result = transport.json("POST", "/push", encoded=batch.body.encode("utf-8"))
    if result.get("batch_key") != batch.batch_key:
        raise SyncError(
            "区局对本批数据的答复与所发批次不符，本次同步未完成，请稍后重试。", "bad_answer"
        )
    acknowledge(database, batch.batch_key, result)
    reached = (result.get("anchor") or {}).get("device_seq")
    if batch.last_event_seq is not None and (reached is None or reached < batch.last_event_seq):
        raise SyncError(
            "区局没有确认本机操作记录链的新位置，本次同步已停止，以免重复发送。请联系区局管理员。",
            "chain",
        )
    tally.batches += 1
    tally.records += len(body["records"])
    tally.events += len(body["audit_events"])
    tally.conflict_ids |= {str(conflict) for conflict in result.get("conflicts") or []}
    tally.quarantined = tally.quarantined or bool(result.get("quarantined"))


def acknowledge(database: Database, batch_key: str, result: dict[str, Any]) -> None:
    """HQ has the batch: mark its outbox rows sent, move the anchor, store the new bases."""
    with database.write() as session:
        batch = session.get(SyncBatch, batch_key)
        if batch is None or batch.acked_at is not None:
            return
        anchor = result.get("anchor") or {}
        reached = None
        if anchor.get("device_seq") is not None:
            reached = int(anchor["device_seq"]), str(anchor["event_hash"])
        mark_delivered(session, batch, result, reached)
        state.set_bases(
            session,
            (
                (item["table"], item["id"], int(item["revision"]))
                for item in result.get("applied") or []
            ),
        )
        if result.get("quarantined"):
            state.put(session, Key.FLAGGED, "1")


def mark_delivered(
    session: Session, batch: SyncBatch, result: dict[str, Any], anchor: tuple[int, str] | None
) -> None:
    """HQ holds ``batch``: its outbox rows sent, the chain anchor at ``anchor`` (if given), the
    stored text dropped. Inside the caller's transaction (an online answer or HQ's package)."""
    now = utc_now()
    batch.acked_at, batch.result = now, result
    batch.body = ""  # needed only for a resend; a first push of years of work is large
    for start in range(0, len(batch.outbox_seqs), 500):
        chunk = batch.outbox_seqs[start : start + 500]
        session.execute(update(OutboxEntry).where(OutboxEntry.seq.in_(chunk)).values(sent_at=now))
    if anchor is not None:
        state.put(session, Key.ANCHOR_SEQ, anchor[0])
        state.put(session, Key.ANCHOR_HASH, anchor[1])


def stored_unconfirmed(session: Session) -> list[SyncBatch]:
    """Stored batches HQ has not confirmed, in the order they were built (= chain order)."""
    return list(
        session.scalars(
            select(SyncBatch)
            .where(SyncBatch.acked_at.is_(None))
            .order_by(SyncBatch.created_at, SyncBatch.batch_key)
        )
    )


def unacknowledged(database: Database) -> list[SyncBatch]:
    """Stored batches HQ has not acknowledged (one after a crash; any number of offline
    packages' batches), oldest first."""
    with database.read() as session:
        return stored_unconfirmed(session)


def push_all(database: Database, transport: Transport, peer: Peer, progress: Progress) -> PushTally:
    """Resend what a crash left unacknowledged, then push batch after batch until done."""
    tally = PushTally()
    for batch in unacknowledged(database):
        send_stored(database, transport, batch, tally, progress)
    with database.read() as session:
        plan = plan_pending(session, peer.squad_id)
        chain_device = state.chain_device(session)
    remaining = list(plan.own)
    total = len(remaining)
    while True:
        with database.write() as session:
            built = build_batch(session, peer, chain_device, remaining)
            if built is None:
                break
            stored = store_batch(session, built)
        send_stored(database, transport, stored, tally, progress, built.body)
        progress(RoundProgress(PUSHING, total - len(remaining), total))
    return tally
