"""The procedure guard: each defect found, mapped to its review item, and the steps it blocks."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from fuanjian_desktop.domain.guard.case_guard import (
    CaseFacts,
    DocumentFact,
    HandlerFact,
    ReviewItem,
    ViolationFact,
    case_defects,
    facts_after,
    refusals,
)
from fuanjian_desktop.domain.penalties.discretion import Tier
from fuanjian_desktop.domain.procedure import Procedure, Stage, find_action
from fuanjian_desktop.domain.procedure_settings import default_settings

D = dt.date
VALID_USCC = "91440304MA5F000001"
ZHANG = HandlerFact("u-zhang", "张伟", "44030419001")
LI = HandlerFact("u-li", "李娜", "44030419002")


def facts(**changes: Any) -> CaseFacts:
    """A sound general-procedure case in 调查取证, filed 2026-10-09, with changes applied."""
    base = CaseFacts(
        procedure=Procedure.GENERAL,
        stage=Stage.INVESTIGATION,
        party_kind="unit",
        party_id_no=VALID_USCC,
        party_id_type="uscc",
        opened_on=D(2026, 10, 9),
        handlers=(ZHANG, LI),
        violations=(ViolationFact("AQ-97-3", 20000, Tier.ORDINARY),),
        milestones={"filed": D(2026, 10, 9)},
        today=D(2026, 10, 20),
        settings=default_settings(),
    )
    return replace(base, **changes)


def codes(case: CaseFacts) -> list[str]:
    """The codes of the case's defects."""
    return [defect.code for defect in case_defects(case)]


def refused_by(case: CaseFacts, code: str, on: dt.date, actor: str = "u-zhang") -> list[str]:
    """The codes of the defects that refuse step ``code`` taken on ``on``."""
    action = find_action(code)
    return [d.code for d in refusals(facts_after(case, action, on, actor), action)]


def test_sound_case_has_no_defect() -> None:
    """A case with two certified handlers, a valid party and a lawful amount is clean."""
    assert case_defects(facts()) == []


def test_fewer_than_two_certified_handlers() -> None:
    """One handler, or one without 执法证号, is a 主体 defect blocking every forward step."""
    uncertified = HandlerFact("u-x", "无证", None)
    for handlers in ((ZHANG,), (ZHANG, uncertified)):
        defect = case_defects(facts(handlers=handlers))[0]
        assert defect.code == "handlers"
        assert defect.review_item is ReviewItem.SUBJECT
        assert "不少于两名" in defect.message
    assert refused_by(facts(handlers=(ZHANG,)), "end_investigation", D(2026, 10, 20)) == [
        "handlers"
    ]
    assert refused_by(facts(handlers=(ZHANG,)), "transfer_case", D(2026, 10, 20)) == []


def test_reviewer_who_handled_the_case_is_refused() -> None:
    """法制审核 by one of the case's handlers is refused (行政处罚法第五十八条)."""
    review = facts(
        stage=Stage.LEGAL_REVIEW,
        milestones={"filed": D(2026, 10, 9), "investigation_ended": D(2026, 10, 15)},
    )
    assert refused_by(review, "pass_review", D(2026, 10, 20), actor="u-zhang") == [
        "reviewer_is_handler"
    ]
    assert refused_by(review, "pass_review", D(2026, 10, 20), actor="u-chen") == []


def _notified(notice: dt.date, **milestones: dt.date) -> CaseFacts:
    dates = {
        "filed": D(2019, 9, 2),
        "investigation_ended": D(2019, 9, 20),
        "legal_reviewed": D(2019, 9, 23),
        "notice_served": notice,
        **milestones,
    }
    return facts(
        violations=(ViolationFact("WHTL-78-6", 10000, Tier.ORDINARY),),  # in force in 2019
        stage=Stage.STATEMENT,
        milestones=dates,
        opened_on=D(2019, 9, 2),
        today=D(2019, 10, 12),
    )


def test_decision_before_the_statement_period_ended() -> None:
    """Notice served 2019-09-27: 5 working days end 2019-10-10, so 10-10 is too early, 10-11 not."""
    case = _notified(D(2019, 9, 27))
    assert refused_by(case, "submit_decision", D(2019, 10, 10)) == ["statement_period_open"]
    assert refused_by(case, "submit_decision", D(2019, 10, 11)) == []


def test_waived_statement_lets_the_decision_go_ahead() -> None:
    """A recorded waiver cancels the statement period (the deadline is recomputed)."""
    case = _notified(D(2019, 9, 27), statement_waived=D(2019, 9, 29))
    assert refused_by(case, "submit_decision", D(2019, 9, 30)) == []


def test_hearing_notice_missing_when_the_amount_reaches_the_threshold() -> None:
    """A unit fine of 100,000 元 (Guangdong threshold) needs the 听证告知书 with the notice."""
    big = (ViolationFact("AQ-97-3", 100000, Tier.SEVERE),)
    case = replace(_notified(D(2019, 9, 27)), violations=big, today=D(2019, 10, 20))
    assert "hearing_notice_missing" in codes(case)
    assert "hearing_notice_missing" in refused_by(case, "submit_decision", D(2019, 10, 18))
    served = replace(case, milestones={**case.milestones, "hearing_notice_served": D(2019, 9, 27)})
    assert "hearing_notice_missing" not in codes(served)


def test_serving_the_notice_includes_the_hearing_notice_when_required() -> None:
    """The simulated notice step dates the 听证告知书 too, so it is not refused for it."""
    big = (ViolationFact("AQ-97-3", 150000, Tier.SEVERE),)
    case = facts(stage=Stage.NOTICE, violations=big)
    after = facts_after(case, find_action("serve_notice"), D(2026, 10, 20), "u-zhang")
    assert after.dated("hearing_notice_served") == D(2026, 10, 20)


def test_hearing_window_blocks_the_decision_until_it_closes() -> None:
    """The 5-working-day hearing request window must close before a decision."""
    big = (ViolationFact("AQ-97-3", 150000, Tier.SEVERE),)
    notice = D(2026, 10, 12)
    case = replace(
        _notified(notice, hearing_notice_served=notice, statement_waived=notice),
        violations=big,
        opened_on=D(2026, 10, 1),
        milestones={
            "filed": D(2026, 10, 1),
            "legal_reviewed": D(2026, 10, 9),
            "collective_discussed": D(2026, 10, 10),
            "notice_served": notice,
            "hearing_notice_served": notice,
            "statement_waived": notice,
        },
        today=D(2026, 10, 30),
    )
    assert refused_by(case, "submit_decision", D(2026, 10, 19)) == ["hearing_request_open"]
    assert refused_by(case, "submit_decision", D(2026, 10, 20)) == []


def test_decision_without_a_served_notice() -> None:
    """Deciding without a served 告知书 is refused (第四十四条、第六十二条)."""
    case = facts(
        stage=Stage.DECISION_APPROVAL,
        milestones={"filed": D(2026, 10, 9), "legal_reviewed": D(2026, 10, 12)},
    )
    assert "notice_not_served" in refused_by(case, "approve_decision", D(2026, 10, 20))


def test_amount_outside_the_legal_range() -> None:
    """A fine above the article's maximum is a 裁量 defect once the investigation ended."""
    over = (ViolationFact("AQ-97-3", 150000, Tier.SEVERE),)
    assert codes(facts(violations=over)) == []  # not yet charged
    assert refused_by(facts(violations=over), "end_investigation", D(2026, 10, 20)) == [
        "amount_out_of_range"
    ]
    defect = case_defects(
        facts(
            violations=over,
            milestones={"filed": D(2026, 10, 9), "investigation_ended": D(2026, 10, 15)},
        )
    )[0]
    assert defect.review_item is ReviewItem.DISCRETION


def test_violation_without_legal_basis() -> None:
    """No violation, an unknown code, or a repealed article is an 适用法律 defect."""
    ended = {"filed": D(2026, 10, 9), "investigation_ended": D(2026, 10, 15)}
    assert codes(facts(violations=(), milestones=ended)) == ["no_violation"]
    unknown = (ViolationFact("AQ-999", 1000, Tier.ORDINARY),)
    assert codes(facts(violations=unknown)) == ["unknown_violation"]
    repealed = (ViolationFact("WHTL-78-6", 10000, Tier.ORDINARY),)
    assert codes(facts(violations=repealed, opened_on=D(2026, 5, 1))) == ["violation_not_in_force"]
    assert codes(facts(violations=repealed, opened_on=D(2026, 4, 30))) == []


def test_violation_of_another_authority_must_be_transferred() -> None:
    """A 消防 violation is the 消防救援机构's: every forward step is blocked, 移送 is not."""
    fire = (ViolationFact("XF-60-3", 10000, Tier.ORDINARY),)
    assert codes(facts(violations=fire)) == ["not_our_authority"]
    assert refused_by(facts(violations=fire), "transfer_case", D(2026, 10, 20)) == []


def test_a_transferred_case_is_no_longer_asked_to_transfer() -> None:
    """Once 移送 is done, the 消防 violation is not a defect of this bureau's case any more."""
    fire = (ViolationFact("XF-60-3", 10000, Tier.ORDINARY),)
    transferred = {"filed": D(2026, 10, 9), "transferred": D(2026, 10, 20)}
    assert codes(facts(violations=fire, stage=Stage.TRANSFERRED, milestones=transferred)) == []


def test_ninety_day_limit_passed_without_extension() -> None:
    """Filed 2026-06-01: 90 days end 2026-08-30 (a Sunday) and roll to Monday 08-31."""
    late = facts(opened_on=D(2026, 6, 1), milestones={"filed": D(2026, 6, 1)}, today=D(2026, 9, 1))
    assert codes(late) == ["case_limit_passed"]
    assert codes(replace(late, today=D(2026, 8, 31))) == []
    assert refused_by(late, "end_investigation", D(2026, 9, 1)) == ["case_limit_passed"]
    extension = find_action("approve_extension")
    in_time = replace(late, today=D(2026, 8, 31))
    extended = facts_after(in_time, extension, D(2026, 8, 31), "u-leader", extension_days=30)
    assert refusals(extended, extension) == []
    assert codes(replace(extended, today=D(2026, 9, 1))) == []


def test_an_extension_after_the_limit_ran_out_is_refused() -> None:
    """Filed 2026-06-01, the 90 days end on Monday 08-31 (行政处罚法第六十条): an extension
    approved on 09-01 cannot make the case timely again; approved on 08-31 it does. A second
    extension must come within the first: 90 + 30 days from 06-01 end on Tuesday 09-29."""
    late = facts(opened_on=D(2026, 6, 1), milestones={"filed": D(2026, 6, 1)}, today=D(2026, 9, 1))
    extension = find_action("approve_extension")
    too_late = facts_after(late, extension, D(2026, 9, 1), "u-leader", extension_days=30)
    defects = [d for d in refusals(too_late, extension)]
    assert [d.code for d in defects] == ["extension_too_late"]
    assert defects[0].review_item is ReviewItem.PROCEDURE
    assert "2026年09月01日批准" in defects[0].message
    assert "已于2026年08月31日届满" in defects[0].message
    first = facts_after(
        replace(late, today=D(2026, 8, 20)), extension, D(2026, 8, 20), "u-leader", 30
    )
    second_on_time = facts_after(first, extension, D(2026, 9, 29), "u-leader", 30)
    assert refusals(second_on_time, extension) == []
    second_late = facts_after(first, extension, D(2026, 9, 30), "u-leader", 30)
    assert [d.code for d in refusals(second_late, extension)] == ["extension_too_late"]


def test_document_issued_without_number() -> None:
    """A numbered document issued without its 文号 is a 文书 defect."""
    documents = (
        DocumentFact("penalty_notice", None, "served"),
        DocumentFact("statement_record", None, "issued"),
    )
    defects = case_defects(facts(documents=documents))
    assert [(d.code, d.review_item) for d in defects] == [
        ("document_without_number", ReviewItem.DOCUMENTS)
    ]
    assert "行政处罚告知书" in defects[0].message


def test_invalid_party_identity() -> None:
    """A wrong check digit in the party's ID number is a 主体 defect."""
    person = facts(
        party_kind="person",
        party_id_type="resident_id",
        party_id_no="440304198001011230",
        party_operates="园岭安达锁匠门市部",  # a 个体经营者: the unit's range applies
    )
    assert codes(person) == ["party_identity"]
    assert codes(replace(person, party_id_no="440304198001011239")) == []


def test_simplified_procedure_over_the_on_the_spot_limit() -> None:
    """当场处罚 above 3,000 元 for a unit (200 元 for a person) is refused."""
    simple = facts(
        procedure=Procedure.SIMPLE,
        stage=Stage.ONSITE,
        milestones={},
        violations=(ViolationFact("AQ-99-8", 3000, Tier.LENIENT),),
    )
    assert refused_by(simple, "decide_onsite", D(2026, 10, 20)) == []
    over = replace(simple, violations=(ViolationFact("AQ-99-8", 3500, Tier.LENIENT),))
    assert refused_by(over, "decide_onsite", D(2026, 10, 20)) == ["simple_over_limit"]
    person = replace(
        simple,
        party_kind="person",
        party_id_type="resident_id",
        party_id_no="440304198001011239",
        party_operates="园岭安达锁匠门市部",
        violations=(ViolationFact("AQ-99-8", 300, Tier.LENIENT),),
    )
    assert refused_by(person, "decide_onsite", D(2026, 10, 20)) == ["simple_over_limit"]


def test_serious_case_needs_collective_discussion_and_review() -> None:
    """A decision on a 重大 case without 集体讨论, or any without 法制审核, is refused."""
    big = (ViolationFact("AQ-97-3", 100000, Tier.SEVERE),)
    milestones = {
        "filed": D(2026, 9, 1),
        "notice_served": D(2026, 9, 10),
        "hearing_notice_served": D(2026, 9, 10),
        "statement_waived": D(2026, 9, 10),
        "hearing_waived": D(2026, 9, 10),
    }
    case = facts(
        stage=Stage.DECISION_APPROVAL,
        violations=big,
        milestones=milestones,
        opened_on=D(2026, 9, 1),
    )
    assert refused_by(case, "approve_decision", D(2026, 9, 20)) == [
        "legal_review_missing",
        "collective_missing",
    ]


def test_hearing_notice_less_than_seven_working_days_ahead() -> None:
    """A hearing on the 7th working day after the notice is too soon; the 8th is fine."""
    case = facts(stage=Stage.HEARING, today=D(2026, 10, 12))
    schedule = find_action("schedule_hearing")
    soon = facts_after(case, schedule, D(2026, 10, 12), "u-zhang")
    soon = replace(soon, milestones={**soon.milestones, "hearing_scheduled": D(2026, 10, 21)})
    assert [d.code for d in refusals(soon, schedule)] == ["hearing_notice_late"]
    later = replace(soon, milestones={**soon.milestones, "hearing_scheduled": D(2026, 10, 22)})
    assert refusals(later, schedule) == []


def test_court_application_waits_for_the_reminder() -> None:
    """No court application without a 催告书, nor within 10 working days of serving it."""
    decided = {
        "filed": D(2026, 3, 2),
        "notice_served": D(2026, 3, 20),
        "legal_reviewed": D(2026, 3, 18),
        "decided": D(2026, 4, 1),
        "decision_served": D(2026, 4, 2),
    }
    case = facts(
        stage=Stage.EXECUTION, milestones=decided, opened_on=D(2026, 3, 2), today=D(2026, 11, 20)
    )
    assert refused_by(case, "apply_court", D(2026, 11, 20)) == ["court_without_reminder"]
    reminded = replace(case, milestones={**decided, "reminder_served": D(2026, 11, 2)})
    assert refused_by(reminded, "apply_court", D(2026, 11, 16)) == ["court_too_early"]
    assert refused_by(reminded, "apply_court", D(2026, 11, 17)) == []


def test_closing_with_the_fine_unpaid() -> None:
    """结案 needs the fine paid in full or a court application."""
    decided = {
        "filed": D(2026, 3, 2),
        "notice_served": D(2026, 3, 20),
        "legal_reviewed": D(2026, 3, 18),
        "decided": D(2026, 4, 1),
        "decision_served": D(2026, 4, 2),
    }
    case = facts(
        stage=Stage.EXECUTION, milestones=decided, opened_on=D(2026, 3, 2), today=D(2026, 5, 1)
    )
    assert refused_by(case, "submit_closing", D(2026, 5, 1)) == ["fine_unsettled"]
    assert refused_by(replace(case, paid=20000), "submit_closing", D(2026, 5, 1)) == []


def test_dates_out_of_order() -> None:
    """A decision dated before its notice is a 程序 defect (a date inversion)."""
    dates = {"filed": D(2026, 3, 2), "notice_served": D(2026, 4, 5), "decided": D(2026, 4, 1)}
    defects = [
        d
        for d in case_defects(facts(milestones=dates, today=D(2026, 4, 10)))
        if d.code == "date_order"
    ]
    assert len(defects) == 1
    assert "早于" in defects[0].message and defects[0].review_item is ReviewItem.PROCEDURE


def test_a_heavy_other_penalty_calls_for_a_hearing_whatever_the_fine() -> None:
    """责令停产停业整顿 (worded in any of the catalogue's ways) requires the hearing notice."""
    heavy = facts(other_penalties=("情节严重的，责令停产停业整顿",))
    assert heavy.hearing_required and heavy.collective_required
    warned = facts(other_penalties=("警告",))
    assert not warned.hearing_required and not warned.collective_required


def test_a_hearing_cannot_be_requested_when_none_was_offered() -> None:
    """Below the threshold no 听证告知书 was served, so 申请听证 / 放弃听证 are refused."""
    notified = {"filed": D(2026, 10, 9), "notice_served": D(2026, 10, 12)}
    case = facts(stage=Stage.STATEMENT, milestones=notified)
    assert refused_by(case, "request_hearing", D(2026, 10, 13)) == ["hearing_not_offered"]
    assert refused_by(case, "waive_hearing", D(2026, 10, 13)) == ["hearing_not_offered"]
    offered = replace(case, milestones={**notified, "hearing_notice_served": D(2026, 10, 12)})
    assert refused_by(offered, "request_hearing", D(2026, 10, 13)) == []
