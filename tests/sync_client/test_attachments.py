"""Evidence files: up before the records naming them, resumable both ways, never plaintext on
disk, the hash checked before a file counts as stored."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from sqlalchemy import select

from fuanjian_desktop.demo.demo import DEMO_PASSWORD
from fuanjian_desktop.evidence.maintenance import store_of
from fuanjian_desktop.models import EvidenceFile, Inspection
from fuanjian_desktop.security.file_cipher import DamagedCipherFile
from fuanjian_desktop.services.auth import sign_in
from fuanjian_desktop.services.inspections import evidence
from fuanjian_desktop.sync_client import attachments
from fuanjian_desktop.sync_client.attachments import DOWNLOADS_FOLDER, download_missing
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.progress import ignore
from fuanjian_desktop.sync_client.pull import pull_all
from fuanjian_desktop.sync_client.round import run_round
from tests.photos import make_photo
from tests.sync_client.conftest import Laptop
from tests.sync_client.fake_hq import video_envelope

VIDEO_BYTES = 300_000


@pytest.fixture
def laptop(synced_laptop: Laptop) -> Laptop:
    """Everything so far is at HQ: these tests are about what comes next."""
    return synced_laptop


def attach_photo(laptop: Laptop, folder: Path) -> str:
    """张伟 attaches a photo to an open 园岭 inspection; its hash."""
    actor = sign_in(laptop.database, "zhangwei", DEMO_PASSWORD)
    with laptop.database.read() as session:
        inspection = session.scalars(
            select(Inspection.id).where(
                Inspection.squad_id == laptop.squads["园岭"], Inspection.status == "in_progress"
            )
        ).first()
    assert inspection is not None
    photo = make_photo(folder / "site.jpg")
    assert evidence.attach_photos(laptop.database, actor, inspection, "", [photo]).attached == 1
    return hashlib.sha256(photo.read_bytes()).hexdigest()


def video_from_elsewhere(laptop: Laptop) -> tuple[str, bytes]:
    """A video another laptop recorded: HQ holds the file and publishes its record."""
    data = os.urandom(VIDEO_BYTES)
    sha = hashlib.sha256(data).hexdigest()
    laptop.hq.attachments[sha] = data
    laptop.hq.publish(video_envelope(data))
    return sha, data


def test_a_file_goes_up_before_the_record_naming_it(laptop: Laptop, tmp_path: Path) -> None:
    """HQ has the whole file (hash checked) before the push that names it."""
    sha = attach_photo(laptop, tmp_path)
    run_round(laptop.database, transport=laptop.transport())
    hq = laptop.hq
    assert hashlib.sha256(hq.attachments[sha]).hexdigest() == sha
    completed = hq.log.index(("POST", f"/attachments/{sha}/complete"))
    named = next(
        index
        for index, (method, path) in enumerate(hq.log)
        if path == "/push" and index > completed
    )
    assert completed < named
    assert any(
        r["fields"]["sha256"] == sha for (t, _i), r in hq.records.items() if t == "evidence_file"
    )


def test_a_cut_upload_resumes_where_hq_stands(
    laptop: Laptop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After the link drops mid-file, the next round sends only the rest."""
    monkeypatch.setattr(attachments, "PIECE_BYTES", 100)
    sha = attach_photo(laptop, tmp_path)
    size = len(store_of(laptop.database).read_original(sha, ".jpg"))
    laptop.hq.cut_upload_after_pieces = 2
    with pytest.raises(SyncError):
        run_round(laptop.database, transport=laptop.transport())
    assert len(laptop.hq.uploads[sha]) == 300  # three pieces arrived before the cut
    laptop.hq.log.clear()
    run_round(laptop.database, transport=laptop.transport())
    puts = [path for method, path in laptop.hq.log if method == "PUT"]
    assert len(puts) == -(-(size - 300) // 100)  # only the rest went
    assert hashlib.sha256(laptop.hq.attachments[sha]).hexdigest() == sha


def test_a_cut_download_resumes_sealed(laptop: Laptop, monkeypatch: pytest.MonkeyPatch) -> None:
    """A video cut mid-way is kept in sealed pieces (no plaintext on disk) and finished with a
    Range request from where it stopped."""
    monkeypatch.setattr(attachments, "PIECE_BYTES", 65536)
    sha, data = video_from_elsewhere(laptop)
    pull_all(laptop.database, laptop.transport(), ignore)
    laptop.hq.cut_download_after = 131072
    with pytest.raises(SyncError) as cut:
        download_missing(laptop.transport(), laptop.database, lambda done, total: None)
    assert cut.value.code == "unreachable"
    pieces = list((laptop.database.folder / DOWNLOADS_FOLDER / sha).iterdir())
    assert sum(int(p.name.split("-")[1].removesuffix(".enc")) for p in pieces) == 131072
    for piece in pieces:
        assert data[:64] not in piece.read_bytes() and data[70000:70064] not in piece.read_bytes()
    got, unavailable = download_missing(laptop.transport(), laptop.database, lambda d, t: None)
    assert (got, unavailable) == (VIDEO_BYTES - 131072, [])
    assert b"".join(store_of(laptop.database).original_chunks(sha, ".mp4")) == data
    assert not (laptop.database.folder / DOWNLOADS_FOLDER / sha).exists()


def test_a_download_that_does_not_hash_is_not_stored(laptop: Laptop) -> None:
    """HQ sending other bytes than the record's hash: refused, nothing stored, pieces gone."""
    sha, data = video_from_elsewhere(laptop)
    laptop.hq.attachments[sha] = data[:-1] + b"x"
    pull_all(laptop.database, laptop.transport(), ignore)
    with pytest.raises(SyncError) as refused:
        download_missing(laptop.transport(), laptop.database, lambda done, total: None)
    assert refused.value.code == "hash_mismatch"
    assert not store_of(laptop.database).holds_original(sha, ".mp4")
    assert not (laptop.database.folder / DOWNLOADS_FOLDER / sha).exists()


def test_the_store_takes_a_stream_only_with_its_hash(laptop: Laptop) -> None:
    """add_stream seals while streaming and keeps nothing when the hash differs."""
    store = store_of(laptop.database)
    data = os.urandom(3 * 1024 * 1024 + 17)
    sha = hashlib.sha256(data).hexdigest()
    with pytest.raises(DamagedCipherFile):
        store.add_stream("0" * 64, ".bin", iter([data]))
    assert not store.holds_original("0" * 64, ".bin")
    store.add_stream(sha, ".bin", (data[i : i + 100_000] for i in range(0, len(data), 100_000)))
    assert data[:64] not in store.path_of(sha, ".bin").read_bytes()
    assert b"".join(store.original_chunks(sha, ".bin")) == data
    with laptop.database.read() as session:
        assert (
            session.scalars(select(EvidenceFile).where(EvidenceFile.sha256 == sha)).first() is None
        )


def test_a_file_hq_does_not_have_does_not_hold_up_the_others(laptop: Laptop) -> None:
    """404 for one file: passed over and reported; the next file still arrives."""
    lost, _data = video_from_elsewhere(laptop)
    del laptop.hq.attachments[lost]
    sha, data = video_from_elsewhere(laptop)
    pull_all(laptop.database, laptop.transport(), ignore)
    got, unavailable = download_missing(laptop.transport(), laptop.database, lambda d, t: None)
    assert (got, unavailable) == (len(data), [lost])
    assert store_of(laptop.database).holds_original(sha, ".mp4")
