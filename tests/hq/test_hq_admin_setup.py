"""``hq init``: HQ's keys, the bureau's org units and reference files, published to every laptop."""

# ruff: noqa: F811  (pytest fixtures imported from tests.hq.hq_admin_support)

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.hq import setup
from fuanjian_desktop.hq.database import HqDatabase, open_hq
from fuanjian_desktop.hq.models import HqKey, HqRecord, HqRevision
from fuanjian_desktop.models import ReferenceFile, Squad
from fuanjian_desktop.resources import resource_path
from fuanjian_desktop.sync_protocol.keys import (
    escrow_private,
    escrow_public,
    public_raw,
    signing_private,
    signing_public,
)
from tests.hq.hq_admin_support import (  # noqa: F401
    hq_any,
    hq_db,
    hq_sqlite_url,
)

# resources/org/squads.json, written out: the bureau and its ten street squads
UNITS = {
    "区局": ("深圳市福田区应急管理局", True),
    "园岭": ("园岭街道应急管理执法中队", False),
    "南园": ("南园街道应急管理执法中队", False),
    "福田": ("福田街道应急管理执法中队", False),
    "沙头": ("沙头街道应急管理执法中队", False),
    "香蜜湖": ("香蜜湖街道应急管理执法中队", False),
    "梅林": ("梅林街道应急管理执法中队", False),
    "莲花": ("莲花街道应急管理执法中队", False),
    "华富": ("华富街道应急管理执法中队", False),
    "福保": ("福保街道应急管理执法中队", False),
    "华强北": ("华强北街道应急管理执法中队", False),
}
PUBLISHED = (
    "calendar/holidays.json",
    "checklists/three_small.shop.json",
    "checklists/sections/electrical.json",
    "violations/aq.json",
    "violations/tiers.json",
    "penalties/other_penalties.json",
    "procedure/deadlines.json",
    "procedure/settings.json",
    "documents/wording.json",
    "documents/organisation.json",
    "documents/numbering.json",
    "documents/types.json",
    "documents/specs/penalty_notice.json",
    "registry/categories.json",
    "registry/divisions.json",
    "inspection/onsite_measures.json",
    "transcripts/questions.json",
    "org/squads.json",
)
NOT_PUBLISHED = (
    "screens/laptop-1366x768.json",
    "demo/name_parts.json",
    "sync/number_plan.json",
    "fonts/README.md",
    "styles/app.qss",
)


def test_org_units_published_to_every_device(hq_any: HqDatabase):
    """The bureau and its ten squads are mirror rows, each squad under the bureau, sent to all."""
    hq = hq_any
    with hq.read() as session:
        units = {s.short_name: s for s in session.scalars(select(Squad))}
        assert {name: (u.name, u.is_bureau) for name, u in units.items()} == UNITS
        bureau = units["区局"].id
        assert {u.parent_id for name, u in units.items() if name != "区局"} == {bureau}
        assert units["园岭"].street == "园岭街道"
        org = json.loads(resource_path("org", "squads.json").read_text(encoding="utf-8"))
        fixed = {unit["short_name"]: unit["id"] for unit in [org["bureau"], *org["squads"]]}
        assert {name: unit.id for name, unit in units.items()} == fixed  # as every laptop has
        revisions = session.scalars(select(HqRevision).where(HqRevision.table_name == "squad"))
        assert {(r.squad_id, r.device_id) for r in revisions} == {(None, "hq")}


def test_reference_files_published_with_their_content(hq_any: HqDatabase):
    """Every reference file of the laptops is published as it is on disk; others are not."""
    hq = hq_any
    with hq.read() as session:
        files = {row.path: row for row in session.scalars(select(ReferenceFile))}
        audience = set(
            session.scalars(
                select(HqRevision.squad_id).where(HqRevision.table_name == "reference_file")
            )
        )
    for path in PUBLISHED:
        content = resource_path(*path.split("/")).read_text(encoding="utf-8")
        assert files[path].content == content
        assert files[path].sha256 == hashlib.sha256(content.encode("utf-8")).hexdigest()
    assert not set(NOT_PUBLISHED) & set(files)
    assert audience == {None}


def test_keys_are_usable_pairs(hq_any: HqDatabase):
    """HQ's signing (Ed25519) and escrow (X25519) keys: each public key belongs to its private."""
    hq = hq_any
    with hq.read() as session:
        signing, escrow = session.get(HqKey, "signing"), session.get(HqKey, "escrow")
    assert signing is not None and escrow is not None
    signature = signing_private(signing.private_b64).sign(b"package")
    signing_public(signing.public_b64).verify(signature, b"package")
    own = public_raw(escrow_private(escrow.private_b64).public_key())
    assert own == public_raw(escrow_public(escrow.public_b64))


def test_second_init_changes_nothing(hq_db: str):
    """Running init again keeps the keys, adds no unit and publishes no revision."""
    before = _state(hq_db)
    report = setup.initialise_hq(hq_db)
    assert (report.keys_made, report.units_added, report.files_published) == ((), 0, 0)
    assert report.files_unchanged == len(list(setup.reference_files()))
    assert _state(hq_db) == before


def test_changed_reference_file_is_published_again(
    hq_sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    """The bureau edits the holiday calendar: init publishes that one file as version 2."""
    copy = tmp_path / "resources"
    for folder in setup.REFERENCE_FOLDERS:
        shutil.copytree(resource_path(folder), copy / folder)
    holidays = copy / "calendar" / "holidays.json"
    holidays.write_text(holidays.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    monkeypatch.setattr(setup, "resources_root", lambda: copy)
    report = setup.initialise_hq(hq_sqlite_url)
    assert report.files_published == 1
    db = open_hq(hq_sqlite_url)
    try:
        with db.read() as session:
            record = session.get(HqRecord, ("reference_file", "calendar/holidays.json"))
            row = session.get(ReferenceFile, "calendar/holidays.json")
    finally:
        db.close()
    assert record is not None and record.version == 2
    assert row is not None and row.content.endswith("}\n\n")


def _state(url: str) -> tuple[int | None, list[tuple[str, str]]]:
    db = open_hq(url)
    try:
        with db.read() as session:
            top = session.scalar(select(func.max(HqRevision.seq)))
            keys = [(k.name, k.public_b64) for k in session.scalars(select(HqKey))]
    finally:
        db.close()
    return top, sorted(keys)
