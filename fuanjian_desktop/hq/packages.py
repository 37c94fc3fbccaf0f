"""Offline packages (.fjsync) at HQ: a squad that never reaches HQ's network syncs by USB stick.

``hq import`` takes a laptop's package (``sync export``): signed by the laptop's Ed25519 key,
numbered by the laptop, holding every push batch HQ had not confirmed to the laptop when it was
written (key and exact text), oldest first. Each goes through ``apply_push``, the same code as
the network push, so chains, scopes, merges and conflicts behave the same, and a batch key HQ
already has (an earlier package, an online push) answers its stored result and applies nothing.
A laptop's packages are cumulative (a newer one repeats every batch of an older one that HQ had
not confirmed), so a newer package may follow one that never arrived; the same package again or
an older one after a newer (a replay) is refused before anything is stored. A tampered or
truncated package fails its signature or hashes in ``sync_protocol.package`` and is refused the
same way.

Atomic: the evidence files are stored first (content-addressed: a file HQ keeps without its
record is harmless), then every batch is applied and the sequence moved on in ONE transaction.
A crash, or any batch refused, leaves HQ as it was before the import (the same package can be
imported again), and batch keys HQ already has answer their stored results instead of applying
twice.

``hq export`` writes the reverse: everything the squad's laptops may see (its share plus HQ's
reference data) as of one HQ revision, signed with HQ's key, and for each of the squad's
devices the keys of the batches HQ has applied and its chain anchor — the laptop's offline
confirmation (``sync import`` marks those batches delivered). The revision is the package's
sequence and the laptop's new pull cursor, so a laptop refuses an older package than it has.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.attachments import AttachmentStore
from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.models import (
    HQ_DEVICE,
    HqAttachment,
    HqBatch,
    HqDevice,
    HqKey,
    HqRevision,
)
from fuanjian_desktop.hq.pull import visible_records
from fuanjian_desktop.hq.push import PushRefused, apply_push_in, refusal
from fuanjian_desktop.hq.setup import SIGNING
from fuanjian_desktop.models import EvidenceFile
from fuanjian_desktop.services.setup import find_squad
from fuanjian_desktop.sync_protocol.keys import signing_private, signing_public
from fuanjian_desktop.sync_protocol.package import (
    Direction,
    OpenedPackage,
    PackageHeader,
    PackageRefused,
    read_package,
    write_package,
)
from fuanjian_desktop.sync_protocol.version import PROTOCOL_VERSION

TO_HQ: Direction = "device_to_hq"
TO_DEVICE: Direction = "hq_to_device"


@dataclass(frozen=True)
class PackageImported:
    """What ``hq import`` applied."""

    device_name: str
    sequence: int
    applied: int
    conflicts: int
    quarantined: bool
    new_files: int

    def lines(self) -> list[str]:
        """The Chinese summary ``hq import`` prints."""
        lines = [
            f"已导入设备“{self.device_name}”的第 {self.sequence} 个同步包。",
            f"写入记录: {self.applied}",
            f"冲突: {self.conflicts}",
            f"新证据文件: {self.new_files}",
        ]
        if self.quarantined:
            lines.append("注意：该设备的操作记录链不连续，本包数据已隔离，设备已标记为链异常。")
        return lines


@dataclass(frozen=True)
class PackageExported:
    """What ``hq export`` wrote."""

    path: Path
    squad_name: str
    revision: int
    records: int
    files: int
    missing_files: int

    def lines(self) -> list[str]:
        """The Chinese summary ``hq export`` prints."""
        lines = [
            f"已为{self.squad_name}导出同步包：{self.path}",
            f"截至区局修订号: {self.revision}",
            f"记录: {self.records}",
            f"证据文件: {self.files}",
        ]
        if self.missing_files:
            lines.append(f"区局尚未收到的证据文件: {self.missing_files}（未包含）")
        return lines


def import_package(db: HqDatabase, data_dir: Path, path: Path) -> PackageImported:
    """Verify ``path`` and apply it as its device's next package (see the module docstring)."""
    with read_package(path, lambda header: _sender_key(db, header)) as opened:
        header = opened.header
        device = _expected_sender(db, header)
        batches = _batches(opened.body, header.sender)
        store = AttachmentStore(data_dir)
        new_files = [sha for sha in opened.attachment_names if _store_file(store, opened, sha)]
        applied = conflicts = 0
        quarantined = False
        with db.write() as session:  # every batch, or none
            for batch in batches:
                repeated = session.get(HqBatch, batch["batch_key"]) is not None
                result = _applied(session, header.sender, batch)
                if not repeated:
                    applied += len(result.get("applied", []))
                    conflicts += len(result.get("conflicts", []))
                    quarantined = quarantined or bool(result.get("quarantined"))
            _advance(session, header)
            _record_files(session, store, opened.attachment_names, header.sender)
    return PackageImported(
        device.name, header.sequence, applied, conflicts, quarantined, len(new_files)
    )


def _applied(session: Session, sender: str, batch: Mapping[str, Any]) -> dict[str, Any]:
    """One batch applied in the import's transaction; a refusal refuses the whole package."""
    try:
        status, result = apply_push_in(session, sender, batch)
    except (PushRefused, UserError, IntegrityError) as error:
        status, result = refusal(error)
    if status != 200:
        message = result.get("message", result.get("error"))
        raise PackageRefused(f"同步包未导入（其中一批被拒绝：{message}），区局数据没有任何改动。")
    return result


def _batches(body: Mapping[str, Any], sender: str) -> list[dict[str, Any]]:
    """The package's push batches, parsed from their exact stored text, each the sender's."""
    items = body.get("batches")
    batches = [_batch(item, sender) for item in items] if isinstance(items, list) else []
    if not batches or any(batch is None for batch in batches):
        raise PackageRefused("同步包内容不完整（缺少推送批次），未导入任何数据。")
    return [batch for batch in batches if batch is not None]


def _batch(item: Any, sender: str) -> dict[str, Any] | None:
    try:
        batch = json.loads(item["body"])
    except (TypeError, KeyError, ValueError):
        return None
    if not isinstance(batch, dict) or batch.get("batch_key") != item.get("batch_key"):
        return None
    return batch if batch.get("device_id") == sender else None


def _sender_key(db: HqDatabase, header: PackageHeader) -> Ed25519PublicKey:
    """The public key of the device the (still unverified) header names."""
    if header.direction != TO_HQ:
        raise PackageRefused("这是区局导出给中队电脑的同步包，应在电脑上用 sync import 导入。")
    with db.read() as session:
        device = session.get(HqDevice, header.sender)
        if device is None:
            raise PackageRefused(f"同步包来自未在区局登记的设备“{header.sender}”，未导入。")
        return signing_public(device.signing_public_b64)


def _expected_sender(db: HqDatabase, header: PackageHeader) -> HqDevice:
    """The sending device, if it may send this package now (its squad, the next in sequence).

    A package already imported is refused too: importing it again would change nothing, and an
    older one arriving after newer ones is a replay (the newer held all its batches). A gap is
    accepted: the missing package's batches are in this one.
    """
    with db.read() as session:
        device = session.get(HqDevice, header.sender)
        assert device is not None, "the key was found for this sender"
    if device.revoked_at is not None:
        raise PackageRefused(f"设备“{device.name}”已被区局停用，它的同步包不再导入。")
    if header.squad_id != device.squad_id:
        raise PackageRefused("同步包所属中队与设备登记的中队不一致，未导入。")
    if header.sequence <= device.package_in_seq:
        raise PackageRefused(
            f"这个同步包（序号 {header.sequence}）已经导入过（该设备已导入到序号 "
            f"{device.package_in_seq}），未重复导入任何数据。"
        )
    return device


def _store_file(store: AttachmentStore, opened: OpenedPackage, sha256: str) -> bool:
    with opened.open_attachment(sha256) as handle:
        return store.put(sha256, cast(BinaryIO, handle))  # a zip member: bytes in, like a file


def _advance(session: Session, header: PackageHeader) -> None:
    """Move the device's package sequence on (never back) and note the contact."""
    device = session.get(HqDevice, header.sender, with_for_update=True)
    assert device is not None
    device.package_in_seq = max(device.package_in_seq, header.sequence)
    device.last_contact_at = dt.datetime.now(dt.UTC)


def _record_files(
    session: Session, store: AttachmentStore, names: Sequence[str], device_id: str
) -> None:
    for sha256 in names:
        if session.get(HqAttachment, sha256) is None:
            session.add(
                HqAttachment(sha256=sha256, size=store.size(sha256), origin_device=device_id)
            )


def export_package(db: HqDatabase, data_dir: Path, squad_name: str, out: Path) -> PackageExported:
    """Write the squad's share and HQ's reference data, signed by HQ, to ``out``."""
    squad = find_squad(db.core(), squad_name)
    if squad.is_bureau:
        raise UserError("同步包只能导出给街道执法中队的电脑。")
    if out.exists():
        raise UserError(f"文件“{out}”已存在，不会覆盖。请换一个文件名。")
    with db.read() as session:
        key = session.get(HqKey, SIGNING)
        if key is None:
            raise UserError("区局尚未生成签名密钥，请先运行 python main.py hq init。")
        revision = session.scalar(select(func.max(HqRevision.seq))) or 0
        records = list(visible_records(session, squad.id, revision))
        delivered = _delivered(session, squad.id)
    store = AttachmentStore(data_dir)
    wanted = _evidence_hashes(records)
    held = {sha: store.path(sha) for sha in sorted(wanted) if store.holds(sha)}
    header = PackageHeader(
        direction=TO_DEVICE,
        sender=HQ_DEVICE,
        squad_id=squad.id,
        sequence=revision,
        created_at=dt.datetime.now(dt.UTC).isoformat(),
        protocol=PROTOCOL_VERSION,
    )
    body = {"records": records, "cursor": revision, "delivered": delivered}
    write_package(out, header, body, held, signing_private(key.private_b64))
    return PackageExported(
        out, squad.name, revision, len(records), len(held), len(wanted) - len(held)
    )


def _delivered(session: Session, squad_id: str) -> dict[str, dict[str, Any]]:
    """For each device of the squad: the keys of the batches HQ has applied, its anchor and
    whether its chain is flagged (what ``/status`` tells a laptop online)."""
    devices = session.scalars(select(HqDevice).where(HqDevice.squad_id == squad_id)).all()
    delivered: dict[str, dict[str, Any]] = {
        device.id: {
            "batch_keys": [],
            "anchor": {"device_seq": device.anchor_seq, "event_hash": device.anchor_hash},
            "flagged": device.flagged_at is not None,
        }
        for device in devices
    }
    rows = session.execute(
        select(HqBatch.device_id, HqBatch.batch_key)
        .where(HqBatch.device_id.in_(list(delivered)))
        .order_by(HqBatch.received_at, HqBatch.batch_key)
    )
    for device_id, batch_key in rows:
        delivered[device_id]["batch_keys"].append(batch_key)
    return delivered


def _evidence_hashes(records: Sequence[Mapping[str, Any]]) -> set[str]:
    table = EvidenceFile.__tablename__
    return {
        str(record["fields"]["sha256"])
        for record in records
        if record["table"] == table and record.get("op") != "delete"
    }
