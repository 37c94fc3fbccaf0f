"""The guard's penalty-basis defects: each on a hand-made case, with its message and the steps
it blocks; and a property test over generated violations, parties and hazard histories against
a hand-written table of the statutes' ranges (the oracle), not the catalogue's."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from fuanjian_desktop.domain.guard.case_guard import (
    CaseFacts,
    ReviewItem,
    ViolationFact,
    case_defects,
)
from fuanjian_desktop.domain.penalties.discretion import (
    Circumstance,
    CircumstanceKind,
    DiscretionFacts,
    Tier,
    suggest,
)
from fuanjian_desktop.domain.penalties.penalty_basis import OrderFact, PartyRecord, derive
from fuanjian_desktop.domain.penalties.violations import find_violation
from tests.domain.guard.test_case_guard import facts, refused_by

D = dt.date
OPENED = D(2026, 10, 9)
STOP = "责令停产停业整顿"
ORDER = OrderFact("未对新员工进行安全生产教育培训", "AQ-97-3", D(2026, 9, 1), D(2026, 9, 15))
OVERDUE_CASE = facts(orders=(ORDER,), other_penalties=(STOP,))
ISSUING = ("end_investigation", "serve_notice", "pass_review", "submit_decision")


def penalty_codes(case: CaseFacts) -> list[str]:
    """The penalty-basis defects of ``case`` (those this module adds)."""
    return [d.code for d in case_defects(case) if d.code.startswith("penalty_")]


def test_a_first_stage_fine_on_an_overdue_case_is_refused() -> None:
    """The review's case: 25,000 元 under 第九十九条第八项 after 逾期未改正 (range from 5万)."""
    order = replace(ORDER, violation_code="AQ-99-8")
    case = facts(orders=(order,), violations=(ViolationFact("AQ-99-8", 25000, Tier.ORDINARY),))
    found = {d.code: d for d in case_defects(case)}
    stage = found["penalty_stage_wrong"]
    assert stage.review_item is ReviewItem.LAW
    assert "按首次发现（责令改正阶段）裁量，应为逾期未改正阶段" in stage.message
    assert (
        "2026年9月1日发现，责令于2026年9月15日前整改）至2026年10月9日立案时仍未整改"
        in stage.message
    )
    fine = found["penalty_fine_outside_range"]
    assert fine.review_item is ReviewItem.DISCRETION
    assert "法定罚款幅度为5万元以上20万元以下" in fine.message
    assert "低于" in fine.message and "5万元" in fine.message
    for step in ISSUING:
        assert "penalty_stage_wrong" in refused_by(case, step, D(2026, 10, 20))
    assert "penalty_stage_wrong" not in refused_by(case, "transfer_case", D(2026, 10, 20))


def test_a_person_fined_from_the_unit_range_is_refused() -> None:
    """A natural person who runs no business, fined under 第九十七条 as if a unit."""
    person = facts(
        party_kind="person",
        party_id_type="resident_id",
        party_id_no="440304198001011239",
        party_name="陈志强",
        orders=(ORDER,),
        other_penalties=(STOP,),
        violations=(ViolationFact("AQ-97-3", 150000, Tier.ORDINARY, "unit", True),),
    )
    found = {d.code: d.message for d in case_defects(person)}
    assert "应适用对个人的幅度" in found["penalty_party_wrong"]
    assert "台账中没有其经营的生产经营单位" in found["penalty_party_wrong"]
    assert "对个人的法定罚款幅度为2万元以上5万元以下" in found["penalty_fine_outside_range"]
    assert "超过" in found["penalty_fine_outside_range"]
    operator = replace(person, party_operates="深圳市福田区园岭安达锁匠门市部")
    assert penalty_codes(operator) == []


def test_the_mandatory_stop_order_left_out_is_refused() -> None:
    """第九十七条: 逾期未改正的，责令停产停业整顿 — the 决定书（个人） that left it out."""
    case = replace(
        OVERDUE_CASE,
        other_penalties=(),
        violations=(ViolationFact("AQ-97-3", 150000, Tier.ORDINARY, "unit", True),),
    )
    found = {d.code: d for d in case_defects(case)}
    missing = found["penalty_mandatory_missing"]
    assert missing.review_item is ReviewItem.LAW
    assert (
        "逾期未改正阶段依《中华人民共和国安全生产法》第九十七条第（三）项应当责令停产停业整顿"
        in (missing.message)
    )
    assert "penalty_mandatory_missing" in refused_by(case, "approve_decision", D(2026, 10, 20))
    assert penalty_codes(replace(case, other_penalties=(STOP,))) == []


def test_a_penalty_of_the_other_stage_is_refused() -> None:
    """第九十七条 provides 责令停产停业整顿 only 逾期未改正: on a first finding it has no basis."""
    case = facts(other_penalties=(STOP,))
    message = next(d.message for d in case_defects(case) if d.code == "penalty_other_not_provided")
    assert "拟作出的“责令停产停业整顿”不是所认定违法行为的处罚条款在所适用阶段" in message
    assert "AQ-97-3：首次发现（责令改正阶段）" in message
    assert "penalty_other_not_provided" in refused_by(case, "serve_notice", D(2026, 10, 20))
    assert penalty_codes(OVERDUE_CASE) == ["penalty_stage_wrong", "penalty_fine_outside_range"]


def test_a_conditional_penalty_is_not_required() -> None:
    """第九十九条: 情节严重的，责令停产停业整顿 — proposed, never required."""
    order = replace(ORDER, violation_code="AQ-99-8")
    case = facts(
        orders=(order,),
        violations=(ViolationFact("AQ-99-8", 125000, Tier.ORDINARY, "unit", True),),
    )
    assert penalty_codes(case) == []


def test_a_stage_chosen_with_a_reason_counts_only_where_the_law_leaves_room() -> None:
    """Another violation's order: 逾期 with a recorded reason passes; without, it is refused.
    Where the records fix the stage, a reason does not change it."""
    other = replace(ORDER, violation_code="AQ-99-8")
    chosen = ViolationFact("AQ-97-3", 150000, Tier.ORDINARY, "unit", True)
    case = facts(orders=(other,), other_penalties=(STOP,), violations=(chosen,))
    assert "penalty_stage_wrong" in penalty_codes(case)
    message = next(d.message for d in case_defects(case) if d.code == "penalty_stage_wrong")
    assert "选择该阶段并记录理由" in message
    reasoned = replace(chosen, basis_reason="该整改指令书第2项即责令对新员工进行培训")
    assert penalty_codes(replace(case, violations=(reasoned,))) == []
    first = ViolationFact("AQ-97-3", 20000, Tier.ORDINARY, basis_reason="当事人称已培训")
    assert "penalty_stage_wrong" in penalty_codes(facts(orders=(ORDER,), violations=(first,)))


def test_an_article_fining_only_the_principal_against_a_unit_is_refused() -> None:
    """第九十四条 fines the 主要负责人: a case against the company cannot carry it."""
    case = facts(violations=(ViolationFact("AQ-94", 30000, Tier.ORDINARY, "person"),))
    message = next(d.message for d in case_defects(case) if d.code == "penalty_party_is_unit")
    assert "请以应受处罚的个人（如主要负责人）为当事人另行立案" in message


# --- property: whatever the records, the suggestion is inside the statute's range ----------

UNIT, PERSON, FIRST, OVERDUE = "unit", "person", "first", "overdue"
# (code, party type, stage) → (min, max) or None (no fine), and the mandatory penalties,
# written from each clause's penalty_text.
ORACLE: dict[tuple[str, str, str], tuple[tuple[int, int] | None, tuple[str, ...]]] = {
    # 安全生产法第九十七条: 处十万元以下的罚款；逾期未改正的，责令停产停业整顿，并处十万元以上
    # 二十万元以下的罚款，对其直接负责的主管人员…处二万元以上五万元以下的罚款
    ("AQ-97-3", UNIT, FIRST): ((0, 100_000), ()),
    ("AQ-97-3", UNIT, OVERDUE): ((100_000, 200_000), (STOP,)),
    ("AQ-97-3", PERSON, FIRST): (None, ()),
    ("AQ-97-3", PERSON, OVERDUE): ((20_000, 50_000), ()),
    # 第九十九条: 处五万元以下；逾期未改正的，处五万元以上二十万元以下，对…人员处一万元以上
    # 二万元以下；情节严重的，责令停产停业整顿 (conditional)
    ("AQ-99-8", UNIT, FIRST): ((0, 50_000), ()),
    ("AQ-99-8", UNIT, OVERDUE): ((50_000, 200_000), ()),
    ("AQ-99-8", PERSON, FIRST): (None, ()),
    ("AQ-99-8", PERSON, OVERDUE): ((10_000, 20_000), ()),
    # 第九十四条第一款: 对主要负责人处二万元以上五万元以下；逾期未改正的，处五万元以上十万元
    # 以下，责令生产经营单位停产停业整顿 (on the unit, not on the person's decision)
    ("AQ-94", PERSON, FIRST): ((20_000, 50_000), ()),
    ("AQ-94", PERSON, OVERDUE): ((50_000, 100_000), ()),
    # 第一百零五条: 处五万元以下，对…人员处一万元以下；逾期未改正的，责令停产停业整顿
    ("AQ-105-1", UNIT, FIRST): ((0, 50_000), ()),
    ("AQ-105-1", UNIT, OVERDUE): (None, (STOP,)),
    ("AQ-105-1", PERSON, FIRST): ((0, 10_000), ()),
    ("AQ-105-1", PERSON, OVERDUE): (None, ()),
    # 处罚办法第四十五条: 给予警告，并对生产经营单位处一万元以上三万元以下，对其主要负责人、
    # 其他有关人员处一千元以上一万元以下 (no second stage)
    ("GZ-CF-45-1", UNIT, FIRST): ((10_000, 30_000), ("警告",)),
    ("GZ-CF-45-1", PERSON, FIRST): ((1_000, 10_000), ()),
}
ONE_STAGE = frozenset({"GZ-CF-45-1"})
ONLY_PERSON = frozenset({"AQ-94"})
WEIGHED = [c for c in Circumstance if c.kind is not CircumstanceKind.EXEMPTING]

parties = st.sampled_from(
    [
        PartyRecord("unit", "深圳市德诚印刷包装有限公司"),
        PartyRecord("unit", "园岭锁匠门市部（个体工商户，无统一社会信用代码）"),
        PartyRecord("person", "于俊杰", operates="深圳市福田区园岭安达锁匠门市部"),
        PartyRecord("person", "陈志强"),
    ]
)


@st.composite
def hazard_histories(draw: st.DrawFn, code: str) -> tuple[OrderFact, ...]:
    """Up to three linked hazards, of this violation or another, each with its deadline, 复查
    findings (day, rectified) and maybe a rectification day."""
    orders = []
    for _ in range(draw(st.integers(0, 3))):
        due = OPENED + dt.timedelta(days=draw(st.integers(-30, 10)))
        days = st.builds(dt.timedelta, days=st.integers(-10, 20)).map(due.__add__)
        rechecks = draw(st.lists(st.tuples(days, st.booleans()), max_size=2))
        rectified = draw(st.one_of(st.none(), days))
        own = draw(st.sampled_from([code, "AQ-101-1", None]))
        found = due - dt.timedelta(days=10)
        orders.append(OrderFact("隐患", own, found, due, tuple(rechecks), rectified))
    return tuple(orders)


def expected_stage(code: str, orders: tuple[OrderFact, ...]) -> str:
    """The stage by the law, restated: an order for this violation whose deadline passed —
    a later 复查 found it unrectified, or nothing rectified it before 立案."""
    if code in ONE_STAGE:
        return FIRST
    for order in orders:
        late_recheck = any(not ok and day > order.due_date for day, ok in order.rechecks)
        never = order.rectified_on is None and order.due_date < OPENED
        if order.violation_code == code and (late_recheck or never):
            return OVERDUE
    return FIRST


def expected_party(code: str, party: PartyRecord) -> str:
    """A business, or a person who runs one, answers as the unit; 第九十四条 fines a person."""
    if code in ONLY_PERSON:
        return PERSON
    return UNIT if party.kind == "unit" or party.operates else PERSON


@settings(max_examples=400)
@given(
    data=st.data(),
    code=st.sampled_from(sorted({key[0] for key in ORACLE})),
    party=parties,
    circumstances=st.sets(st.sampled_from(WEIGHED), max_size=3),
)
def test_suggested_fines_and_penalties_follow_the_statute(
    data: st.DataObject, code: str, party: PartyRecord, circumstances: set[Circumstance]
) -> None:
    """Derive the basis from generated records, suggest a fine for it as the services do,
    and check both against the oracle; the guard then finds no basis defect in that case."""
    orders = data.draw(hazard_histories(code))
    basis = derive(find_violation(code), party, orders, OPENED)
    stage, party_type = expected_stage(code, orders), expected_party(code, party)
    assert (str(basis.stage), str(basis.party_type)) == (stage, party_type)
    legal, mandatory = ORACLE[code, party_type, stage]
    facts_ = DiscretionFacts(party_type, frozenset(circumstances), stage == OVERDUE)
    suggestion = suggest(find_violation(code), facts_)
    fine = suggestion.suggested_fine
    if legal is None:
        assert fine == 0
    else:
        assert legal[0] <= fine <= legal[1]
    assert basis.mandatory == mandatory
    case = facts(
        party_kind=party.kind,
        party_name=party.name,
        party_operates=party.operates,
        orders=orders,
        other_penalties=basis.mandatory,
        violations=(ViolationFact(code, fine, suggestion.tier, party_type, stage == OVERDUE),),
    )
    assert [c for c in penalty_codes(case) if c != "penalty_party_is_unit"] == []
    if code not in ONE_STAGE:  # the other stage, recorded without a reason, is found
        flipped = replace(case.violations[0], overdue=stage != OVERDUE)
        assert "penalty_stage_wrong" in penalty_codes(replace(case, violations=(flipped,)))
    if mandatory:  # and so is a mandatory penalty left out
        assert "penalty_mandatory_missing" in penalty_codes(replace(case, other_penalties=()))
