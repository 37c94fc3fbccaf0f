"""The evidence store of an open database: sealed with the key derived for evidence, a legacy
plaintext folder sealed in place, and the start-up sweep keeping exactly the referenced files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.evidence.maintenance import (
    encrypt_legacy_evidence,
    referenced_hashes,
    store_of,
    sweep_evidence,
)
from fuanjian_desktop.evidence.store import EvidenceStore
from fuanjian_desktop.security.file_cipher import DamagedCipherFile
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import evidence
from tests.photos import make_photo, make_png


def test_the_store_is_sealed_with_the_key_derived_for_evidence(
    database: Database, tmp_path: Path
) -> None:
    assert database.key is not None
    photo = make_photo(tmp_path / "a.jpg")
    facts = store_of(database).add_photo(photo).facts
    root = database.folder / "evidence"
    derived = EvidenceStore(root, database.key.derive("evidence"))
    assert derived.read_original(facts.sha256, ".jpg") == photo.read_bytes()
    with pytest.raises(DamagedCipherFile):  # not the database's own key
        EvidenceStore(root, database.key.raw).read_original(facts.sha256, ".jpg")


def test_a_legacy_plaintext_folder_is_sealed_with_the_databases_key(
    database: Database, tmp_path: Path
) -> None:
    legacy = EvidenceStore(database.folder / "evidence", None)
    photos = [make_photo(tmp_path / "a.jpg"), make_png(tmp_path / "b.png")]
    facts = [legacy.add_photo(photo).facts for photo in photos]
    sealing = encrypt_legacy_evidence(database)
    assert (sealing.files, sealing.mismatched) == (4, ())
    store = store_of(database)
    for photo, fact in zip(photos, facts, strict=True):
        assert store.read_original(fact.sha256, fact.extension) == photo.read_bytes()
        assert not legacy.path_of(fact.sha256, fact.extension).exists()


def test_the_start_up_sweep_keeps_exactly_the_referenced_files(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str], tmp_path: Path
) -> None:
    inspection_id = start_inspection()
    kept = make_photo(tmp_path / "kept.jpg", (1, 2, 3))
    evidence.attach_photos(demo_database, inspector, inspection_id, "", [kept])
    store = store_of(demo_database)
    orphan = store.add_photo(make_photo(tmp_path / "orphan.jpg", (9, 8, 7))).facts  # killed import
    (store.root / "thumbs" / ".x.jpg.enc.0badf00d.part").write_bytes(b"interrupted")
    assert sweep_evidence(demo_database) == 3
    assert store.stored() == referenced_hashes(demo_database)
    assert orphan.sha256 not in store.stored()
    assert sweep_evidence(demo_database) == 0
