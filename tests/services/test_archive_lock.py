"""The archive lock: every kind of change through the services to an archived case is refused,
and nothing of the case changes (issue 17: "the archive lock refuses every kind of change
through the services").

A closed 园岭 case of the demo, with a draft document and a draft transcript prepared while it
could still change, is archived (the 批准归档 step taken the way the dossier service takes it:
an action whose ``allow_archived`` is set). Then each call of :data:`CALLS` is made by someone
who could make it on an open case; each must fail, and every row of the case (the case, each
table's rows with its ``case_id``, the journal of its drafts), the audit trail, the outbox and
the files of the evidence store must be as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.base import Base
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import ACTIONS, Stage, find_action
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import (
    AuditEvent,
    Case,
    CaseDocument,
    CaseEvent,
    CaseHandler,
    CaseLink,
    CasePhoto,
    CaseViolation,
    DocumentScan,
    DraftJournal,
    InspectionPhoto,
    OutboxEntry,
    User,
)
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.archive_lock import ArchivedCaseLocked
from fuanjian_desktop.services.cases import case_actions, cases
from fuanjian_desktop.services.cases.case_actions import StepInput, take_step
from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.dossiers import (
    archiving,
    case_photos,
    dossier_records,
    media,
    scans,
)
from fuanjian_desktop.services.transcripts import transcripts
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action
from tests.archived import archive
from tests.conftest import DemoTemplate
from tests.photos import make_photo

HOME = "园岭"
TODAY = dt.date.today()
LEADER, HANDLER, CLERK = "liuyang", "zhangwei", "wangfang"
LOCKED = "已归档，案卷已封存.*请由中队负责人.*批准重新打开案卷"


@dataclass
class World:
    """A private copy of the demo with one archived 园岭 case and the ids the calls use."""

    database: Database
    root: Path  # the data folder (its evidence store must not change either)
    people: dict[str, Actor]
    ids: dict[str, str] = field(default_factory=dict)

    def of(self, username: str) -> Actor:
        return self.people[username]


@pytest.fixture(scope="module")
def world(demo_template: DemoTemplate, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The demo's first closed 园岭 case with a scan and a case photo, prepared with drafts,
    then archived."""
    folder = DataFolder(tmp_path_factory.mktemp("lock") / "data")
    database = demo_template.copy_to(folder)
    with database.read() as session:
        people = {user.username: Actor.of(user) for user in session.scalars(select(User))}
        squad = people[LEADER].squad_id
        case_id = session.scalars(
            select(Case.id)
            .join(DocumentScan, DocumentScan.case_id == Case.id)
            .join(CasePhoto, CasePhoto.case_id == Case.id)
            .where(Case.squad_id == squad, Case.stage == str(Stage.CLOSED))
            .order_by(Case.case_no)
        ).first()
    assert case_id is not None, "the demo has no closed case of 园岭 with a scan and a photo"
    built = World(database, folder.root, people, {"case": case_id})
    _prepare(built)
    archive(database, built.of(LEADER), case_id, TODAY)
    yield built
    database.close()


def _prepare(world: World) -> None:
    """A draft document and a draft transcript (read back, with a pair) made before 归档, and
    the ids of an issued document, an event, a link and a violation of the case."""
    db, zhang, case_id = world.database, world.of(HANDLER), world.ids["case"]
    world.ids["draft"] = documents.create_draft(
        db, zhang, type_key="investigation_report", case_id=case_id
    )
    written = {
        "course": "经现场检查查明。",
        "discretion_reason": "情节一般。",
        "conclusion": "建议处罚。",
    }
    documents.save_draft(db, zhang, world.ids["draft"], written)
    world.ids["transcript"] = transcripts.create_transcript(
        db, zhang, case_id, relation="证人", interviewee=transcripts.Interviewee(name="赵六")
    )
    transcripts.autosave(
        db, zhang, world.ids["transcript"], {"qa": [{"id": "p1", "q": "问", "a": "答"}]}
    )
    with db.read() as session:

        def first(query: Any) -> str:
            found = session.scalars(query.limit(1)).first()
            assert found is not None, f"the case lacks {query}"
            return str(found)

        world.ids.update(
            issued=first(
                select(CaseDocument.id).where(
                    CaseDocument.case_id == case_id,
                    CaseDocument.status == "issued",
                    CaseDocument.type_key != "filing_approval",  # its 文号 is the 案号
                )
            ),
            event=first(select(CaseEvent.id).where(CaseEvent.case_id == case_id)),
            violation=first(select(CaseViolation.id).where(CaseViolation.case_id == case_id)),
            scan=first(select(DocumentScan.id).where(DocumentScan.case_id == case_id)),
            photo=first(select(CasePhoto.id).where(CasePhoto.case_id == case_id)),
            inspection=first(
                select(CaseLink.target_id).where(
                    CaseLink.case_id == case_id, CaseLink.kind == "inspection"
                )
            ),
        )
        world.ids["inspection_photo"] = first(
            select(InspectionPhoto.id).where(
                InspectionPhoto.inspection_id == world.ids["inspection"]
            )
        )
    with db.write() as session:  # an issued paper of the linked inspection (the demo has none)
        paper = CaseDocument(
            inspection_id=world.ids["inspection"],
            type_key="rectification_order",
            title="责令限期整改指令书",
            status="issued",
            values={},
        )
        session.add(paper)
        session.flush()
        world.ids["inspection_paper"] = paper.id
        world.ids["link"] = (
            session.scalars(select(CaseLink.id).where(CaseLink.case_id == case_id)).first() or ""
        )


# --- what must not change -------------------------------------------------------------------


def case_state(session: Session, case_id: str) -> dict[str, Any]:
    """Every row of the case: the case itself, each table's rows with its ``case_id``, the
    journal of its drafts, and how long the audit trail and the outbox are."""
    state: dict[str, Any] = {}
    for table in Base.metadata.sorted_tables:
        if table.name == "enforcement_case":
            rows = session.execute(select(table).where(table.c.id == case_id))
        elif "case_id" in table.c:
            rows = session.execute(select(table).where(table.c.case_id == case_id))
        else:
            continue
        state[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    drafts = select(CaseDocument.id).where(CaseDocument.case_id == case_id)
    state["draft_journal"] = sorted(
        (journal.document_id, repr(journal.values))
        for journal in session.scalars(
            select(DraftJournal).where(DraftJournal.document_id.in_(drafts))
        )
    )
    for model in (AuditEvent, OutboxEntry):
        state[model.__tablename__] = session.scalar(select(func.count()).select_from(model))
    return state


def stored_files(root: Path) -> list[str]:
    """The files of the data folder's evidence store (a refused scan stores nothing)."""
    return sorted(str(path.relative_to(root)) for path in (root / "evidence").rglob("*"))


# --- the calls ------------------------------------------------------------------------------


def in_action(world: World, username: str, change: Callable[[ActionScope, Case], None]) -> None:
    """``change(scope, case)`` inside an ordinary action of ``username`` (a service's own
    writes, made directly: the lock must catch what no service check knows about)."""
    with user_action(world.database, world.of(username), "测试") as scope:
        case = scope.session.get(Case, world.ids["case"])
        assert case is not None
        change(scope, case)


def record_change(scope: ActionScope, record: Any, **values: Any) -> None:
    before = record.audit_snapshot()
    for name, value in values.items():
        setattr(record, name, value)
    scope.record(record, "测试修改", before)


def get(scope: ActionScope, model: Any, key: str) -> Any:
    found = scope.session.get(model, key)
    assert found is not None
    return found


def step_call(code: str) -> Callable[[World], None]:
    """Take step ``code`` the way the case page does (``perform``) with every field filled."""
    action = find_action(code)
    username = {"leader": LEADER, "reviewer": "chenjing", "clerk": CLERK}.get(
        str(action.performer), HANDLER
    )
    values = StepInput(
        on=TODAY,
        note="理由",
        served_method="直接送达",
        recipient="李四",
        amount=100,
        days=10,
        until=TODAY + dt.timedelta(days=30),
        hearing_date=TODAY + dt.timedelta(days=7),
        receiver="公安机关",
        remedy_kind="litigation",
        remedy_result="在审",
    )
    return lambda w: case_actions.perform(w.database, w.of(username), w.ids["case"], code, values)


def reopen_outside_the_service(world: World) -> None:
    """重新打开案卷 through take_step in an action that was not opened to reopen."""
    in_action(
        world,
        LEADER,
        lambda scope, case: take_step(
            scope, case, find_action("reopen_archive"), StepInput(on=TODAY, note="理由"), TODAY
        ),
    )


# (name, call, must the archive lock itself refuse it: True, or may an earlier rule: False)
CALLS: list[tuple[str, Callable[[World], Any], bool]] = [
    *((f"step {a.code}", step_call(a.code), False) for a in ACTIONS),
    ("step reopen_archive outside the dossier service", reopen_outside_the_service, True),
    (
        "edit the case",
        lambda w: in_action(w, HANDLER, lambda s, c: record_change(s, c, cause="改写的案由")),
        True,
    ),
    (
        "move the case out of 已归档",
        lambda w: in_action(w, LEADER, lambda s, c: record_change(s, c, stage="closed")),
        True,
    ),
    (
        "edit an event",
        lambda w: in_action(
            w, HANDLER, lambda s, c: record_change(s, get(s, CaseEvent, w.ids["event"]), note="改")
        ),
        True,
    ),
    (
        "delete an event",
        lambda w: in_action(
            w, HANDLER, lambda s, c: s.record_deletion(get(s, CaseEvent, w.ids["event"]), "删")
        ),
        True,
    ),
    (
        "edit a violation directly",
        lambda w: in_action(
            w,
            HANDLER,
            lambda s, c: record_change(s, get(s, CaseViolation, w.ids["violation"]), fine=1),
        ),
        True,
    ),
    (
        "set the violations",
        lambda w: cases.set_violations(w.database, w.of(HANDLER), w.ids["case"], ()),
        False,
    ),
    (
        "link evidence",
        lambda w: in_action(
            w,
            HANDLER,
            lambda s, c: s.record(
                _added(s, CaseLink(case_id=c.id, kind="hazard", target_id="0" * 26)), "关联", None
            ),
        ),
        True,
    ),
    (
        "change a handler without recording it",
        lambda w: in_action(
            w,
            LEADER,
            lambda s, c: setattr(
                s.session.scalars(select(CaseHandler).where(CaseHandler.case_id == c.id)).first(),
                "full_name",
                "冒名",
            ),
        ),
        True,
    ),
    (
        "create a document",
        lambda w: documents.create_draft(
            w.database, w.of(HANDLER), type_key="investigation_report", case_id=w.ids["case"]
        ),
        True,
    ),
    (
        "save a draft",
        lambda w: documents.save_draft(
            w.database, w.of(HANDLER), w.ids["draft"], {"cause": "改写的案由"}
        ),
        True,
    ),
    (
        "discard a draft",
        lambda w: documents.discard_draft(w.database, w.of(HANDLER), w.ids["draft"]),
        True,
    ),
    (
        "issue a draft",
        lambda w: documents.issue_document(w.database, w.of(HANDLER), w.ids["draft"], TODAY),
        True,
    ),
    (
        "serve a document",
        lambda w: documents.serve_document(
            w.database, w.of(HANDLER), w.ids["issued"], method="直接送达", on=TODAY
        ),
        False,
    ),
    (
        "correct a document",
        lambda w: documents.correct_document(w.database, w.of(HANDLER), w.ids["issued"], "改"),
        True,
    ),
    (
        "void a document",
        lambda w: documents.void_document(w.database, w.of(HANDLER), w.ids["issued"], "作废"),
        True,
    ),
    (
        "draft for a step",
        lambda w: case_actions.draft_for_step(
            w.database, w.of(HANDLER), w.ids["case"], "penalty_decision"
        ),
        True,
    ),
    (
        "start a transcript",
        lambda w: transcripts.create_transcript(
            w.database,
            w.of(HANDLER),
            w.ids["case"],
            relation="证人",
            interviewee=transcripts.Interviewee(name="钱七"),
        ),
        True,
    ),
    (
        "type into a transcript",
        lambda w: transcripts.autosave(
            w.database, w.of(HANDLER), w.ids["transcript"], {"place": "别处"}
        ),
        True,
    ),
    (
        "fold a transcript",
        lambda w: transcripts.checkpoint(w.database, w.of(HANDLER), w.ids["transcript"]),
        False,
    ),
    (
        "read a transcript back",
        lambda w: transcripts.mark_read_back(
            w.database, w.of(HANDLER), w.ids["transcript"], "向其宣读"
        ),
        True,
    ),
    (
        "finalize a transcript",
        lambda w: transcripts.finalize_transcript(w.database, w.of(HANDLER), w.ids["transcript"]),
        False,
    ),
]


def dossier_calls() -> list[tuple[str, Callable[[World], Any], bool]]:
    """The case file's own services: 案卷 records, scans, audio-video, photos, archiving."""
    case, clerk = (lambda w: w.ids["case"]), (lambda w: w.of(CLERK))
    recorded = media.MediaInput(
        title="执法记录",
        kind="video",
        device="DSJ-0815",
        officer_id=None,
        started_at=dt.datetime(2026, 11, 20, 1, 30, tzinfo=dt.UTC),
        ended_at=dt.datetime(2026, 11, 20, 1, 40, tzinfo=dt.UTC),
        step="serve_decision",
    )
    return [
        (
            "write a 备注",
            lambda w: dossier_records.set_remark(w.database, clerk(w), case(w), "photos", "备注"),
            True,
        ),
        (
            "move an item",
            lambda w: dossier_records.set_order_override(
                w.database, clerk(w), case(w), "photos", 1, "调整"
            ),
            True,
        ),
        (
            "write the 备考表",
            lambda w: dossier_records.set_backnotes(
                w.database, clerk(w), case(w), "说明", "王芳", "刘洋"
            ),
            True,
        ),
        (
            "attach a scan",
            lambda w: scans.attach_scan(
                w.database, clerk(w), w.ids["issued"], [make_photo(w.root.parent / "s.jpg")], TODAY
            ),
            True,
        ),
        (
            "remove a scan",
            lambda w: scans.remove_scan(w.database, clerk(w), w.ids["scan"], "扫描错了"),
            True,
        ),
        (
            "import a recording",
            lambda w: media.import_media(
                w.database,
                clerk(w),
                case(w),
                _recording(w.root.parent),
                replace(recorded, officer_id=w.of(HANDLER).user_id),
            ),
            True,
        ),
        (
            "attach a photo",
            lambda w: case_photos.attach_case_photo(
                w.database,
                clerk(w),
                case(w),
                make_photo(w.root.parent / "p.jpg"),
                case_photos.PhotoInput("现场"),
            ),
            True,
        ),
        (
            "caption a photo",
            lambda w: case_photos.edit_photo_evidence(
                w.database,
                clerk(w),
                case_photos.PhotoRef("case_photo", w.ids["photo"]),
                case_photos.PhotoInput("改写的说明"),
            ),
            True,
        ),
        (
            "caption a photo of the linked inspection",
            lambda w: case_photos.edit_photo_evidence(
                w.database,
                clerk(w),
                case_photos.PhotoRef("inspection_photo", w.ids["inspection_photo"]),
                case_photos.PhotoInput("改写的说明"),
            ),
            True,
        ),
        (
            "delete a photo of the linked inspection",
            lambda w: in_action(
                w,
                HANDLER,
                lambda s, c: s.record_deletion(
                    get(s, InspectionPhoto, w.ids["inspection_photo"]), "删"
                ),
            ),
            True,
        ),
        (
            "void a paper of the linked inspection",
            lambda w: in_action(
                w,
                HANDLER,
                lambda s, c: record_change(
                    s, get(s, CaseDocument, w.ids["inspection_paper"]), status="voided"
                ),
            ),
            True,
        ),
        (
            "correct a paper of the linked inspection",
            lambda w: documents.correct_document(
                w.database, w.of(HANDLER), w.ids["inspection_paper"], "改"
            ),
            True,
        ),
        (
            "archive again",
            lambda w: archiving.archive_case(w.database, w.of(LEADER), case(w), TODAY),
            False,
        ),
    ]


def _recording(folder: Path) -> Path:
    path = folder / "record.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(4096))
    return path


CALLS += dossier_calls()


def _added(scope: ActionScope, record: Any) -> Any:
    scope.session.add(record)
    return record


@pytest.mark.parametrize(("name", "call", "by_lock"), CALLS, ids=[name for name, *_ in CALLS])
def test_every_change_to_an_archived_case_is_refused(
    world: World, name: str, call: Callable[[World], Any], by_lock: bool
) -> None:
    """Refused with a Chinese message (the lock's names the case and the way out), and nothing
    of the case, its drafts, the audit trail or the outbox changed."""
    with world.database.read() as session:
        before = case_state(session, world.ids["case"])
    files = stored_files(world.root)
    with pytest.raises(UserError) as refused:
        call(world)
    if by_lock:
        assert isinstance(refused.value, ArchivedCaseLocked), refused.value
        assert refused.value.case_no and refused.value.case_no in str(refused.value)
        assert refused.match(LOCKED)
    with world.database.read() as session:
        assert case_state(session, world.ids["case"]) == before
    assert stored_files(world.root) == files


def test_the_archive_and_reopen_steps_are_taken_only_with_the_scope_allowed(world: World) -> None:
    """The case is archived (the fixture's step passed); the same step on a closed case outside
    an allowed action is refused by the lock, as entering 已归档 is the archive service's alone."""
    with world.database.read() as session:
        case = session.get(Case, world.ids["case"])
        assert case is not None and case.stage == str(Stage.ARCHIVED)
        other = session.scalars(
            select(Case.id).where(Case.squad_id == case.squad_id, Case.stage == str(Stage.CLOSED))
        ).first()
    assert other is not None
    leader = world.of(LEADER)
    with pytest.raises(ArchivedCaseLocked), user_action(world.database, leader, "归档") as scope:
        found = scope.session.get(Case, other)
        assert found is not None
        take_step(scope, found, find_action("archive"), StepInput(on=TODAY), TODAY)
    with world.database.read() as session:
        found = session.get(Case, other)
        assert found is not None and found.stage == str(Stage.CLOSED)


def test_the_linked_inspection_goes_on(world: World) -> None:
    """A new paper of the archived case's linked inspection is not an item of the frozen
    volume: a draft is made and discarded."""
    zhang = world.of(HANDLER)
    draft = documents.create_draft(
        world.database, zhang, type_key="rectification_order", inspection_id=world.ids["inspection"]
    )
    documents.discard_draft(world.database, zhang, draft)


def test_an_open_case_still_changes(world: World, tmp_path: Path) -> None:
    """The lock is about archived cases only: the same kind of edit on a closed case passes."""
    with world.database.read() as session:
        other = session.scalars(
            select(Case.id).where(
                Case.squad_id == world.of(LEADER).squad_id, Case.stage == str(Stage.CLOSED)
            )
        ).first()
    assert other is not None
    draft = documents.create_draft(
        world.database, world.of(HANDLER), type_key="investigation_report", case_id=other
    )
    documents.discard_draft(world.database, world.of(HANDLER), draft)
