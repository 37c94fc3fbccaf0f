"""The penalty basis derived from the records: stage, party type, range and mandatory penalties.

Expected ranges are written by hand from the catalogue's ``penalty_text`` (the statute), never
read from ``ViolationEntry.fine_range``.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fuanjian_desktop.domain.penalties.penalty_basis import (
    OrderFact,
    PartyRecord,
    PartyType,
    PenaltyStage,
    derive,
    parse_penalty_kinds,
    penalty_kinds,
)
from fuanjian_desktop.domain.penalties.violations import FineRange, find_violation, load_catalogue
from fuanjian_desktop.errors import UserError

D = dt.date
OPENED = D(2026, 11, 20)
COMPANY = PartyRecord("unit", "深圳市德诚印刷包装有限公司")
OPERATOR = PartyRecord("person", "于俊杰", operates="深圳市福田区园岭安达锁匠门市部")
PERSON = PartyRecord("person", "陈志强")
STOP = "责令停产停业整顿"


def order(code: str | None = "AQ-97-3", **changes: object) -> OrderFact:
    """A hazard found 2026-11-02, to be rectified by 2026-11-12."""
    values: dict[str, object] = {
        "description": "未对新员工进行安全生产教育培训",
        "violation_code": code,
        "found_on": D(2026, 11, 2),
        "due_date": D(2026, 11, 12),
    }
    values.update(changes)
    return OrderFact(**values)  # type: ignore[arg-type]


def test_a_case_without_an_order_is_a_first_finding() -> None:
    """安全生产法第九十七条: 责令限期改正，处十万元以下的罚款 — no order on record, stage 1."""
    basis = derive(find_violation("AQ-97-3"), COMPANY, (), OPENED)
    assert basis.stage is PenaltyStage.FIRST and not basis.stage_overridable
    assert basis.legal == FineRange(0, 100_000)
    assert basis.mandatory == ()
    assert "首次发现" in basis.derivation


def test_an_order_found_unrectified_at_the_recheck_is_the_overdue_stage() -> None:
    """逾期未改正的，责令停产停业整顿，并处十万元以上二十万元以下的罚款 (第九十七条)."""
    rechecked = order(rechecks=((D(2026, 11, 13), False),))
    basis = derive(find_violation("AQ-97-3"), COMPANY, (rechecked,), D(2026, 11, 13))
    assert basis.stage is PenaltyStage.OVERDUE and not basis.stage_overridable
    assert basis.legal == FineRange(100_000, 200_000)
    assert basis.mandatory == (STOP,)
    assert "2026年11月13日复查未整改" in basis.stage_reason


def test_an_order_still_pending_when_the_case_opens_is_overdue() -> None:
    """No 复查 yet, but the deadline passed before 立案 without any rectification recorded."""
    basis = derive(find_violation("AQ-99-8"), COMPANY, (order("AQ-99-8"),), OPENED)
    assert basis.stage is PenaltyStage.OVERDUE
    # 第九十九条: 逾期未改正的，处五万元以上二十万元以下的罚款 …；情节严重的，责令停产停业整顿
    assert basis.legal == FineRange(50_000, 200_000)
    assert basis.mandatory == () and basis.proposed == ("情节严重的，责令停产停业整顿",)
    assert "至2026年11月20日立案时仍未整改" in basis.stage_reason


def test_a_deadline_not_yet_passed_or_met_is_not_overdue() -> None:
    """Opened on the due date, or rectified in time, or a 复查 before the deadline: stage 1."""
    entry = find_violation("AQ-97-3")
    on_due = derive(entry, COMPANY, (order(),), D(2026, 11, 12))
    rectified = derive(entry, COMPANY, (order(rectified_on=D(2026, 11, 10)),), OPENED)
    early = order(rechecks=((D(2026, 11, 11), False),), rectified_on=D(2026, 11, 12))
    for basis in (on_due, rectified, derive(entry, COMPANY, (early,), OPENED)):
        assert basis.stage is PenaltyStage.FIRST


def test_an_order_for_another_violation_leaves_the_stage_to_a_reasoned_choice() -> None:
    """A linked hazard of another violation: stage 1 derived, 逾期 may be chosen (with a reason
    the caller records); where the records fix the stage, a choice is ignored."""
    entry = find_violation("AQ-97-3")
    other = (order("AQ-99-8"),)
    derived = derive(entry, COMPANY, other, OPENED)
    assert derived.stage is PenaltyStage.FIRST and derived.stage_overridable
    assert "不是本项违法行为" in derived.stage_reason
    chosen = derive(entry, COMPANY, other, OPENED, PenaltyStage.OVERDUE)
    assert chosen.stage is PenaltyStage.OVERDUE and chosen.mandatory == (STOP,)
    assert "承办人依所记录的理由改按逾期未改正阶段" in chosen.stage_reason
    fixed = derive(entry, COMPANY, (order(),), OPENED, PenaltyStage.FIRST)
    assert fixed.stage is PenaltyStage.OVERDUE


def test_a_clause_without_a_second_stage_is_always_the_first() -> None:
    """处罚办法第四十五条: 给予警告，并对生产经营单位处一万元以上三万元以下的罚款 — one stage."""
    basis = derive(find_violation("GZ-CF-45-1"), COMPANY, (order("GZ-CF-45-1"),), OPENED)
    assert basis.stage is PenaltyStage.FIRST and not basis.stage_overridable
    assert basis.legal == FineRange(10_000, 30_000) and basis.mandatory == ("警告",)


def test_an_operator_answers_as_the_business_and_another_person_as_a_person() -> None:
    """The issue's 决定书（个人）: 第九十七条第（三）项 逾期未改正 against a natural person."""
    entry, orders = find_violation("AQ-97-3"), (order(),)
    operator = derive(entry, OPERATOR, orders, OPENED)
    assert operator.party_type is PartyType.UNIT
    assert operator.legal == FineRange(100_000, 200_000) and operator.mandatory == (STOP,)
    assert "安达锁匠门市部" in operator.party_reason
    person = derive(entry, PERSON, orders, OPENED)
    # 对其直接负责的主管人员和其他直接责任人员处二万元以上五万元以下的罚款
    assert person.party_type is PartyType.PERSON
    assert person.legal == FineRange(20_000, 50_000) and person.mandatory == ()
    first = derive(entry, PERSON, (), OPENED)
    assert first.legal is None and "不处罚款" in first.range_label


def test_an_article_fining_only_the_principal_fines_a_person() -> None:
    """第九十四条: 对主要负责人处二万元以上五万元以下的罚款 — whoever the case is against."""
    entry = find_violation("AQ-94")
    for party in (COMPANY, PERSON, OPERATOR):
        basis = derive(entry, party, (), OPENED)
        assert basis.party_type is PartyType.PERSON
        assert basis.legal == FineRange(20_000, 50_000)
    overdue = derive(entry, PERSON, (order("AQ-94"),), OPENED)
    # 逾期未改正的，处五万元以上十万元以下的罚款，责令生产经营单位停产停业整顿 (the unit's)
    assert overdue.legal == FineRange(50_000, 100_000) and overdue.mandatory == ()


def test_every_other_penalty_of_the_catalogue_is_classified() -> None:
    """A penalty the kinds file does not list would be neither required nor proposed."""
    kinds = penalty_kinds()
    listed = {
        penalty
        for entry in load_catalogue()
        for penalty in (*entry.other_penalties, *entry.overdue_other_penalties)
    }
    assert listed - set(kinds) == set()
    assert kinds[STOP] == "mandatory"
    assert kinds["情节严重的，责令停产停业整顿"] == "conditional"


def test_a_malformed_kinds_file_is_refused_with_what_is_wrong() -> None:
    """A kind outside the three, or a missing source, names the penalty."""
    with pytest.raises(UserError, match="警告 应有 kind"):
        parse_penalty_kinds({"penalties": {"警告": {"kind": "maybe", "source": "x"}}})
    with pytest.raises(UserError, match="缺少 penalties"):
        parse_penalty_kinds([])
