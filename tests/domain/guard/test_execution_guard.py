"""The guard's execution rules: 加处罚款, the 复议/诉讼 periods, the court window, and what the
execution documents cite — each defect on a hand-made case, with its message.

The case: a 50,000 元 fine decided Mon 2026-03-02 and served Tue 2026-03-03. By hand, with the
State Council's 2026 holidays:
- 缴纳罚款期 (15 days): 2026-03-18, a Wednesday;
- 行政复议 (60 days): Mar 31 is day 28, Apr 30 day 58 → day 60 is 05-02, inside 劳动节 (05-01 to
  05-05) → Wed 2026-05-06;
- 行政诉讼 (6 months): Thu 2026-09-03; the court window then runs 3 months to Thu 2026-12-03;
- 加处罚款 decided Sat 03-28: 03-19 … 03-28 is 10 days × 1,500 = 15,000 元.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fuanjian_desktop.documents.spec import document_specs
from fuanjian_desktop.domain.documents.execution_references import REFERENCES
from fuanjian_desktop.domain.guard.case_guard import (
    CaseFacts,
    DocumentFact,
    ReviewItem,
    ViolationFact,
    case_defects,
)
from fuanjian_desktop.domain.penalties.discretion import Tier
from fuanjian_desktop.domain.penalties.surcharge import Payment, Suspension
from fuanjian_desktop.domain.procedure import Stage
from tests.domain.guard.test_case_guard import facts as sound_case
from tests.domain.guard.test_case_guard import refused_by

D = dt.date
DECISION_NO = "（深福）应急罚〔2026〕3号"
SURCHARGE_NO = "（深福）应急加罚〔2026〕1号"
REMINDER_NO = "（深福）应急执行催告〔2026〕2号"
DECISION = DocumentFact("penalty_decision", DECISION_NO, "served", D(2026, 3, 2), D(2026, 3, 3), {})
SURCHARGE = DocumentFact(
    "surcharge_decision",
    SURCHARGE_NO,
    "issued",
    D(2026, 3, 28),
    None,
    {
        "decided_on": "2026年3月2日",
        "decision_no": DECISION_NO,
        "payment_due": "2026年3月18日",
        "surcharge": "15000",
        "surcharge_words": "壹万伍仟元整",
        "surcharge_derivation": "自2026年3月19日起至2026年3月28日共10日，"
        "按未缴纳的罚款50000元每日3%计15000元",
    },
)
REMINDER_VALUES = {
    "decided_on": "2026年3月2日",
    "decision_no": DECISION_NO,
    "unpaid": "50000",
    "unpaid_words": "伍万元整",
    "surcharge": "15000",
    "surcharge_words": "壹万伍仟元整",
    "amount_due": "65000",
}
REMINDER = DocumentFact(
    "enforcement_reminder", REMINDER_NO, "served", D(2026, 9, 4), D(2026, 9, 4), REMINDER_VALUES
)
ATTACHMENTS = [
    f"《行政处罚决定书》{DECISION_NO}（2026年3月2日作出，2026年3月3日送达）及送达回执",
    "作出行政处罚决定的事实、理由和依据：主要证据材料",
    f"《加处罚款决定书》{SURCHARGE_NO}（2026年3月28日作出）",
    f"《行政强制执行事先催告书》{REMINDER_NO}（2026年9月4日作出，2026年9月4日送达）",
    "申请强制执行标的情况说明",
]
APPLICATION_VALUES = {
    "decided_on": "2026年3月2日",
    "decision_no": DECISION_NO,
    "unpaid": "50000",
    "surcharge": "15000",
    "amount_due": "65000",
    "attachments": ATTACHMENTS,
}


def executed(**changes: Any) -> CaseFacts:
    """The case above in 执行, decision served, nothing paid, with changes applied."""
    base = sound_case(
        stage=Stage.EXECUTION,
        opened_on=D(2026, 1, 12),
        violations=(ViolationFact("AQ-97-3", 50000, Tier.ORDINARY),),
        milestones={
            "filed": D(2026, 1, 12),
            "investigation_ended": D(2026, 1, 20),
            "legal_reviewed": D(2026, 1, 22),
            "collective_discussed": D(2026, 1, 23),
            "notice_served": D(2026, 1, 26),
            "hearing_notice_served": D(2026, 1, 26),
            "hearing_waived": D(2026, 1, 27),
            "statement_waived": D(2026, 1, 27),
            "decision_submitted": D(2026, 2, 9),
            "decided": D(2026, 3, 2),
            "decision_served": D(2026, 3, 3),
            "published": D(2026, 3, 4),
            "payment_reminded": D(2026, 3, 19),  # 缴纳罚款催告书, the day after the deadline
        },
        today=D(2026, 12, 31),
        documents=(DECISION,),
    )
    return replace(base, **changes)


def dated(facts: CaseFacts, **milestones: dt.date) -> CaseFacts:
    """``facts`` with more milestones."""
    return replace(facts, milestones={**facts.milestones, **milestones})


def found(facts: CaseFacts, code: str) -> list[str]:
    """The messages of the case's defects with ``code``."""
    return [d.message for d in case_defects(facts) if d.code == code]


def lawful() -> CaseFacts:
    """Surcharge decided, 催告 after the periods, court applied inside the window."""
    application = DocumentFact(
        "court_enforcement_application",
        "（深福）应急强执〔2026〕1号",
        "issued",
        D(2026, 9, 21),
        None,
        APPLICATION_VALUES,
    )
    facts = executed(documents=(DECISION, SURCHARGE, REMINDER, application))
    return dated(
        facts,
        surcharge_imposed=D(2026, 3, 28),
        reminder_served=D(2026, 9, 4),
        court_applied=D(2026, 9, 21),
    )


def test_a_lawful_execution_has_no_defect() -> None:
    """The hand-made execution story, every reference equal to its record, is clean."""
    assert [d.text for d in case_defects(lawful())] == []


def test_a_typed_surcharge_equal_to_the_fine_is_a_defect() -> None:
    """The review's 加处罚款决定书: 50,000 on 10 days late is wrong; the message gives 15,000
    and the days, and 加处罚款 is the 裁量 item it fails."""
    wrong = replace(SURCHARGE, values={**SURCHARGE.values, "surcharge": "50000"})
    facts = dated(executed(documents=(DECISION, wrong)), surcharge_imposed=D(2026, 3, 28))
    defects = [d for d in case_defects(facts) if d.code == "surcharge_amount"]
    assert len(defects) == 1
    assert defects[0].review_item is ReviewItem.DISCRETION
    assert defects[0].message.startswith(
        f"《加处罚款决定书》{SURCHARGE_NO}加处罚款50000元，应为15000元：自2026年3月19日起"
        "至2026年3月28日共10日，按未缴纳的罚款50000元每日3%计15000元"
    )
    assert "第七十二条第一款第（一）项" in defects[0].message
    assert defects[0].blocks == frozenset({"impose_surcharge"})


def test_a_payment_recorded_after_the_surcharge_was_decided_does_not_change_it() -> None:
    """Paid in full on 04-10: the 03-28 decision still stands at 15,000."""
    facts = replace(lawful(), payments=(Payment(D(2026, 4, 10), 50000),))
    assert found(facts, "surcharge_amount") == []


def test_no_surcharge_on_or_before_the_payment_deadline() -> None:
    """决定加处罚款 on 03-18, the last day to pay, is refused; on 03-19 it goes."""
    facts = executed()
    assert refused_by(facts, "impose_surcharge", D(2026, 3, 18)) == [
        "surcharge_not_due",
        "surcharge_without_reminder",
    ]
    assert refused_by(facts, "impose_surcharge", D(2026, 3, 19)) == []
    message = found(dated(facts, surcharge_imposed=D(2026, 3, 18)), "surcharge_not_due")[0]
    assert message.startswith(
        "至2026年3月18日没有应加处罚款的日数或未缴罚款（缴款期限2026年3月18日）"
    )


def test_no_surcharge_on_a_fine_paid_in_time() -> None:
    """Paid on 03-10: nothing was late."""
    facts = replace(executed(), payments=(Payment(D(2026, 3, 10), 50000),))
    assert refused_by(facts, "impose_surcharge", D(2026, 4, 1)) == ["surcharge_not_due"]


def test_the_reminder_35_days_after_service_is_refused() -> None:
    """The review's 执行催告书 served 35 days after the decision: both periods still run; the
    message gives their ends and the first lawful day."""
    facts = executed()
    on = D(2026, 4, 7)
    assert refused_by(facts, "serve_enforcement_reminder", on) == ["reminder_before_periods"]
    message = found(dated(facts, reminder_served=on), "reminder_before_periods")[0]
    assert "行政复议申请期至2026年5月6日届满" in message
    assert (
        "行政诉讼起诉期至2026年9月3日届满（《中华人民共和国行政诉讼法》第四十六条第一款）"
        in message
    )
    assert message.endswith("催告书应在2026年9月4日以后送达。")


def test_the_reminder_waits_past_the_last_day_of_the_litigation_period() -> None:
    """On 09-03, the last day, it is refused; on 09-04 it goes."""
    facts = executed()
    assert refused_by(facts, "serve_enforcement_reminder", D(2026, 9, 3)) == [
        "reminder_before_periods"
    ]
    assert refused_by(facts, "serve_enforcement_reminder", D(2026, 9, 4)) == []


def test_the_court_is_applied_to_after_the_periods_and_within_three_months() -> None:
    """A reminder on 09-04: the 10 working days end 09-18 (09-20 is a worked Sunday, not
    needed); 09-21 goes, 12-03 is the last day, 12-04 is too late."""
    facts = dated(executed(documents=(DECISION, REMINDER)), reminder_served=D(2026, 9, 4))
    assert refused_by(facts, "apply_court", D(2026, 9, 18)) == ["court_too_early"]
    assert refused_by(facts, "apply_court", D(2026, 9, 21)) == []
    assert refused_by(facts, "apply_court", D(2026, 12, 3)) == []
    assert refused_by(facts, "apply_court", D(2026, 12, 4)) == ["court_too_late"]
    message = found(dated(facts, court_applied=D(2026, 12, 4)), "court_too_late")[0]
    assert message.startswith("申请人民法院强制执行的期限已于2026年12月3日届满")


def test_an_application_before_the_litigation_period_ended() -> None:
    """Reminder and application inside the 6 months: both named, the application's window
    given."""
    facts = dated(executed(), reminder_served=D(2026, 4, 7), court_applied=D(2026, 4, 30))
    message = found(facts, "court_before_periods")[0]
    assert message.startswith("行政诉讼起诉期至2026年9月3日届满，届满前不得申请人民法院强制执行")
    assert message.endswith("请在2026年9月4日至2026年12月3日之间申请。")


def application(**values: Any) -> DocumentFact:
    """The 强制执行申请书 of :func:`lawful` with some values changed."""
    return DocumentFact(
        "court_enforcement_application",
        "（深福）应急强执〔2026〕1号",
        "issued",
        D(2026, 9, 21),
        None,
        {**APPLICATION_VALUES, **values},
    )


def test_the_reviewed_application_is_refused_on_three_counts() -> None:
    """The review's 强制执行申请书: 12号 in the attachments while the decision is 3号, a
    加处罚款决定书 listed though none was issued, and 合计 filled while 加处罚款 is blank."""
    listed = [ATTACHMENTS[0].replace("3号", "12号"), *ATTACHMENTS[1:]]
    wrong = application(attachments=listed, surcharge="", amount_due="65000")
    reminder = replace(
        REMINDER,
        values={
            **REMINDER_VALUES,
            "surcharge": "0",
            "surcharge_words": "零元整",
            "amount_due": "50000",
        },
    )
    facts = dated(
        executed(documents=(DECISION, reminder, wrong)),
        reminder_served=D(2026, 9, 4),
        court_applied=D(2026, 9, 21),
    )
    defects = [d for d in case_defects(facts) if d.code in ("reference_mismatch", "total_mismatch")]
    texts = [d.message for d in defects]
    assert all(d.review_item is ReviewItem.DOCUMENTS for d in defects)
    assert all(d.blocks == frozenset({"apply_court"}) for d in defects)
    right = "；".join([ATTACHMENTS[0], ATTACHMENTS[1], ATTACHMENTS[3], ATTACHMENTS[4]])
    assert any(
        "“附有关材料”" in t and f"应为“{right}”" in t and "未签发的文书不得引用或列入" in t
        for t in texts
    )
    assert any("“加处罚款（元）”为“空白”" in t and "应为“0”" in t for t in texts)
    assert any("“合计（元）”为“65000”" in t and "应为“50000”" in t for t in texts)
    assert any(
        t.endswith("合计65000元，不等于所列罚款50000元与加处罚款0元之和50000元。请更正该文书。")
        for t in texts
    )


def test_a_reminder_citing_another_decision_number() -> None:
    """A 催告书 typed with the wrong 文号 names the right one, and blocks its own step."""
    wrong = replace(
        REMINDER, values={**REMINDER_VALUES, "decision_no": "（深福）应急罚〔2026〕12号"}
    )
    facts = dated(executed(documents=(DECISION, SURCHARGE, wrong)), reminder_served=D(2026, 9, 4))
    defects = [d for d in case_defects(facts) if d.code == "reference_mismatch"]
    assert [d.message.split("（所引")[0] for d in defects] == [
        f"《行政强制执行事先催告书》{REMINDER_NO}的“处罚决定书文号”为“（深福）应急罚〔2026〕12号”，"
        f"与本案记录不符，应为“{DECISION_NO}”"
    ]
    assert defects[0].blocks == frozenset({"serve_enforcement_reminder"})


def test_a_voided_document_is_not_cited() -> None:
    """A voided 加处罚款决定书 is no record: the reminder's 加处罚款 should be 0."""
    voided = replace(SURCHARGE, status="voided")
    facts = dated(executed(documents=(DECISION, voided, REMINDER)), reminder_served=D(2026, 9, 4))
    messages = found(facts, "reference_mismatch")
    assert any("“加处罚款（元）”为“15000”" in m and "应为“0”" in m for m in messages)


served_days = st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 6, 30))


def six_months_after(day: dt.date) -> dt.date:
    """The same day six months later, or that month's last day (民法典第二百零二条)."""
    month = day.month + 6
    year, month = day.year + (month - 1) // 12, (month - 1) % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return D(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError(day)


@settings(max_examples=200)
@given(served=served_days, after=st.integers(min_value=1, max_value=260))
def test_property_the_reminder_statement_is_true_on_its_date(served: dt.date, after: int) -> None:
    """Whatever the service and reminder dates: before six months have passed the reminder is
    refused, and once they have passed plus any holiday roll (at most 9 days) it is not."""
    facts = executed(
        milestones={"decided": served - dt.timedelta(days=1), "decision_served": served},
        documents=(replace(DECISION, issued_on=served - dt.timedelta(days=1), served_on=served),),
    )
    on = served + dt.timedelta(days=after)
    refused = "reminder_before_periods" in refused_by(facts, "serve_enforcement_reminder", on)
    end = six_months_after(served)
    if on <= end:
        assert refused
    if on > end + dt.timedelta(days=9):
        assert not refused


@settings(max_examples=200)
@given(
    fine=st.integers(min_value=1, max_value=500_000),
    paid=st.integers(min_value=0, max_value=500_000),
    late=st.integers(min_value=1, max_value=60),
)
def test_property_the_surcharge_decision_is_checked_against_the_article(
    fine: int, paid: int, late: int
) -> None:
    """A decision printing 3% × unpaid × days (capped at the unpaid fine), computed here from the
    article, is never a defect; one yuan more always is."""
    paid = min(paid, fine - 1)
    unpaid = fine - paid
    right = min(unpaid * 3 * late // 100, unpaid)
    decided_on = D(2026, 3, 18) + dt.timedelta(days=late)
    payments = (Payment(D(2026, 3, 10), paid),) if paid else ()
    for printed, ok in ((right, True), (right + 1, False)):
        decision = replace(SURCHARGE, issued_on=decided_on, values={"surcharge": str(printed)})
        facts = replace(
            dated(
                executed(violations=(ViolationFact("AQ-97-3", fine, Tier.ORDINARY),)),
                surcharge_imposed=decided_on,
            ),
            documents=(DECISION, decision),
            payments=payments,
        )
        assert (found(facts, "surcharge_amount") == []) is ok


def test_the_checked_fields_are_those_the_specs_fill_from_the_records() -> None:
    """Every field the guard compares is, in its spec, filled from the context key it is
    compared with; every execution spec field naming such a key is compared."""
    for type_key, spec in document_specs().items():
        sources = {name: field.source for name, field in spec.fields.items()}
        cited = {name for name, source in sources.items() if source in CITED_KEYS}
        fields = REFERENCES.get(type_key, {})
        assert {name: sources[name] for name in fields} == dict(fields), type_key
        assert cited <= set(fields), type_key


CITED_KEYS = {
    "case.decided_on",
    "case.decision_no",
    "case.payment_due",
    "case.unpaid",
    "case.surcharge",
    "case.surcharge_due",
    "case.amount_due",
    "case.attachments",
}


def test_a_reminder_after_the_party_applied_for_reconsideration() -> None:
    """A 复议 filed 04-01: the reminder's statement would be untrue, even after the periods."""
    facts = replace(executed(), remedies=(Suspension(D(2026, 4, 1), D(2026, 5, 20)),))
    assert refused_by(facts, "serve_enforcement_reminder", D(2026, 9, 4)) == [
        "reminder_after_remedy"
    ]
    message = found(dated(facts, reminder_served=D(2026, 9, 4)), "reminder_after_remedy")[0]
    assert "当事人已于2026年4月1日申请行政复议或者提起行政诉讼" in message


def test_an_approved_deferral_moves_the_payment_deadline_and_the_court_window() -> None:
    """延期 to Thu 10-15: no 加处罚款 on 10-15, 3% a day from 10-16; the court window runs
    3 months from 10-15 to Fri 2027-01-15 (行政处罚法第七十二条第二款), not to 12-03."""
    approved = dated(executed(documents=(DECISION, REMINDER)), payment_deferred=D(2026, 3, 10))
    facts = replace(approved, deferred_until=D(2026, 10, 15))
    assert refused_by(facts, "impose_surcharge", D(2026, 10, 15)) == ["surcharge_not_due"]
    assert refused_by(facts, "impose_surcharge", D(2026, 10, 16)) == []
    reminded = dated(facts, reminder_served=D(2026, 9, 4))
    assert refused_by(reminded, "apply_court", D(2026, 12, 4)) == []
    assert refused_by(reminded, "apply_court", D(2027, 1, 15)) == []
    assert refused_by(reminded, "apply_court", D(2027, 1, 18)) == ["court_too_late"]
    message = found(dated(reminded, court_applied=D(2027, 1, 18)), "court_too_late")[0]
    assert message.startswith(
        "申请人民法院强制执行的期限已于2027年1月15日届满（批准延期缴纳至2026年10月15日"
    )


def test_no_surcharge_decision_without_a_payment_reminder() -> None:
    """The 加处罚款决定书 says 经催告: without a 缴纳罚款催告书 served before it, it is refused."""
    milestones = {k: v for k, v in executed().milestones.items() if k != "payment_reminded"}
    facts = executed(milestones=milestones)
    assert refused_by(facts, "impose_surcharge", D(2026, 3, 28)) == ["surcharge_without_reminder"]
    message = found(dated(facts, surcharge_imposed=D(2026, 3, 28)), "surcharge_without_reminder")
    assert message == [
        "加处罚款决定书载明“经催告”，但此前未送达缴纳罚款催告书（《中华人民共和国行政强制法》"
        "第三十五条、第四十五条）。请先送达缴纳罚款催告书。"
    ]


def test_a_deferral_approved_after_the_surcharge_leaves_it_as_decided() -> None:
    """A 延期 approved on 04-10, after the 03-28 加处罚款 (15,000 on the 03-18 deadline), does
    not make that decision wrong; it moves the deadline only from its approval on."""
    later = replace(dated(lawful(), payment_deferred=D(2026, 4, 10)), deferred_until=D(2026, 6, 30))
    assert found(later, "surcharge_amount") == []
