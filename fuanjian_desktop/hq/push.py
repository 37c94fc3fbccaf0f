"""A laptop's push, applied in one transaction: ``apply_push(db, device_id, batch)``.

The checks run in the order the protocol fixes (``docs/sync-protocol.md``, "PushBatch"):

1. the device is known and not revoked (401), and the batch is its own (403);
2. idempotency: a batch key seen before with the same body (:func:`body_digest`)
   answers the stored result again and applies nothing; with another body it is refused (409);
3. scope: every record must belong to the device's squad, by its ``squad_id`` or its parents,
   both as pushed and as HQ holds it now (403, nothing applied); HQ's reference tables are not
   the device's to change;
4. the audit chain continues from the device's anchor (``hq.chain``): a break keeps the whole
   batch as quarantined revisions (never current, mirrored or pulled), flags the device, and
   moves the anchor to the batch's last event (what HQ has seen stays pinned; the next batches
   are checked from there and, if they continue it, applied normally — the flag stays);
5. each record is decided (``hq.apply``), unique values are checked (``hq.collisions``),
   conflicts become ``sync_conflict`` records published to the squad, and everything is stored
   table by table (``hq.store``); then the device's number blocks are topped up.

The whole push holds the revision writers' lock (``hq.sequence``): pushes apply one after the
other, so two laptops pushing one record cannot lose an update, and pull cursors stay safe.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.apply import Decision, Pushed, decide, in_push_state
from fuanjian_desktop.hq.chain import ChainCheck, check_chain
from fuanjian_desktop.hq.collisions import Collision, find_collisions
from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.models import HQ_DEVICE, HqBatch, HqDevice
from fuanjian_desktop.hq.number_blocks import overlapping_block, top_up
from fuanjian_desktop.hq.publish import audience
from fuanjian_desktop.hq.pull import revision_envelope
from fuanjian_desktop.hq.sequence import lock_sequence
from fuanjian_desktop.hq.store import (
    AUDIT_TABLE,
    REVISIONS,
    Current,
    Revision,
    chunks,
    current_states,
    store_revisions,
)
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.sync_protocol.codec import (
    DELETE,
    UPSERT,
    InvalidRecord,
    encode_row,
    envelope_values,
)
from fuanjian_desktop.sync_protocol.merge import FieldConflict
from fuanjian_desktop.sync_protocol.policy import Scope, owning_squad, policy_of, synced_tables

Answer = tuple[int, dict[str, Any]]
INTEGRITY = (
    "本批数据与区局已有数据的唯一性约束冲突，区局未写入任何数据。请同步后重试，或联系区局管理员。"
)


class PushRefused(UserError):
    """A push refused as a whole (nothing applied): the HTTP status and protocol error code."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code

    def answer(self) -> Answer:
        """The error as the protocol's JSON body."""
        return self.status, {"error": self.code, "message": self.message}


def apply_push(db: HqDatabase, device_id: str, batch: Mapping[str, Any]) -> Answer:
    """Apply a PushBatch from ``device_id``: (HTTP status, PushResult or error body)."""
    try:
        with db.write() as session:
            return apply_push_in(session, device_id, batch)
    except (PushRefused, UserError, IntegrityError) as error:
        return refusal(error)


def apply_push_in(session: Session, device_id: str, batch: Mapping[str, Any]) -> Answer:
    """:func:`apply_push` inside the caller's transaction (an offline package applies all its
    batches in one). A refusal raises (:func:`refusal` gives its answer): the caller must then
    roll back, since part of the batch may already be written."""
    lock_sequence(session)
    return _apply(session, device_id, batch)


def refusal(error: PushRefused | UserError | IntegrityError) -> Answer:
    """The HTTP answer of a refused batch."""
    if isinstance(error, PushRefused):
        return error.answer()
    if isinstance(error, UserError):
        return 422, {"error": "invalid", "message": error.message}
    # a uniqueness the checks do not look at (an audit event id another device already used):
    # refused whole rather than half-applied
    return 409, {"error": "conflict", "message": INTEGRITY}


def _apply(session: Session, device_id: str, batch: Mapping[str, Any]) -> Answer:
    device = _device(session, device_id)
    key, events, envelopes = _parts(batch, device)
    digest = body_digest(batch)
    seen = session.get(HqBatch, key)
    if seen is not None:
        if seen.body_sha256 != digest or seen.device_id != device.id:
            raise PushRefused(409, "idempotency_mismatch", _mismatch(key))
        return 200, seen.result
    now = utc_now()
    current = current_states(session, [(str(item["table"]), str(item["id"])) for item in envelopes])
    pushed = _scoped(session, device, envelopes, current)
    decoded = [envelope_values(event) for event in events]
    record_events = [
        (item.table, item.entity_id, item.envelope.get("audit_event_id")) for item in pushed
    ]
    check = check_chain(session, device, decoded, record_events)
    if check.reason is not None:
        result = _quarantine(session, device, key, (events, decoded), pushed, check.reason, now)
    else:
        result = _accept(session, device, key, (events, pushed), current, check, now)
    session.add(
        HqBatch(
            batch_key=key,
            device_id=device.id,
            body_sha256=digest,
            received_at=now,
            result=result,
            quarantined=result["quarantined"],
        )
    )
    return 200, result


def body_digest(batch: Mapping[str, Any]) -> str:
    """SHA-256 of the batch's content, the same for the same content however it was sent.

    Keys sorted, no spaces, the C JSON encoder: only HQ compares these digests, with each other,
    so they need to be deterministic, not RFC 8785. (The RFC 8785 encoder's exact path for
    numbers made this a third of a push whose document sheets hold floats.)
    """
    text = json.dumps(batch, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _mismatch(key: str) -> str:
    return f"批次 {key} 已以不同的内容上传过，区局拒绝了这次上传（未写入任何数据）。"


def _device(session: Session, device_id: str) -> HqDevice:
    device = session.get(HqDevice, device_id)
    if device is None:
        raise PushRefused(401, "unknown_device", f"区局不认识设备“{device_id}”，请重新接入。")
    if device.revoked_at is not None:
        raise PushRefused(
            401, "revoked", f"本机已被区局停用同步（设备 {device_id}），请联系区局管理员。"
        )
    return device


def _parts(
    batch: Mapping[str, Any], device: HqDevice
) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """The batch key, audit event envelopes and record envelopes, shape-checked."""
    key = batch.get("batch_key")
    events, records = batch.get("audit_events"), batch.get("records")
    if not isinstance(key, str) or not 1 <= len(key) <= 26:
        raise InvalidRecord("上传批次缺少有效的批次编号（batch_key）。")
    if not isinstance(events, list) or not isinstance(records, list):
        raise InvalidRecord("上传批次缺少操作记录或记录列表。")
    if batch.get("device_id") != device.id:
        raise PushRefused(403, "scope", "上传批次的设备编号与本机的认证身份不一致。")
    for event in events:
        _check_envelope(event)
        if event["table"] != AUDIT_TABLE or event["op"] != UPSERT:
            raise InvalidRecord("操作记录列表中只能有操作日志。")
    for record in records:
        _check_envelope(record)
        if record["table"] == AUDIT_TABLE:
            raise InvalidRecord("操作日志应放在 audit_events 中上传。")
    return key, events, records


def _check_envelope(envelope: Any) -> None:
    if not isinstance(envelope, dict):
        raise InvalidRecord("同步记录必须是 JSON 对象。")
    policy_of(str(envelope.get("table")))
    if not isinstance(envelope.get("id"), str) or envelope.get("op") not in (UPSERT, DELETE):
        raise InvalidRecord(f"数据表 {envelope.get('table')} 的一条记录缺少标识或操作无效。")
    version, base = envelope.get("version"), envelope.get("base_revision")
    if not isinstance(version, int) or not (base is None or isinstance(base, int)):
        raise InvalidRecord(f"记录 {envelope['table']}/{envelope['id']} 的版本号无效。")
    if not isinstance(envelope.get("fields", {}), dict):
        raise InvalidRecord(f"记录 {envelope['table']}/{envelope['id']} 的字段无效。")


# --- scope -------------------------------------------------------------------------------------


def _scoped(
    session: Session,
    device: HqDevice,
    envelopes: list[dict[str, Any]],
    current: Mapping[tuple[str, str], Current],
) -> list[Pushed]:
    """Each record with its owning squad; any record of another squad refuses the push."""
    keys = [(str(item["table"]), str(item["id"])) for item in envelopes]
    order = {policy.table: index for index, policy in enumerate(synced_tables())}
    owners: dict[tuple[str, str], str | None] = {key: state.owner for key, state in current.items()}
    owners.update(_parent_owners(session, envelopes, current))
    pushed: dict[int, Pushed] = {}
    for index in sorted(range(len(envelopes)), key=lambda i: order[keys[i][0]]):
        envelope, key = envelopes[index], keys[index]
        owner = _owner(device, envelope, owners, current.get(key))
        owners[key] = owner
        pushed[index] = Pushed(envelope, owner, audience(key[0], owner))
    return [pushed[index] for index in range(len(envelopes))]


def _owner(
    device: HqDevice,
    envelope: dict[str, Any],
    owners: Mapping[tuple[str, str], str | None],
    current: Current | None,
) -> str | None:
    """The squad a record belongs to: the device's (after checking it claims no other and HQ
    holds it for no other), or ``None`` for a record shared by all squads without a squad of
    its own (a checklist version any squad may be the first to send)."""
    table = str(envelope["table"])
    policy = policy_of(table)
    if policy.hq_owned:
        raise PushRefused(403, "scope", f"数据表 {table} 由区局维护，本机不能修改。")
    fields = envelope.get("fields") or {}
    claimed = None
    if envelope["op"] == UPSERT:
        claimed = owning_squad(table, fields, lambda parent, pid: owners.get((parent, pid)))
    for squad in (claimed, current.owner if current else None):
        if squad is not None and squad != device.squad_id:
            raise PushRefused(
                403,
                "scope",
                f"记录 {table}/{envelope['id']} 属于另一个中队，本机无权上传（未写入任何数据）。",
            )
    if claimed is None and policy.scope is Scope.ALL:
        return None
    return device.squad_id


def _parent_owners(
    session: Session, envelopes: list[dict[str, Any]], current: Mapping[tuple[str, str], Current]
) -> dict[tuple[str, str], str | None]:
    """Owners of the parents the records name that are neither pushed now nor loaded."""
    pushed = {(str(item["table"]), str(item["id"])) for item in envelopes}
    wanted: set[tuple[str, str]] = set()
    for envelope in envelopes:
        fields = envelope.get("fields") or {}
        for column, parent in policy_of(str(envelope["table"])).owner_links:
            value = fields.get(column)
            if value and (parent, str(value)) not in pushed and (parent, str(value)) not in current:
                wanted.add((parent, str(value)))
    return {key: state.owner for key, state in current_states(session, wanted).items()}


# --- quarantine --------------------------------------------------------------------------------


def _quarantine(
    session: Session,
    device: HqDevice,
    key: str,
    sent: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    pushed: list[Pushed],
    reason: str,
    now: dt.datetime,
) -> dict[str, Any]:
    """Keep everything as quarantined revisions, flag the device (the first reason stays until
    HQ acts) and anchor the chain at the last event received: history HQ has seen stays
    pinned, and the device's next batches are checked from there and applied normally."""
    events, decoded = sent
    kept = [_event_revision(device, event) for event in events]
    kept += [item.revision(device.id, current=False) for item in pushed]
    for revision in kept:
        revision.quarantined, revision.current = True, False
    store_revisions(session, kept, key, now)
    if device.flagged_at is None:
        device.flagged_at = now
        device.flag_reason = reason  # the break itself; hq devices and the app frame it
    if decoded and decoded[-1]["device_seq"] > device.anchor_seq:
        device.anchor_seq, device.anchor_hash = decoded[-1]["device_seq"], decoded[-1]["event_hash"]
    answered = zip(pushed, kept[len(events) :], strict=True)
    return {
        "batch_key": key,
        "applied": [_applied(item, revision.seq, False) for item, revision in answered],
        "conflicts": [],
        "anchor": {"device_seq": device.anchor_seq, "event_hash": device.anchor_hash},
        "quarantined": True,
    }


def _event_revision(
    device: HqDevice, event: dict[str, Any], values: dict[str, Any] | None = None
) -> Revision:
    return Revision(
        table=AUDIT_TABLE,
        entity_id=str(event["id"]),
        version=int(event["version"]),
        op=UPSERT,
        fields=dict(event.get("fields") or {}),
        children={},
        device_id=device.id,
        audience=device.squad_id,
        owner=device.squad_id,
        values=values,
    )


def _applied(item: Pushed, revision: int, merged: bool) -> dict[str, Any]:
    return {"table": item.table, "id": item.entity_id, "revision": revision, "merged": merged}


# --- acceptance --------------------------------------------------------------------------------


def _accept(
    session: Session,
    device: HqDevice,
    key: str,
    sent: tuple[list[dict[str, Any]], list[Pushed]],
    current: Mapping[tuple[str, str], Current],
    check: ChainCheck,
    now: dt.datetime,
) -> dict[str, Any]:
    events, pushed = sent
    fresh = {values["id"]: values for values in check.fresh}
    revisions = [
        _event_revision(device, event, fresh[event["id"]])
        for event in events
        if event["id"] in fresh
    ]
    decisions = _decisions(session, device, pushed, dict(current))
    for decision in decisions:
        revisions += decision.revisions()
    conflicts = [
        _conflict_revision(item, conflict, device, now)
        for item, decision in zip(pushed, decisions, strict=True)
        for conflict in decision.conflicts
    ]
    conflicts += _refuse_collisions(session, pushed, decisions, device, now)
    store_revisions(session, revisions + conflicts, key, now)
    device.anchor_seq, device.anchor_hash = check.anchor_seq, check.anchor_hash
    top_up(session, device.id, now)
    return {
        "batch_key": key,
        "applied": [
            _answer(item, decision) for item, decision in zip(pushed, decisions, strict=True)
        ],
        "conflicts": [conflict.entity_id for conflict in conflicts],
        "anchor": {"device_seq": device.anchor_seq, "event_hash": device.anchor_hash},
        "quarantined": False,
    }


def _decisions(
    session: Session,
    device: HqDevice,
    pushed: list[Pushed],
    current: dict[tuple[str, str], Current],
) -> list[Decision]:
    """Each record's decision in push order; a record pushed twice continues from itself."""
    bases = _bases(session, pushed, current)
    decisions = []
    for item in pushed:
        decision = decide(item, current.get(item.key), bases.get(item.key), device.id)
        answer = decision.answer
        if answer is not None and answer.current:
            current[item.key] = in_push_state(answer)
        decisions.append(decision)
    return decisions


def _bases(
    session: Session, pushed: list[Pushed], current: Mapping[tuple[str, str], Current]
) -> dict[tuple[str, str], dict[str, Any]]:
    """The base envelopes the merges need: revisions named by ``base_revision`` that are not
    the current one (and are revisions of the very record; anything else counts as no base)."""
    wanted = {
        item.base_revision: item.key
        for item in pushed
        if item.base_revision is not None
        and item.key in current
        and current[item.key].seq != item.base_revision
    }
    revisions = REVISIONS
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for part in chunks(sorted(wanted)):
        for row in session.execute(select(revisions).where(revisions.c.seq.in_(part))):
            key = (row.table_name, row.entity_id)
            if wanted[row.seq] == key and not row.quarantined:
                found[key] = revision_envelope(row)
    return found


def _answer(item: Pushed, decision: Decision) -> dict[str, Any]:
    answer = decision.answer
    if answer is None:
        assert decision.unchanged_seq is not None
        return _applied(item, decision.unchanged_seq, False)
    return _applied(item, answer.seq, answer.merged)


def _refuse_collisions(
    session: Session,
    pushed: list[Pushed],
    decisions: list[Decision],
    device: HqDevice,
    now: dt.datetime,
) -> list[Revision]:
    """Demote revisions that would take another record's unique value; one conflict each."""
    answers = [decision.answer for decision in decisions]
    candidates = [answer for answer in answers if answer is not None and answer.current]
    collisions = find_collisions(session, candidates) + _overlapping_blocks(session, candidates)
    conflicts = []
    for collision in collisions:
        collision.revision.current = False
        item = next(p for p in pushed if p.key == collision.revision.key)
        conflict = FieldConflict(
            ",".join(collision.columns), collision.holder, collision.values, collision.kind
        )
        conflicts.append(_conflict_revision(item, conflict, device, now))
    return conflicts


def _overlapping_blocks(session: Session, candidates: Iterable[Revision]) -> list[Collision]:
    """Typed-in number blocks that overlap another laptop's (``hq.number_blocks``)."""
    found = []
    for revision in candidates:
        if revision.table == "number_block":
            reason = overlapping_block(session, revision.entity_id, revision.fields)
            if reason is not None:
                columns = ("prefix", "year", "first", "last")
                values = {name: revision.fields.get(name) for name in columns}
                found.append(Collision(revision, columns, values, reason))
    return found


def _conflict_revision(
    item: Pushed, conflict: FieldConflict, device: HqDevice, now: dt.datetime
) -> Revision:
    """A ``sync_conflict`` record about ``item``, published to the record's squad (a shared
    record's: the pushing device's squad, whose person settles it)."""
    squad = item.owner or device.squad_id
    row = {
        "id": new_id(),
        "version": 1,
        "squad_id": squad,
        "entity_type": item.table,
        "entity_id": item.entity_id,
        "kind": conflict.kind,
        "field": conflict.field,
        "hq_value": conflict.hq_value,
        "device_value": conflict.device_value,
        "device_id": device.id,
        "detected_at": now,
        "resolved_at": None,
        "resolved_by_id": None,
        "resolved_by_name": None,
        "resolution": None,
        "resolution_note": None,
        "created_at": now,
        "updated_at": now,
    }
    envelope = encode_row("sync_conflict", row, {})
    return Revision(
        table="sync_conflict",
        entity_id=envelope["id"],
        version=1,
        op=UPSERT,
        fields=envelope["fields"],
        children={},
        device_id=HQ_DEVICE,
        audience=squad,
        owner=squad,
    )
