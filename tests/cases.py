"""Helpers for tests that need cases: a number block for the laptop, a case from a hazard, and
a step taken with its documents written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo_documents import blanks_only, prepare_step_drafts
from fuanjian_desktop.domain.documents.document_types import document_type
from fuanjian_desktop.domain.guard.document_guard import is_empty
from fuanjian_desktop.domain.penalties.violations import Tier
from fuanjian_desktop.domain.procedure import Procedure, find_action
from fuanjian_desktop.models import Case, CaseDocument, Enterprise, Hazard, NumberBlock
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases import cases
from fuanjian_desktop.services.cases.case_actions import StepInput, step_documents, take_step
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.lookup import fetch
from fuanjian_desktop.services.numbering import device_id, grant_block
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

# what a handler writes where a test case's records leave a required field blank (the demo's
# stories fill these from their records: a 裁量理由 from the 裁量 form, a conclusion from the step)
HEARING_OPENED, FILED = dt.date(2030, 1, 2), dt.date(2030, 1, 3)  # a year no demo case uses
SERVED = {"served_method": "直接送达", "recipient": "张三"}
TEST_BLANKS = {
    "investigation_report": {
        "discretion_reason": "当事人违法行为情节一般，按一般阶次裁量。",
        "conclusion": "建议给予行政处罚。",
    },
    "case_handling_approval": {"handler_opinion": "建议给予行政处罚。"},
}


def ensure_number_block(database: Database, actor: Actor, year: int) -> None:
    """Give this laptop a block for ``year`` unless it already holds one (the demo grants some)."""
    with user_action(database, actor, "号段") as scope:
        mine = select(NumberBlock.id).where(
            NumberBlock.year == year, NumberBlock.device_id == device_id(scope.session)
        )
        if scope.session.scalar(mine) is None:
            taken = scope.session.scalars(select(NumberBlock.last).where(NumberBlock.year == year))
            first = max(taken, default=0) + 1
            grant_block(scope, year, first, first + 499, actor.squad_id or "")


def aq_hazard_id(database: Database, squad_id: str | None, on: dt.date) -> str:
    """A demo hazard of the squad, overdue on ``on``, whose violation is the 应急 bureau's (AQ-)."""
    with database.read() as session:
        query = select(Hazard.id).where(
            Hazard.violation_code.like("AQ-%"),
            Hazard.status.in_(("transferred", "not_rectified", "pending")),
            Hazard.due_date < on,
            Hazard.squad_id == squad_id,
        )
        hazard_id = session.scalars(query.order_by(Hazard.found_on)).first()
    assert hazard_id is not None
    return hazard_id


def open_hazard_case(
    database: Database, handler: Actor, partner_id: str, opened_on: dt.date
) -> str:
    """Open a general-procedure case from a demo hazard, handled by ``handler`` and a partner."""
    ensure_number_block(database, handler, opened_on.year)
    prefill = cases.prefill_from_hazard(
        database, handler, aq_hazard_id(database, handler.squad_id, opened_on)
    )
    draft = cases.with_handlers(prefill.draft, [handler.user_id or "", partner_id])
    return cases.open_case(database, handler, replace(draft, opened_on=opened_on))


def open_plain_case(database: Database, handler: Actor, partner_id: str, opened_on: dt.date) -> str:
    """Open a general-procedure case (投诉举报, 未按规定培训) against an enterprise of the squad."""
    ensure_number_block(database, handler, opened_on.year)
    with database.read() as session:
        query = select(Enterprise.id).where(
            Enterprise.squad_id == handler.squad_id, Enterprise.uscc.is_not(None)
        )
        enterprise_id = session.scalars(query.order_by(Enterprise.name)).first()
    assert enterprise_id is not None
    draft = cases.NewCase(
        procedure=Procedure.GENERAL,
        source="complaint",
        party=cases.Party("enterprise", enterprise_id),
        cause="未按规定对从业人员进行安全生产教育和培训",
        handler_ids=(handler.user_id or "", partner_id),
        violations=(cases.ViolationChoice("AQ-97-3"),),
        facts="接群众投诉举报，经现场核查，当事人未按规定对从业人员进行安全生产教育和培训。",
        opened_on=opened_on,
    )
    return cases.open_case(database, handler, draft)


def perform_written(
    database: Database,
    actor: Actor,
    case_id: str,
    action_code: str,
    step: StepInput,
    today: dt.date | None = None,
) -> None:
    """Take a step as a person does once the step's documents are written: drafts holding what
    the demo story types into them, then the step, in one action (a refusal writes nothing)."""
    action = find_action(action_code)
    today = today or local_today()
    with user_action(database, actor, action.label) as scope:
        case = fetch(scope.session, Case, case_id)
        documents = step_documents(scope.session, case, action, today)
        unprepared = [key for key in documents if _first_draft(scope, case, key) is None]
        prepare_step_drafts(scope, case, unprepared, step.on or today)
        _fill_blanks(scope, case, documents, step.on or today)
        take_step(scope, case, action, step, today)


def _fill_blanks(scope: ActionScope, case: Case, documents: list[str], on: dt.date) -> None:
    """Write :data:`TEST_BLANKS` into the step's drafts where the records leave them blank."""
    for type_key in set(documents) & set(TEST_BLANKS):
        draft = _first_draft(scope, case, type_key)
        if draft is None:
            title = document_type(type_key).title
            draft = CaseDocument(
                case_id=case.id, type_key=type_key, title=title, status="draft", values={}
            )
            scope.session.add(draft)
        typed = blanks_only(scope, draft, TEST_BLANKS[type_key], on)
        blank = {name: value for name, value in typed.items() if is_empty(draft.values.get(name))}
        draft.values = {**draft.values, **blank}


def _first_draft(scope: ActionScope, case: Case, type_key: str) -> CaseDocument | None:
    """The draft of ``type_key`` a step of ``case`` would issue, if one is prepared."""
    return scope.session.scalars(
        select(CaseDocument)
        .where(
            CaseDocument.case_id == case.id,
            CaseDocument.type_key == type_key,
            CaseDocument.status == "draft",
            CaseDocument.corrects_id.is_(None),
        )
        .order_by(CaseDocument.created_at)
    ).first()


def case_at_hearing(db: Database, sign_in: Callable[[str], Actor]) -> str:
    """A case (opened 2030-01-02) fined 100,000 元, so a hearing must be offered, discussed
    collectively, its notice served on 01-09 and a hearing asked for on 01-10."""
    zhang, leader, reviewer = sign_in("zhangwei"), sign_in("liuyang"), sign_in("chenjing")
    case_id = open_plain_case(db, zhang, sign_in("lina").user_id or "", HEARING_OPENED)
    perform_written(db, leader, case_id, "approve_filing", StepInput(on=FILED), FILED)
    fine = cases.ViolationChoice("AQ-97-3", Tier.SEVERE, 100000)
    cases.set_violations(db, zhang, case_id, [fine])
    steps = [
        (zhang, "end_investigation", dt.date(2030, 1, 7), {}),
        (reviewer, "pass_review", dt.date(2030, 1, 8), {}),
        (leader, "record_discussion", dt.date(2030, 1, 8), {"note": "同意拟处罚意见"}),
        (zhang, "serve_notice", dt.date(2030, 1, 9), SERVED),
        (zhang, "request_hearing", dt.date(2030, 1, 10), {"note": "当事人书面申请听证"}),
    ]
    for actor, code, on, values in steps:
        perform_written(db, actor, case_id, code, StepInput(on=on, **values), on)  # type: ignore[arg-type]
    return case_id
