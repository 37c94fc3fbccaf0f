"""The case service charges violations on the basis derived from the records: a hazard found
unrectified makes the 逾期未改正 stage and its mandatory penalties, a 个体工商户's operator
answers as the business, a typed basis the records contradict is refused, and a stage chosen
where the law leaves room is stored and audited with its reason.

Ranges are the statute's (安全生产法第九十七条、第九十九条), written here by hand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.codes import id_check_char
from fuanjian_desktop.domain.guard.case_guard import case_defects
from fuanjian_desktop.domain.penalties.discretion import (
    Circumstance,
    CircumstanceKind,
    DiscretionFacts,
    suggest,
)
from fuanjian_desktop.domain.penalties.violations import find_violation
from fuanjian_desktop.domain.procedure import Procedure
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import AuditEvent, Case, Enterprise, Hazard, User
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases import cases
from fuanjian_desktop.services.cases.case_facts import facts_of
from fuanjian_desktop.services.procedure_settings import current_settings
from tests.cases import ensure_number_block

TODAY = dt.date(2026, 11, 26)
STOP = "责令停产停业整顿"
SignIn = Callable[[str], Actor]
EXEMPTING = CircumstanceKind.EXEMPTING


def team(sign_in: SignIn, database: Database) -> tuple[Actor, tuple[str, str]]:
    """张伟 with 李娜, and a number block for this year."""
    zhang, li = sign_in("zhangwei"), sign_in("lina")
    ensure_number_block(database, zhang, TODAY.year)
    return zhang, (zhang.user_id or "", li.user_id or "")


def from_hazard(database: Database, sign_in: SignIn, code: str) -> str:
    """A case opened from the demo hazard of ``code`` that a 复查 found unrectified."""
    zhang, handlers = team(sign_in, database)
    with database.read() as session:
        query = select(Hazard.id).where(
            Hazard.violation_code == code, Hazard.status == "not_rectified"
        )
        hazard_id = session.scalars(query.order_by(Hazard.id)).first()
    assert hazard_id is not None
    draft = cases.prefill_from_hazard(database, sign_in("zhangwei"), hazard_id).draft
    draft = replace(draft, handler_ids=handlers, opened_on=TODAY)
    return cases.open_case(database, zhang, draft)


def against_person(database: Database, sign_in: SignIn, party: cases.Party) -> str:
    """A complaint case against a person, charging 第九十七条第（三）项."""
    zhang, handlers = team(sign_in, database)
    draft = cases.NewCase(
        procedure=Procedure.GENERAL,
        source="complaint",
        party=party,
        cause="未按照规定对从业人员进行安全生产教育和培训",
        handler_ids=handlers,
        violations=(cases.ViolationChoice("AQ-97-3"),),
        opened_on=TODAY,
    )
    return cases.open_case(database, zhang, draft)


def suggested(database: Database, case_id: str, code: str) -> cases.ViolationChoice:
    """The 裁量 the form proposes for ``code`` on its derived basis (as the dialog does)."""
    with database.read() as session:  # the case's squad: one of its users reads it
        squad_id = session.get(Case, case_id).squad_id
        reader = session.scalars(select(User).where(User.squad_id == squad_id)).first()
    basis = cases.charged_violations(database, Actor.of(reader), case_id).basis(code)
    facts = DiscretionFacts(str(basis.party_type), frozenset(), basis.stage.overdue)
    suggestion = suggest(find_violation(code), facts)
    return cases.ViolationChoice(
        code,
        suggestion.tier,
        suggestion.suggested_fine,
        suggestion.reason,
        target=str(basis.party_type),
        overdue=basis.stage.overdue,
    )


def test_a_hazard_found_unrectified_charges_the_overdue_range_and_the_stop_order(
    demo_database: Database, sign_in: SignIn
) -> None:
    """第九十七条: 逾期未改正的，责令停产停业整顿，并处十万元以上二十万元以下的罚款 — the stage
    and the mandatory penalty come from the hazard, not from a tick box."""
    case_id = from_hazard(demo_database, sign_in, "AQ-97-3")
    charged = cases.charged_violations(demo_database, sign_in("zhangwei"), case_id)
    assert charged.choices[0].overdue and charged.choices[0].target == "unit"
    assert charged.other_penalties == (STOP,)
    choice = suggested(demo_database, case_id, "AQ-97-3")
    cases.set_violations(demo_database, sign_in("zhangwei"), case_id, [choice], ())
    saved = cases.charged_violations(demo_database, sign_in("zhangwei"), case_id)
    assert 100_000 <= saved.choices[0].fine <= 200_000
    assert saved.other_penalties == (STOP,)
    first_stage = replace(choice, overdue=False, fine=25_000)
    with pytest.raises(UserError, match=r"应按逾期未改正阶段裁量：隐患“.*复查未整改"):
        cases.set_violations(demo_database, sign_in("zhangwei"), case_id, [first_stage])


def test_a_conditional_penalty_is_not_added(demo_database: Database, sign_in: SignIn) -> None:
    """第九十九条: 逾期未改正的，处五万元以上二十万元以下；情节严重的，责令停产停业整顿."""
    case_id = from_hazard(demo_database, sign_in, "AQ-99-8")
    choice = suggested(demo_database, case_id, "AQ-99-8")
    assert 50_000 <= choice.fine <= 200_000
    cases.set_violations(demo_database, sign_in("zhangwei"), case_id, [choice])
    assert (
        cases.charged_violations(demo_database, sign_in("zhangwei"), case_id).other_penalties == ()
    )


def test_an_operator_answers_as_the_business_and_a_stranger_as_a_person(
    demo_database: Database, sign_in: SignIn
) -> None:
    """The registry names the person as a 个体工商户's operator: the unit's range applies;
    a person the registry does not know answers under the person's range (none at stage 1)."""
    with demo_database.read() as session:
        query = select(Enterprise).where(Enterprise.operator_id_no.is_not(None))
        shop = session.scalars(query.order_by(Enterprise.name)).first()
    assert shop is not None and shop.operator_id_no and shop.operator_name
    operator = cases.Party("person", name=shop.operator_name, id_no=shop.operator_id_no)
    case_id = against_person(demo_database, sign_in, operator)
    assert (
        cases.charged_violations(demo_database, sign_in("zhangwei"), case_id).choices[0].target
        == "unit"
    )
    assert suggested(demo_database, case_id, "AQ-97-3").fine == 50_000  # 一般: ⅓–⅔ of 10万

    number = "44030419850612123"
    stranger = cases.Party("person", name="陈志强", id_no=number + id_check_char(number))
    other_id = against_person(demo_database, sign_in, stranger)
    assert (
        cases.charged_violations(demo_database, sign_in("zhangwei"), other_id).choices[0].target
        == "person"
    )
    assert suggested(demo_database, other_id, "AQ-97-3").fine == 0
    as_unit = cases.ViolationChoice("AQ-97-3", fine=50_000, target="unit", overdue=False)
    with pytest.raises(UserError, match="应适用对个人的罚款幅度：当事人陈志强是自然人"):
        cases.set_violations(demo_database, sign_in("zhangwei"), other_id, [as_unit])


def test_a_stage_chosen_where_the_law_allows_is_stored_and_audited_with_its_reason(
    demo_database: Database, sign_in: SignIn
) -> None:
    """The hazard is 第九十九条's; 第九十七条 may be put at 逾期 only with a reason, which the
    violation row and its audit event keep. Without one it is refused."""
    case_id = from_hazard(demo_database, sign_in, "AQ-99-8")
    own = suggested(demo_database, case_id, "AQ-99-8")
    other = cases.ViolationChoice("AQ-97-3", fine=150_000, target="unit", overdue=True)
    zhang = sign_in("zhangwei")
    with pytest.raises(UserError, match="如该整改指令也针对本项违法行为"):
        cases.set_violations(demo_database, zhang, case_id, [own, other])
    reason = "责令限期整改指令书第2项同时责令组织从业人员安全培训"
    cases.set_violations(demo_database, zhang, case_id, [own, replace(other, basis_reason=reason)])
    charged = cases.charged_violations(demo_database, zhang, case_id)
    assert charged.choices[1].basis_reason == reason and charged.other_penalties == (STOP,)
    with demo_database.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        summaries = session.scalars(
            select(AuditEvent.summary).where(AuditEvent.entity_type == "case_violation")
        ).all()
    assert any(reason in summary and case.case_no in summary for summary in summaries)


# (code, party type) → the first-stage range written from the statute (no order on record)
FIRST_STAGE = {
    ("AQ-97-3", "unit"): (0, 100_000),  # 第九十七条: 处十万元以下的罚款
    ("AQ-97-3", "person"): None,  # only the 主管人员 after 逾期未改正
    ("AQ-99-8", "unit"): (0, 50_000),  # 第九十九条: 处五万元以下的罚款
    ("AQ-99-8", "person"): None,
    ("AQ-105-1", "unit"): (0, 50_000),  # 第一百零五条: 处五万元以下，对…人员处一万元以下
    ("AQ-105-1", "person"): (0, 10_000),
    ("GZ-CF-45-1", "unit"): (10_000, 30_000),  # 处罚办法第四十五条，并给予警告
    ("GZ-CF-45-1", "person"): (1_000, 10_000),
}


@settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    code=st.sampled_from(sorted({code for code, _ in FIRST_STAGE})),
    who=st.sampled_from(["company", "operator", "stranger"]),
    circumstances=st.sets(st.sampled_from([c for c in Circumstance if c.kind is not EXEMPTING])),
)
def test_the_service_charges_a_complaint_inside_the_statute(
    demo_database: Database,
    sign_in: SignIn,
    code: str,
    who: str,
    circumstances: set[Circumstance],
) -> None:
    """Whatever the party and circumstances, a complaint case (no order on record) charged as
    the form proposes holds a fine inside the first-stage range for that party, with 警告
    where 第四十五条 makes it mandatory, and the guard finds no basis defect."""
    zhang, handlers = team(sign_in, demo_database)
    party = _party(demo_database, who)
    draft = cases.NewCase(
        procedure=Procedure.GENERAL,
        source="complaint",
        party=party,
        cause="投诉举报",
        handler_ids=handlers,
        violations=(cases.ViolationChoice(code),),
        opened_on=TODAY,
    )
    case_id = cases.open_case(demo_database, zhang, draft)
    proposal = suggested(demo_database, case_id, code)
    facts = DiscretionFacts(proposal.target or "", frozenset(circumstances), False)
    suggestion = suggest(find_violation(code), facts)
    choice = replace(proposal, tier=suggestion.tier, fine=suggestion.suggested_fine)
    cases.set_violations(demo_database, zhang, case_id, [choice])
    charged = cases.charged_violations(demo_database, sign_in("zhangwei"), case_id)
    party_type = "person" if who == "stranger" else "unit"
    legal = FIRST_STAGE[code, party_type]
    fine = charged.choices[0].fine
    assert charged.choices[0].target == party_type and not charged.choices[0].overdue
    assert fine == 0 if legal is None else legal[0] <= fine <= legal[1]
    warned = code == "GZ-CF-45-1" and party_type == "unit"
    assert charged.other_penalties == (("警告",) if warned else ())
    with demo_database.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        found = case_defects(facts_of(session, case, current_settings(session), TODAY))
    assert [d.code for d in found if d.code.startswith("penalty_")] == []


def _party(database: Database, who: str) -> cases.Party:
    """A registry company, the operator of a registry 个体工商户, or a person it does not know."""
    with database.read() as session:
        company = session.scalars(
            select(Enterprise.id).where(Enterprise.uscc.like("91%")).order_by(Enterprise.name)
        ).first()
        shop = session.scalars(
            select(Enterprise)
            .where(Enterprise.operator_id_no.is_not(None))
            .order_by(Enterprise.name)
        ).first()
    assert company is not None and shop is not None
    if who == "company":
        return cases.Party("enterprise", company)
    if who == "operator":
        return cases.Party("person", name=shop.operator_name or "", id_no=shop.operator_id_no or "")
    number = "44030419850612123"
    return cases.Party("person", name="陈志强", id_no=number + id_check_char(number))
