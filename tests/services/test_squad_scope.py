"""Squad scope (中队隔离): every public service refuses a user of another squad.

Every public function of ``fuanjian_desktop.services`` that takes an actor or a database is found
by walking the package. ``CALLS`` maps each to what a user of the 南园 squad would do with it to a
record of the demo's 园岭 squad, and what must come of it: a refusal (``PermissionDenied``), a
list without 园岭's records, or a change that lands in 南园 only. In every case nothing of 园岭
changes: not a row of the database, not ``keys.json``, not a file of the evidence store.
``UNSCOPED`` lists the functions that legitimately carry no squad check, each with the reason.
A service missing from both fails :func:`test_every_public_service_is_in_the_table`.

``ISSUE_CALLS`` are the cross-squad calls of issue 15's probe ("13 of 13 calls by 南园 users on
园岭 records were allowed"): the seven it names, and six more of the same kind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import select, update
from sqlalchemy.orm import Session

import fuanjian_desktop.services as services_package
from fuanjian_desktop.checklists.model import HazardLevel
from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.inspection_rules import Answer, InspectionSource, SitePerson
from fuanjian_desktop.domain.procedure import Procedure, find_action
from fuanjian_desktop.domain.registry_rules import FIELD_LABELS
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.errors import PermissionDenied
from fuanjian_desktop.models import (
    Case,
    CaseDocument,
    CasePhoto,
    DocumentScan,
    Enterprise,
    Hazard,
    Inspection,
    InspectionPhoto,
    Squad,
    SyncConflict,
    User,
)
from fuanjian_desktop.services import (
    audit_log,
    auth,
    idle_lock,
    numbering,
    procedure_settings,
    sync_conflicts,
    users,
)
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases import case_actions, case_money_values, case_queries, cases
from fuanjian_desktop.services.documents import document_settings, documents
from fuanjian_desktop.services.dossiers import (
    archiving,
    case_photos,
    dossier_records,
    dossier_settings,
    media,
    reopening,
    scans,
    volume,
)
from fuanjian_desktop.services.inspections import evidence, hazards, inspections
from fuanjian_desktop.services.registry import registry, registry_import
from fuanjian_desktop.services.registry.registry_template import TEMPLATE_FIELDS
from fuanjian_desktop.services.squad_scope import read_as
from fuanjian_desktop.services.transcripts import transcripts
from fuanjian_desktop.services.unit_of_work import user_action
from tests.conftest import DemoTemplate
from tests.photos import make_photo

HOME, OTHER = "园岭", "南园"
TODAY = dt.date.today()
NOW = dt.datetime.now().astimezone()
REFUSAL = "不属于您所在中队"


class Outcome(Enum):
    """What a cross-squad call must come to (nothing of the other squad changes in any case)."""

    REFUSED = "raises PermissionDenied"
    FILTERED = "answers without the other squad's records"
    OWN_SQUAD = "changes only the caller's own squad"


@dataclass
class World:
    """A private copy of the demo (shared by this module's tests) and the 园岭 records used."""

    database: Database
    root: Path
    people: dict[str, Actor]
    squads: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)
    home_ids: set[str] = field(default_factory=set)  # every 园岭 record's id
    home_names: set[str] = field(default_factory=set)  # names of 园岭 users

    def of(self, username: str) -> Actor:
        """The demo account as stored (the services re-read it anyway)."""
        return self.people[username]


@dataclass(frozen=True)
class Call:
    """One cross-squad call: who makes it, the call, the outcome due and, for a list, what a
    result must not contain."""

    who: str
    run: Callable[[World, Actor], Any]
    outcome: Outcome = Outcome.REFUSED
    leaks: Callable[[World, Any], bool] = lambda _world, _result: False


# --- the world ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(demo_template: DemoTemplate, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The demo, plus a draft transcript and a photo of 园岭 made by 园岭's own inspector."""
    folder = DataFolder(tmp_path_factory.mktemp("squad-scope") / "data")
    database = demo_template.copy_to(folder)
    with database.read() as session:
        people = {user.username: Actor.of(user) for user in session.scalars(select(User))}
        squads = {squad.short_name: squad.id for squad in session.scalars(select(Squad))}
    built = World(database, folder.root, people, squads)
    _find_home_records(built)
    _make_home_drafts(built, tmp_path_factory.mktemp("photos"))
    _make_home_conflict(built)
    _collect_home_ids(built)
    yield built
    database.close()


def _first(session: Session, query: Any) -> str:
    found = session.scalars(query.limit(1)).first()
    assert found is not None, f"the demo lacks {query}"
    return str(found)


def _find_home_records(world: World) -> None:
    home = world.squads[HOME]
    with world.database.read() as session:

        def case_in(stage: str) -> str:
            return _first(
                session, select(Case.id).where(Case.squad_id == home, Case.stage == stage)
            )

        def document(type_key: str, status: str) -> str:
            query = select(CaseDocument.id).join(Case, Case.id == CaseDocument.case_id)
            return _first(
                session,
                query.where(
                    Case.squad_id == home,
                    CaseDocument.type_key == type_key,
                    CaseDocument.status == status,
                ),
            )

        world.ids.update(
            enterprise=_first(
                session,
                select(Enterprise.id).where(
                    Enterprise.squad_id == home, Enterprise.uscc.is_not(None)
                ),
            ),
            inspection_open=_first(
                session,
                select(Inspection.id).where(
                    Inspection.squad_id == home,
                    Inspection.status == "in_progress",
                    Inspection.template_id.is_not(None),
                ),
            ),
            hazard=_first(
                session,
                select(Hazard.id).where(Hazard.squad_id == home, Hazard.status == "pending"),
            ),
            filing=case_in("filing_approval"),
            decision=case_in("decision_approval"),
            review=case_in("legal_review"),
            investigation=case_in("investigation"),
            report=document("investigation_report", "issued"),
            decision_document=document("penalty_decision", "issued"),
            closed=case_in("closed"),
            archived=case_in("archived"),
            scan=_first(
                session,
                select(DocumentScan.id)
                .join(CaseDocument, CaseDocument.id == DocumentScan.document_id)
                .join(Case, Case.id == CaseDocument.case_id)
                .where(Case.squad_id == home, Case.stage == "closed"),
            ),
            case_photo=_first(
                session,
                select(CasePhoto.id)
                .join(Case, Case.id == CasePhoto.case_id)
                .where(Case.squad_id == home, Case.stage == "closed"),
            ),
        )
        waiting = _first(
            session,
            select(Hazard.inspection_id).where(
                Hazard.squad_id == home, Hazard.status.in_(("pending", "not_rectified"))
            ),
        )
        world.ids["inspection_with_hazards"] = waiting


def _make_home_drafts(world: World, photos: Path) -> None:
    """A draft transcript and a photo: the demo issues every document and has no photo."""
    zhang = world.of("zhangwei")
    world.ids["transcript"] = transcripts.create_transcript(
        world.database,
        zhang,
        world.ids["investigation"],
        relation="从业人员",
        interviewee=transcripts.Interviewee(name="王五", unit="某店"),
        now=NOW,
    )
    transcripts.autosave(
        world.database, zhang, world.ids["transcript"], {"qa": [{"id": "p1", "q": "问", "a": "答"}]}
    )
    report = evidence.attach_photos(
        world.database, zhang, world.ids["inspection_open"], "", [make_photo(photos / "a.jpg")]
    )
    assert report.attached == 1
    with world.database.read() as session:
        world.ids["photo"] = _first(
            session,
            select(InspectionPhoto.id).where(
                InspectionPhoto.inspection_id == world.ids["inspection_open"]
            ),
        )
    world.ids["item"] = next(
        item.id
        for item in inspections.open_inspection(
            world.database, zhang, world.ids["inspection_open"]
        ).items
    )


def _make_home_conflict(world: World) -> None:
    """A sync conflict on a 园岭 enterprise, as HQ sends it (the demo has none)."""
    with world.database.write() as session:
        conflict = SyncConflict(
            squad_id=world.squads[HOME],
            entity_type="enterprise",
            entity_id=world.ids["enterprise"],
            kind="field",
            field="notes",
            hq_value="区局的备注",
            device_value="本机的备注",
            device_id="D" * 26,
            version=1,
        )
        session.add(conflict)
        session.flush()
        world.ids["conflict"] = conflict.id


def _collect_home_ids(world: World) -> None:
    home = world.squads[HOME]
    with world.database.read() as session:
        for model in (Enterprise, Inspection, Hazard, Case, User):
            world.home_ids |= set(session.scalars(select(model.id).where(model.squad_id == home)))
        world.home_names = set(session.scalars(select(User.full_name).where(User.squad_id == home)))


def item_of(world: World) -> Any:
    """The first item of the open 园岭 inspection, as the checklist holds it."""
    view = inspections.open_inspection(
        world.database, world.of("zhangwei"), world.ids["inspection_open"]
    )
    return next(item for item in view.items if item.id == world.ids["item"])


def case_of(world: World, key: str) -> Case:
    with world.database.read() as session:
        case = session.get(Case, world.ids[key])
        assert case is not None
        return case


def home_team(world: World) -> tuple[str, ...]:
    return tuple(world.of(name).user_id or "" for name in ("zhangwei", "lina"))


def other_team(world: World) -> tuple[str, ...]:
    return tuple(world.of(name).user_id or "" for name in ("huangmin", "zhoujie"))


def recheck_of(world: World, team: tuple[str, ...]) -> hazards.RecheckRecord:
    return hazards.RecheckRecord(
        inspection_id=world.ids["inspection_with_hazards"],
        inspector_ids=team,
        site_person=SitePerson("李老板"),
        started_at=NOW - dt.timedelta(hours=1),
        ended_at=NOW - dt.timedelta(minutes=30),
        results={world.ids["hazard"]: Answer.COMPLIANT},
        notes={},
        opinion="已整改",
    )


def inspection_start(world: World, team: tuple[str, ...]) -> inspections.InspectionStart:
    return inspections.InspectionStart(
        enterprise_id=world.ids["enterprise"],
        source=InspectionSource.RECHECK,
        template_id=None,
        inspector_ids=team,
        site_person=SitePerson("李老板"),
        started_at=NOW - dt.timedelta(minutes=10),
    )


def new_case(world: World, handlers: tuple[str, ...]) -> cases.NewCase:
    return cases.NewCase(
        procedure=Procedure.GENERAL,
        source="complaint",
        party=cases.Party("enterprise", world.ids["enterprise"]),
        cause="未按规定履行安全生产义务",
        handler_ids=handlers,
    )


def new_user(world: World, squad: str, roles: tuple[Role, ...] = (Role.CLERK,)) -> users.NewUser:
    return users.NewUser(
        username="intruder",
        full_name="冒名者",
        squad_id=world.squads[squad],
        roles=roles,
        password="Intrude-2026!",
    )


def registered_twin(world: World, folder: Path) -> Path:
    """An import file whose one row is a 园岭 enterprise (same 统一社会信用代码)."""
    with world.database.read() as session:
        venue = session.get(Enterprise, world.ids["enterprise"])
        assert venue is not None
        values = {
            "name": venue.name,
            "uscc": venue.uscc,
            "address": venue.address,
            "street": venue.street,
            "categories": "三小场所·小档口",
        }
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([FIELD_LABELS[name] for name in TEMPLATE_FIELDS])
    sheet.append([values.get(name) for name in TEMPLATE_FIELDS])
    path = folder / "twin.xlsx"
    workbook.save(path)
    return path


def in_scope(world: World, username: str, run: Callable[[Any], Any]) -> Any:
    """``run(scope)`` inside an action opened by ``username`` (for the in-action services)."""
    with user_action(world.database, world.of(username), "测试") as scope:
        return run(scope)


def new_venue(name: str) -> Any:
    from fuanjian_desktop.domain.registry_rules import EnterpriseDraft

    return EnterpriseDraft(
        name=name,
        address="深圳市福田区南园街道南园路1号",
        street="南园街道",
        categories=("three_small.shop",),
        operator_name="王五",
        operator_id_no="11010519491231002X",
    )


def recording(folder: Path) -> Path:
    """A small MP4-headed file to import as a 执法记录仪 recording."""
    path = folder / "record.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(4096))
    return path


def media_input(world: World) -> media.MediaInput:
    return media.MediaInput(
        title="送达现场视频",
        kind="video",
        device="DSJ-0815",
        officer_id=world.of("huangmin").user_id,
        started_at=NOW - dt.timedelta(hours=1),
        ended_at=NOW - dt.timedelta(minutes=50),
        step="serve_decision",
    )


def dossier_case_of(world: World, actor: Actor, case_id: str) -> Case:
    """The session-level lookup of the dossier services, as they call it."""
    with read_as(world.database, actor) as (session, reader):
        return volume.dossier_case(session, reader, case_id)


def entered(manager: Any) -> None:
    """Open and close a context manager (an action a service opens for its callers)."""
    with manager:
        pass


def _ids(rows: Any) -> set[str]:
    return {getattr(row, "id", row) for row in rows}


# --- the table ------------------------------------------------------------------------------

CALLS: dict[str, Call] = {
    # audit
    "audit_log.recent_events": Call(
        "hejun",
        lambda w, a: audit_log.recent_events(w.database, a),
        Outcome.FILTERED,
        lambda w, rows: any(row.actor_name in w.home_names for row in rows),
    ),
    # cases
    "cases.case_actions.check_performer": Call(
        "huangmin",
        lambda w, a: case_actions.check_performer(
            a, case_of(w, "investigation"), find_action("end_investigation")
        ),
    ),
    "cases.case_actions.performer_refusal": Call(
        "huangmin",
        lambda w, a: case_actions.performer_refusal(
            a, case_of(w, "investigation"), find_action("end_investigation")
        ),
        Outcome.FILTERED,
        lambda _w, why: REFUSAL not in (why or ""),
    ),
    "cases.case_actions.draft_for_step": Call(
        "huangmin",
        lambda w, a: case_actions.draft_for_step(
            w.database, a, w.ids["investigation"], "investigation_report"
        ),
    ),
    "cases.case_actions.perform": Call(
        "sunhao",
        lambda w, a: case_actions.perform(
            w.database, a, w.ids["filing"], "approve_filing", case_actions.StepInput()
        ),
    ),
    "cases.case_money_values.surcharge_preview": Call(
        "sunhao",
        lambda w, a: case_money_values.surcharge_preview(w.database, a, w.ids["decision"], TODAY),
    ),
    "cases.case_queries.approval_ids": Call(
        "sunhao",
        lambda w, a: case_queries.approval_ids(w.database, a, TODAY),
        Outcome.FILTERED,
        lambda w, ids: bool(set(ids) & w.home_ids),
    ),
    "cases.case_queries.case_rows": Call(
        "huangmin",
        lambda w, a: case_queries.case_rows(
            w.database, a, [w.ids[k] for k in ("filing", "decision", "review")], TODAY
        ),
        Outcome.FILTERED,
        lambda w, rows: bool(_ids(rows) & w.home_ids),
    ),
    "cases.case_queries.case_view": Call(
        "huangmin",
        lambda w, a: case_queries.case_view(w.database, a, w.ids["filing"], TODAY),
    ),
    "cases.case_queries.filter_counts": Call(
        "huangmin",
        lambda w, a: case_queries.filter_counts(
            w.database, a, case_queries.CaseFilter(w.squads[HOME]), TODAY
        ),
    ),
    "cases.case_queries.search_case_ids": Call(
        "huangmin",
        lambda w, a: case_queries.search_case_ids(w.database, a, case_queries.CaseFilter(), TODAY),
        Outcome.FILTERED,
        lambda w, ids: bool(set(ids) & w.home_ids),
    ),
    "cases.cases.charged_violations": Call(
        "huangmin", lambda w, a: cases.charged_violations(w.database, a, w.ids["investigation"])
    ),
    "cases.cases.open_case": Call(
        "huangmin", lambda w, a: cases.open_case(w.database, a, new_case(w, home_team(w)))
    ),
    "cases.cases.prefill_from_hazard": Call(
        "huangmin", lambda w, a: cases.prefill_from_hazard(w.database, a, w.ids["hazard"])
    ),
    "cases.cases.set_violations": Call(
        "huangmin", lambda w, a: cases.set_violations(w.database, a, w.ids["investigation"], ())
    ),
    # documents
    "documents.document_settings.save_organisation": Call(
        "hejun",
        lambda w, a: document_settings.save_organisation(
            w.database, a, {"bureau_name": "南园冒名"}
        ),
    ),
    "documents.documents.case_document_views": Call(
        "huangmin", lambda w, a: documents.case_document_views(w.database, a, w.ids["decision"])
    ),
    "documents.documents.correct_document": Call(
        "huangmin", lambda w, a: documents.correct_document(w.database, a, w.ids["report"], "改")
    ),
    "documents.documents.create_draft": Call(
        "huangmin",
        lambda w, a: documents.create_draft(
            w.database, a, type_key="investigation_report", case_id=w.ids["investigation"]
        ),
    ),
    "documents.documents.discard_draft": Call(
        "huangmin", lambda w, a: documents.discard_draft(w.database, a, w.ids["transcript"])
    ),
    "documents.documents.document_sheet": Call(
        "huangmin", lambda w, a: documents.document_sheet(w.database, a, w.ids["report"])
    ),
    "documents.documents.document_view": Call(
        "huangmin", lambda w, a: documents.document_view(w.database, a, w.ids["report"])
    ),
    "documents.documents.inspection_document_views": Call(
        "huangmin",
        lambda w, a: documents.inspection_document_views(
            w.database, a, w.ids["inspection_with_hazards"]
        ),
    ),
    "documents.documents.issue_document": Call(
        "huangmin", lambda w, a: documents.issue_document(w.database, a, w.ids["transcript"], TODAY)
    ),
    "documents.documents.save_draft": Call(
        "huangmin",
        lambda w, a: documents.save_draft(w.database, a, w.ids["transcript"], {"place": "别处"}),
    ),
    "documents.documents.serve_document": Call(
        "huangmin",
        lambda w, a: documents.serve_document(
            w.database, a, w.ids["decision_document"], method="直接送达", on=TODAY
        ),
    ),
    "documents.documents.void_document": Call(
        "huangmin", lambda w, a: documents.void_document(w.database, a, w.ids["report"], "作废")
    ),
    # the case file (案卷): volumes, records, scans, audio-video, photos, archiving
    "dossiers.archiving.archive_case": Call(
        "sunhao", lambda w, a: archiving.archive_case(w.database, a, w.ids["closed"], TODAY)
    ),
    "dossiers.reopening.reopen_case": Call(
        "sunhao",
        lambda w, a: reopening.reopen_case(w.database, a, w.ids["archived"], "南园代为重开", TODAY),
    ),
    "dossiers.volume.dossier_cases": Call(
        "wuxia",
        lambda w, a: volume.dossier_cases(w.database, a, TODAY),
        Outcome.FILTERED,
        lambda w, rows: bool({row.case_id for row in rows} & w.home_ids),
    ),
    "dossiers.volume.dossier_case": Call(
        "wuxia", lambda w, a: dossier_case_of(w, a, w.ids["closed"])
    ),
    "dossiers.volume.dossier_view": Call(
        "wuxia", lambda w, a: volume.dossier_view(w.database, a, w.ids["closed"], TODAY)
    ),
    "dossiers.volume.build_volume": Call(
        "wuxia", lambda w, a: volume.build_volume(w.database, a, w.ids["closed"], TODAY)
    ),
    "dossiers.volume.paper_volume": Call(
        "wuxia", lambda w, a: volume.paper_volume(w.database, a, w.ids["closed"])
    ),
    "dossiers.volume.frozen_volume": Call(
        "wuxia", lambda w, a: volume.frozen_volume(w.database, a, w.ids["archived"])
    ),
    "dossiers.volume.self_check_sheet": Call(
        "wuxia", lambda w, a: volume.self_check_sheet(w.database, a, w.ids["closed"], TODAY)
    ),
    "dossiers.dossier_records.dossier_change": Call(
        "wuxia",
        lambda w, a: entered(dossier_records.dossier_change(w.database, a, w.ids["closed"], "改")),
    ),
    "dossiers.dossier_records.set_remark": Call(
        "wuxia",
        lambda w, a: dossier_records.set_remark(
            w.database, a, w.ids["closed"], "photos", "南园的备注"
        ),
    ),
    "dossiers.dossier_records.set_order_override": Call(
        "wuxia",
        lambda w, a: dossier_records.set_order_override(
            w.database, a, w.ids["closed"], "photos", 1, "南园调整"
        ),
    ),
    "dossiers.dossier_records.set_backnotes": Call(
        "wuxia",
        lambda w, a: dossier_records.set_backnotes(
            w.database, a, w.ids["closed"], "南园写的说明", "吴霞", "孙浩"
        ),
    ),
    "dossiers.dossier_settings.save_dossier_settings": Call(
        "hejun",
        lambda w, a: dossier_settings.save_dossier_settings(
            w.database, a, replace(dossier_settings.default_settings(), convention="chronological")
        ),
    ),
    "dossiers.scans.attach_scan": Call(
        "wuxia",
        lambda w, a: scans.attach_scan(
            w.database,
            a,
            w.ids["decision_document"],
            [make_photo(w.root.parent / "scan.jpg")],
            TODAY,
        ),
    ),
    "dossiers.scans.remove_scan": Call(
        "wuxia", lambda w, a: scans.remove_scan(w.database, a, w.ids["scan"], "南园删除")
    ),
    "dossiers.scans.scan_of": Call(
        "wuxia", lambda w, a: scans.scan_of(w.database, a, w.ids["decision_document"])
    ),
    "dossiers.media.import_media": Call(
        "wuxia",
        lambda w, a: media.import_media(
            w.database, a, w.ids["closed"], recording(w.root.parent), media_input(w)
        ),
    ),
    "dossiers.media.case_media": Call(
        "wuxia", lambda w, a: media.case_media(w.database, a, w.ids["closed"])
    ),
    "dossiers.media.media_choices": Call(
        "wuxia", lambda w, a: media.media_choices(w.database, a, w.ids["closed"])
    ),
    "dossiers.case_photos.attach_case_photo": Call(
        "wuxia",
        lambda w, a: case_photos.attach_case_photo(
            w.database,
            a,
            w.ids["closed"],
            make_photo(w.root.parent / "case.jpg"),
            case_photos.PhotoInput("南园的照片"),
        ),
    ),
    "dossiers.case_photos.edit_photo_evidence": Call(
        "wuxia",
        lambda w, a: case_photos.edit_photo_evidence(
            w.database,
            a,
            case_photos.PhotoRef("case_photo", w.ids["case_photo"]),
            case_photos.PhotoInput("南园改写"),
        ),
    ),
    "dossiers.case_photos.case_photos": Call(
        "wuxia", lambda w, a: case_photos.case_photos(w.database, a, w.ids["closed"])
    ),
    # the laptop's settings belong to the squad it was set up for (园岭)
    "idle_lock.save_lock_minutes": Call(
        "hejun", lambda w, a: idle_lock.save_lock_minutes(w.database, a, 60)
    ),
    "numbering.add_block": Call(
        "hejun", lambda w, a: numbering.add_block(w.database, a, TODAY.year + 1, 1, 100)
    ),
    "numbering.numbering_state": Call(
        "hejun",
        lambda w, a: numbering.numbering_state(w.database, a),
        Outcome.FILTERED,
        lambda _w, state: bool(state.blocks),  # every block of this laptop is 园岭's
    ),
    "numbering.save_numbering_settings": Call(
        "hejun",
        lambda w, a: numbering.save_numbering_settings(
            w.database, a, replace(numbering.numbering_state(w.database, a).settings, prefix="冒")
        ),
    ),
    "procedure_settings.save_settings": Call(
        "hejun", lambda w, a: procedure_settings.save_settings(w.database, a, {"due_soon_days": 9})
    ),
    # inspections, hazards, photos
    "inspections.evidence.attach_photos": Call(
        "huangmin",
        lambda w, a: evidence.attach_photos(
            w.database, a, w.ids["inspection_open"], "", [make_photo(w.root.parent / "b.jpg")]
        ),
    ),
    "inspections.evidence.photo_original": Call(
        "huangmin", lambda w, a: evidence.photo_original(w.database, a, w.ids["photo"])
    ),
    "inspections.evidence.photos_of": Call(
        "huangmin", lambda w, a: evidence.photos_of(w.database, a, w.ids["inspection_open"])
    ),
    "inspections.hazards.add_recheck": Call(
        "huangmin",
        lambda w, a: in_scope(
            w, "huangmin", lambda scope: hazards.add_recheck(scope, a, recheck_of(w, other_team(w)))
        ),
    ),
    "inspections.hazards.hazard_row": Call(
        "huangmin", lambda w, a: hazards.hazard_row(w.database, a, w.ids["hazard"])
    ),
    "inspections.hazards.hazard_rows": Call(
        "huangmin",
        lambda w, a: hazards.hazard_rows(
            w.database, a, hazards.HazardQuery(hazards.HazardFilter.ALL)
        ),
        Outcome.FILTERED,
        lambda w, rows: any(row.squad == HOME for row in rows),
    ),
    "inspections.hazards.hazards_to_recheck": Call(
        "huangmin",
        lambda w, a: hazards.hazards_to_recheck(w.database, a, w.ids["inspection_with_hazards"]),
    ),
    "inspections.hazards.load_hazard": Call(
        "huangmin", lambda w, a: hazards.load_hazard(w.database, a, w.ids["hazard"])
    ),
    "inspections.hazards.record_recheck": Call(
        "huangmin", lambda w, a: hazards.record_recheck(w.database, a, recheck_of(w, other_team(w)))
    ),
    "inspections.hazards.transfer_hazard": Call(
        "huangmin", lambda w, a: hazards.transfer_hazard(w.database, a, w.ids["hazard"])
    ),
    "inspections.hazards.update_hazard": Call(
        "huangmin",
        lambda w, a: hazards.update_hazard(
            w.database,
            a,
            w.ids["hazard"],
            hazards.HazardEdit("南园改写", HazardLevel.GENERAL, "整改", 5),
        ),
    ),
    "inspections.hazards.workbench_hazards": Call(
        "huangmin", lambda w, a: hazards.workbench_hazards(w.database, a, w.squads[HOME])
    ),
    "inspections.inspections.answer_item": Call(
        "huangmin",
        lambda w, a: inspections.answer_item(
            w.database, a, w.ids["inspection_open"], item_of(w), Answer.NON_COMPLIANT
        ),
    ),
    "inspections.inspections.available_inspectors": Call(
        "huangmin",
        lambda w, a: inspections.available_inspectors(w.database, a, None),
        Outcome.FILTERED,
        lambda w, people: bool({person.user_id for person in people} & w.home_ids),
    ),
    "inspections.inspections.create_inspection": Call(
        "huangmin",
        lambda w, a: in_scope(
            w,
            "huangmin",
            lambda scope: inspections.create_inspection(
                scope, a, inspection_start(w, home_team(w)), None
            ),
        ),
    ),
    "inspections.inspections.finish_inspection": Call(
        "huangmin",
        lambda w, a: inspections.finish_inspection(
            w.database, a, w.ids["inspection_open"], inspections.InspectionFinish(NOW, "完")
        ),
    ),
    "inspections.inspections.inspection_rows": Call(
        "huangmin",
        lambda w, a: inspections.inspection_rows(w.database, a, None),
        Outcome.FILTERED,
        lambda w, rows: bool(_ids(rows) & w.home_ids),
    ),
    "inspections.inspections.open_inspection": Call(
        "huangmin",
        lambda w, a: inspections.open_inspection(w.database, a, w.ids["inspection_open"]),
    ),
    "inspections.inspections.recent_partners": Call(
        "huangmin",
        lambda w, a: inspections.recent_partners(w.database, a),
        Outcome.FILTERED,
        lambda w, ids: bool(set(ids) & w.home_ids),
    ),
    "inspections.inspections.start_inspection": Call(
        "huangmin",
        lambda w, a: inspections.start_inspection(w.database, a, inspection_start(w, home_team(w))),
    ),
    # registry: read by all, changed by its squad
    "registry.registry.create_enterprise": Call(
        "huangmin",
        lambda w, a: registry.create_enterprise(w.database, a, new_venue("南园新登记便利店")),
        Outcome.OWN_SQUAD,
    ),
    "registry.registry.update_enterprise": Call(
        "huangmin",
        lambda w, a: registry.update_enterprise(
            w.database,
            a,
            w.ids["enterprise"],
            replace(registry.load_draft(w.database, w.ids["enterprise"]), notes="南园改写"),
        ),
    ),
    "registry.registry_import.import_enterprises": Call(
        "wuxia",
        lambda w, a: registry_import.import_enterprises(
            w.database, a, registered_twin(w, w.root.parent)
        ),
        Outcome.FILTERED,
        # 园岭's enterprise is neither taken over nor registered twice: the row is refused as such
        lambda _w, report: (
            report.imported != 0
            or [p.reason[:12] for p in report.problems] != ["该统一社会信用代码已登记"]
        ),
    ),
    # transcripts
    "transcripts.transcripts.autosave": Call(
        "huangmin",
        lambda w, a: transcripts.autosave(w.database, a, w.ids["transcript"], {"place": "别处"}),
    ),
    "transcripts.transcripts.case_transcripts": Call(
        "huangmin", lambda w, a: transcripts.case_transcripts(w.database, a, w.ids["investigation"])
    ),
    "transcripts.transcripts.checkpoint": Call(
        "huangmin", lambda w, a: transcripts.checkpoint(w.database, a, w.ids["transcript"])
    ),
    "transcripts.transcripts.create_transcript": Call(
        "huangmin",
        lambda w, a: transcripts.create_transcript(
            w.database,
            a,
            w.ids["investigation"],
            relation="证人",
            interviewee=transcripts.Interviewee(name="赵六"),
        ),
    ),
    "transcripts.transcripts.finalize_transcript": Call(
        "huangmin", lambda w, a: transcripts.finalize_transcript(w.database, a, w.ids["transcript"])
    ),
    "transcripts.transcripts.mark_read_back": Call(
        "huangmin",
        lambda w, a: transcripts.mark_read_back(w.database, a, w.ids["transcript"], "向其宣读"),
    ),
    "transcripts.transcripts.open_transcript": Call(
        "huangmin", lambda w, a: transcripts.open_transcript(w.database, a, w.ids["transcript"])
    ),
    "transcripts.transcripts.party_interviewee": Call(
        "huangmin",
        lambda w, a: transcripts.party_interviewee(w.database, a, w.ids["investigation"], "当事人"),
    ),
    "transcripts.transcripts.record_correction": Call(
        "huangmin",
        lambda w, a: transcripts.record_correction(
            w.database, a, w.ids["transcript"], "p1", "a", "改"
        ),
    ),
    "transcripts.transcripts.resume_questioning": Call(
        "huangmin", lambda w, a: transcripts.resume_questioning(w.database, a, w.ids["transcript"])
    ),
    # accounts
    "users.add_user": Call(
        "hejun",
        lambda w, a: in_scope(
            w, "hejun", lambda scope: users.add_user(scope, new_user(w, HOME), w.database)
        ),
    ),
    "users.create_user": Call(
        "hejun", lambda w, a: users.create_user(w.database, a, new_user(w, HOME))
    ),
    "users.list_users": Call(
        "hejun",
        lambda w, a: users.list_users(w.database, a),
        Outcome.FILTERED,
        lambda w, rows: bool(_ids(rows) & w.home_ids),
    ),
    "auth.new_recovery_code": Call("hejun", lambda w, a: auth.new_recovery_code(w.database, a)),
    "auth.reset_password": Call(
        "hejun",
        lambda w, a: auth.reset_password(
            w.database, a, w.of("zhangwei").user_id or "", "Intrude-2026!"
        ),
    ),
    "users.unlock_user": Call(
        "hejun", lambda w, a: users.unlock_user(w.database, a, w.of("zhangwei").user_id or "")
    ),
    # sync conflicts
    "sync_conflicts.open_conflicts": Call(
        "sunhao",
        lambda w, a: sync_conflicts.open_conflicts(w.database, a),
        Outcome.FILTERED,
        lambda w, rows: w.ids["conflict"] in _ids(rows),
    ),
    "sync_conflicts.resolve_conflict": Call(
        "sunhao",
        lambda w, a: sync_conflicts.resolve_conflict(
            w.database, a, w.ids["conflict"], "device", "南园代为处理"
        ),
    ),
}

SHARED_REGISTRY = "企业台账各中队共享查阅（跨界场所也要查得到），修改仍只限本中队"
LAPTOP_SETTING = "本机的设置（机关代字、期限天数、锁屏分钟等），不含任何中队的记录"
THE_RULE = "中队隔离规则本身（由本文件的其他测试直接检验）"
SIGN_IN = "登录之前尚无当前用户：核对的正是口令本身"
REFERENCE = "组织机构等参考数据，各中队共用"
WHOLE_LAPTOP = (
    "整台电脑的加密数据（备份、审计链校验），由命令行或自动任务以本机密钥运行，不按中队显示记录"
)
COMMAND_LINE = (
    "命令行工具：open_for_command 只交回数据库、不交回登录用户，暂无中队可核对"
    "（待主程序传入登录用户后改为按中队）"
)

UNSCOPED: dict[str, str] = {
    "audit_log.trail_state": "只报告本机审计链是否完整，不列出任何中队的记录",
    "auth.enter": SIGN_IN,
    "auth.sign_in": SIGN_IN,
    "auth.change_password": "只改当前登录用户本人的口令（用户按数据库重新读取）",
    "auth.forget_account": "停用账号时内部使用，只删除该账号的钥匙，不读写任何中队的记录",
    "idle_lock.confirm_password": "核对当前登录用户自己的口令（锁屏解锁）",
    "idle_lock.lock_minutes": LAPTOP_SETTING,
    "procedure_settings.settings_in_force": LAPTOP_SETTING,
    "documents.document_settings.organisation_in_force": LAPTOP_SETTING,
    "dossiers.dossier_settings.dossier_settings_in_force": LAPTOP_SETTING,
    "dossiers.evidence_files.discard_new": (
        "撤销本次操作刚存入证据库、未被任何记录引用的文件（各服务在核对中队后内部使用）"
    ),
    "registry.registry.count_enterprises": SHARED_REGISTRY,
    "registry.registry.enterprise_rows": SHARED_REGISTRY,
    "registry.registry.load_draft": SHARED_REGISTRY,
    "registry.registry.search_enterprise_ids": SHARED_REGISTRY,
    "setup.find_squad": REFERENCE,
    "setup.list_squads": REFERENCE,
    "setup.installation": REFERENCE,
    "sync_conflicts.may_resolve": "只按角色回答能否处理同步冲突，不读写任何记录",
    "setup.go_live": "首次启用：尚无任何账号时才可运行，已有账号即拒绝",
    "inspections.evidence.evidence_store": (
        "证据库的存取对象本身；照片只经 photos_of 和 photo_original 按中队读取"
    ),
    "users.wrap_key_for": "add_user 和重设口令内部使用（二者已核对中队和角色）",
    "unit_of_work.user_action": THE_RULE,
    "lookup.fetch_readable": THE_RULE,
    "squad_scope.acting_user": THE_RULE,
    "squad_scope.listed_squad": THE_RULE,
    "squad_scope.read_as": THE_RULE,
    "squad_scope.require_account_squad": THE_RULE,
    "squad_scope.require_changeable": THE_RULE,
    "squad_scope.require_laptop_squad": THE_RULE,
    "squad_scope.require_readable": THE_RULE,
    "squad_scope.sees_all_squads": THE_RULE,
    "trail_check.verify_trail": WHOLE_LAPTOP,
    "backups.create.copy_database": WHOLE_LAPTOP,
    "backups.create.create_backup": WHOLE_LAPTOP,
    "backups.create.referenced_evidence": WHOLE_LAPTOP,
    "backups.rotation.automatic_backup": WHOLE_LAPTOP,
    "cases.case_review.review_cases": COMMAND_LINE,
    "statistics.enforcement_statistics": COMMAND_LINE,
    "documents.document_samples.sample_documents": COMMAND_LINE,
    "documents.document_samples.write_samples": COMMAND_LINE,
}

ISSUE_CALLS: dict[str, Call] = {
    "南园执法人员修改园岭企业": CALLS["registry.registry.update_enterprise"],
    "南园执法人员修改园岭隐患": CALLS["inspections.hazards.update_hazard"],
    "南园执法人员作废园岭已签发的调查终结报告": CALLS["documents.documents.void_document"],
    "南园负责人批准园岭立案": CALLS["cases.case_actions.perform"],
    "南园负责人批准园岭处罚决定": Call(
        "sunhao",
        lambda w, a: case_actions.perform(
            w.database, a, w.ids["decision"], "approve_decision", case_actions.StepInput()
        ),
    ),
    "南园管理员在园岭新增用户": CALLS["users.create_user"],
    "南园管理员列出各中队用户": CALLS["users.list_users"],
    "南园执法人员记录园岭检查结果": CALLS["inspections.inspections.answer_item"],
    "南园执法人员结束园岭的检查": CALLS["inspections.inspections.finish_inspection"],
    "南园执法人员复查园岭隐患": CALLS["inspections.hazards.record_recheck"],
    "南园执法人员将园岭隐患移交立案": CALLS["inspections.hazards.transfer_hazard"],
    "南园法制审核员审核园岭案件": Call(
        "majing",
        lambda w, a: case_actions.perform(
            w.database, a, w.ids["review"], "pass_review", case_actions.StepInput()
        ),
    ),
    "南园内勤送达园岭处罚决定书": CALLS["documents.documents.serve_document"],
}


# --- checking one call ----------------------------------------------------------------------

State = dict[str, frozenset[Any]]
SQUAD_TABLES = ("enterprise", "inspection", "hazard", "enforcement_case", "app_user")


def state_of(world: World) -> State:
    """Every row of every table, plus every file of the data folder but the database's own."""
    with world.database.read() as session:
        connection = session.connection()
        names = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).scalars()
        state = {
            name: frozenset(connection.exec_driver_sql(f'SELECT * FROM "{name}"').fetchall())
            for name in list(names)
        }
    files = [p for p in world.root.rglob("*") if p.is_file() and "fuanjian.db" not in p.name]
    state["files"] = frozenset(
        (str(p.relative_to(world.root)), hashlib.sha256(p.read_bytes()).hexdigest()) for p in files
    )
    return state


def changed_tables(before: State, after: State) -> list[str]:
    return [name for name in after if before.get(name) != after[name]]


def touched_rows(before: State, after: State) -> list[str]:
    """Tables in which a row that existed before was changed or removed."""
    return [name for name in before if not before[name] <= after.get(name, frozenset())]


def check(world: World, call: Call) -> None:
    """Make ``call`` as its 南园 user and check the outcome and that nothing of 园岭 changed."""
    actor = world.of(call.who)
    assert actor.squad_id == world.squads[OTHER]
    before = state_of(world)
    if call.outcome is Outcome.REFUSED:
        with pytest.raises(PermissionDenied) as refused:
            call.run(world, actor)
        assert refused.value.message.isascii() is False  # a Chinese sentence for the user
        assert changed_tables(before, state_of(world)) == []
    elif call.outcome is Outcome.FILTERED:
        result = call.run(world, actor)
        assert not call.leaks(world, result), f"{call.who} got 园岭's records: {result!r}"
        assert changed_tables(before, state_of(world)) == []
    else:
        call.run(world, actor)
        after = state_of(world)
        assert touched_rows(before, after) == []
        added = [row for name in SQUAD_TABLES for row in after[name] - before[name]]
        assert added and all(world.squads[OTHER] in row for row in added)


# --- the tests ------------------------------------------------------------------------------


def public_services() -> set[str]:
    """Every public function of ``fuanjian_desktop.services`` that takes an actor or a database,
    as ``module.function`` under the package (e.g. ``inspections.hazards.update_hazard``)."""
    found = set()
    prefix = services_package.__name__ + "."
    for info in pkgutil.walk_packages(services_package.__path__, prefix):
        module = importlib.import_module(info.name)
        for name, function in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(function):
                continue
            if function.__module__ != module.__name__:
                continue
            params = inspect.signature(function).parameters.values()
            if any(
                p.name in ("actor", "database") or str(p.annotation) in ("Actor", "Database")
                for p in params
            ):
                found.add(f"{info.name.removeprefix(prefix)}.{name}")
    return found


def test_every_public_service_is_in_the_table() -> None:
    """A public service function is either checked across squads here or listed with a reason."""
    services = public_services()
    missing = sorted(services - CALLS.keys() - UNSCOPED.keys())
    assert not missing, (
        f"这些服务函数不在中队隔离测试的表中：{', '.join(missing)}。"
        " Add each to CALLS in tests/services/test_squad_scope.py (a call by a 南园 user on"
        " a 园岭 record that must be refused), or to UNSCOPED with the reason it needs no squad"
        " check."
    )
    stale = sorted((CALLS.keys() | UNSCOPED.keys()) - services)
    assert not stale, f"no longer public services, remove from the table: {', '.join(stale)}"
    assert not CALLS.keys() & UNSCOPED.keys()
    assert len(CALLS) >= 60  # the count the closing note reports


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_user_of_another_squad_is_refused(world: World, name: str) -> None:
    """Each public service, called by a 南园 user on a 园岭 record, refuses or leaves it out."""
    check(world, CALLS[name])


@pytest.mark.parametrize("name", list(ISSUE_CALLS))
def test_the_issues_cross_squad_calls_are_refused(world: World, name: str) -> None:
    """The calls of issue 15's probe, each by the 南园 role it names, now fail."""
    check(world, ISSUE_CALLS[name])


def test_the_refusal_names_no_record_of_the_other_squad(world: World) -> None:
    """The message says the record is not the user's squad's, and nothing about the record."""
    with pytest.raises(PermissionDenied) as refused:
        CALLS["cases.case_queries.case_view"].run(world, world.of("huangmin"))
    case = case_of(world, "filing")
    assert REFUSAL in refused.value.message
    for secret in (case.case_no, case.party_name, case.cause, HOME):
        assert secret not in refused.value.message


def test_the_home_squad_still_reads_and_changes_its_own(world: World) -> None:
    """The same calls by 园岭's own users go through (the check is on the squad, not blanket)."""
    zhang = world.of("zhangwei")
    assert hazards.load_hazard(world.database, zhang, world.ids["hazard"]).id == world.ids["hazard"]
    assert case_queries.case_view(world.database, zhang, world.ids["filing"], TODAY).id
    rows = hazards.hazard_rows(world.database, zhang, hazards.HazardQuery(hazards.HazardFilter.ALL))
    assert rows and {row.squad for row in rows} == {HOME}
    transcripts.autosave(world.database, zhang, world.ids["transcript"], {"place": "本队"})


def test_a_bureau_viewer_reads_every_squad_but_changes_nothing(world: World) -> None:
    """区局查看 (held by the demo's 区局 reviewer) lists all squads' records and refuses edits."""
    bureau = world.of("xulin")
    assert Role.BUREAU_VIEWER in bureau.roles
    rows = hazards.hazard_rows(
        world.database, bureau, hazards.HazardQuery(hazards.HazardFilter.ALL)
    )
    assert {HOME, OTHER} <= {row.squad for row in rows}
    assert case_queries.case_view(world.database, bureau, world.ids["filing"], TODAY).id
    before = state_of(world)
    edit = hazards.HazardEdit("区局改写", HazardLevel.GENERAL, "整改", 5)
    with pytest.raises(PermissionDenied):
        hazards.update_hazard(world.database, bureau, world.ids["hazard"], edit)
    assert changed_tables(before, state_of(world)) == []


def test_a_squad_admin_cannot_make_a_bureau_viewer(world: World) -> None:
    """A squad's administrator may not give anyone, even of their squad, a bureau role."""
    admin = world.of("zhaolei")
    before = state_of(world)
    with pytest.raises(PermissionDenied, match="区局"):
        users.create_user(world.database, admin, new_user(world, HOME, (Role.BUREAU_VIEWER,)))
    assert changed_tables(before, state_of(world)) == []


def test_the_actor_handed_in_is_not_trusted(world: World) -> None:
    """An Actor claiming 园岭's squad, or roles the user lacks, is re-read from the user row."""
    huang = world.of("huangmin")
    forged_squad = replace(huang, squad_id=world.squads[HOME])
    edit = hazards.HazardEdit("冒充", HazardLevel.GENERAL, "整改", 5)
    before = state_of(world)
    with pytest.raises(PermissionDenied, match=REFUSAL):
        hazards.update_hazard(world.database, forged_squad, world.ids["hazard"], edit)
    with pytest.raises(PermissionDenied, match=REFUSAL):
        hazards.load_hazard(world.database, forged_squad, world.ids["hazard"])
    forged_roles = replace(huang, roles=frozenset({Role.ADMIN.value}))
    with pytest.raises(PermissionDenied, match="管理用户"):
        users.create_user(world.database, forged_roles, new_user(world, OTHER))
    unknown = replace(huang, user_id="01NOSUCHUSER0000000000000X")
    with pytest.raises(PermissionDenied, match="不存在"):
        hazards.load_hazard(world.database, unknown, world.ids["hazard"])
    nobody = Actor(None, "匿名", world.squads[HOME], frozenset())  # no account, claims 园岭
    with pytest.raises(PermissionDenied, match=REFUSAL):
        hazards.load_hazard(world.database, nobody, world.ids["hazard"])
    with pytest.raises(PermissionDenied):
        hazards.hazard_rows(world.database, nobody, hazards.HazardQuery())
    assert changed_tables(before, state_of(world)) == []


def test_a_deactivated_account_can_do_nothing(
    demo_database: Database, sign_in: Callable[[str], Actor]
) -> None:
    """An account stopped since it signed in is refused on its next read and write."""
    zhang = sign_in("zhangwei")
    with demo_database.write() as session:
        session.execute(update(User).where(User.id == zhang.user_id).values(active=False))
    with demo_database.read() as session:
        hazard_id = session.scalars(
            select(Hazard.id).where(Hazard.squad_id == zhang.squad_id)
        ).first()
    assert hazard_id is not None
    with pytest.raises(PermissionDenied, match="停用"):
        hazards.load_hazard(demo_database, zhang, hazard_id)
    with pytest.raises(PermissionDenied, match="停用"):
        hazards.transfer_hazard(demo_database, zhang, hazard_id)
