"""What the execution documents (催告书, 加处罚款决定书, 强制执行申请书) say about other records.

Every 文号, date and amount they cite, and the 强制执行申请书's list of attached materials, is read
from the case's issued records as they stood on the document's date, never typed: the same
function fills a draft (``services/cases/case_money_values.py``) and lets the guard
(``domain/guard/execution_guard.py``) compare an issued document's frozen values with the records.
A document not issued (or voided, or replaced by a correction) is never cited or listed; 合计 is
the sum of the amounts printed beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.domain.documents.document_types import IN_FORCE, document_type
from fuanjian_desktop.domain.guard.case_guard import DocumentFact
from fuanjian_desktop.domain.penalties.amounts import yuan_in_words
from fuanjian_desktop.domain.penalties.surcharge import Payment, Suspension, derive_surcharge

DECISIONS = ("penalty_decision", "onsite_penalty_decision")
SURCHARGE_DECISION = "surcharge_decision"
COURT_APPLICATION = "court_enforcement_application"
OPINIONS = ("statement_record", "hearing_record", "hearing_report")
REMINDERS = ("payment_reminder", SURCHARGE_DECISION, "enforcement_reminder")
SUBJECT_LINE = "申请强制执行标的情况说明"

# The fields of each execution document that cite a record, by the context key they cite.
REFERENCES: Mapping[str, Mapping[str, str]] = {
    "deferral_approval": {"decision_no": "case.decision_no"},
    "deferral_permit": {"decided_on": "case.decided_on", "decision_no": "case.decision_no"},
    "payment_reminder": {
        "decided_on": "case.decided_on",
        "decision_no": "case.decision_no",
        "payment_due": "case.payment_due",
        "unpaid": "case.unpaid",
        "unpaid_words": "case.unpaid_words",
    },
    SURCHARGE_DECISION: {
        "decided_on": "case.decided_on",
        "decision_no": "case.decision_no",
        "payment_due": "case.payment_due",
        "surcharge": "case.surcharge_due",
        "surcharge_words": "case.surcharge_due_words",
        "surcharge_derivation": "case.surcharge_derivation",
    },
    "enforcement_reminder": {
        "decided_on": "case.decided_on",
        "decision_no": "case.decision_no",
        "unpaid": "case.unpaid",
        "unpaid_words": "case.unpaid_words",
        "surcharge": "case.surcharge",
        "surcharge_words": "case.surcharge_words",
        "amount_due": "case.amount_due",
    },
    COURT_APPLICATION: {
        "decided_on": "case.decided_on",
        "decision_no": "case.decision_no",
        "unpaid": "case.unpaid",
        "surcharge": "case.surcharge",
        "amount_due": "case.amount_due",
        "attachments": "case.attachments",
    },
}
# The Chinese name of each citing field, for the guard's messages.
FIELD_LABELS: Mapping[str, str] = {
    "decided_on": "处罚决定日期",
    "decision_no": "处罚决定书文号",
    "payment_due": "缴款期限",
    "unpaid": "罚款（元）",
    "unpaid_words": "罚款（大写）",
    "surcharge": "加处罚款（元）",
    "surcharge_words": "加处罚款（大写）",
    "surcharge_derivation": "加处罚款的计算",
    "amount_due": "合计（元）",
    "attachments": "附有关材料",
}
# Where the three amounts of a 合计 line are, for the documents that print one.
TOTALS = ("unpaid", "surcharge", "amount_due")


@dataclass(frozen=True)
class ExecutionRecords:
    """The records the execution documents cite: the fine, the payments, the 缴款期限 (the
    缴纳罚款期 or the approved 延期 date), pending remedies and the documents."""

    fine: int
    payments: Sequence[Payment]
    payment_due: dt.date | None
    suspensions: Sequence[Suspension]
    documents: Sequence[DocumentFact]

    def standing(self, on: dt.date, *type_keys: str) -> list[DocumentFact]:
        """Documents of ``type_keys`` in force now and issued on or before ``on``."""
        return [
            d
            for d in self.documents
            if d.type_key in type_keys
            and d.status in IN_FORCE
            and d.issued_on is not None
            and d.issued_on <= on
        ]

    def latest(self, on: dt.date, *type_keys: str) -> DocumentFact | None:
        """The last of :meth:`standing`."""
        found = self.standing(on, *type_keys)
        return found[-1] if found else None

    def unpaid(self, on: dt.date) -> int:
        """The fine not paid by the end of ``on``."""
        return max(self.fine - sum(p.amount for p in self.payments if p.on <= on), 0)


def reference_values(records: ExecutionRecords, on: dt.date) -> dict[str, object]:
    """The cited values of a document dated ``on``, by context key."""
    decision = records.latest(on, *DECISIONS)
    unpaid = records.unpaid(on)
    surcharge = decided_surcharge(records, on)
    shown = surcharge if unpaid else 0
    values: dict[str, object] = {
        "case.decision_no": (decision.number or "") if decision else "",
        "case.decided_on": written_date(decision.issued_on) if decision else "",
        "case.payment_due": written_date(records.payment_due),
        "case.unpaid": _figures(unpaid),
        "case.unpaid_words": yuan_in_words(unpaid) if unpaid else "",
        "case.surcharge": str(shown) if unpaid else "",
        "case.surcharge_words": yuan_in_words(shown) if unpaid else "",
        "case.amount_due": _figures(unpaid + shown),
        "case.attachments": attachments(records, on),
    }
    return values | surcharge_values(records, on)


def surcharge_values(records: ExecutionRecords, on: dt.date) -> dict[str, object]:
    """The 加处罚款 a decision dated ``on`` imposes, with its derivation (blank before the
    decision was served: no payment deadline yet)."""
    if records.payment_due is None:
        return {
            "case.surcharge_due": "",
            "case.surcharge_due_words": "",
            "case.surcharge_derivation": "",
        }
    derived = derive_surcharge(
        records.fine, records.payment_due, on, records.payments, records.suspensions
    )
    return {
        "case.surcharge_due": _figures(derived.amount),
        "case.surcharge_due_words": yuan_in_words(derived.amount) if derived.amount else "",
        "case.surcharge_derivation": derived.derivation(),
    }


def decided_surcharge(records: ExecutionRecords, on: dt.date) -> int:
    """The 加处罚款 the case's issued 加处罚款决定书 imposed, as it printed it (0 when none)."""
    decision = records.latest(on, SURCHARGE_DECISION)
    text = str(decision.values.get("surcharge") or "") if decision else ""
    return int(text) if text.isdigit() else 0


def attachments(records: ExecutionRecords, on: dt.date) -> list[str]:
    """附有关材料 of a 强制执行申请书 dated ``on`` (行政强制法第五十五条): the decision, its
    facts and basis, the party's opinions, the 催告 made, and the statement of what is to be
    enforced — each document by its 文号 and dates, only those issued."""
    lines: list[str] = []
    decision = records.latest(on, *DECISIONS)
    if decision is not None:
        lines.append(f"{_cited(decision)}（{_dates(decision)}）及送达回执")
    report = records.latest(on, "investigation_report")
    basis = f"{_cited(report)}及主要证据材料" if report else "主要证据材料"
    lines.append(f"作出行政处罚决定的事实、理由和依据：{basis}")
    opinions = records.standing(on, *OPINIONS)
    if opinions:
        lines.append(f"当事人的意见：{'、'.join(_cited(d) for d in opinions)}")
    lines += [f"{_cited(d)}（{_dates(d)}）" for d in records.standing(on, *REMINDERS)]
    return [*lines, SUBJECT_LINE]


def _cited(document: DocumentFact) -> str:
    """《缴纳罚款催告书》（深福）应急催〔2026〕3号: the title and, when it has one, the 文号."""
    return f"《{document_type(document.type_key).title}》{document.number or ''}"


def _dates(document: DocumentFact) -> str:
    issued = f"{written_date(document.issued_on)}作出"
    served = f"，{written_date(document.served_on)}送达" if document.served_on else ""
    return issued + served


def _figures(amount: int) -> str:
    return str(amount) if amount else ""
