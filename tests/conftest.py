"""Shared fixtures: a fresh migrated database per test, and a demo database copied per test.

Every database is encrypted, as the app's are. The demo database is built once per session
(argon2 makes it cost a few seconds) and copied, closed, with its ``keys.json`` for every test
that wants it, so tests never share state; copies open with the template's key (no argon2).
"""

from __future__ import annotations

import gc
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# the inspectors' laptop screen: 1366×768 (the offscreen platform's own default is 800×600)
os.environ.setdefault(
    "QT_QPA_PLATFORM",
    f"offscreen:configfile={Path(__file__).parents[1] / 'resources/screens/laptop-1366x768.json'}",
)
os.environ.pop("QT_QPA_PLATFORMTHEME", None)

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.demo.synthetic import synthetic_checklist
from fuanjian_desktop.domain.inspection_rules import InspectionSource, SitePerson
from fuanjian_desktop.evidence.maintenance import EVIDENCE_FOLDER
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.keyring import KEYRING_FILE
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import inspections
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.setup import create_encrypted_database

# Property tests run the same generated cases every time (deterministic CI), with no example
# database left behind and no per-example deadline on a loaded 2-core machine.
settings.register_profile(
    "deterministic",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("deterministic")


UI_TESTS = Path(__file__).with_name("ui")


@pytest.fixture(autouse=True)
def cycle_collection(request: pytest.FixtureRequest) -> None:
    """A UI test collects cycles on the GUI thread's timer, as the app does (ui/garbage.py);
    any other test, run in the same process after one, has Python's own collector back."""
    if UI_TESTS in Path(request.node.path).parents:
        gc.disable()
    else:
        gc.enable()


@pytest.fixture
def data_folder(tmp_path: Path) -> DataFolder:
    """An empty data folder of its own for this test."""
    folder = DataFolder(tmp_path / "data")
    folder.root.mkdir()
    return folder


@pytest.fixture
def database(data_folder: DataFolder) -> Iterator[Database]:
    """A freshly migrated, empty, encrypted database (a fresh random key and its keys.json)."""
    db = create_encrypted_database(data_folder)
    yield db
    db.close()


@dataclass(frozen=True)
class DemoTemplate:
    """The session's demo data folder (closed) and its data key."""

    folder: DataFolder
    key: DataKey

    @property
    def database(self) -> Path:
        """The template's (encrypted) database file."""
        return self.folder.database

    def copy_files(self, target: DataFolder) -> None:
        """Copy the database, keys.json and the evidence files (photos, scans, the archived
        volume) into ``target`` (created if missing), unopened."""
        target.root.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.folder.database, target.database)
        shutil.copyfile(self.folder.root / KEYRING_FILE, target.root / KEYRING_FILE)
        evidence = self.folder.root / EVIDENCE_FOLDER
        if evidence.is_dir():
            shutil.copytree(evidence, target.root / EVIDENCE_FOLDER, dirs_exist_ok=True)

    def copy_to(self, target: DataFolder) -> Database:
        """A private copy of the demo in ``target``, opened the way the app opens it."""
        self.copy_files(target)
        return open_database(target, self.key)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> DemoTemplate:
    """A demo data folder built once for the whole run (tests get copies, never these files).

    Closed after building, so its WAL is checkpointed into the file and a plain copy is whole.
    """
    folder = DataFolder(tmp_path_factory.mktemp("demo-template"))
    db = create_encrypted_database(folder)
    demo.create_demo(db)
    key = db.key
    db.close()
    assert key is not None
    return DemoTemplate(folder, key)


@pytest.fixture
def demo_database(demo_template: DemoTemplate, data_folder: DataFolder) -> Iterator[Database]:
    """A private copy of the demo database, opened the way the app opens it."""
    db = demo_template.copy_to(data_folder)
    yield db
    db.close()


@pytest.fixture
def sign_in(demo_database: Database) -> Callable[[str], Actor]:
    """Signs in a demo account by username (all share the demo password)."""
    return lambda username: auth.sign_in(demo_database, username, demo.DEMO_PASSWORD)


@pytest.fixture
def inspector(sign_in: Callable[[str], Actor]) -> Actor:
    """The demo inspector 张伟 of the 园岭 squad, signed in."""
    return sign_in("zhangwei")


def team_ids(database: Database, actor: Actor, names: set[str]) -> tuple[str, ...]:
    """User ids of the named inspectors of ``actor``'s squad, in name order."""
    return tuple(
        person.user_id
        for person in inspections.available_inspectors(database, actor, actor.squad_id)
        if person.full_name in names
    )


SMALL_TEMPLATE = "syn.small"
SMALL_TEMPLATE_ITEMS = 12  # every third depends on the fact "uses_gas"


def write_small_template(folder: Path) -> Path:
    """Make ``folder`` a template folder holding ``syn.small``; return it."""
    folder.mkdir(exist_ok=True)
    document = synthetic_checklist(SMALL_TEMPLATE, SMALL_TEMPLATE_ITEMS, ("uses_gas",))
    (folder / f"{SMALL_TEMPLATE}.json").write_text(
        json.dumps(document, ensure_ascii=False), encoding="utf-8"
    )
    return folder


@pytest.fixture
def checklist_folder(tmp_path: Path) -> Path:
    """A template folder holding ``syn.small``: 12 items, four of them only when uses_gas."""
    return write_small_template(tmp_path / "checklists")


@pytest.fixture
def start_inspection(
    demo_database: Database, inspector: Actor, checklist_folder: Path
) -> Callable[..., str]:
    """Starts a ``syn.small`` inspection by 张伟 and 李娜 at a demo venue; returns its id."""

    def start(uses_gas: bool = True, enterprise_id: str | None = None) -> str:
        chosen = team_ids(demo_database, inspector, {"张伟", "李娜"})
        venue = enterprise_id or registry.search_enterprise_ids(demo_database, "")[0]
        request = inspections.InspectionStart(
            enterprise_id=venue,
            source=InspectionSource.ROUTINE,
            template_id=SMALL_TEMPLATE,
            inspector_ids=tuple(chosen),
            site_person=SitePerson("李老板", "店主", "13800138000"),
            facts={"uses_gas": uses_gas},
        )
        return inspections.start_inspection(demo_database, inspector, request, checklist_folder)

    return start
