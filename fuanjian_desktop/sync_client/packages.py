"""Offline packages (.fjsync) for a squad whose laptops never reach HQ's network.

``sync export`` writes every stored batch HQ has not confirmed yet (key and exact text, as a
push stores them before sending) plus one new batch with whatever came after them, signed with
this laptop's Ed25519 key and numbered one past the last package it wrote. It marks nothing
delivered: a package can be lost on its way, so the outbox rows stay unsent, the chain anchor
stays, and the batches stay stored — the next export carries them again (same keys, same
bytes), and so does the next online ``sync run``, which sends stored batches first. HQ applies
a batch key once, so whichever copy arrives first counts and the others answer the same.

Confirmation comes only from HQ: online, its answer to the push; offline, HQ's package
(``hq export``) lists the batch keys HQ has applied for each of the squad's devices, and
``sync import`` marks those of this laptop delivered exactly as an online answer does, in the
transaction that writes the package's records. HQ's package is a snapshot of what the squad may
see up to HQ's revision N (its sequence): a newer one than the last imported is applied whole in
one transaction or not at all and moves the pull cursor up to N; the same one again is reported
as already imported and changes nothing; an older one is refused. A tampered or cut package is
refused by ``sync_protocol.package`` before anything is read from it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.maintenance import store_of
from fuanjian_desktop.models import AuditEvent, OutboxEntry, SyncBatch
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.progress import ignore
from fuanjian_desktop.sync_client.pull import apply_records, refresh_stale_cases
from fuanjian_desktop.sync_client.push import (
    BuiltBatch,
    attachments_named,
    build_batch,
    mark_delivered,
    plan_pending,
    store_batch,
    stored_unconfirmed,
)
from fuanjian_desktop.sync_client.state import Key, Peer
from fuanjian_desktop.sync_protocol.keys import signing_private, signing_public
from fuanjian_desktop.sync_protocol.package import (
    Direction,
    OpenedPackage,
    PackageHeader,
    read_package,
    write_package,
)
from fuanjian_desktop.sync_protocol.version import PROTOCOL_VERSION

TO_HQ: Direction = "device_to_hq"
FROM_HQ: Direction = "hq_to_device"


@dataclass(frozen=True)
class PackageResult:
    """What an export or import did, in ``名称: 数值`` lines."""

    sequence: int
    records: int
    events: int
    files: int
    note: str | None = None
    batches: int | None = None  # export: the batches packed
    confirmed: int | None = None  # import: own batches HQ confirmed

    def lines(self) -> list[str]:
        """The command's output."""
        lines = [
            f"数据包序号: {self.sequence}",
            f"记录: {self.records}",
            f"操作记录: {self.events}",
            f"证据文件: {self.files}",
        ]
        if self.batches is not None:
            lines.append(f"上传批次: {self.batches}（区局确认收到之前，每次导出都会再次包含）")
        if self.confirmed is not None:
            lines.append(f"区局确认收到的本机批次: {self.confirmed}")
        return [self.note, *lines] if self.note else lines


def export_package(database: Database, out: Path) -> PackageResult:
    """Write the unconfirmed stored batches and a new one for the rest to ``out`` (a new file);
    nothing counts as delivered until HQ confirms it."""
    if out.exists():
        raise UserError(f"文件“{out}”已存在，请另选文件名（数据包不覆盖已有文件）。")
    store = store_of(database)
    with database.write() as session:
        peer = state.require_peer(session)
        stored = stored_unconfirmed(session)
        built = _next_batch(session, peer, stored)
        if built is not None:
            stored.append(store_batch(session, built))
        if not stored:
            raise UserError("没有待上传的数据，未生成数据包。")
        bodies = [json.loads(batch.body) for batch in stored]
        records = [record for body in bodies for record in body["records"]]
        sequence = state.get_int(session, Key.PACKAGE_OUT_SEQ) + 1
        files = {
            item.sha256: _opener(store.open_original, item.sha256, item.extension)
            for item in attachments_named(records)
            if store.holds_original(item.sha256, item.extension)
        }
        state.put(session, Key.PACKAGE_OUT_SEQ, sequence)
        write_package(
            out,
            _header(peer, TO_HQ, sequence),
            {"batches": [{"batch_key": b.batch_key, "body": b.body} for b in stored]},
            files,
            signing_private(peer.signing_key_b64),
        )
    events = sum(len(body["audit_events"]) for body in bodies)
    return PackageResult(sequence, len(records), events, len(files), batches=len(stored))


def _next_batch(session: Session, peer: Peer, stored: list[SyncBatch]) -> BuiltBatch | None:
    """Everything pending that the ``stored`` batches do not carry, continuing their chain.

    A record a stored batch carries waits, even if changed since, until HQ confirms that batch:
    sent again now, it would name a base revision HQ has moved past (its own earlier copy) and
    read as a conflict with itself.
    """
    waiting = _entities_of(session, [seq for batch in stored for seq in batch.outbox_seqs])
    plan = plan_pending(session, peer.squad_id)
    chain = state.chain_device(session)
    reached = [batch.last_event_seq for batch in stored if batch.last_event_seq is not None]
    after = (max(reached), _event_hash(session, chain, max(reached))) if reached else None
    return build_batch(
        session,
        peer,
        chain,
        [item for item in plan.own if (item.table, item.entity_id) not in waiting],
        events_limit=None,
        records_limit=None,
        after=after,
    )


def _entities_of(session: Session, seqs: list[int]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for start in range(0, len(seqs), 500):
        rows = session.execute(
            select(OutboxEntry.entity_type, OutboxEntry.entity_id).where(
                OutboxEntry.seq.in_(seqs[start : start + 500])
            )
        )
        found |= {(table, entity_id) for table, entity_id in rows}
    return found


def _event_hash(session: Session, chain: str, seq: int) -> str:
    return str(
        session.scalar(
            select(AuditEvent.event_hash).where(
                AuditEvent.device_id == chain, AuditEvent.device_seq == seq
            )
        )
    )


def _opener(
    open_original: Callable[[str, str], BinaryIO], sha256: str, extension: str
) -> Callable[[], BinaryIO]:
    return lambda: open_original(sha256, extension)


def _header(peer: Peer, direction: Direction, sequence: int) -> PackageHeader:
    return PackageHeader(
        direction=direction,
        sender=peer.device_id,
        squad_id=peer.squad_id,
        sequence=sequence,
        created_at=dt.datetime.now(dt.UTC).isoformat(),
        protocol=PROTOCOL_VERSION,
    )


def import_package(database: Database, path: Path) -> PackageResult:
    """Apply HQ's package ``path`` whole, once, in order; or refuse it with nothing applied."""
    with database.read() as session:
        peer = state.require_peer(session)
        last = state.get_int(session, Key.PACKAGE_IN_SEQ)
    with read_package(path, signing_public(peer.hq_signing_key_b64), direction=FROM_HQ) as opened:
        return _apply_package(database, peer, last, opened)


def _apply_package(
    database: Database, peer: Peer, last: int, opened: OpenedPackage
) -> PackageResult:
    header = opened.header
    if header.squad_id != peer.squad_id:
        raise UserError("这个数据包不是区局发给本中队的，未导入任何数据。")
    if header.sequence == last:
        note = f"该数据包（序号 {header.sequence}）已经导入过，未重复导入。"
        return PackageResult(header.sequence, 0, 0, 0, note)
    if header.sequence < last:
        raise UserError(
            f"数据包（序号 {header.sequence}）比本机已导入的（序号 {last}）更旧，"
            "不能导入，未导入任何数据。请使用区局最新导出的数据包。"
        )
    records = list(opened.body.get("records") or [])
    store = store_of(database)
    files = 0
    for item in attachments_named(records):
        if item.sha256 in opened.attachment_names and not store.holds_original(
            item.sha256, item.extension
        ):
            with opened.open_attachment(item.sha256) as source:
                store.add_stream(
                    item.sha256, item.extension, iter(lambda: source.read(1 << 20), b"")
                )
            files += 1
    with database.write() as session:
        confirmed = _confirm(session, peer, opened.body.get("delivered"), records)
        written = apply_records(session, records).written
        state.put(session, Key.PACKAGE_IN_SEQ, header.sequence)
        if header.sequence > state.get_int(session, Key.CURSOR):  # the snapshot reaches N
            state.put(session, Key.CURSOR, header.sequence)
    refresh_stale_cases(database, ignore)
    return PackageResult(header.sequence, written, 0, files, confirmed=confirmed)


def _confirm(session: Session, peer: Peer, delivered: Any, records: list[dict[str, Any]]) -> int:
    """Mark this laptop's stored batches that HQ lists as applied delivered, as an online
    answer would (rows sent, anchor at the batch's last event, text dropped), and take HQ's
    revisions of their records as bases (also of those changed here since, which the records
    below skip). HQ's chain flag for this laptop is taken as ``/status`` gives it online. The
    number of batches confirmed."""
    mine = (delivered or {}).get(peer.device_id) or {}
    if "flagged" in mine:
        state.put(session, Key.FLAGGED, "1" if mine["flagged"] else None)
    keys = set(mine.get("batch_keys") or [])
    chain = state.chain_device(session)
    revisions = {
        (str(r["table"]), str(r["id"])): int(r["revision"])
        for r in records
        if r.get("revision") is not None
    }
    confirmed = 0
    for batch in stored_unconfirmed(session):
        if batch.batch_key not in keys:
            continue
        carried = json.loads(batch.body)["records"]
        anchor = None
        if batch.last_event_seq is not None and batch.last_event_seq > state.anchor(session)[0]:
            anchor = batch.last_event_seq, _event_hash(session, chain, batch.last_event_seq)
        mark_delivered(session, batch, {"package": True}, anchor)
        state.set_bases(
            session,
            (
                (str(r["table"]), str(r["id"]), revisions[(str(r["table"]), str(r["id"]))])
                for r in carried
                if (str(r["table"]), str(r["id"])) in revisions
            ),
        )
        confirmed += 1
    return confirmed
