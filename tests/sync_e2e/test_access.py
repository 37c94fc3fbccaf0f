"""Who may read and write what at HQ, against a real server: squads, revocation, replays, the
audit chain and offline packages.

The requests a well-behaved laptop never sends are made by hand here, signed with a real
device's secret, as someone holding a laptop could make them.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from fuanjian_desktop import __version__
from fuanjian_desktop.hq.database import open_hq
from fuanjian_desktop.hq.models import HqRevision
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import AuditEvent, EvidenceFile
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.status import sync_status
from fuanjian_desktop.sync_protocol import codec
from fuanjian_desktop.sync_protocol.keys import unb64
from fuanjian_desktop.sync_protocol.signing import signed_headers
from tests.attacker import drop_guards, raw_connection, restore_guards
from tests.photos import make_photo
from tests.support.server import HqServer, hq
from tests.sync_e2e.fleet import PASSWORD, FieldLaptop, inspect_with_photo, new_laptop, register
from tests.sync_e2e.laptops import Laptop
from tests.sync_e2e.records import picture, picture_of
from tests.test_main_cli import run

pytestmark = [pytest.mark.timeout(300), pytest.mark.usefixtures("cheap_accounts")]


def laptop_of(server: HqServer, root: Path, name: str, squad: str) -> FieldLaptop:
    """A fresh laptop of ``squad`` joined to ``server``."""
    return new_laptop(root / name, name, squad, server, 3)


def signed(laptop: FieldLaptop, method: str, path: str, body: bytes = b"", **extra: Any) -> Any:
    """A request to HQ signed with ``laptop``'s device secret: (response, headers sent)."""
    with laptop.database.read() as session:
        peer = state.require_peer(session)
    headers = extra.pop("headers", None) or signed_headers(
        peer.device_id, unb64(peer.secret_b64), method, path, body
    )
    answer = httpx.request(method, f"{peer.hq_url}{path}", content=body, headers=headers)
    return answer, headers


def push_body(laptop: FieldLaptop, records: list[dict[str, Any]]) -> bytes:
    """A PushBatch of ``records`` from ``laptop``, continuing its chain at HQ's anchor."""
    status, _ = signed(laptop, "GET", "/v1/status")
    with laptop.database.read() as session:
        device = state.require_peer(session).device_id
    batch = {
        "batch_key": new_id(),
        "device_id": device,
        "app_version": __version__,
        "chain_from": status.json()["anchor"],
        "audit_events": [],
        "records": records,
    }
    return json.dumps(batch, ensure_ascii=False).encode()


def last_revision(server: HqServer) -> int:
    """HQ's newest revision number (what any applied write moves)."""
    db = open_hq(server.db_url)
    try:
        with db.read() as session:
            return session.scalar(select(func.max(HqRevision.seq))) or 0
    finally:
        db.close()


def test_a_squad_cannot_write_or_read_another_squads_records(hq_server: HqServer, tmp_path: Path):
    """园岭's device pushing 南园's records: 403, nothing applied; fetching 南园's evidence
    file: 403 (南园's own device gets it); 南园's inspection never reaches 园岭's laptop."""
    yuanling, nanyuan = (
        laptop_of(hq_server, tmp_path, *each) for each in (("y", "园岭"), ("n", "南园"))
    )
    register(nanyuan)
    inspection = inspect_with_photo(nanyuan, make_photo(tmp_path / "现场.jpg"))
    nanyuan.round()
    yuanling.round()
    with nanyuan.database.read() as session:
        venue = codec.encode_record(session, "enterprise", nanyuan.writes[0].record_id)
        visit = codec.encode_record(session, "inspection", inspection)
        sha256 = session.scalars(select(EvidenceFile.sha256)).one()
    assert venue is not None and visit is not None

    before = last_revision(hq_server)
    for record in (venue, visit):
        changed = {**record, "version": record["version"] + 1, "base_revision": None}
        changed["fields"] = {**record["fields"], "updated_at": "2030-01-01T00:00:00+00:00"}
        answer, _ = signed(yuanling, "POST", "/v1/push", push_body(yuanling, [changed]))
        assert answer.status_code == 403 and answer.json()["error"] == "scope", answer.text
    assert last_revision(hq_server) == before

    refused, _ = signed(yuanling, "GET", f"/v1/attachments/{sha256}")
    assert refused.status_code == 403 and refused.json()["error"] == "scope"
    allowed, _ = signed(nanyuan, "GET", f"/v1/attachments/{sha256}")
    assert allowed.status_code == 200 and hashlib.sha256(allowed.content).hexdigest() == sha256
    assert ("inspection", inspection) not in picture(yuanling.database)


@pytest.mark.parametrize("hq_db", ["sqlite"], indirect=True)
def test_a_replayed_request_is_refused(hq_server: HqServer, tmp_path: Path):
    """The same signed request sent again (same nonce): 401 replay, the push not applied twice."""
    laptop = laptop_of(hq_server, tmp_path, "r", "园岭")
    first, headers = signed(laptop, "GET", "/v1/status")
    again, _ = signed(laptop, "GET", "/v1/status", headers=headers)
    assert first.status_code == 200
    assert again.status_code == 401 and again.json()["error"] == "replay"

    register(laptop)
    with laptop.database.read() as session:
        venue = codec.encode_record(session, "enterprise", laptop.writes[0].record_id)
    assert venue is not None
    body = push_body(laptop, [venue])  # no audit events: a record alone, for the replay
    pushed, headers = signed(laptop, "POST", "/v1/push", body)
    after = last_revision(hq_server)
    replayed, _ = signed(laptop, "POST", "/v1/push", body, headers=headers)
    assert replayed.status_code == 401 and replayed.json()["error"] == "replay"
    assert last_revision(hq_server) == after, pushed.text


@pytest.mark.parametrize("hq_db", ["sqlite"], indirect=True)
def test_a_revoked_laptop_is_refused_and_told_in_chinese(hq_server: HqServer, tmp_path: Path):
    """``hq revoke``: the laptop's next request gets 401 revoked and ``sync run`` says so."""
    field = laptop_of(hq_server, tmp_path, "v", "园岭")
    with field.database.read() as session:
        device = state.require_peer(session).device_id
    hq("revoke", "--db", hq_server.db_url, device, "--reason", "电脑遗失")
    answer, _ = signed(field, "GET", "/v1/status")
    assert answer.status_code == 401 and answer.json()["error"] == "revoked"
    field.database.close()

    laptop = Laptop(tmp_path / "v", "admin_v", PASSWORD)
    refused = laptop.command("sync", "run")
    assert refused.returncode == 1
    assert f"本机已被区局停用同步（设备 {device}），请联系区局管理员。" in refused.stderr
    listed = hq("devices", "--db", hq_server.db_url).stdout
    assert device in listed and "停用" in listed


@pytest.mark.parametrize("hq_db", ["sqlite"], indirect=True)
def test_a_broken_chain_is_quarantined_and_flagged(hq_server: HqServer, tmp_path: Path):
    """An audit event altered on the laptop before its push: HQ keeps the data quarantined (not
    current, not sent to the squad's other laptop) and flags the device."""
    laptop, sibling = (laptop_of(hq_server, tmp_path, name, "园岭") for name in ("q", "s"))
    laptop.round()
    register(laptop)
    venue = laptop.writes[-1].record_id
    with laptop.database.read() as session:
        newest = session.scalars(
            select(AuditEvent.id).order_by(AuditEvent.device_seq.desc())
        ).first()
    with raw_connection(laptop.database) as connection:
        drop_guards(connection)
        connection.execute("UPDATE audit_event SET summary = '篡改' WHERE id = ?", (newest,))
        restore_guards(connection)

    assert laptop.round().flagged  # HQ anchors past the quarantined batch: the round ends
    assert laptop.round().flagged  # and the next runs too, still flagged: the laptop not stuck
    assert sync_status(laptop.database).flagged
    sibling.round()
    db = open_hq(hq_server.db_url)
    try:
        with db.read() as session:
            kept = session.scalars(select(HqRevision).where(HqRevision.entity_id == venue)).all()
            mirror = picture_of(session)
    finally:
        db.close()
    assert kept and all(revision.quarantined for revision in kept)
    assert ("enterprise", venue) not in mirror
    assert ("enterprise", venue) not in picture(sibling.database)
    with laptop.database.read() as session:
        device = state.require_peer(session).device_id
    flagged = [
        line
        for line in hq("devices", "--db", hq_server.db_url).stdout.splitlines()
        if device in line
    ]
    assert flagged and "链" in flagged[0], flagged


@pytest.mark.parametrize("hq_db", ["sqlite"], indirect=True)
def test_a_tampered_package_is_refused_with_nothing_applied(hq_server: HqServer, tmp_path: Path):
    """An offline package changed after signing, or cut short: ``hq import`` refuses it in
    Chinese and HQ is unchanged; the package as written imports, once."""
    field = laptop_of(hq_server, tmp_path, "p", "园岭")
    register(field)
    field.database.close()
    laptop = Laptop(tmp_path / "p", "admin_p", PASSWORD)
    package = tmp_path / "p.fjsync"
    laptop.ok("sync", "export", "--out", str(package))

    tampered, cut = tmp_path / "tampered.fjsync", tmp_path / "cut.fjsync"
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(tampered, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "body.json":
                changed = data.replace("深圳市".encode(), "广州市".encode(), 1)
                assert changed != data  # the venue's address is in the body
                data = changed
            target.writestr(member, data)
    cut.write_bytes(package.read_bytes()[: package.stat().st_size // 2])

    before = last_revision(hq_server)
    for bad in (tampered, cut):
        refused = hq_import(hq_server, bad)
        assert refused.returncode == 1 and "错误" in refused.stderr, refused.stderr
        assert last_revision(hq_server) == before
    assert hq_import(hq_server, package).returncode == 0
    applied = last_revision(hq_server)
    assert applied > before
    again = hq_import(hq_server, package)
    assert last_revision(hq_server) == applied, again.stderr


def hq_import(server: HqServer, package: Path) -> Any:
    """``hq import`` of ``package`` (its data folder: the server's), whatever the outcome."""
    return run(
        "hq", "import", "--db", server.db_url, "--data-dir", str(server.data_dir), str(package)
    )
