"""The guard's rules for the execution of a decision: 加处罚款, the remedy periods, the court
window and what the execution documents cite.

- 加处罚款 is what :mod:`domain.penalties.surcharge` derives on the decision's date
  (行政处罚法第七十二条第一款第（一）项), never another amount, and none before the payment
  deadline has passed;
- the 行政强制执行事先催告书 states that the party did not apply for 复议 or sue within the legal
  periods, so it is served only after both ended (行政复议法第二十条, 行政诉讼法第四十六条);
- the court is applied to after those periods and within three months of their end
  (行政强制法第五十三条; the 10 days after the 催告书 are ``case_guard._court``'s);
- an issued execution document's cited 文号, dates and amounts equal the records, its 合计 is
  the sum of what it prints, and its list of materials names only documents issued.

Each defect blocks the step that issues the document it is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from fuanjian_desktop.domain.case_deadlines import CaseDeadline, compute_period
from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.domain.documents.document_types import IN_FORCE, document_type
from fuanjian_desktop.domain.documents.execution_references import (
    FIELD_LABELS,
    REFERENCES,
    SURCHARGE_DECISION,
    TOTALS,
    ExecutionRecords,
    reference_values,
)
from fuanjian_desktop.domain.guard.case_guard import CaseFacts, Defect, DocumentFact, ReviewItem
from fuanjian_desktop.domain.penalties.surcharge import derive_surcharge, surcharge_rule

DEFERRAL_SOURCE = "《中华人民共和国行政处罚法》第七十二条第二款"
ISSUING_STEPS = {
    "deferral_approval": "approve_deferral",
    "deferral_permit": "approve_deferral",
    "payment_reminder": "serve_payment_reminder",
    SURCHARGE_DECISION: "impose_surcharge",
    "enforcement_reminder": "serve_enforcement_reminder",
    "court_enforcement_application": "apply_court",
}
# judged by _surcharge_amounts, with the derivation, not as a mere reference
OWN_RULE = frozenset({(SURCHARGE_DECISION, "surcharge"), (SURCHARGE_DECISION, "surcharge_words")})
# defects about what an issued document prints: only found once the step has issued it
CONTENT_DEFECTS = frozenset({"surcharge_amount", "reference_mismatch", "total_mismatch"})


def execution_records(facts: CaseFacts, on: dt.date) -> ExecutionRecords:
    """The records a document of ``facts`` dated ``on`` cites."""
    return ExecutionRecords(
        fine=facts.total_fine,
        payments=facts.payments,
        payment_due=payment_deadline(facts, on),
        suspensions=facts.remedies,
        documents=facts.documents,
    )


def payment_deadline(facts: CaseFacts, on: dt.date) -> dt.date | None:
    """缴款期限 on ``on``: the 延期 date approved by then, else the last day of the 缴纳罚款期
    (行政处罚法第六十七条) — a 延期 approved later does not undo a 加处罚款 already decided."""
    payment = facts.deadline("payment")
    approved = facts.dated("payment_deferred")
    deferred = facts.deferred_until if approved is not None and approved <= on else None
    return deferred or (payment.due if payment else None)


def execution_defects(facts: CaseFacts) -> Iterator[Defect]:
    """Every execution defect of the case (``facts`` carry their deadlines)."""
    yield from _surcharge_step(facts)
    yield from _surcharge_reminded(facts)
    yield from _surcharge_amounts(facts)
    yield from _reminder_after_periods(facts)
    yield from _reminder_after_remedy(facts)
    yield from _court_window(facts)
    for document in facts.documents:
        if document.status in IN_FORCE and document.type_key in REFERENCES:
            yield from _references(facts, document)


def _surcharge_step(facts: CaseFacts) -> Iterator[Defect]:
    """A 加处罚款 decision only once the deadline has passed with the fine unpaid."""
    on = facts.dated("surcharge_imposed")
    if on is None:
        return
    due = payment_deadline(facts, on)
    if due is None:
        message = "处罚决定书尚未送达，缴款期限尚未起算，不能加处罚款。"
    elif derive_surcharge(facts.total_fine, due, on, facts.payments, facts.remedies).amount:
        return
    else:
        message = (
            f"至{written_date(on)}没有应加处罚款的日数或未缴罚款（缴款期限{written_date(due)}）。"
        )
    yield Defect(
        "surcharge_not_due",
        f"{message}加处罚款自缴款期限届满次日起计算（{surcharge_rule().source}）。",
        ReviewItem.PROCEDURE,
        frozenset({"impose_surcharge"}),
    )


def _surcharge_reminded(facts: CaseFacts) -> Iterator[Defect]:
    """The 加处罚款决定书 says 经催告: a 缴纳罚款催告书 was served first."""
    on, reminded = facts.dated("surcharge_imposed"), facts.dated("payment_reminded")
    if on is not None and (reminded is None or reminded > on):
        yield Defect(
            "surcharge_without_reminder",
            "加处罚款决定书载明“经催告”，但此前未送达缴纳罚款催告书（《中华人民共和国行政强制法》"
            "第三十五条、第四十五条）。请先送达缴纳罚款催告书。",
            ReviewItem.PROCEDURE,
            frozenset({"impose_surcharge"}),
        )


def _surcharge_amounts(facts: CaseFacts) -> Iterator[Defect]:
    """The amount an issued 加处罚款决定书 imposes is the derived one on its date."""
    for document in _issued(facts, SURCHARGE_DECISION):
        due = payment_deadline(facts, document.issued_on) if document.issued_on else None
        if due is None or document.issued_on is None:
            continue
        derived = derive_surcharge(
            facts.total_fine, due, document.issued_on, facts.payments, facts.remedies
        )
        printed = _amount(document.values.get("surcharge"))
        if printed != derived.amount:
            yield Defect(
                "surcharge_amount",
                f"《加处罚款决定书》{document.number or ''}加处罚款{printed}元，"
                f"应为{derived.amount}元："
                f"{derived.derivation()}（{surcharge_rule().source}，每日按罚款数额的"
                f"{derived.rate_percent}%加处罚款，不得超出罚款数额）。请更正该决定书。",
                ReviewItem.DISCRETION,
                frozenset({"impose_surcharge"}),
            )


def _reminder_after_periods(facts: CaseFacts) -> Iterator[Defect]:
    """The 执行催告书 says the 复议 and 诉讼 periods passed: it may not come before they did."""
    served = facts.dated("reminder_served")
    if served is None:
        return
    open_periods = [p for p in _remedy_periods(facts) if served <= p.due]
    if not facts.dated("decision_served"):
        text = "处罚决定书尚未送达，行政复议和行政诉讼期限尚未起算"
    elif open_periods:
        text = "；".join(
            f"{p.rule.label}至{written_date(p.due)}届满（{p.rule.source}）" for p in open_periods
        )
    else:
        return
    yield Defect(
        "reminder_before_periods",
        f"行政强制执行事先催告书载明当事人“在法定期限内未申请行政复议或者提起行政诉讼”，但{text}。"
        f"催告书应在{_after_all(facts)}送达。",
        ReviewItem.PROCEDURE,
        frozenset({"serve_enforcement_reminder", "apply_court"}),
    )


@dataclass(frozen=True)
class CourtWindow:
    """The days the court may be applied to: after ``after``, up to ``last``."""

    after: dt.date
    last: dt.date
    explanation: str
    source: str


def court_window(facts: CaseFacts) -> CourtWindow | None:
    """行政强制法第五十三条: three months from the end of the 起诉期限; where an approved 延期 ends
    later, from the end of the 延期 (行政处罚法第七十二条第二款)."""
    window = facts.deadline("court_application")
    if window is None:
        return None
    deferred = facts.deferred_until
    if deferred is None or deferred <= window.start:
        return CourtWindow(window.start, window.due, window.explanation, window.rule.source)
    last, trail = compute_period(window.rule.count, deferred, window.rule.length)
    explanation = f"批准延期缴纳至{written_date(deferred)}，自期限结束之日起计算：{trail}"
    return CourtWindow(window.start, last, explanation, f"{window.rule.source}；{DEFERRAL_SOURCE}")


def _reminder_after_remedy(facts: CaseFacts) -> Iterator[Defect]:
    """A party that did apply for 复议 or sue makes the 执行催告书's statement untrue."""
    served = facts.dated("reminder_served")
    filed = [r.first for r in facts.remedies if served is not None and r.first <= served]
    if filed:
        yield Defect(
            "reminder_after_remedy",
            "行政强制执行事先催告书载明当事人“在法定期限内未申请行政复议或者提起行政诉讼”，但当事人"
            f"已于{written_date(min(filed))}申请行政复议或者提起行政诉讼（本案复议、诉讼记录）。"
            "请按复议决定或者裁判结果处理，不能以此催告书申请强制执行（《中华人民共和国行政强制法》"
            "第五十三条）。",
            ReviewItem.PROCEDURE,
            frozenset({"serve_enforcement_reminder", "apply_court"}),
        )


def _court_window(facts: CaseFacts) -> Iterator[Defect]:
    """After the periods, within three months of their end (or of the 延期's)."""
    applied, window = facts.dated("court_applied"), court_window(facts)
    if applied is None or window is None:
        return
    if applied <= window.after:
        yield Defect(
            "court_before_periods",
            f"行政诉讼起诉期至{written_date(window.after)}届满，届满前不得申请人民法院强制执行"
            f"（{window.source}）。请在{written_date(window.after + dt.timedelta(days=1))}"
            f"至{written_date(window.last)}之间申请。",
            ReviewItem.PROCEDURE,
            frozenset({"apply_court"}),
        )
    elif applied > window.last:
        yield Defect(
            "court_too_late",
            f"申请人民法院强制执行的期限已于{written_date(window.last)}届满（{window.explanation}；"
            f"{window.source}），{written_date(applied)}申请已超过期限。",
            ReviewItem.PROCEDURE,
            frozenset({"apply_court"}),
        )


def _references(facts: CaseFacts, document: DocumentFact) -> Iterator[Defect]:
    """An issued document's cited values against the records on its date."""
    assert document.issued_on is not None
    expected = reference_values(execution_records(facts, document.issued_on), document.issued_on)
    title = f"《{document_type(document.type_key).title}》{document.number or ''}"
    blocks = frozenset({ISSUING_STEPS[document.type_key]})
    wrong = [
        (field, _shown(document.values.get(field)), _shown(expected[key]))
        for field, key in REFERENCES[document.type_key].items()
        if (document.type_key, field) not in OWN_RULE
        and _shown(document.values.get(field)) != _shown(expected[key])
    ]
    for field, printed, right in wrong:
        yield Defect(
            "reference_mismatch",
            f"{title}的“{FIELD_LABELS[field]}”为“{printed or '空白'}”，与本案记录不符，"
            f"应为“{right or '空白'}”"
            "（所引文书的文号、日期、金额和所附材料应以已签发的文书和缴款记录为准，"
            "未签发的文书不得引用或列入）。请更正该文书。",
            ReviewItem.DOCUMENTS,
            blocks,
        )
    yield from _total(document, title, blocks)


def _total(document: DocumentFact, title: str, blocks: frozenset[str]) -> Iterator[Defect]:
    """合计 = 罚款 + 加处罚款 as printed."""
    if not all(key in REFERENCES[document.type_key] for key in TOTALS):
        return
    unpaid, surcharge, total = (_amount(document.values.get(key)) for key in TOTALS)
    if total != unpaid + surcharge:
        yield Defect(
            "total_mismatch",
            f"{title}合计{total}元，不等于所列罚款{unpaid}元与加处罚款{surcharge}元之和"
            f"{unpaid + surcharge}元。请更正该文书。",
            ReviewItem.DOCUMENTS,
            blocks,
        )


def _remedy_periods(facts: CaseFacts) -> list[CaseDeadline]:
    return [
        d
        for d in (facts.deadline("reconsideration_period"), facts.deadline("litigation_period"))
        if d is not None
    ]


def _after_all(facts: CaseFacts) -> str:
    """The first day after both remedy periods, as the message names it."""
    ends = [p.due for p in _remedy_periods(facts)]
    if not ends:
        return "处罚决定书送达且行政复议、行政诉讼期限届满后"
    return f"{written_date(max(ends) + dt.timedelta(days=1))}以后"


def _issued(facts: CaseFacts, type_key: str) -> list[DocumentFact]:
    return [d for d in facts.documents if d.type_key == type_key and d.status in IN_FORCE]


def _shown(value: object) -> object:
    """A value as compared: text stripped, a list as a tuple of its lines."""
    if isinstance(value, list | tuple):
        return "；".join(str(item).strip() for item in value)
    return "" if value is None else str(value).strip()


def _amount(value: object) -> int:
    text = "" if value is None else str(value).strip()
    return int(text) if text.isdigit() else 0
