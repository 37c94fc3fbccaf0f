"""查封扣押 and 停止供电: the thirty-day period across holidays, the one extension, the 处理决定,
the on-site seizure and the power-cut setting, as the guard judges them.

Expected dates are counted by hand from the law, not by the engine: 行政强制法第二十五条 caps a
seizure at thirty days (+ one extension of at most thirty, approved within the period);
第六十九条 makes only periods of ten days or less working days, so these are natural days; the
start day is not counted (民法典第二百零一条); and the last day is kept even on a holiday, since
it is the longest the measure may last (see resources/procedure/README.md, "natural_fixed").
Holidays: 2026 国庆 10-01..10-07, 2025 国庆、中秋 10-01..10-08 (resources/calendar/holidays.json).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fuanjian_desktop.domain.case_deadlines import case_deadlines
from fuanjian_desktop.domain.coercion import seizure_end
from fuanjian_desktop.domain.guard.case_guard import (
    CaseFacts,
    ReviewItem,
    case_defects,
    facts_after,
    with_deadlines,
)
from fuanjian_desktop.domain.procedure import Procedure, Stage, actions_from, find_action
from fuanjian_desktop.domain.procedure_settings import default_settings
from tests.domain.guard.test_case_guard import codes, refused_by
from tests.domain.guard.test_case_guard import facts as sound_case

D = dt.date
APPROVED, SERVED = D(2026, 9, 2), D(2026, 9, 3)  # served on a Thursday; day 30 is 10-03 (国庆)
END, EXTENDED_END = D(2026, 10, 3), D(2026, 11, 2)  # 9-03 + 30 days; 10-03 + 30 days


def facts(**changes: Any) -> CaseFacts:
    """A sound case in 调查取证 whose seizure was approved on 9-02 and served on 9-03."""
    base = sound_case(
        opened_on=D(2026, 9, 1),
        milestones={
            "filed": D(2026, 9, 1),
            "seizure_approved": APPROVED,
            "seizure_decided": SERVED,
        },
        today=D(2026, 9, 20),
        steps=(("approve_filing", D(2026, 9, 1)), ("approve_seizure", APPROVED)),
    )
    return replace(base, **changes)


def with_milestone(case: CaseFacts, **dates: dt.date) -> CaseFacts:
    """``case`` with more milestones dated."""
    return replace(case, milestones={**case.milestones, **dates})


# --- the period ---------------------------------------------------------------------------


def test_seizure_period_is_thirty_natural_days_not_rolled_over_the_national_holiday() -> None:
    """Served 2026-09-03: the period ends 2026-10-03, inside 国庆, and does not roll to 10-08."""
    (limit,) = case_deadlines({"seizure_decided": SERVED})
    assert limit.rule.id == "seizure_limit"
    assert limit.due == END
    assert "顺延" not in limit.explanation


def test_seizure_period_in_2025_ends_on_the_national_day() -> None:
    """Served 2025-09-01: thirty days end 2025-10-01 (国庆、中秋 10-01..10-08), kept there;
    extended, 2025-10-31."""
    assert seizure_end(D(2025, 9, 1)) == D(2025, 10, 1)
    assert seizure_end(D(2025, 9, 1), extended=True) == D(2025, 10, 31)


def test_the_one_extension_adds_thirty_days_after_the_original_end() -> None:
    """Extended: 10-03 + 30 = 11-02, on the deadline the 工作台 shows too."""
    extended = with_milestone(facts(), seizure_extended=D(2026, 9, 28))
    limit = replace(extended, today=D(2026, 10, 20))
    assert seizure_end(SERVED, extended=True) == EXTENDED_END
    assert [d.due for d in with_deadlines(limit).deadlines if d.rule.id == "seizure_limit"] == [
        EXTENDED_END
    ]
    assert codes(limit) == []


def test_seizure_past_thirty_days_without_extension_blocks_the_case() -> None:
    """On 10-03 the seizure still runs; on 10-04 it is overdue and blocks progress, but not the
    处理决定 that ends it."""
    assert codes(facts(today=END)) == []
    late = facts(today=D(2026, 10, 4))
    (defect,) = case_defects(late)
    assert defect.code == "seizure_limit_passed"
    assert defect.review_item is ReviewItem.PROCEDURE
    assert "2026-10-03" in defect.message and "第二十五条" in defect.message
    assert refused_by(late, "end_investigation", D(2026, 10, 4)) == ["seizure_limit_passed"]
    assert refused_by(late, "dispose_seizure", D(2026, 10, 4)) == []


def test_disposal_after_the_limit_stays_a_defect_of_the_file() -> None:
    """A 处理决定 dated 10-05 without extension is found later, blocking nothing."""
    disposed = with_milestone(facts(today=D(2026, 10, 20)), seizure_disposed=D(2026, 10, 5))
    (defect,) = case_defects(disposed)
    assert defect.code == "seizure_limit_passed" and defect.blocks == frozenset()
    on_time = with_milestone(facts(today=D(2026, 10, 20)), seizure_disposed=END)
    assert codes(on_time) == []


# --- the extension ------------------------------------------------------------------------


def test_extension_on_the_last_day_is_lawful_and_the_day_after_is_refused() -> None:
    """延长 decided on 10-03 (the last day) passes; on 10-04 it is refused with the reason."""
    assert refused_by(facts(today=END), "extend_seizure", END) == []
    refused = refused_by(facts(today=D(2026, 10, 4)), "extend_seizure", D(2026, 10, 4))
    assert refused == ["seizure_extended_late"]
    after = facts_after(
        facts(today=D(2026, 10, 4)), find_action("extend_seizure"), D(2026, 10, 4), "u-lead"
    )
    message = next(d.message for d in case_defects(after) if d.code == "seizure_extended_late")
    assert "2026年10月03日届满" in message


def test_a_second_extension_is_refused() -> None:
    """行政强制法第二十五条 allows one extension: a second one is refused."""
    once = replace(
        with_milestone(facts(), seizure_extended=D(2026, 9, 20)),
        steps=(*facts().steps, ("extend_seizure", D(2026, 9, 20))),
        today=D(2026, 9, 25),
    )
    assert codes(once) == []
    assert refused_by(once, "extend_seizure", D(2026, 9, 25)) == ["seizure_extended_twice"]


def test_an_extension_after_the_disposal_is_refused() -> None:
    """After the 处理决定 the seizure has ended: 延长 is refused."""
    disposed = replace(
        with_milestone(facts(), seizure_disposed=D(2026, 9, 20)),
        steps=(*facts().steps, ("dispose_seizure", D(2026, 9, 20))),
        today=D(2026, 9, 21),
    )
    assert codes(disposed) == []
    assert refused_by(disposed, "extend_seizure", D(2026, 9, 21)) == [
        "seizure_extended_after_disposal"
    ]


def test_extension_or_disposal_without_a_seizure_is_refused() -> None:
    """Nothing seized, nothing to extend or dispose of."""
    none = facts(milestones={"filed": D(2026, 9, 1)})
    assert refused_by(none, "extend_seizure", D(2026, 9, 20)) == [
        "seizure_extended_without_seizure"
    ]
    assert refused_by(none, "dispose_seizure", D(2026, 9, 20)) == [
        "seizure_disposed_without_seizure"
    ]


# --- approval, closing, on-site -----------------------------------------------------------


def test_decision_without_approval_is_refused() -> None:
    """查封扣押决定书 before the leader's approval (行政强制法第十八条第（一）项) is refused."""
    unapproved = facts(milestones={"filed": D(2026, 9, 1)})
    assert refused_by(unapproved, "decide_seizure", D(2026, 9, 3)) == ["seizure_unapproved"]
    approved = with_milestone(unapproved, seizure_approved=D(2026, 9, 3))
    assert refused_by(approved, "decide_seizure", D(2026, 9, 3)) == []


def test_closing_with_the_seizure_open_is_refused() -> None:
    """A case is not closed while its seizure has no 处理决定 (第二十七条)."""
    executing = facts(stage=Stage.EXECUTION, today=D(2026, 9, 25))
    assert refused_by(executing, "submit_closing", D(2026, 9, 25)) == ["seizure_open_at_closing"]
    disposed = with_milestone(executing, seizure_disposed=D(2026, 9, 24))
    assert "seizure_open_at_closing" not in refused_by(disposed, "submit_closing", D(2026, 9, 25))


def test_an_onsite_seizure_must_be_approved_and_decided_before_filing() -> None:
    """An inspection took 查封、扣押 on 9-01: 立案 waits for the approval and decision; approval
    later than the next day is noted (行政强制法第十九条: 24 hours)."""
    onsite = facts(
        stage=Stage.FILING_APPROVAL,
        milestones={},
        onsite_seizure_on=D(2026, 9, 1),
        today=D(2026, 9, 1),
    )
    assert refused_by(onsite, "approve_filing", D(2026, 9, 1)) == ["onsite_seizure_undocumented"]
    assert refused_by(onsite, "approve_seizure", D(2026, 9, 1)) == []
    documented = with_milestone(
        onsite, seizure_approved=D(2026, 9, 2), seizure_decided=D(2026, 9, 2)
    )
    assert refused_by(documented, "approve_filing", D(2026, 9, 2)) == []
    late = with_milestone(onsite, seizure_approved=D(2026, 9, 3), seizure_decided=D(2026, 9, 3))
    assert codes(replace(late, today=D(2026, 9, 3))) == ["onsite_seizure_approved_late"]


# --- 停止供电 --------------------------------------------------------------------------------


def test_power_cut_is_refused_unless_the_squad_holds_the_power() -> None:
    """Off by default: 停止供电 is refused with the legal basis; switched on, it is allowed."""
    case = facts(stage=Stage.EXECUTION, milestones={"filed": D(2026, 9, 1)})
    assert refused_by(case, "cut_power", D(2026, 9, 20)) == ["power_cut_not_delegated"]
    after = facts_after(case, find_action("cut_power"), D(2026, 9, 20), "u-lead")
    (defect,) = [d for d in case_defects(after) if d.code == "power_cut_not_delegated"]
    assert "第七十条" in defect.message and "办案程序设置" in defect.message
    delegated = default_settings().with_overrides({"power_cut_delegated": 1})
    assert refused_by(replace(case, settings=delegated), "cut_power", D(2026, 9, 20)) == []


def test_power_cannot_be_restored_before_it_was_cut() -> None:
    """恢复供电 needs a 停止供电 first."""
    case = facts(milestones={"filed": D(2026, 9, 1)})
    assert refused_by(case, "restore_power", D(2026, 9, 20)) == ["power_restored_without_cut"]


# --- the procedure ------------------------------------------------------------------------


def test_seizure_steps_are_offered_from_filing_to_execution_in_general_procedure_only() -> None:
    """批准查封扣押 and its decision from 立案审批 (an on-site seizure) through 决定审批; the
    extension and the 处理决定 also in 待送达 and 执行; none in 简易程序; none moves the stage."""
    general = {action.code for action in actions_from(Procedure.GENERAL, Stage.FILING_APPROVAL)}
    assert {"approve_seizure", "decide_seizure", "extend_seizure", "dispose_seizure"} <= general
    executing = {action.code for action in actions_from(Procedure.GENERAL, Stage.EXECUTION)}
    assert {"extend_seizure", "dispose_seizure", "cut_power", "restore_power"} <= executing
    assert "decide_seizure" not in executing
    simple = {action.code for action in actions_from(Procedure.SIMPLE, Stage.ONSITE)}
    assert not simple & {"approve_seizure", "decide_seizure", "cut_power"}
    for code in ("approve_seizure", "decide_seizure", "extend_seizure", "dispose_seizure"):
        assert find_action(code).to_stage is None


@settings(max_examples=300, deadline=None)
@given(
    served=st.dates(D(2019, 1, 1), D(2026, 11, 30)),
    later=st.one_of(st.sampled_from([29, 30, 31, 59, 60, 61]), st.integers(0, 70)),
    extended_after=st.one_of(st.none(), st.sampled_from([30, 31]), st.integers(1, 40)),
)
def test_any_seizure_runs_thirty_days_plus_one_timely_extension(
    served: dt.date, later: int, extended_after: int | None
) -> None:
    """Over eight years of holidays: the period ends on day 30 (day 60 once extended), never
    rolled; an extension is lawful up to day 30 only; the seizure is overdue exactly after its
    last day while no 处理决定 was made."""
    steps = (("approve_seizure", served),)
    milestones = {"filed": served, "seizure_approved": served, "seizure_decided": served}
    extension = served + dt.timedelta(days=extended_after) if extended_after else None
    if extension is not None:
        milestones["seizure_extended"] = extension
        steps += (("extend_seizure", extension),)
    today = served + dt.timedelta(days=later)
    if extension is not None:
        today = max(today, extension)
    case = facts(milestones=milestones, steps=steps, today=today)
    last_day = served + dt.timedelta(days=60 if extension else 30)
    found = {code for code in codes(case) if code.startswith("seizure")}
    expected = set()
    if today > last_day:
        expected.add("seizure_limit_passed")
    if extension is not None and extension > served + dt.timedelta(days=30):
        expected.add("seizure_extended_late")
    assert found == expected
