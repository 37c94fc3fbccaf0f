"""Offline packages at HQ: ``hq import`` applies a laptop's signed package once and in order;
``hq export`` writes the squad's share, signed by HQ.

The laptop here is a fresh database holding HQ's org units (as its first pull leaves them); one
audited write (an enterprise of 园岭, with a photo) gives a real audit chain, packed the way a
laptop packs it: every event after the genesis and the records their outbox rows name.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests.hq.hq_admin_support)

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.hq.attachments import AttachmentStore
from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.devices import revoke_device
from fuanjian_desktop.hq.models import HqAttachment, HqDevice, HqKey, HqRevision
from fuanjian_desktop.hq.packages import export_package, import_package
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import AuditEvent, Enterprise, EvidenceFile, OutboxEntry, Squad
from fuanjian_desktop.security.audit_chain import GENESIS
from fuanjian_desktop.services.actor import SYSTEM
from fuanjian_desktop.services.numbering import device_id
from fuanjian_desktop.services.unit_of_work import user_action
from fuanjian_desktop.sync_protocol.codec import (
    encode_audit_event,
    encode_record,
    iter_table,
    write_record,
)
from fuanjian_desktop.sync_protocol.keys import b64, public_raw, signing_public
from fuanjian_desktop.sync_protocol.package import (
    PackageHeader,
    PackageRefused,
    read_package,
    write_package,
)
from tests.hq.hq_admin_support import hq, hq_sqlite_url, squad_id  # noqa: F401

PHOTO = b"\xff\xd8 a photo of the fire exit \xff\xd9"
PHOTO_SHA = hashlib.sha256(PHOTO).hexdigest()


@dataclass
class Laptop:
    """A 园岭 laptop known to HQ: its database, device id, signing key and photo file."""

    database: Database
    device_id: str
    key: Ed25519PrivateKey
    photo: Path

    def package(self, out: Path, sequence: int, *, squad: str | None = None) -> Path:
        """Pack every pending change as package number ``sequence`` (signed by the laptop)."""
        with self.database.read() as session:
            events = session.scalars(select(AuditEvent).order_by(AuditEvent.device_seq))
            audit = [encode_audit_event(_row(event)) for event in events]
            records = []
            for entry in session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)):
                envelope = encode_record(session, entry.entity_type, entry.entity_id)
                assert envelope is not None
                records.append({**envelope, "audit_event_id": entry.audit_event_id})
            home = squad or session.scalars(select(Enterprise.squad_id)).one()
        batch = {
            "batch_key": new_id(),
            "device_id": self.device_id,
            "app_version": "test",
            "chain_from": {"device_seq": 0, "event_hash": GENESIS},
            "audit_events": audit,
            "records": records,
        }
        header = PackageHeader("device_to_hq", self.device_id, home, sequence, "2026-06-01")
        stored = {"batch_key": batch["batch_key"], "body": json.dumps(batch, ensure_ascii=False)}
        write_package(out, header, {"batches": [stored]}, {PHOTO_SHA: self.photo}, self.key)
        return out


def _row(event: AuditEvent) -> dict[str, object]:
    return {column.key: getattr(event, column.key) for column in AuditEvent.__table__.columns}


@pytest.fixture
def laptop(hq: HqDatabase, database: Database, tmp_path: Path) -> Laptop:
    """A laptop of 园岭 registered at HQ, with one enterprise and one photo to send."""
    with hq.read() as source, database.write() as target:
        for envelope in iter_table(source, "squad"):
            write_record(target, envelope)
    with database.write() as session:
        own = device_id(session)
    key = Ed25519PrivateKey.generate()
    _register(hq, own, key)
    with user_action(database, SYSTEM, "新增企业") as scope:
        firm = Enterprise(
            name="园岭五金店",
            uscc="91440300MA5EXAMPLE",
            address="园岭街道百花二路1号",
            street="园岭街道",
            squad_id=squad_id(hq, "园岭"),
        )
        photo = EvidenceFile(
            sha256=PHOTO_SHA, extension="jpg", size_bytes=len(PHOTO), original_name="exit.jpg"
        )
        scope.session.add_all([firm, photo])
        scope.record(firm, "新增企业", before=None)
        scope.record(photo, "导入照片", before=None)
    photo_file = tmp_path / "exit.jpg"
    photo_file.write_bytes(PHOTO)
    return Laptop(database, own, key, photo_file)


def _register(hq: HqDatabase, device: str, key: Ed25519PrivateKey) -> None:
    with hq.write() as session:
        session.add(
            HqDevice(
                id=device,
                squad_id=session.scalars(select(Squad.id).where(Squad.short_name == "园岭")).one(),
                name="园岭一号机",
                secret_b64=b64(bytes(32)),
                signing_public_b64=b64(public_raw(key.public_key())),
                app_version="test",
            )
        )


def top_revision(hq: HqDatabase) -> int:
    """HQ's highest revision number (unchanged = nothing applied)."""
    with hq.read() as session:
        return session.scalar(select(func.max(HqRevision.seq))) or 0


def imported_so_far(hq: HqDatabase, device: str) -> int:
    """The device's last imported package number at HQ."""
    with hq.read() as session:
        row = session.get(HqDevice, device)
        assert row is not None
        return row.package_in_seq


def test_import_applies_records_and_files(hq: HqDatabase, laptop: Laptop, tmp_path: Path):
    """Package 1: the enterprise and photo record become current, the photo is stored."""
    data = tmp_path / "hq-data"
    report = import_package(hq, data, laptop.package(tmp_path / "1.fjsync", 1))
    assert (report.sequence, report.applied, report.conflicts, report.new_files) == (1, 2, 0, 1)
    assert not report.quarantined
    assert report.lines()[0] == "已导入设备“园岭一号机”的第 1 个同步包。"
    with hq.read() as session:
        assert session.scalars(select(Enterprise.name)).all() == ["园岭五金店"]
        assert session.get(HqAttachment, PHOTO_SHA) is not None
    assert AttachmentStore(data).holds(PHOTO_SHA)
    assert imported_so_far(hq, laptop.device_id) == 1


def test_same_package_twice_applies_once(hq: HqDatabase, laptop: Laptop, tmp_path: Path):
    """Importing package 1 again is refused as already imported; HQ's revisions do not move."""
    package = laptop.package(tmp_path / "1.fjsync", 1)
    import_package(hq, tmp_path / "hq-data", package)
    before = top_revision(hq)
    with pytest.raises(PackageRefused, match="已经导入过"):
        import_package(hq, tmp_path / "hq-data", package)
    assert top_revision(hq) == before


def test_a_newer_package_may_follow_a_lost_one(hq: HqDatabase, laptop: Laptop, tmp_path: Path):
    """Package 1 never arrives: package 2 (a laptop repeats every unconfirmed batch in each
    package) is imported; package 1 turning up afterwards is a replay, refused, nothing applied."""
    import_package(hq, tmp_path / "hq-data", laptop.package(tmp_path / "2.fjsync", 2))
    assert imported_so_far(hq, laptop.device_id) == 2
    before = top_revision(hq)
    with pytest.raises(PackageRefused, match="已经导入过"):
        import_package(hq, tmp_path / "hq-data", laptop.package(tmp_path / "1.fjsync", 1))
    assert top_revision(hq) == before
    assert imported_so_far(hq, laptop.device_id) == 2


def test_a_package_without_batches_is_refused(hq: HqDatabase, laptop: Laptop, tmp_path: Path):
    """A body whose batch text names another key than it is filed under: nothing applied."""
    good = laptop.package(tmp_path / "1.fjsync", 1)
    with read_package(good, laptop.key.public_key()) as opened:
        (item,) = opened.body["batches"]
    header = PackageHeader("device_to_hq", laptop.device_id, squad_id(hq, "园岭"), 1, "2026-06-01")
    forged = tmp_path / "forged.fjsync"
    write_package(forged, header, {"batches": [{**item, "batch_key": new_id()}]}, {}, laptop.key)
    before = top_revision(hq)
    with pytest.raises(PackageRefused, match="缺少推送批次"):
        import_package(hq, tmp_path / "hq-data", forged)
    assert top_revision(hq) == before and imported_so_far(hq, laptop.device_id) == 0


def test_a_refused_batch_refuses_the_whole_package(hq: HqDatabase, laptop: Laptop, tmp_path: Path):
    """A good batch followed by one naming another squad's venue (403): HQ keeps nothing of
    the package, not even the good batch, and the same laptop may import again."""
    good = laptop.package(tmp_path / "1.fjsync", 1)
    with read_package(good, laptop.key.public_key()) as opened:
        (item,) = opened.body["batches"]
    first = json.loads(item["body"])
    venue = next(record for record in first["records"] if record["table"] == "enterprise")
    foreign = {**venue, "fields": {**venue["fields"], "squad_id": squad_id(hq, "南园")}}
    second = {**first, "batch_key": new_id(), "audit_events": [], "records": [foreign]}
    batches = [item, {"batch_key": second["batch_key"], "body": json.dumps(second)}]
    header = PackageHeader("device_to_hq", laptop.device_id, squad_id(hq, "园岭"), 1, "2026-06-01")
    mixed = tmp_path / "mixed.fjsync"
    write_package(mixed, header, {"batches": batches}, {}, laptop.key)
    before = top_revision(hq)
    with pytest.raises(PackageRefused, match="区局数据没有任何改动"):
        import_package(hq, tmp_path / "hq-data", mixed)
    assert top_revision(hq) == before and imported_so_far(hq, laptop.device_id) == 0
    import_package(hq, tmp_path / "hq-data", good)  # the good batch alone still goes in
    assert top_revision(hq) > before


def test_tampered_package_refused(hq: HqDatabase, laptop: Laptop, tmp_path: Path):
    """One byte of the body changed after signing: refused, nothing applied or stored."""
    package = laptop.package(tmp_path / "1.fjsync", 1)
    tampered = tmp_path / "tampered.fjsync"
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "body.json":
                content = content.replace("园岭五金店".encode(), "园岭五金行".encode())
            target.writestr(item, content)
    before = top_revision(hq)
    with pytest.raises(PackageRefused, match="未导入任何数据"):
        import_package(hq, tmp_path / "hq-data", tampered)
    assert top_revision(hq) == before
    assert imported_so_far(hq, laptop.device_id) == 0


def test_truncated_package_refused(hq: HqDatabase, laptop: Laptop, tmp_path: Path):
    """A package cut short (a copy interrupted): refused, nothing applied."""
    package = laptop.package(tmp_path / "1.fjsync", 1)
    cut = tmp_path / "cut.fjsync"
    cut.write_bytes(package.read_bytes()[:-200])
    before = top_revision(hq)
    with pytest.raises(PackageRefused, match="未导入任何数据"):
        import_package(hq, tmp_path / "hq-data", cut)
    assert top_revision(hq) == before


def test_package_signed_by_another_key_refused(hq: HqDatabase, laptop: Laptop, tmp_path: Path):
    """A package naming this device but signed by another key: refused."""
    laptop.key = Ed25519PrivateKey.generate()
    with pytest.raises(PackageRefused, match="签名不符"):
        import_package(hq, tmp_path / "hq-data", laptop.package(tmp_path / "1.fjsync", 1))
    assert imported_so_far(hq, laptop.device_id) == 0


def test_revoked_device_package_refused(hq: HqDatabase, laptop: Laptop, tmp_path: Path):
    """A revoked laptop's package is not imported."""
    revoke_device(hq, laptop.device_id, "电脑遗失")
    with pytest.raises(PackageRefused, match="已被区局停用"):
        import_package(hq, tmp_path / "hq-data", laptop.package(tmp_path / "1.fjsync", 1))


def test_package_claiming_another_squad_refused(hq: HqDatabase, laptop: Laptop, tmp_path: Path):
    """A header naming 南园 for a 园岭 device: refused before anything is applied."""
    package = laptop.package(tmp_path / "1.fjsync", 1, squad=squad_id(hq, "南园"))
    with pytest.raises(PackageRefused, match="中队不一致"):
        import_package(hq, tmp_path / "hq-data", package)
    assert top_revision(hq) != 0 and imported_so_far(hq, laptop.device_id) == 0


def test_export_carries_the_squads_share_signed_by_hq(
    hq: HqDatabase, laptop: Laptop, tmp_path: Path
):
    """园岭's package holds its records, HQ's reference data and the photo; 南园's not the
    photo record's file nor 园岭's number block. Sequence = HQ's revision."""
    data = tmp_path / "hq-data"
    sent = laptop.package(tmp_path / "1.fjsync", 1)
    with read_package(sent, laptop.key.public_key()) as opened:
        (batch,) = opened.body["batches"]
        last_event = json.loads(batch["body"])["audit_events"][-1]["fields"]
    import_package(hq, data, sent)
    with hq.read() as session:
        key = session.get(HqKey, "signing")
        assert key is not None
        public = signing_public(key.public_b64)
    written = export_package(hq, data, "园岭", tmp_path / "out.fjsync")
    assert (written.revision, written.files, written.missing_files) == (top_revision(hq), 1, 0)
    with read_package(tmp_path / "out.fjsync", public, direction="hq_to_device") as opened:
        assert opened.header.sequence == top_revision(hq)
        assert opened.header.squad_id == squad_id(hq, "园岭")
        tables = {record["table"] for record in opened.body["records"]}
        assert opened.attachment_names == [PHOTO_SHA]
        confirmed = opened.body["delivered"]
    assert confirmed == {  # the laptop's offline confirmation: the batch HQ applied
        laptop.device_id: {
            "batch_keys": [batch["batch_key"]],
            "anchor": {
                "device_seq": last_event["device_seq"],
                "event_hash": last_event["event_hash"],
            },
            "flagged": False,
        }
    }
    assert {"squad", "reference_file", "enterprise", "evidence_file", "number_block"} <= tables
    export_package(hq, data, "南园", tmp_path / "south.fjsync")
    with read_package(tmp_path / "south.fjsync", public) as opened:
        south = {record["table"] for record in opened.body["records"]}
        assert opened.attachment_names == []
        assert opened.body["delivered"] == {}  # no 南园 device
    assert "enterprise" in south  # the registry master goes to every squad
    assert not {"evidence_file", "number_block"} & south


def test_export_refuses_to_overwrite(hq: HqDatabase, tmp_path: Path):
    """An existing file is never overwritten."""
    out = tmp_path / "out.fjsync"
    out.write_bytes(b"keep me")
    with pytest.raises(Exception, match="不会覆盖"):
        export_package(hq, tmp_path / "hq-data", "园岭", out)
    assert out.read_bytes() == b"keep me"
