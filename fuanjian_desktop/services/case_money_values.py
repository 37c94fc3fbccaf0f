"""The money keys of a case's document context: fine, payment, surcharge, result, execution.

Amounts print as figures (``5000``, 元) with a ``_words`` twin in capitals (伍仟元整); an amount
of nothing prints blank, never ``0``. The 缴款期限 is the stored 缴纳罚款期 (15 days after the
decision was served) unless a 延期（分期）缴纳 approval set another date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fuanjian_desktop.domain.amounts import yuan_in_words
from fuanjian_desktop.domain.document_text import written_date
from fuanjian_desktop.domain.procedure import Outcome
from fuanjian_desktop.services.case_file import CaseFile

CONDITION_END = "的，"  # "情节严重的，责令停产停业整顿": the condition a decision has found met


def money_values(file: CaseFile) -> dict[str, object]:
    """The fine and what became of it."""
    case = file.case
    surcharge = int(file.data("impose_surcharge", "amount") or 0)
    unpaid = max(case.total_fine - case.paid_amount, 0)
    deferred = file.data("approve_deferral", "until")
    deferred_until = dt.date.fromisoformat(deferred) if deferred else None
    return {
        "case.penalty_text": _penalty_text(case.total_fine, case.other_penalties),
        "case.fine": _figures(case.total_fine),
        "case.fine_words": _words(case.total_fine),
        "case.paid": _figures(case.paid_amount),
        "case.unpaid": _figures(unpaid),
        "case.unpaid_words": _words(unpaid),
        "case.surcharge": _figures(surcharge),
        "case.surcharge_words": _words(surcharge),
        "case.amount_due": _figures(unpaid + surcharge),
        "case.deferred_until": written_date(deferred_until),
        "case.payment_due": written_date(deferred_until or file.payment_due),
        "case.result": _result(file),
        "case.execution": _execution(file),
    }


def _penalty_text(fine: int, other_penalties: Sequence[str]) -> str:
    """决定给予 … 的行政处罚: ``罚款人民币伍仟元整`` and the other penalties, each without the
    condition the catalogue states it under."""
    fined = [f"罚款人民币{yuan_in_words(fine)}"] if fine else []
    return "、".join(fined + [p.rpartition(CONDITION_END)[2] for p in other_penalties])


def _result(file: CaseFile) -> str:
    """处理结果 for the 结案审批表 and the case file cover."""
    case = file.case
    if case.outcome is None:
        return ""
    outcome = Outcome(case.outcome)
    imposed = _penalty_text(case.total_fine, case.other_penalties)
    if outcome is Outcome.PENALTY and imposed:
        return f"给予{imposed}的行政处罚"
    receiver = file.data("transfer_case", "receiver")
    if outcome is Outcome.TRANSFERRED and receiver:
        return f"移送{receiver}"
    return outcome.label


def _execution(file: CaseFile) -> str:
    """执行情况: handed to the court, paid in full, or paid in part."""
    case = file.case
    if "court_applied" in file.milestones:
        return f"当事人逾期不履行，已于{file.on('court_applied')}申请人民法院强制执行。"
    if "paid" in file.milestones:
        return f"当事人已于{file.on('paid')}缴清罚款{case.paid_amount}元。"
    if case.paid_amount:
        owed = case.total_fine - case.paid_amount
        return f"当事人已缴纳罚款{case.paid_amount}元，尚欠{owed}元。"
    return ""


def _figures(amount: int) -> str:
    return str(amount) if amount else ""


def _words(amount: int) -> str:
    return yuan_in_words(amount) if amount else ""
