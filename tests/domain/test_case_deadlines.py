"""Statutory case deadlines: due dates across holidays, states, settings, extensions, the rule file.

Every expected date is worked out by hand in a comment, using the 2019, 2020 and 2024 State
Council holiday notices, so a reviewer can check it against a paper calendar.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from fuanjian_desktop.domain.case_deadlines import (
    EVENT_LABELS,
    CaseDeadline,
    DayCount,
    DeadlineKind,
    DeadlineRuleError,
    DeadlineState,
    add_months,
    case_deadlines,
    hearing_notice_gap_ok,
    load_deadline_rules,
    read_deadline_rules,
)
from fuanjian_desktop.errors import UserError

D = dt.date


def deadline(rule_id: str, **events: dt.date) -> CaseDeadline:
    """The deadline of ``rule_id`` for a case with these dated events."""
    found = [d for d in case_deadlines(events) if d.rule.id == rule_id]
    assert len(found) == 1
    return found[0]


def test_the_shipped_rules_load_in_file_order() -> None:
    """The rule file ships every rule the case clock relies on, each with a source."""
    rules = load_deadline_rules()
    assert [rule.id for rule in rules] == [
        "case_limit",
        "statement_period",
        "hearing_request",
        "hearing_notice",
        "decision_service",
        "publication",
        "payment",
        "reconsideration_period",
        "litigation_period",
        "reminder_wait",
        "court_application",
        "seizure_limit",
        "preservation",
    ]
    assert all(rule.source.startswith("《") for rule in rules)


def test_only_rules_whose_start_event_is_dated_appear() -> None:
    """A case just filed has only its 办案期限."""
    assert [d.rule.id for d in case_deadlines({"filed": D(2019, 7, 3)})] == ["case_limit"]


def test_case_limit_ending_on_national_day_rolls_to_the_next_working_day() -> None:
    """90 natural days from 2019-07-03 end on 10-01 (国庆), so the limit moves to Tue 10-08."""
    # July 3 + 28 = July 31, + 31 = Aug 31 (59), + 30 = Sep 30 (89), + 1 = Oct 1 (90).
    # 2019-10-01..07 are off; 10-08 (Tuesday) is the first working day after.
    limit = deadline("case_limit", filed=D(2019, 7, 3))
    assert limit.rule.kind is DeadlineKind.ACT and limit.rule.count is DayCount.NATURAL
    assert limit.due == D(2019, 10, 8)
    assert limit.explanation == (
        "立案：2019-07-03 起 90 日 → 2019-10-01，末日为法定节假日或休息日，"
        "顺延至 2019-10-08（参照《中华人民共和国民事诉讼法》第八十五条）"
    )


def test_statement_period_counts_the_makeup_sunday_and_skips_national_day() -> None:
    """告知书 served Fri 2019-09-27 → 5 working days → Thu 2019-10-10."""
    # Sat 09-28 off; Sun 09-29 worked (1); Mon 09-30 (2); 10-01..07 off; 10-08 (3), 10-09 (4),
    # 10-10 (5). Days skipped: 09-28 and the seven holidays = 8.
    period = deadline("statement_period", notice_served=D(2019, 9, 27))
    assert period.rule.kind is DeadlineKind.WAIT
    assert period.due == D(2019, 10, 10)
    assert period.explanation == (
        "行政处罚告知书送达：2019-09-27 起 5 个工作日（跳过 8 天节假日和周末）→ 2019-10-10"
    )


def test_hearing_request_window_across_spring_festival_2024() -> None:
    """听证告知书 served Thu 2024-02-08 → 5 working days → Wed 2024-02-21."""
    # Fri 02-09 (除夕, worked in 2024) (1); 02-10..17 off; Sun 02-18 worked (2); 02-19 (3),
    # 02-20 (4), 02-21 (5).
    window = deadline("hearing_request", hearing_notice_served=D(2024, 2, 8))
    assert window.due == D(2024, 2, 21)


def test_hearing_notice_period_ends_on_a_makeup_saturday() -> None:
    """听证会通知书 served 2019-09-27 → 7 working days → Sat 2019-10-12 (worked)."""
    # As for the statement period up to 10-10 (5); Fri 10-11 (6); Sat 10-12 worked (7).
    assert deadline("hearing_notice", hearing_notice_sent=D(2019, 9, 27)).due == D(2019, 10, 12)


def test_hearing_must_follow_the_notice_period() -> None:
    """A hearing on the period's last day is too early; the next working day is fine."""
    sent = D(2019, 9, 27)
    assert not hearing_notice_gap_ok(sent, D(2019, 10, 8))
    assert not hearing_notice_gap_ok(sent, D(2019, 10, 12))
    assert hearing_notice_gap_ok(sent, D(2019, 10, 14))  # Monday after Sun 10-13


def test_decision_service_across_the_extended_spring_festival_2020() -> None:
    """Decided Mon 2020-01-20 → serve within 7 working days → Thu 2020-02-06."""
    # 01-21 (1), 01-22 (2), 01-23 (3); 01-24..02-02 off (春节 extended; Sat 02-01 not worked);
    # 02-03 (4), 02-04 (5), 02-05 (6), 02-06 (7).
    service = deadline("decision_service", decided=D(2020, 1, 20))
    assert service.due == D(2020, 2, 6)
    assert "跳过 10 天节假日和周末" in service.explanation


def test_publication_within_seven_working_days_of_the_decision() -> None:
    """Decided Fri 2019-09-27 → publish within 7 working days → Sat 2019-10-12 (worked)."""
    assert deadline("publication", decided=D(2019, 9, 27)).due == D(2019, 10, 12)


def test_payment_period_ending_on_national_day_rolls_forward() -> None:
    """Decision served Mon 2019-09-16 → 15 natural days → 10-01 (国庆) → Tue 2019-10-08."""
    payment = deadline("payment", decision_served=D(2019, 9, 16))
    assert payment.due == D(2019, 10, 8)
    assert "2019-10-01，末日为法定节假日或休息日，顺延至 2019-10-08" in payment.explanation


def test_reminder_wait_is_ten_working_days() -> None:
    """催告书 served 2019-09-27 → 10 working days → Wed 2019-10-16."""
    # To Sat 10-12 (worked) as above = 7; Sun 10-13 off; 10-14 (8), 10-15 (9), 10-16 (10).
    assert deadline("reminder_wait", reminder_served=D(2019, 9, 27)).due == D(2019, 10, 16)


def test_reconsideration_period_is_sixty_natural_days() -> None:
    """Served 2019-09-16 → Sep 30 is day 14, Oct 31 day 45 → day 60 is Fri 2019-11-15."""
    assert deadline("reconsideration_period", decision_served=D(2019, 9, 16)).due == D(2019, 11, 15)


def test_reconsideration_period_rolls_past_national_day() -> None:
    """Served 2019-08-02 → Aug 31 is day 29, Sep 30 day 59 → day 60 is 2019-10-01 (国庆,
    off to 10-07) → Tue 2019-10-08."""
    assert deadline("reconsideration_period", decision_served=D(2019, 8, 2)).due == D(2019, 10, 8)


def test_litigation_period_is_six_months_rolled_past_national_day() -> None:
    """Served 2019-04-01 → 6 months → 2019-10-01 (国庆) → Tue 2019-10-08."""
    assert deadline("litigation_period", decision_served=D(2019, 4, 1)).due == D(2019, 10, 8)


def test_court_window_is_three_months_from_the_rolled_end_of_the_litigation_period() -> None:
    """Served 2019-04-01 → 起诉期 ends Tue 2019-10-08 (rolled past 国庆) → 3 months → Wed
    2020-01-08. Nine months from service in one count would end on 2020-01-02."""
    application = deadline("court_application", decision_served=D(2019, 4, 1))
    assert application.start == D(2019, 10, 8)
    assert application.due == D(2020, 1, 8)
    assert application.explanation.startswith("行政诉讼起诉期届满：2019-10-08 起 3 个月")


def test_court_application_clamps_to_month_end_then_rolls_past_the_weekend() -> None:
    """Served 2019-05-31 → 6 months → 2019-11-30 (no 31st; a Saturday) → Mon 2019-12-02
    → 3 months → Mon 2020-03-02."""
    application = deadline("court_application", decision_served=D(2019, 5, 31))
    assert application.start == D(2019, 12, 2)
    assert application.due == D(2020, 3, 2)


def test_a_rule_after_a_later_rule_is_refused(tmp_path: Path) -> None:
    """``after`` must name a rule computed before it, else the file is refused."""
    rules = [rule_entry(id="first", after="second"), rule_entry(id="second")]
    path = tmp_path / "deadlines.json"
    path.write_text(json.dumps({"schema_version": 1, "rules": rules}), encoding="utf-8")
    with pytest.raises(DeadlineRuleError, match="after"):
        read_deadline_rules(path)


def test_preservation_decision_across_mid_autumn_2024() -> None:
    """Evidence preserved Fri 2024-09-13 → 7 working days → Wed 2024-09-25."""
    # Sat 09-14 worked (1); 09-15..17 off; 09-18 (2), 09-19 (3), 09-20 (4); weekend off;
    # 09-23 (5), 09-24 (6), 09-25 (7).
    assert deadline("preservation", evidence_preserved=D(2024, 9, 13)).due == D(2024, 9, 25)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2019, 8, 31), 6, D(2020, 2, 29)),  # leap February
        (D(2020, 8, 31), 6, D(2021, 2, 28)),
        (D(2019, 1, 31), 1, D(2019, 2, 28)),
        (D(2019, 4, 30), 1, D(2019, 5, 30)),  # the corresponding day exists
        (D(2019, 11, 15), 3, D(2020, 2, 15)),  # across the year end
    ],
)
def test_add_months_clamps_to_the_month_end(start: dt.date, months: int, expected: dt.date) -> None:
    """Without a corresponding day the period ends on the month's last day (民法典第二百零二条)."""
    assert add_months(start, months) == expected


def test_a_dated_satisfying_event_meets_the_deadline() -> None:
    """Payment on 10-05 meets the payment period and records the date."""
    payment = deadline("payment", decision_served=D(2019, 9, 16), paid=D(2019, 10, 5))
    assert payment.state is DeadlineState.MET
    assert payment.closed_on == D(2019, 10, 5)


def test_a_waiver_cancels_the_statement_period() -> None:
    """A party that waives 陈述申辩 ends the window on the day it waived."""
    period = deadline(
        "statement_period", notice_served=D(2019, 9, 27), statement_waived=D(2019, 9, 30)
    )
    assert period.state is DeadlineState.CANCELLED
    assert period.closed_on == D(2019, 9, 30)
    assert not period.window_open(D(2019, 10, 8))


def test_met_takes_precedence_over_cancelled() -> None:
    """Applying to court and a later payment leave the court deadline met, not cancelled."""
    application = deadline(
        "court_application",
        decision_served=D(2019, 5, 31),
        court_applied=D(2019, 12, 20),
        paid=D(2020, 1, 6),
    )
    assert application.state is DeadlineState.MET
    assert application.closed_on == D(2019, 12, 20)


def test_without_closing_events_a_deadline_stays_open() -> None:
    """No payment and no deferral: the payment window is open."""
    payment = deadline("payment", decision_served=D(2019, 9, 16))
    assert payment.state is DeadlineState.OPEN
    assert payment.closed_on is None


def test_a_setting_overrides_the_statement_period() -> None:
    """statement_days = 3 (the 2016 template) → 09-29, 09-30, 10-08 → due 2019-10-08."""
    deadlines = case_deadlines({"notice_served": D(2019, 9, 27)}, settings={"statement_days": 3})
    assert deadlines[0].due == D(2019, 10, 8)
    assert "3 个工作日" in deadlines[0].explanation


def test_settings_without_the_rules_key_leave_the_length() -> None:
    """Unrelated procedure settings do not touch a rule."""
    deadlines = case_deadlines({"filed": D(2019, 7, 3)}, settings={"statement_days": 3})
    assert deadlines[0].due == D(2019, 10, 8)


def test_a_negative_setting_is_refused_in_chinese() -> None:
    """A broken procedure setting is a user error naming the setting."""
    with pytest.raises(UserError, match="case_limit_days"):
        case_deadlines({"filed": D(2019, 7, 3)}, settings={"case_limit_days": -1})


def test_an_approved_extension_adds_natural_days() -> None:
    """90 + 30 days from 2019-07-03 → Thu 2019-10-31 (Oct 1 is day 90, Oct 31 day 120)."""
    limit = case_deadlines({"filed": D(2019, 7, 3)}, extra_days={"case_limit": 30})[0]
    assert limit.due == D(2019, 10, 31)
    assert limit.explanation == (
        "立案：2019-07-03 起 90 日 → 2019-10-01，经批准延长 30 日 → 2019-10-31"
    )


def test_an_extension_of_an_unknown_rule_is_refused() -> None:
    """Extensions must name a rule of the rule file."""
    with pytest.raises(UserError, match="no_such_rule"):
        case_deadlines({"filed": D(2019, 7, 3)}, extra_days={"no_such_rule": 30})


def test_act_deadline_overdue_and_due_soon() -> None:
    """Serve-by 2020-02-06: due soon from 02-03, overdue from 02-07."""
    service = deadline("decision_service", decided=D(2020, 1, 20))
    assert not service.is_due_soon(D(2020, 2, 2))
    assert service.is_due_soon(D(2020, 2, 2), within=4)
    assert service.is_due_soon(D(2020, 2, 3))
    assert service.is_due_soon(D(2020, 2, 6)) and not service.is_overdue(D(2020, 2, 6))
    assert service.is_overdue(D(2020, 2, 7)) and not service.is_due_soon(D(2020, 2, 7))


def test_a_met_deadline_is_neither_overdue_nor_due_soon() -> None:
    """Once served, the service deadline raises no alarm."""
    service = deadline("decision_service", decided=D(2020, 1, 20), decision_served=D(2020, 1, 21))
    assert not service.is_overdue(D(2020, 3, 1))
    assert not service.is_due_soon(D(2020, 2, 5))


def test_wait_window_is_open_through_its_last_day_and_never_overdue() -> None:
    """The statement window runs to 2019-10-10 inclusive; the decision may come on 10-11."""
    period = deadline("statement_period", notice_served=D(2019, 9, 27))
    assert period.window_open(D(2019, 10, 10))
    assert not period.window_open(D(2019, 10, 11))
    assert not period.is_overdue(D(2019, 12, 31))


def test_an_act_deadline_has_no_window() -> None:
    """window_open is only for the party's periods."""
    assert not deadline("decision_service", decided=D(2020, 1, 20)).window_open(D(2020, 1, 21))


def test_a_due_date_in_an_uncovered_year_is_flagged() -> None:
    """Served 2026-12-20 → 15 days → 2027-01-04, a year the calendar does not hold yet."""
    payment = deadline("payment", decision_served=D(2026, 12, 20))
    assert payment.due == D(2027, 1, 4)
    assert payment.explanation.endswith("；2027年放假安排尚未录入，已按周一至周五推算，请人工核对")


def rule_entry(**changes: Any) -> dict[str, Any]:
    """A valid rule entry, changed as given."""
    entry: dict[str, Any] = {
        "id": "statement_period",
        "label": "陈述申辩期",
        "kind": "wait",
        "count": "working",
        "length": 5,
        "setting": "statement_days",
        "starts_from": "notice_served",
        "satisfied_by": [],
        "cancelled_by": ["statement_waived"],
        "source": "《中华人民共和国行政处罚法》第四十四条",
        "note": "",
    }
    return {**entry, **changes}


def write_rules(tmp_path: Path, *entries: dict[str, Any]) -> Path:
    """A rule file in ``tmp_path`` holding ``entries``."""
    path = tmp_path / "deadlines.json"
    document = {"schema_version": 1, "rules": list(entries)}
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_valid_rule_file_parses(tmp_path: Path) -> None:
    """A file with one correct rule gives that rule, typed."""
    (rule,) = read_deadline_rules(write_rules(tmp_path, rule_entry()))
    assert rule.kind is DeadlineKind.WAIT and rule.count is DayCount.WORKING
    assert rule.cancelled_by == ("statement_waived",)


def test_a_bad_rule_is_refused_naming_the_rule_and_field(tmp_path: Path) -> None:
    """Wrong kind, unknown event and negative length are each named in Chinese."""
    path = write_rules(
        tmp_path,
        rule_entry(kind="maybe", starts_from="notice_sent", length=-5),
        rule_entry(id="payment", label="", extra="x"),
    )
    with pytest.raises(DeadlineRuleError) as caught:
        read_deadline_rules(path)
    message = caught.value.message
    assert message.startswith("期限规则文件“deadlines.json”有误，已拒绝加载")
    assert "规则“statement_period”的字段 kind 应为 act 或 wait，现为“maybe”" in message
    assert "规则“statement_period”的字段 starts_from 事件“notice_sent”不是已知的案件事件" in message
    assert "规则“statement_period”的字段 length 应为不小于 0 的整数，现为“-5”" in message
    assert "规则“payment”的字段 label 应为非空文字" in message
    assert "规则“payment”有未知字段 extra" in message


def test_duplicate_rule_ids_are_refused(tmp_path: Path) -> None:
    """Two rules with one id would make extensions and lookups ambiguous."""
    with pytest.raises(DeadlineRuleError, match="规则 id“statement_period”重复"):
        read_deadline_rules(write_rules(tmp_path, rule_entry(), rule_entry()))


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    """A truncated file gives a Chinese error, not a traceback."""
    path = tmp_path / "deadlines.json"
    path.write_text('{"schema_version": 1, "rules": [', encoding="utf-8")
    with pytest.raises(DeadlineRuleError, match="不是有效的 JSON"):
        read_deadline_rules(path)


def test_every_event_has_a_chinese_label() -> None:
    """The event keys other code dates are the agreed ones, each labelled for the user."""
    assert len(EVENT_LABELS) == 27  # 21, and the 6 of 查封扣押 and 停止供电
    assert EVENT_LABELS["notice_served"] == "行政处罚告知书送达"
