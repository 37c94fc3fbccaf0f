"""Offline packages: the laptop's export is signed by it and counts as delivered only once HQ
confirms it; HQ's package is applied whole, once, newest only; a tampered, cut, foreign or older
package changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.maintenance import store_of
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Enterprise, OutboxEntry
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.packages import export_package, import_package
from fuanjian_desktop.sync_client.state import Key
from fuanjian_desktop.sync_client.status import sync_status
from fuanjian_desktop.sync_protocol.codec import encode_record
from fuanjian_desktop.sync_protocol.package import (
    PackageHeader,
    PackageRefused,
    read_package,
    write_package,
)
from tests.sync_client.conftest import DEVICE_SIGNING_RAW, Laptop
from tests.sync_client.fake_hq import HQ_SIGNING_PRIVATE, video_envelope


def hq_package(
    laptop: Laptop,
    path: Path,
    sequence: int,
    records: list[dict[str, Any]],
    files: dict[str, bytes] | None = None,
    *,
    squad: str | None = None,
    signer: Ed25519PrivateKey = HQ_SIGNING_PRIVATE,
    delivered: dict[str, Any] | None = None,
) -> Path:
    """A package as ``hq export`` writes it: a snapshot up to revision ``sequence``."""
    sources = {}
    for sha, data in (files or {}).items():
        source = path.parent / sha
        source.write_bytes(data)
        sources[sha] = source
    header = PackageHeader(
        direction="hq_to_device",
        sender="hq",
        squad_id=squad or laptop.squads["园岭"],
        sequence=sequence,
        created_at=dt.datetime.now(dt.UTC).isoformat(),
    )
    body = {"records": records, "cursor": sequence, "delivered": delivered or {}}
    write_package(path, header, body, sources, signer)
    return path


def enterprise_named(laptop: Laptop, name: str, revision: int) -> dict[str, Any]:
    with laptop.database.read() as session:
        template = encode_record(
            session,
            "enterprise",
            session.scalars(
                select(Enterprise.id).where(Enterprise.squad_id == laptop.squads["园岭"])
            ).first()
            or "",
        )
    assert template is not None
    fields = {**template["fields"], "name": name, "uscc": None}
    return {**template, "id": new_id(), "version": 1, "fields": fields, "revision": revision}


def video_record(data: bytes, revision: int) -> dict[str, Any]:
    return {**video_envelope(data), "revision": revision}


def names(laptop: Laptop) -> set[str]:
    with laptop.database.read() as session:
        return set(session.scalars(select(Enterprise.name)))


# --- export ---------------------------------------------------------------------------------


def test_an_export_carries_everything_pending_signed_by_the_laptop(
    joined: Laptop, tmp_path: Path
) -> None:
    """Verified with the laptop's key: the whole chain and the own-squad records, numbered 1.
    Nothing counts as delivered (the file may never reach HQ): 待上传 and the anchor stay, and
    the next export carries the same batch again, byte for byte."""
    pending = sync_status(joined.database).pending
    out = tmp_path / "yuanling-1.fjsync"
    result = export_package(joined.database, out)
    (first,) = package_batches(joined, out)
    batch = json.loads(first["body"])
    assert result.sequence == 1 and result.batches == 1
    assert batch["batch_key"] == first["batch_key"]
    assert batch["chain_from"]["device_seq"] == 0
    assert len(batch["audit_events"]) == result.events > 0
    assert len(batch["records"]) == result.records
    assert sync_status(joined.database).pending == pending > 0
    with joined.database.read() as session:
        assert state.anchor(session)[0] == 0
    again = export_package(joined.database, tmp_path / "yuanling-2.fjsync")
    assert again.sequence == 2
    assert package_batches(joined, tmp_path / "yuanling-2.fjsync") == [first]


def package_batches(laptop: Laptop, path: Path) -> list[dict[str, Any]]:
    """The batches of the laptop's package, verified with the laptop's key."""
    device_key = Ed25519PrivateKey.from_private_bytes(DEVICE_SIGNING_RAW).public_key()
    with read_package(path, device_key, direction="device_to_hq") as opened:
        assert opened.header.squad_id == laptop.squads["园岭"]
        return list(opened.body["batches"])


def test_an_export_never_overwrites_a_file(joined: Laptop, tmp_path: Path) -> None:
    out = tmp_path / "kept.fjsync"
    out.write_bytes(b"something else")
    with pytest.raises(UserError):
        export_package(joined.database, out)
    assert out.read_bytes() == b"something else"
    assert sync_status(joined.database).pending > 0


# --- import ---------------------------------------------------------------------------------


@pytest.fixture
def laptop(synced_laptop: Laptop) -> Laptop:
    """Everything so far is at HQ (imports are about what HQ sends)."""
    return synced_laptop


def test_hqs_package_is_applied_whole_and_once(laptop: Laptop, tmp_path: Path) -> None:
    """Records and files arrive; the same package again changes nothing."""
    video = os.urandom(200_000)
    records = [enterprise_named(laptop, "包里的企业", 40), video_record(video, 41)]
    package = hq_package(
        laptop, tmp_path / "hq.fjsync", 41, records, {records[1]["fields"]["sha256"]: video}
    )
    queued = outbox_rows(laptop)
    first = import_package(laptop.database, package)
    assert (first.sequence, first.records, first.files) == (41, 2, 1)
    assert "包里的企业" in names(laptop)
    assert (
        b"".join(store_of(laptop.database).original_chunks(records[1]["fields"]["sha256"], ".mp4"))
        == video
    )
    assert outbox_rows(laptop) == queued  # nothing imported is queued to go back
    with laptop.database.read() as session:
        assert state.get_int(session, Key.CURSOR) == 41  # a later online pull starts there
    again = import_package(laptop.database, package)
    assert again.records == 0 and again.note is not None and "已经导入过" in again.note


def outbox_rows(laptop: Laptop) -> int:
    with laptop.database.read() as session:
        return session.scalar(select(func.count()).select_from(OutboxEntry)) or 0


def test_an_older_package_is_refused(laptop: Laptop, tmp_path: Path) -> None:
    import_package(laptop.database, hq_package(laptop, tmp_path / "new.fjsync", 50, []))
    old = hq_package(
        laptop, tmp_path / "old.fjsync", 30, [enterprise_named(laptop, "旧包企业", 30)]
    )
    with pytest.raises(UserError) as refused:
        import_package(laptop.database, old)
    assert "更旧" in refused.value.message
    assert "旧包企业" not in names(laptop)


def refused_with_nothing_applied(laptop: Laptop, package: Path) -> str:
    before = names(laptop)
    with laptop.database.read() as session:
        sequence = state.get_int(session, Key.PACKAGE_IN_SEQ)
    with pytest.raises(UserError) as refused:
        import_package(laptop.database, package)
    assert names(laptop) == before
    with laptop.database.read() as session:
        assert state.get_int(session, Key.PACKAGE_IN_SEQ) == sequence
    return refused.value.message


def test_a_tampered_package_is_refused(laptop: Laptop, tmp_path: Path) -> None:
    """One changed name in the body: the manifest's hash no longer matches."""
    good = hq_package(
        laptop, tmp_path / "hq.fjsync", 60, [enterprise_named(laptop, "原名企业", 60)]
    )
    forged = tmp_path / "forged.fjsync"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(forged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "body.json":
                data = data.replace("原名企业".encode(), "篡改企业".encode())
            target.writestr(item, data)
    assert isinstance(refused_exception(laptop, forged), PackageRefused)


def refused_exception(laptop: Laptop, package: Path) -> UserError:
    before = names(laptop)
    with pytest.raises(UserError) as refused:
        import_package(laptop.database, package)
    assert names(laptop) == before
    return refused.value


def test_a_cut_package_is_refused(laptop: Laptop, tmp_path: Path) -> None:
    good = hq_package(
        laptop, tmp_path / "hq.fjsync", 60, [enterprise_named(laptop, "半截企业", 60)]
    )
    cut = tmp_path / "cut.fjsync"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    assert "不是完整的同步包" in refused_with_nothing_applied(laptop, cut)


def test_a_package_signed_by_another_key_is_refused(laptop: Laptop, tmp_path: Path) -> None:
    other = Ed25519PrivateKey.generate()
    forged = hq_package(
        laptop, tmp_path / "x.fjsync", 60, [enterprise_named(laptop, "冒名企业", 60)], signer=other
    )
    assert "签名不符" in refused_with_nothing_applied(laptop, forged)


def test_a_package_for_another_squad_is_refused(laptop: Laptop, tmp_path: Path) -> None:
    foreign = hq_package(
        laptop,
        tmp_path / "n.fjsync",
        60,
        [enterprise_named(laptop, "南园包企业", 60)],
        squad=laptop.squads["南园"],
    )
    assert "不是区局发给本中队的" in refused_with_nothing_applied(laptop, foreign)


def test_hqs_flag_on_this_laptops_chain_arrives_with_the_package(
    laptop: Laptop, tmp_path: Path
) -> None:
    """Offline, HQ's package says what ``/status`` says online: the chain is flagged, later
    cleared; another device's entry says nothing about this laptop."""

    def entry(flagged: bool) -> dict[str, Any]:
        return {"batch_keys": [], "anchor": {"device_seq": 0, "event_hash": ""}, "flagged": flagged}

    other = {new_id(): entry(True)}
    import_package(
        laptop.database, hq_package(laptop, tmp_path / "0.fjsync", 69, [], None, delivered=other)
    )
    assert not sync_status(laptop.database).flagged
    flagged = {laptop.hq.device_id: entry(True)}
    import_package(
        laptop.database, hq_package(laptop, tmp_path / "1.fjsync", 70, [], None, delivered=flagged)
    )
    assert sync_status(laptop.database).flagged
    cleared = {laptop.hq.device_id: entry(False)}
    import_package(
        laptop.database, hq_package(laptop, tmp_path / "2.fjsync", 71, [], None, delivered=cleared)
    )
    assert not sync_status(laptop.database).flagged
