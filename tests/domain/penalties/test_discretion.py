"""The discretion calculator picks the tier the law and the rules lead to, places the fine in the
tier's band, explains it in the 裁量理由, and flags amounts the cited article does not allow."""

from __future__ import annotations

import pytest

from fuanjian_desktop.domain.penalties.discretion import (
    Circumstance,
    CircumstanceKind,
    DiscretionFacts,
    DiscretionSuggestion,
    Tier,
    amount_defect,
    range_text,
    suggest,
    suggested_fine,
    yuan_text,
)
from fuanjian_desktop.domain.penalties.violations import FineRange, find_violation

C = Circumstance
TRAINING = "AQ-97-3"  # 未按照规定对从业人员进行安全生产教育和培训: 10万元以下 / 逾期 10–20万
EXIT_BLOCKED = "XF-60-3"  # 占用疏散通道: 5000元以上5万元以下
SDS_MISSING = "WHTL-78-6"  # 危化经营企业经营无 SDS 的危化品


def advise(code: str, *circumstances: Circumstance, **facts: bool | str) -> DiscretionSuggestion:
    """The calculator's suggestion for ``code`` and a unit party unless told otherwise."""
    party = str(facts.pop("party_kind", "unit"))
    flags = {key: bool(value) for key, value in facts.items()}
    return suggest(find_violation(code), DiscretionFacts(party, frozenset(circumstances), **flags))


def test_minor_promptly_corrected_violation_is_exempt_by_law() -> None:
    """第三十三条第一款 (轻微、及时改正、无危害后果) always means 不予处罚, fine 0, education."""
    result = advise(SDS_MISSING, C.MINOR_CORRECTED, hazchem_business=True)
    assert result.tier is Tier.EXEMPT
    assert (result.fine, result.suggested_fine, result.other_penalties) == (FineRange(0, 0), 0, ())
    assert (
        "《中华人民共和国行政处罚法》第三十三条第一款的规定，对当事人依法不予行政处罚"
        in result.reason
    )
    assert "第三十三条第三款的规定对当事人进行教育" in result.reason
    assert any("应当不予行政处罚情形，不得罚款" in w for w in result.warnings)


def test_no_fault_is_exempt_even_when_overdue() -> None:
    """Proof of no fault (第三十三条第二款) exempts regardless of the correction stage."""
    result = advise(TRAINING, C.NO_FAULT, overdue=True)
    assert result.tier is Tier.EXEMPT
    assert "第三十三条第二款" in result.reason


def test_exemption_with_an_aggravating_circumstance_is_flagged() -> None:
    """An exempting case ticked together with a 从重 circumstance stays exempt but is flagged."""
    result = advise(TRAINING, C.MINOR_CORRECTED, C.REPEATED)
    assert result.tier is Tier.EXEMPT
    assert any("请核实违法行为是否确属不予处罚" in w for w in result.warnings)


def test_first_offence_is_exempt_where_allowed() -> None:
    """首违不罚 applies to an ordinary business for an entry that allows it, with a check note."""
    result = advise(TRAINING, C.FIRST_OFFENCE)
    assert result.tier is Tier.EXEMPT
    assert "当事人初次违法且危害后果轻微并及时改正" in result.reason
    assert any("首违不罚系“可以”不予处罚" in w for w in result.warnings)


def test_first_offence_is_blocked_for_a_hazchem_business() -> None:
    """A 危化 business gets no 首违不罚, even on an entry that allows it, and is told why."""
    result = advise(TRAINING, C.FIRST_OFFENCE, hazchem_business=True)
    assert result.tier is Tier.ORDINARY
    assert result.suggested_fine == 50000
    assert any("粤应急规〔2023〕1号" in w for w in result.warnings)


def test_first_offence_is_blocked_for_a_hazchem_regulation_entry() -> None:
    """危化条例 entries are outside the 免罚 lists, so 首违 falls back to the ordinary tier."""
    result = advise(SDS_MISSING, C.FIRST_OFFENCE)
    assert result.tier is Tier.ORDINARY
    assert any("“WHTL-78-6”未列入免罚范围" in w for w in result.warnings)


def test_first_offence_with_an_aggravating_circumstance_is_not_exempt() -> None:
    """A 从重 circumstance contradicts 危害后果轻微, so 首违不罚 is refused and 从重 applies."""
    result = advise(TRAINING, C.FIRST_OFFENCE, C.EVIDENCE_DESTROYED)
    assert result.tier is Tier.SEVERE
    assert any("不宜认定为危害后果轻微" in w for w in result.warnings)


def test_correction_based_exemption_does_not_apply_when_overdue() -> None:
    """逾期未改正 contradicts 及时改正: no 第三十三条第一款 exemption at stage 2."""
    result = advise(TRAINING, C.MINOR_CORRECTED, overdue=True)
    assert result.tier is Tier.ORDINARY
    assert result.fine == FineRange(133300, 166700)
    assert any("与“及时改正”不符" in w for w in result.warnings)


def test_mitigated_goes_below_the_legal_minimum() -> None:
    """减轻 with a 第三十二条 circumstance places the fine below the legal minimum of 5000元."""
    result = advise(EXIT_BLOCKED, C.HARM_REMOVED, mitigate=True)
    assert result.tier is Tier.MITIGATED
    assert (result.fine, result.suggested_fine) == (FineRange(2500, 4500), 3500)
    assert "第三十二条第（一）项" in result.reason
    assert "对当事人减轻处罚" in result.reason
    assert "在法定最低罚款数额5000元以下、2500元以上4500元以下的幅度内" in result.reason


def test_mitigated_without_a_minimum_falls_back_to_lenient() -> None:
    """A "…以下" clause has no minimum to go below, so 减轻 becomes 从轻 with a warning."""
    result = advise(TRAINING, C.CONFESSED, mitigate=True)
    assert result.tier is Tier.LENIENT
    assert any("无法减轻处罚，已按从轻处理" in w for w in result.warnings)


def test_mitigated_needs_an_article_32_circumstance() -> None:
    """Asking for 减轻 without a 第三十二条 circumstance gives the ordinary tier and a warning."""
    result = advise(EXIT_BLOCKED, mitigate=True)
    assert result.tier is Tier.ORDINARY
    assert any("减轻处罚须具有" in w for w in result.warnings)


def test_lenient_uses_the_lowest_band() -> None:
    """从轻 on 10万元以下 is the lowest third, suggested at its rounded midpoint."""
    result = advise(TRAINING, C.CONFESSED)
    assert result.tier is Tier.LENIENT
    assert (result.fine, result.suggested_fine) == (FineRange(0, 33300), 16700)
    assert "尚未掌握的违法行为（《中华人民共和国行政处罚法》第三十二条第（三）项）" in result.reason
    assert "对当事人从轻处罚，适用“从轻”裁量阶次" in result.reason
    assert result.reason.endswith("在33300元以下的幅度内确定罚款数额。")


def test_ordinary_reason_cites_violation_penalty_and_band() -> None:
    """一般 prints the violation, both articles, the legal range and the band applied."""
    result = advise(TRAINING)
    assert result.tier is Tier.ORDINARY
    assert (result.fine, result.suggested_fine) == (FineRange(33300, 66700), 50000)
    assert result.reason.startswith(
        "当事人存在未按照规定对从业人员进行安全生产教育和培训的违法行为，"
        "违反了《中华人民共和国安全生产法》第二十八条第一款的规定。"
        "依据《中华人民共和国安全生产法》第九十七条第（三）项的规定，对单位处10万元以下的罚款。"
        "经调查，未发现当事人具有法定不予处罚、减轻、从轻或者从重处罚的情节。"
    )
    assert "适用“一般”裁量阶次（适用条件：不具有法定从轻、减轻或者从重情节" in result.reason
    assert "在33300元以上66700元以下的幅度内确定罚款数额" in result.reason
    assert any("临时方案" in w for w in result.warnings)


def test_severe_uses_the_highest_band() -> None:
    """从重 on 10万元以下 is the top third; the circumstance is printed with its basis."""
    result = advise(TRAINING, C.REPEATED)
    assert result.tier is Tier.SEVERE
    assert (result.fine, result.suggested_fine) == (FineRange(66700, 100_000), 83400)
    assert "一年内因同一违法行为受过两次以上行政处罚（《关于规范安全生产行政处罚自由裁量权" in (
        result.reason
    )
    assert "鉴于当事人具有上述从重情节，对当事人从重处罚" in result.reason


def test_unverified_aggravating_basis_is_flagged() -> None:
    """存在重大事故隐患 has no verified basis, so using it raises a warning."""
    result = advise(TRAINING, C.MAJOR_HAZARD)
    assert result.tier is Tier.SEVERE
    assert any("“存在重大事故隐患”的依据尚待核实" in w for w in result.warnings)


def test_aggravating_rules_of_another_authority_are_flagged() -> None:
    """The 安全生产 从重 list applied to a 消防 entry warns to use that authority's 基准."""
    result = advise(EXIT_BLOCKED, C.OBSTRUCTED)
    assert result.tier is Tier.SEVERE
    assert result.fine == FineRange(27500, 50000)
    assert any("本条由消防救援机构执法" in w for w in result.warnings)


def test_overdue_uses_the_stage_two_range_and_penalties() -> None:
    """逾期未改正 applies the stage-2 range and adds 责令停产停业整顿."""
    result = advise(TRAINING, overdue=True)
    assert result.tier is Tier.ORDINARY
    assert (result.fine, result.suggested_fine) == (FineRange(133300, 166700), 150000)
    assert result.other_penalties == ("责令停产停业整顿",)
    assert "经责令改正逾期未改正或者拒不改正的，对单位处10万元以上20万元以下的罚款" in result.reason
    assert result.reason.endswith("此外，该条还规定：责令停产停业整顿。")


def test_overdue_person_range_and_no_double_counting() -> None:
    """At stage 2 the person range applies, and 逾期未改正 is not weighed again as 从重."""
    result = advise(TRAINING, C.NOT_CORRECTED, overdue=True, party_kind="person")
    assert result.tier is Tier.ORDINARY
    assert (result.fine, result.suggested_fine) == (FineRange(30000, 40000), 35000)
    assert "对个人处2万元以上5万元以下的罚款" in result.reason
    assert any("不再作为从重情节重复评价" in w for w in result.warnings)


def test_not_corrected_at_stage_one_points_to_stage_two() -> None:
    """Ticking 逾期未改正 without the overdue stage warns that the stage-2 range applies."""
    result = advise(TRAINING, C.NOT_CORRECTED)
    assert result.tier is Tier.SEVERE
    assert any("应当适用本条逾期未改正（拒不改正）的罚款幅度" in w for w in result.warnings)


def test_conflicting_circumstances_give_the_ordinary_tier() -> None:
    """从轻 and 从重 together: the tier is 一般, the reason says both were weighed."""
    result = advise(TRAINING, C.CONFESSED, C.REPEATED)
    assert result.tier is Tier.ORDINARY
    assert result.fine == FineRange(33300, 66700)
    assert "当事人同时具有从轻、减轻情节和从重情节，经综合考量，适用“一般”裁量阶次" in result.reason
    assert any("已按“一般”裁量阶次处理" in w for w in result.warnings)


def test_stage_without_a_fine_only_orders_correction() -> None:
    """SZ-53 fines only after 逾期未改正: stage 1 suggests no fine and says so."""
    result = advise("SZ-53")
    assert (result.fine, result.suggested_fine) == (FineRange(0, 0), 0)
    assert "责令改正阶段对单位不处罚款" in result.reason
    assert result.reason.endswith("本阶段不确定罚款数额，应当依法责令当事人改正。")
    assert advise("SZ-53", overdue=True).fine == FineRange(66700, 83300)


def test_unverified_entry_is_flagged() -> None:
    """An entry whose amounts come from an excerpt warns the officer to check the text."""
    result = advise("GZ-CF-43")
    assert any("尚待核实（V-excerpt）" in w for w in result.warnings)


def test_reason_lists_circumstances_in_a_stable_order() -> None:
    """Circumstances print in declaration order whatever order they were ticked in."""
    first = advise(TRAINING, C.MERITORIOUS, C.HARM_REMOVED).reason
    second = advise(TRAINING, C.HARM_REMOVED, C.MERITORIOUS).reason
    assert first == second
    assert first.index("主动消除") < first.index("立功表现")


def test_every_circumstance_has_label_basis_and_kind() -> None:
    """Each circumstance carries a Chinese label, a basis and a kind for the 裁量理由."""
    for circumstance in Circumstance:
        assert circumstance.label and circumstance.basis
        assert circumstance.confidence in {"V", "V-excerpt", "U"}
    kinds = {c.kind for c in Circumstance}
    assert kinds == set(CircumstanceKind)
    assert C.FIRST_OFFENCE.basis == "《中华人民共和国行政处罚法》第三十三条第一款"


def test_party_kind_must_be_unit_or_person() -> None:
    """Facts for any other party kind are a programming error."""
    with pytest.raises(ValueError):
        DiscretionFacts("company", frozenset())


def test_suggested_fine_stays_inside_narrow_bands() -> None:
    """When rounding to the step would leave the band, the exact midpoint is used."""
    assert suggested_fine(FineRange(30000, 40000), 100) == 35000
    assert suggested_fine(FineRange(1010, 1040), 100) == 1025


def test_amount_texts_read_like_the_statute() -> None:
    """Whole 万 print as 万元, ranges as …以下 / …以上…以下."""
    assert yuan_text(50000) == "5万元"
    assert yuan_text(3500) == "3500元"
    assert range_text(FineRange(0, 100_000)) == "10万元以下"
    assert range_text(FineRange(5000, 50000)) == "5000元以上5万元以下"
    assert range_text(FineRange(0, 0)) == "0元"


@pytest.mark.parametrize(
    ("code", "amount", "tier", "overdue", "expected"),
    [
        (EXIT_BLOCKED, 20000, Tier.ORDINARY, False, None),
        (EXIT_BLOCKED, 5000, Tier.LENIENT, False, None),
        (
            EXIT_BLOCKED,
            3000,
            Tier.ORDINARY,
            False,
            "低于《中华人民共和国消防法》第六十条第一款第（三）项",
        ),
        (
            EXIT_BLOCKED,
            60000,
            Tier.SEVERE,
            False,
            "超过《中华人民共和国消防法》第六十条第一款第（三）项",
        ),
        (EXIT_BLOCKED, 60000, Tier.MITIGATED, False, "任何情形下都不得超过法定最高额"),
        (EXIT_BLOCKED, 3000, Tier.MITIGATED, False, None),
        (EXIT_BLOCKED, 5000, Tier.MITIGATED, False, "减轻处罚的罚款应低于"),
        (EXIT_BLOCKED, 0, Tier.MITIGATED, False, "减轻处罚仍应处以罚款"),
        (TRAINING, 1000, Tier.MITIGATED, False, "未规定最低罚款数额，不能减轻处罚"),
        (EXIT_BLOCKED, 0, Tier.EXEMPT, False, None),
        (EXIT_BLOCKED, 500, Tier.EXEMPT, False, "不予处罚的，罚款金额应为0元"),
        (TRAINING, 150000, Tier.ORDINARY, True, None),
        (TRAINING, 90000, Tier.ORDINARY, True, "低于"),
        ("SZ-53", 10000, Tier.ORDINARY, False, "在责令改正阶段未规定对单位的罚款"),
        ("SZ-53", 0, Tier.ORDINARY, False, None),
        (EXIT_BLOCKED, -1, Tier.ORDINARY, False, "不能为负数"),
    ],
)
def test_amount_defect(
    code: str, amount: int, tier: Tier, overdue: bool, expected: str | None
) -> None:
    """Amounts outside the cited article's range are refused; below the minimum only for 减轻."""
    defect = amount_defect(find_violation(code), amount, tier, overdue=overdue)
    if expected is None:
        assert defect is None
    else:
        assert defect is not None and expected in defect


def test_amount_defect_checks_the_person_range() -> None:
    """For a person the person range applies: 个人 under 消防法第六十条第二款 is at most 500元."""
    entry = find_violation(EXIT_BLOCKED)
    assert amount_defect(entry, 500, Tier.SEVERE, target="person") is None
    defect = amount_defect(entry, 600, Tier.SEVERE, target="person")
    assert defect is not None and "最高额500元" in defect
