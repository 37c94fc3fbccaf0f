"""The demo cases: every stage, lawful procedure, real numbers and deadlines, non-empty statistics.

The demo is built once for this module at a fixed moment, so the assertions do not depend on
the day the tests run (the shared demo database, built at the real now, exercises the rest).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.domain.case_deadlines import hearing_notice_gap_ok
from fuanjian_desktop.domain.documents.document_types import document_type
from fuanjian_desktop.domain.procedure import Procedure, Stage
from fuanjian_desktop.models import (
    Case,
    CaseDocument,
    CaseEvent,
    CaseRemedy,
    Hazard,
    IssuedNumber,
    User,
)
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_facts import case_violations, milestones_of
from fuanjian_desktop.services.cases.case_queries import (
    OVERDUE,
    CaseFilter,
    approval_ids,
    case_view,
    search_case_ids,
)
from fuanjian_desktop.services.setup import create_encrypted_database
from fuanjian_desktop.services.statistics import enforcement_statistics

NOW = dt.datetime(2026, 11, 26, 4, 0, tzinfo=dt.UTC)
TODAY = NOW.astimezone().date()
EVERY_STAGE = {
    Stage.FILING_APPROVAL,
    Stage.INVESTIGATION,
    Stage.LEGAL_REVIEW,
    Stage.COLLECTIVE,
    Stage.STATEMENT,
    Stage.HEARING,
    Stage.DECISION_APPROVAL,
    Stage.SERVICE,
    Stage.EXECUTION,
    Stage.CLOSING_APPROVAL,
    Stage.CLOSED,
    Stage.ARCHIVED,
    Stage.NOT_FILED,
    Stage.REVOKED,
    Stage.TRANSFERRED,
}


@pytest.fixture(scope="module")
def fixed_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo as built on 2026-11-26."""
    database = create_encrypted_database(DataFolder(tmp_path_factory.mktemp("fixed-demo")))
    demo.create_demo(database, now=NOW)
    yield database
    database.close()


@pytest.fixture(scope="module")
def leader(fixed_demo: Database) -> Actor:
    """The 园岭 squad leader 刘洋, who sees every case of the squad."""
    return actor(fixed_demo, "liuyang")


def actor(database: Database, username: str) -> Actor:
    """A demo account as an actor (no password check needed here)."""
    with database.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return Actor.of(user)


def all_cases(database: Database) -> list[Case]:
    """Every demo case, oldest first."""
    with database.read() as session:
        return list(session.scalars(select(Case).order_by(Case.opened_on, Case.case_no)))


def events(database: Database, case_id: str) -> list[CaseEvent]:
    """The case's timeline."""
    query = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.occurred_on)
    with database.read() as session:
        return list(session.scalars(query))


def test_the_demo_has_a_case_in_every_stage(fixed_demo: Database) -> None:
    """At least 15 cases, every stage from 立案审批 to 已归档 and each way a case can end."""
    found = all_cases(fixed_demo)
    assert len(found) >= 15
    assert {Stage(case.stage) for case in found} >= EVERY_STAGE
    onsite = [case for case in found if case.procedure == Procedure.SIMPLE.value]
    assert onsite and all(0 < case.total_fine <= 3000 for case in onsite)
    squads = {case.squad_id for case in found}
    assert len(squads) == 2
    assert demo.demo_case_count(fixed_demo) == len(found)


# Every step a demo story shows, written by hand: making the demo lawful must never drop one.
STORY_STEPS = {
    "approve_filing", "refuse_filing", "transfer_case", "revoke_filing",
    "preserve_evidence", "decide_preservation", "approve_extension", "end_investigation",
    "pass_review", "record_discussion", "serve_notice", "record_statement", "request_hearing",
    "schedule_hearing", "hold_hearing", "submit_decision", "approve_decision", "decide_onsite",
    "serve_decision", "publish_decision", "record_payment", "approve_deferral",
    "serve_payment_reminder", "impose_surcharge", "serve_enforcement_reminder", "apply_court",
    "submit_closing", "approve_closing", "archive", "record_remedy",
}  # fmt: skip


def test_every_demo_story_still_shows_its_procedure(fixed_demo: Database) -> None:
    """Each step of the stories (听证, 先行登记保存, 延期, 加处罚款, 移送 …) is on record."""
    with fixed_demo.read() as session:
        taken = set(session.scalars(select(CaseEvent.action)))
    assert STORY_STEPS - taken == set()


def test_cases_from_unrectified_hazards_are_at_the_overdue_stage(fixed_demo: Database) -> None:
    """Seven cases come from field work: hazards found unrectified, now 移交立案; their stage is
    逾期未改正 (derived from the hazard), so each is charged at that stage's range."""
    from_field = [case for case in all_cases(fixed_demo) if case.source == "inspection"]
    assert len(from_field) == 7
    with fixed_demo.read() as session:
        statuses = set(session.scalars(select(Hazard.status).where(Hazard.closed_on.is_not(None))))
        charged = [case_violations(session, case.id) for case in from_field]
    assert "transferred" in statuses
    assert all(row.overdue for rows in charged for row in rows)


def test_the_guard_finds_no_defect_in_any_demo_case(fixed_demo: Database) -> None:
    """The demo is lawful: every case page's guard is empty, the complete case included (read
    by the 区局's viewer, who sees every squad's cases)."""
    bureau = actor(fixed_demo, "xulin")
    defects = {
        case.case_no: [d.text for d in case_view(fixed_demo, bureau, case.id, TODAY).defects]
        for case in all_cases(fixed_demo)
    }
    assert {number: found for number, found in defects.items() if found} == {}


def test_closed_penalty_cases_have_every_document_numbered_and_served(
    fixed_demo: Database,
) -> None:
    """Closed cases: each 文号 given, each document to serve served; the complete one published."""
    closed = [
        case
        for case in all_cases(fixed_demo)
        if case.stage == Stage.CLOSED.value and case.procedure == Procedure.GENERAL.value
    ]
    assert closed
    with fixed_demo.read() as session:
        for case in closed:
            documents = session.scalars(select(CaseDocument).where(CaseDocument.case_id == case.id))
            for document in documents:
                kind = document_type(document.type_key)
                assert document.number or not kind.numbered, document.title
                assert document.status == ("served" if kind.served else "issued"), document.title
    complete = [c for c in closed if c.paid_amount == c.total_fine and c.source == "inspection"]
    assert complete, "a case from field work taken all the way and paid"
    assert "published" in milestones_of(events(fixed_demo, complete[0].id))


def test_numbers_rise_with_the_dates(fixed_demo: Database) -> None:
    """Within a document kind and year, a later document never has a smaller serial."""
    with fixed_demo.read() as session:
        rows = session.execute(
            select(IssuedNumber.code, IssuedNumber.year, IssuedNumber.serial)
            .select_from(CaseDocument)
            .join(IssuedNumber, IssuedNumber.text == CaseDocument.number)
            .order_by(CaseDocument.issued_on, IssuedNumber.serial)
        ).all()
    serials: dict[tuple[str, int], list[int]] = defaultdict(list)
    for code, year, serial in rows:
        serials[code, year].append(serial)
    assert serials[("应急立", TODAY.year)]
    for found in serials.values():
        assert found == sorted(set(found))


def test_a_case_past_ninety_days_runs_on_an_extension_approved_in_time(
    fixed_demo: Database,
) -> None:
    """Filed over ninety days ago, still under investigation, lawfully: its 办案期限 was extended
    by 30 days (行政处罚法第六十条) before the ninety days ran out, so no case is overdue."""
    bureau = actor(fixed_demo, "xulin")  # every squad's cases
    assert search_case_ids(fixed_demo, bureau, CaseFilter(due=OVERDUE), TODAY) == []
    with fixed_demo.read() as session:
        extended = session.scalars(select(Case).where(Case.stage == Stage.INVESTIGATION.value))
        late = [c for c in extended if c.filed_on and (TODAY - c.filed_on).days > 90]
    assert len(late) == 1
    case = late[0]
    assert case.filed_on is not None and case.extension_days == 30
    assert case.next_due_label == "办案期限"
    due = case.filed_on + dt.timedelta(days=120)  # rolled on past a rest day
    assert case.next_due_on is not None and due <= case.next_due_on <= due + dt.timedelta(days=9)
    assert case.next_due_on > TODAY
    approved = next(e for e in events(fixed_demo, case.id) if e.action == "approve_extension")
    assert approved.occurred_on < case.filed_on + dt.timedelta(days=90)


def test_waiting_steps_and_open_windows(fixed_demo: Database, leader: Actor) -> None:
    """陈静 has the 法制审核 case; the 陈述申辩期 is open; the hearing is 7 working days out."""
    by_stage = {Stage(case.stage): case for case in all_cases(fixed_demo)}
    reviewer = actor(fixed_demo, "chenjing")
    assert by_stage[Stage.LEGAL_REVIEW].id in approval_ids(fixed_demo, reviewer, TODAY)
    assert by_stage[Stage.FILING_APPROVAL].id in approval_ids(fixed_demo, leader, TODAY)
    statement = case_view(fixed_demo, leader, by_stage[Stage.STATEMENT].id, TODAY)
    window = next(d for d in statement.deadlines if d.label == "陈述申辩期")
    assert window.state == "期间未届满"
    hearing = milestones_of(events(fixed_demo, by_stage[Stage.HEARING].id))
    assert hearing["hearing_scheduled"] > TODAY
    assert hearing_notice_gap_ok(hearing["hearing_notice_sent"], hearing["hearing_scheduled"])


def test_a_hearing_was_held_and_remedies_are_recorded(fixed_demo: Database) -> None:
    """A case went through a hearing; 复议 维持 and 在审 and a won lawsuit are on record."""
    with fixed_demo.read() as session:
        held = session.scalars(select(CaseEvent).where(CaseEvent.action == "hold_hearing")).all()
        remedies = {(r.kind, r.result) for r in session.scalars(select(CaseRemedy))}
    assert held
    assert {
        ("reconsideration", "维持"),
        ("reconsideration", "在审"),
        ("litigation", "胜诉"),
    } <= remedies


def test_this_years_statistics_are_not_empty(fixed_demo: Database) -> None:
    """`stats --year <this year>` shows the demo's work in the figures the bureau reports."""
    figures = dict(enforcement_statistics(fixed_demo, TODAY.year))
    for name in ("立案", "作出处罚决定", "罚没金额", "听证", "陈述申辩", "检查企业", "发现隐患"):
        assert figures[name] > 0, name


def test_the_demo_dates_stay_within_last_year_and_this_year(fixed_demo: Database) -> None:
    """No step is dated after the demo's today, and no case before last year (its number blocks)."""
    with fixed_demo.read() as session:
        dates = list(session.scalars(select(CaseEvent.occurred_on)))
    assert max(dates) <= TODAY
    assert min(case.opened_on for case in all_cases(fixed_demo)).year >= TODAY.year - 1
