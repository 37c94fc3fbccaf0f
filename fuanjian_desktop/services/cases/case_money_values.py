"""The money keys of a case's document context: fine, payment, surcharge, result, execution.

Amounts print as figures (``5000``, 元) with a ``_words`` twin in capitals (伍仟元整); an amount
of nothing prints blank, never ``0`` — except a 加处罚款 beside an unpaid fine, which prints ``0``
when none was decided, so that the 合计 beside them is the sum of what is printed. The 缴款期限
is the stored 缴纳罚款期 (15 days after the decision was served) unless a 延期（分期）缴纳 approval
set another date. What the execution documents cite (the decision's 文号 and date, the unpaid
fine and the 加处罚款 on the document's date, the list of materials) is
:func:`execution_values`, read from the issued records by ``domain/documents/execution_references``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.domain.documents.execution_references import (
    ExecutionRecords,
    reference_values,
    surcharge_values,
)
from fuanjian_desktop.domain.guard.execution_guard import execution_records
from fuanjian_desktop.domain.penalties.amounts import yuan_in_words
from fuanjian_desktop.domain.procedure import Outcome
from fuanjian_desktop.models import Case
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_facts import facts_of
from fuanjian_desktop.services.cases.case_file import CaseFile
from fuanjian_desktop.services.cases.execution_records import (
    deferred_until_of,
    document_fact,
    payments_of,
)
from fuanjian_desktop.services.lookup import fetch_readable
from fuanjian_desktop.services.procedure_settings import current_settings
from fuanjian_desktop.services.squad_scope import read_as

CONDITION_END = "的，"  # "情节严重的，责令停产停业整顿": the condition a decision has found met


def money_values(file: CaseFile) -> dict[str, object]:
    """The fine and what became of it."""
    case = file.case
    deferred_until = deferred_until_of(file.events)
    return {
        "case.penalty_text": _penalty_text(case.total_fine, case.other_penalties),
        "case.fine": _figures(case.total_fine),
        "case.fine_words": _words(case.total_fine),
        "case.paid": _figures(case.paid_amount),
        "case.deferred_until": written_date(deferred_until),
        "case.result": _result(file),
        "case.execution": _execution(file),
    }


def execution_values(file: CaseFile, on: dt.date) -> dict[str, object]:
    """The values a document dated ``on`` cites from the issued records (文号, dates, unpaid
    fine, 加处罚款 with its derivation, 合计, 附有关材料)."""
    records = ExecutionRecords(
        fine=file.case.total_fine,
        payments=payments_of(file.events),
        payment_due=deferred_until_of(file.events) or file.payment_due,
        suspensions=file.remedies,
        documents=[document_fact(d) for d in file.documents],
    )
    return reference_values(records, on)


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


def surcharge_preview(database: Database, actor: Actor, case_id: str, on: dt.date) -> str:
    """What a 加处罚款 decided on ``on`` would impose, with its derivation, for the step dialog
    to show before the leader approves (the amount is derived, never typed)."""
    with read_as(database, actor) as (session, reader):
        case = fetch_readable(session, reader, Case, case_id)
        facts = facts_of(session, case, current_settings(session), on)
    values = surcharge_values(execution_records(facts, on), on)
    if not values["case.surcharge_due"]:
        return f"{values['case.surcharge_derivation'] or '处罚决定书尚未送达'}，不能加处罚款。"
    return f"加处罚款{values['case.surcharge_due']}元：{values['case.surcharge_derivation']}。"
