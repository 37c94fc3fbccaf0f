"""Running a case through the procedure: who may act, what the guard refuses, what is recorded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.domain.penalties.discretion import Tier
from fuanjian_desktop.domain.procedure import Procedure, Stage
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import (
    Case,
    CaseDeadlineRow,
    CaseEvent,
    CaseViolation,
    OutboxEntry,
)
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases import cases
from fuanjian_desktop.services.cases.case_actions import ProcedureRefused, StepInput, perform
from fuanjian_desktop.services.cases.case_queries import case_view
from fuanjian_desktop.services.unit_of_work import user_action
from fuanjian_desktop.services.users import NewUser, add_user
from tests.cases import (
    aq_hazard_id,
    ensure_number_block,
    open_plain_case,
    perform_written,
)

D = dt.date
TODAY = D(2026, 11, 26)
SignIn = Callable[[str], Actor]


def step(
    db: Database, actor: Actor, case_id: str, code: str, today: dt.date = TODAY, **values: object
) -> None:
    """Take one step, by default on the fixed test day."""
    perform_written(db, actor, case_id, code, StepInput(**values), today=today)  # type: ignore[arg-type]


def stage_of(db: Database, case_id: str) -> Stage:
    """The case's stage as stored."""
    with db.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return Stage(case.stage)


@pytest.fixture
def case_id(demo_database: Database, sign_in: SignIn) -> str:
    """A case opened by 张伟 (with 李娜) on a complaint on 2026-11-02: a first finding, so the
    charge below is in 第九十七条's first-stage range (a hazard case would be 逾期未改正)."""
    zhang, li = sign_in("zhangwei"), sign_in("lina")
    return open_plain_case(demo_database, zhang, li.user_id or "", D(2026, 11, 2))


def charge(db: Database, actor: Actor, case_id: str, fine: int = 20000) -> None:
    """Charge the case's own violation with a lawful fine."""
    first = _codes(db, case_id)[0]
    cases.set_violations(db, actor, case_id, [cases.ViolationChoice(first, Tier.ORDINARY, fine)])


def _codes(db: Database, case_id: str) -> list[str]:
    with db.read() as session:
        return list(
            session.scalars(select(CaseViolation.code).where(CaseViolation.case_id == case_id))
        )


def test_a_case_runs_from_filing_to_closing(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """立案 → … → 结案 with every document numbered, an empty guard and a full timeline; 归档
    is not a step of the case page (the 案卷 page takes it, with the volume)."""
    db, zhang, leader = demo_database, sign_in("zhangwei"), sign_in("liuyang")
    reviewer, clerk = sign_in("chenjing"), sign_in("wangfang")
    step(db, leader, case_id, "approve_filing", on=D(2026, 11, 2))
    charge(db, zhang, case_id)
    step(db, zhang, case_id, "end_investigation", on=D(2026, 11, 10))
    step(db, reviewer, case_id, "pass_review", on=D(2026, 11, 11))
    step(db, zhang, case_id, "serve_notice", on=D(2026, 11, 12), served_method="直接送达")
    step(db, zhang, case_id, "record_statement", on=D(2026, 11, 13), note="称已整改")
    step(db, zhang, case_id, "submit_decision", on=D(2026, 11, 20))
    step(db, leader, case_id, "approve_decision", on=D(2026, 11, 20))
    step(db, zhang, case_id, "serve_decision", on=D(2026, 11, 23), served_method="直接送达")
    step(db, clerk, case_id, "publish_decision", on=D(2026, 11, 24))
    with pytest.raises(UserError, match="无需重复"):
        step(db, clerk, case_id, "publish_decision")
    step(db, clerk, case_id, "record_payment", on=D(2026, 11, 25), amount=20000)
    step(db, clerk, case_id, "submit_closing", on=D(2026, 11, 25))
    step(db, leader, case_id, "approve_closing", on=D(2026, 11, 26))
    for code, label in (("archive", "批准归档"), ("reopen_archive", "重新打开案卷")):
        with pytest.raises(UserError, match=f"“{label}”在“案卷”页办理"):
            perform(db, leader, case_id, code, StepInput(on=D(2026, 11, 26), note="理由"), TODAY)
    view = case_view(db, zhang, case_id, TODAY)
    assert view.stage is Stage.CLOSED and view.outcome == "行政处罚"
    assert view.defects == []
    assert len(view.timeline) == 12
    numbers = [number for title, number, *_ in view.documents if title != "当事人陈述申辩笔录"]
    assert len(numbers) == len(set(numbers)) == 7 and "（无文号）" not in numbers
    statuses = {title: status for title, _, status, *_ in view.documents}
    assert statuses.pop("当事人陈述申辩笔录") == "已定稿"  # a record without a 文号
    assert set(statuses.values()) <= {"已签发", "已送达"}


def test_only_the_right_person_takes_a_step(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """An inspector cannot approve 立案; a non-handler cannot end the investigation; another
    squad's inspector may not touch the case at all."""
    db = demo_database
    with pytest.raises(UserError, match="中队负责人"):
        step(db, sign_in("zhangwei"), case_id, "approve_filing")
    step(db, sign_in("liuyang"), case_id, "approve_filing", on=D(2026, 11, 2))
    with pytest.raises(UserError, match="本案承办人"):
        step(db, sign_in("wangfang"), case_id, "end_investigation")
    with pytest.raises(PermissionDenied, match="不属于您所在中队"):
        step(db, sign_in("huangmin"), case_id, "end_investigation")


def test_a_reviewer_who_handles_the_case_cannot_review_it(
    demo_database: Database, sign_in: SignIn
) -> None:
    """A user who is both inspector and reviewer may not review a case they handle."""
    db, zhang = demo_database, sign_in("zhangwei")
    with user_action(db, zhang, "测试") as scope:
        add_user(
            scope,
            NewUser(
                "dual",
                "双岗",
                zhang.squad_id or "",
                (Role.INSPECTOR, Role.LEGAL_REVIEWER),
                demo.DEMO_PASSWORD,
                "44030419099",
            ),
            db,
        )
    dual = auth.sign_in(db, "dual", demo.DEMO_PASSWORD)
    case_id = open_plain_case(db, dual, zhang.user_id or "", D(2026, 11, 2))
    step(db, sign_in("liuyang"), case_id, "approve_filing", on=D(2026, 11, 2))
    charge(db, dual, case_id)
    step(db, dual, case_id, "end_investigation", on=D(2026, 11, 10))
    with pytest.raises(UserError, match="承办人不能审核"):
        step(db, dual, case_id, "pass_review")


def test_a_refused_step_writes_nothing(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """Deciding inside the statement period is refused with the defect; no row changes."""
    db, zhang = demo_database, sign_in("zhangwei")
    step(db, sign_in("liuyang"), case_id, "approve_filing", on=D(2026, 11, 2))
    charge(db, zhang, case_id)
    step(db, zhang, case_id, "end_investigation", on=D(2026, 11, 10))
    step(db, sign_in("chenjing"), case_id, "pass_review", on=D(2026, 11, 11))
    step(db, zhang, case_id, "serve_notice", on=D(2026, 11, 24), served_method="直接送达")
    before = _counts(db)
    with pytest.raises(ProcedureRefused, match="陈述申辩期") as refused:
        step(db, zhang, case_id, "submit_decision", on=D(2026, 11, 26))
    assert [d.code for d in refused.value.defects] == ["statement_period_open"]
    assert _counts(db) == before and stage_of(db, case_id) is Stage.STATEMENT


def _counts(db: Database) -> tuple[int, int]:
    with db.read() as session:
        events = session.scalar(select(func.count()).select_from(CaseEvent)) or 0
        outbox = session.scalar(select(func.count()).select_from(OutboxEntry)) or 0
        return events, outbox


def test_waiving_the_statement_period_recomputes_the_stored_deadline(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """The party's waiver cancels the statement period at once; the decision may follow."""
    db, zhang = demo_database, sign_in("zhangwei")
    step(db, sign_in("liuyang"), case_id, "approve_filing", on=D(2026, 11, 2))
    charge(db, zhang, case_id)
    step(db, zhang, case_id, "end_investigation", on=D(2026, 11, 10))
    step(db, sign_in("chenjing"), case_id, "pass_review", on=D(2026, 11, 11))
    step(db, zhang, case_id, "serve_notice", on=D(2026, 11, 24), served_method="直接送达")
    assert _deadline_state(db, case_id, "statement_period") == "open"
    step(db, zhang, case_id, "waive_statement", on=D(2026, 11, 25), note="当事人书面放弃")
    assert _deadline_state(db, case_id, "statement_period") == "cancelled"
    step(db, zhang, case_id, "submit_decision", on=D(2026, 11, 26))
    assert stage_of(db, case_id) is Stage.DECISION_APPROVAL


def _deadline_state(db: Database, case_id: str, rule_id: str) -> str:
    with db.read() as session:
        row = session.get(CaseDeadlineRow, (case_id, rule_id))
        assert row is not None
        return row.state


def test_returning_for_investigation_undoes_the_later_milestones(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """退回补充调查 needs a reason and clears 调查终结, so it is taken again."""
    db, zhang, reviewer = demo_database, sign_in("zhangwei"), sign_in("chenjing")
    step(db, sign_in("liuyang"), case_id, "approve_filing", on=D(2026, 11, 2))
    charge(db, zhang, case_id)
    step(db, zhang, case_id, "end_investigation", on=D(2026, 11, 10))
    with pytest.raises(UserError, match="须写明理由"):
        step(db, reviewer, case_id, "return_for_investigation")
    step(db, reviewer, case_id, "return_for_investigation", note="证据不足，补充询问笔录")
    assert stage_of(db, case_id) is Stage.INVESTIGATION
    actions = [a.code for a in case_view(db, zhang, case_id, TODAY).actions]
    assert "end_investigation" in actions


def test_extension_lifts_the_overdue_case_limit(demo_database: Database, sign_in: SignIn) -> None:
    """A case filed 100 days ago is blocked until an extension the leader approved before the
    90 days ran out (Monday 2026-11-16) is recorded; one approved today, after them, is refused."""
    db, zhang, leader = demo_database, sign_in("zhangwei"), sign_in("liuyang")
    case_id = open_plain_case(db, zhang, sign_in("lina").user_id or "", D(2026, 8, 18))
    step(db, leader, case_id, "approve_filing", today=D(2026, 8, 18))
    charge(db, zhang, case_id)
    with pytest.raises(ProcedureRefused, match="办案期限"):
        step(db, zhang, case_id, "end_investigation")
    with pytest.raises(ProcedureRefused, match="已于2026年11月16日届满"):
        step(db, leader, case_id, "approve_extension", days=30, note="案情复杂")
    step(db, leader, case_id, "approve_extension", on=D(2026, 11, 16), days=30, note="案情复杂")
    step(db, zhang, case_id, "end_investigation")
    with db.read() as session:
        case = session.get(Case, case_id)
        assert case is not None and case.extension_days == 30


def test_simplified_procedure_on_the_spot(demo_database: Database, sign_in: SignIn) -> None:
    """当场处罚: numbered by its decision, decided and served at once, paid, closed."""
    db, zhang, li = demo_database, sign_in("zhangwei"), sign_in("lina")
    ensure_number_block(db, zhang, TODAY.year)
    prefill = cases.prefill_from_hazard(db, zhang, aq_hazard_id(db, zhang.squad_id, TODAY))
    draft = cases.with_handlers(prefill.draft, [zhang.user_id or "", li.user_id or ""])
    code = draft.violations[0].code
    simple = replace(
        draft,
        hazard_ids=(),  # on the day the inspection found it: a first finding
        other_penalties=(),
        procedure=Procedure.SIMPLE,
        violations=(cases.ViolationChoice(code, Tier.LENIENT, 2000),),
        opened_on=TODAY,
    )
    case_id = cases.open_case(db, zhang, simple)
    step(db, zhang, case_id, "decide_onsite", recipient="负责人")
    step(db, sign_in("wangfang"), case_id, "record_payment", amount=2000)
    step(db, sign_in("wangfang"), case_id, "submit_closing")
    step(db, sign_in("liuyang"), case_id, "approve_closing")
    view = case_view(db, zhang, case_id, TODAY)
    assert view.case_no.startswith("（深福）应急罚当〔2026〕")
    assert view.documents[0][1] == view.case_no and view.stage is Stage.CLOSED
