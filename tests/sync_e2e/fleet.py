"""Field laptops in the test process, writing at random through the services between rounds.

Hundreds of rounds cannot each start a process, so these laptops keep their database open and
call ``run_round`` directly; everything else is as in the field. A laptop starts empty, joins
HQ with a one-time code, takes HQ's org units and reference data in a first round and then goes
live (正式启用) for its squad with its own administrator and inspector, so its squad ids are HQ's.

Every write is a service call (audited, in the outbox) with a value no other write uses, and is
logged, so that at the end the test can look for each one at HQ and on the squad's laptops.
"""

from __future__ import annotations

import random
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from sqlalchemy import select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.synthetic import EnterpriseFactory
from fuanjian_desktop.domain.inspection_rules import InspectionSource, SitePerson
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.models import Enterprise, Inspection
from fuanjian_desktop.security import keyring
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import evidence, inspections
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.setup import create_encrypted_database, go_live
from fuanjian_desktop.services.users import NewUser, create_user
from fuanjian_desktop.sync_client.enroll import enroll
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.round import RoundResult, run_round
from tests.crash.actors import actor_named
from tests.photos import make_photo
from tests.support.server import HqServer, quick_code

PASSWORD = "Field-laptop-1"
TEMPLATE = "three_small.shop"  # a checklist the catalogue ships
STREETS = {"园岭": "园岭街道", "南园": "南园街道"}
# how often each write is chosen: edits (which may meet the sibling laptop's) dominate
WEIGHTS = {"register": 3.0, "notes": 4.0, "phone": 3.0, "user": 0.5, "inspect": 0.5}


@dataclass(frozen=True)
class Write:
    """One acknowledged write: which laptop, which record and field, the value it wrote."""

    laptop: str
    table: str
    record_id: str
    field: str
    value: str


@dataclass
class FieldLaptop:
    """One laptop of the fleet: its open database, its people and what it has written."""

    name: str
    squad: str
    database: Database
    rng: random.Random
    camera: Path  # where its photos are taken, outside the data folder
    writes: list[Write] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    rounds: int = 0
    counter: int = 0

    def __post_init__(self) -> None:
        self.venues = EnterpriseFactory(self.rng.getrandbits(32), (STREETS[self.squad],))

    @property
    def inspector(self) -> Actor:
        """The laptop's own inspector (registry writes)."""
        return actor_named(self.database, f"insp_{self.name}")

    @property
    def admin(self) -> Actor:
        """The laptop's own administrator (accounts)."""
        return actor_named(self.database, f"admin_{self.name}")

    def token(self) -> str:
        """A value no other write of the run uses."""
        self.counter += 1
        return f"{self.name}-{self.counter}"

    def round(self) -> RoundResult:
        """One round that must succeed (a calm network)."""
        self.rounds += 1
        return run_round(self.database)

    def try_round(self) -> None:
        """One round that may fail (a faulty network): its error code is counted."""
        try:
            self.round()
        except SyncError as error:
            self.failures[error.code] += 1

    def write_some(self, most: int) -> None:
        """Up to ``most`` random writes."""
        for _ in range(self.rng.randint(0, most)):
            kinds = list(WEIGHTS)
            kind = self.rng.choices(kinds, [WEIGHTS[k] for k in kinds])[0]
            WRITERS[kind](self)

    def own_enterprises(self) -> list[str]:
        """Enterprises of this laptop's squad it holds (its own and its sibling's), by id."""
        squad_id = self.inspector.squad_id
        with self.database.read() as session:
            query = select(Enterprise.id).where(Enterprise.squad_id == squad_id)
            return sorted(session.scalars(query.order_by(Enterprise.id)))


def register(laptop: FieldLaptop) -> None:
    """企业台账: register a new venue of the squad's street."""
    draft = replace(laptop.venues.draft(), notes=laptop.token())
    record_id = registry.create_enterprise(laptop.database, laptop.inspector, draft)
    laptop.writes.append(Write(laptop.name, "enterprise", record_id, "name", draft.name))


def edit(laptop: FieldLaptop, field_name: str, value: str) -> None:
    """企业台账: change one field of one of the squad's venues (maybe one the sibling edits)."""
    choices = laptop.own_enterprises()
    if not choices:
        return
    record_id = laptop.rng.choice(choices)
    draft = registry.load_draft(laptop.database, record_id)
    draft = replace(draft, **{field_name: value})  # type: ignore[arg-type]
    registry.update_enterprise(laptop.database, laptop.inspector, record_id, draft)
    laptop.writes.append(Write(laptop.name, "enterprise", record_id, field_name, value))


def edit_notes(laptop: FieldLaptop) -> None:
    """A new note on a venue."""
    edit(laptop, "notes", f"备注{laptop.token()}")


def edit_phone(laptop: FieldLaptop) -> None:
    """A new contact phone for a venue (a mobile number: the registry checks it)."""
    edit(laptop, "contact_phone", f"139{laptop.rng.randrange(10**8):08d}")


def add_account(laptop: FieldLaptop) -> None:
    """用户管理: a new inspector account of the squad."""
    token = laptop.token().replace("-", "_")
    admin = laptop.admin
    squad_id = admin.squad_id or ""
    person = NewUser(
        f"u_{token}", f"检查员{token}", squad_id, (Role.INSPECTOR,), PASSWORD, cert_no(token)
    )
    record_id = create_user(laptop.database, admin, person)
    laptop.writes.append(Write(laptop.name, "app_user", record_id, "username", person.username))


def inspect_with_photo(laptop: FieldLaptop, photo: Path) -> str:
    """现场检查: start an inspection of one of the squad's venues by the laptop's inspector and
    a second one (two are required), with ``photo`` as evidence; return the inspection's id."""
    add_account(laptop)
    partner = laptop.writes[-1].record_id
    venue = laptop.own_enterprises()[0]
    request = inspections.InspectionStart(
        enterprise_id=venue,
        source=InspectionSource.ROUTINE,
        template_id=TEMPLATE,
        inspector_ids=(laptop.inspector.user_id or "", partner),
        site_person=SitePerson("李老板", "店主", "13800138000"),
        facts={"uses_gas": True, "has_lodging": True},
    )
    inspection_id = inspections.start_inspection(laptop.database, laptop.inspector, request)
    report = evidence.attach_photos(laptop.database, laptop.inspector, inspection_id, "", [photo])
    assert report.attached == 1, report.summary
    return inspection_id


def cert_no(token: str) -> str:
    """A 执法证号 of its own for the account made with ``token``."""
    return f"4403{zlib.crc32(token.encode()) % 10**7:07d}"


def inspect(laptop: FieldLaptop) -> None:
    """现场检查 with a new photo as evidence (its file travels by SHA-256)."""
    laptop.camera.mkdir(exist_ok=True)
    colour = (laptop.rng.randrange(256), laptop.rng.randrange(256), laptop.rng.randrange(256))
    photo = make_photo(laptop.camera / f"{laptop.token()}.jpg", colour)
    inspection_id = inspect_with_photo(laptop, photo)
    with laptop.database.read() as session:
        inspection = session.get(Inspection, inspection_id)
        assert inspection is not None
        venue = inspection.enterprise_id
    laptop.writes.append(Write(laptop.name, "inspection", inspection_id, "enterprise_id", venue))


WRITERS = {
    "register": register,
    "notes": edit_notes,
    "phone": edit_phone,
    "user": add_account,
    "inspect": inspect,
}


def new_laptop(
    root: Path, name: str, squad: str, hq: HqServer, seed: int, via: str | None = None
) -> FieldLaptop:
    """An empty laptop joined to ``hq`` (through the proxy at ``via`` if given), live for
    ``squad`` with ``admin_<name>`` and ``insp_<name>``; HQ's org units come first, so the
    squad's id is HQ's."""
    database = create_encrypted_database(DataFolder(root))
    enroll(database, via or hq.url, quick_code(hq.db_url, squad))
    run_round(database)
    admin = NewUser(f"admin_{name}", f"管理员{name}", "", (Role.ADMIN,), PASSWORD)
    go_live(database, squad, admin)
    rng = random.Random(f"{seed}:{name}")
    laptop = FieldLaptop(name, squad, database, rng, root.parent / f"{name}-camera")
    squad_id = laptop.admin.squad_id or ""
    inspector = NewUser(
        f"insp_{name}", f"检查员{name}", squad_id, (Role.INSPECTOR,), PASSWORD, cert_no(name)
    )
    create_user(database, laptop.admin, inspector)
    return laptop


@pytest.fixture
def cheap_accounts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fleet's accounts are not under test: a cheap password derivation for their keys
    (also for ``main.py`` run on a fleet laptop: the parameters are stored with each key)."""
    monkeypatch.setattr(keyring, "ARGON2_TIME_COST", 1)
    monkeypatch.setattr(keyring, "ARGON2_MEMORY_KIB", 1024)
