"""Offline packages (.fjsync) for a squad whose laptops never reach HQ's network.

``sync export`` writes everything pending as one push batch, signed with this laptop's
Ed25519 key, numbered one past the last package it wrote; the batch counts as delivered (the
outbox rows are marked sent and the chain anchor moves) in the same transaction that writes the
file, so the next package carries only what came after. ``sync import`` takes HQ's package
(signed with HQ's key) is a snapshot of what the squad may see up to HQ's revision N (its
sequence): a newer one than the last imported is applied whole in one transaction or not at all
(it holds everything an older one did) and moves the pull cursor up to N; the same one again is
reported as already imported and changes nothing; an older one is refused. A tampered or cut
package is refused by ``sync_protocol.package`` before anything is read from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import update

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.maintenance import store_of
from fuanjian_desktop.models import OutboxEntry
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.progress import ignore
from fuanjian_desktop.sync_client.pull import apply_records, refresh_stale_cases
from fuanjian_desktop.sync_client.push import (
    attachments_named,
    build_batch,
    plan_pending,
    store_batch,
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

    def lines(self) -> list[str]:
        """The command's output."""
        lines = [
            f"数据包序号: {self.sequence}",
            f"记录: {self.records}",
            f"操作记录: {self.events}",
            f"证据文件: {self.files}",
        ]
        return [self.note, *lines] if self.note else lines


def export_package(database: Database, out: Path) -> PackageResult:
    """Write everything pending to ``out`` (a new file) and count it as delivered."""
    if out.exists():
        raise UserError(f"文件“{out}”已存在，请另选文件名（数据包不覆盖已有文件）。")
    store = store_of(database)
    with database.write() as session:
        peer = state.require_peer(session)
        plan = plan_pending(session, peer.squad_id)
        built = build_batch(
            session,
            peer,
            state.chain_device(session),
            list(plan.own),
            events_limit=None,
            records_limit=None,
        )
        if built is None:
            raise UserError("没有待上传的数据，未生成数据包。")
        sequence = state.get_int(session, Key.PACKAGE_OUT_SEQ) + 1
        files = {
            item.sha256: _opener(store.open_original, item.sha256, item.extension)
            for item in attachments_named(built.body["records"])
            if store.holds_original(item.sha256, item.extension)
        }
        stored = store_batch(session, built)
        stored.acked_at, stored.body = utc_now(), ""  # the package file is the copy
        stored.result = {"package": sequence}
        _deliver(session, built.outbox_seqs, built.body["audit_events"])
        state.put(session, Key.PACKAGE_OUT_SEQ, sequence)
        write_package(
            out,
            _header(peer, TO_HQ, sequence),
            {"batch": built.body},
            files,
            signing_private(peer.signing_key_b64),
        )
    return PackageResult(
        sequence, len(built.body["records"]), len(built.body["audit_events"]), len(files)
    )


def _opener(
    open_original: Callable[[str, str], BinaryIO], sha256: str, extension: str
) -> Callable[[], BinaryIO]:
    return lambda: open_original(sha256, extension)


def _deliver(session: Any, seqs: list[int], events: list[dict[str, Any]]) -> None:
    """Mark the rows sent and move the anchor to the last event written to the package."""
    now = utc_now()
    for start in range(0, len(seqs), 500):
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.seq.in_(seqs[start : start + 500]))
            .values(sent_at=now)
        )
    if events:
        last = events[-1]["fields"]
        state.put(session, Key.ANCHOR_SEQ, int(last["device_seq"]))
        state.put(session, Key.ANCHOR_HASH, str(last["event_hash"]))


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
        written = apply_records(session, records).written
        state.put(session, Key.PACKAGE_IN_SEQ, header.sequence)
        if header.sequence > state.get_int(session, Key.CURSOR):  # the snapshot reaches N
            state.put(session, Key.CURSOR, header.sequence)
    refresh_stale_cases(database, ignore)
    return PackageResult(header.sequence, written, 0, files)
