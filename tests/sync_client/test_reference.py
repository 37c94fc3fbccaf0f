"""Reference files from HQ replace the packaged ones from the next start, file and folder
readers alike; a file that does not match its hash, or a path leaving resources/, is ignored."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest

from fuanjian_desktop import resources
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import ReferenceFile
from fuanjian_desktop.resources import load_json_resource, resource_path, resources_root
from fuanjian_desktop.sync_client.reference import use_pulled_reference

HOLIDAYS = "calendar/holidays.json"


@pytest.fixture(autouse=True)
def packaged_afterwards() -> Iterator[None]:
    """Every other test reads the packaged resources."""
    yield
    resources._OVERLAY.root = None


def pulled(database: Database, path: str, content: str, sha256: str | None = None) -> None:
    digest = sha256 or hashlib.sha256(content.encode("utf-8")).hexdigest()
    with database.write() as session:
        session.add(ReferenceFile(path=path, sha256=digest, content=content, revision=7))


def test_a_pulled_file_is_read_instead_of_the_packaged_one(database: Database) -> None:
    """HQ's calendar is what load_json_resource returns; the folder's other files remain."""
    packaged = load_json_resource("calendar", "holidays.json")
    changed = {**packaged, "source": "区局 2026-12 更新"}
    pulled(database, HOLIDAYS, json.dumps(changed, ensure_ascii=False))
    assert use_pulled_reference(database) == 1
    assert load_json_resource("calendar", "holidays.json") == changed
    packaged_names = {p.name for p in (resources_root() / "calendar").iterdir()}
    assert {p.name for p in resource_path("calendar").iterdir()} == packaged_names
    assert resource_path("fonts") == resources_root() / "fonts"  # untouched folders as shipped


def test_a_file_not_matching_its_hash_is_not_used(database: Database) -> None:
    packaged = load_json_resource("calendar", "holidays.json")
    pulled(database, HOLIDAYS, "{}", sha256="0" * 64)
    assert use_pulled_reference(database) == 0
    assert load_json_resource("calendar", "holidays.json") == packaged


def test_a_path_leaving_resources_is_ignored(database: Database) -> None:
    pulled(database, "../../evil.json", "{}")
    pulled(database, "/etc/evil.json", "{}")
    assert use_pulled_reference(database) == 0
    assert not (database.folder.parent / "evil.json").exists()
