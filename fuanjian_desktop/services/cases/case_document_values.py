"""The ``case.*`` keys of a document's context, as the documents word them.

Read from the :class:`~fuanjian_desktop.services.cases.case_file.CaseFile`: the case row (party,
cause, facts), its violations (articles cited, 裁量理由), its steps (dates, notes and data) and
its documents (文号, what was served, the 先行登记保存 list). The money keys are
:mod:`case_money_values`'. A value the records do not hold stays empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from fuanjian_desktop.domain.documents.document_text import cited, sentences, written_date
from fuanjian_desktop.domain.documents.document_types import document_type
from fuanjian_desktop.domain.procedure import Procedure
from fuanjian_desktop.models import CaseDocument
from fuanjian_desktop.services.cases.case_file import CaseFile
from fuanjian_desktop.services.cases.case_money_values import money_values
from fuanjian_desktop.services.cases.cases import CaseSource
from fuanjian_desktop.services.transcripts.transcript_evidence import transcript_evidence

DECISIONS = ("penalty_decision", "onsite_penalty_decision")
# what the 送达回执 prints in the recipient's column when nobody signs there
RECEIPT_NOTES = {"邮寄送达": "见邮件回执", "公告送达": "见公告"}


def case_values(file: CaseFile) -> dict[str, object]:
    """Every ``case.*`` key the case file can fill."""
    return {
        **_identity(file),
        **_facts(file),
        **_charges(file),
        **_steps(file),
        **_preservation(file),
        "case.served_documents": [_served_row(d) for d in _served(file.documents)],
        **money_values(file),
    }


def _case_name(party: str, cause: str) -> str:
    """案件名称: the party, 涉嫌 and the cause, closed by 案 (a cause already worded so is kept)."""
    name = cause.strip()
    name = name if name.startswith("涉嫌") else f"涉嫌{name}"
    return f"{party}{name if name.endswith('案') else f'{name}案'}"


def _identity(file: CaseFile) -> dict[str, object]:
    case = file.case
    first_seen = min((i.started_at for i in file.inspections), default=None)
    decision = DECISIONS[1] if case.procedure == Procedure.SIMPLE.value else DECISIONS[0]
    return {
        "case.no": case.case_no,
        "case.name": _case_name(case.party_name, case.cause),
        "case.cause": case.cause,
        "case.source": CaseSource(case.source).label,
        "case.found_on": written_date(
            first_seen.astimezone().date() if first_seen else case.opened_on
        ),
        "case.filing_requested_on": written_date(case.opened_on),
        "case.filed_on": written_date(case.filed_on),
        "case.closed_on": written_date(case.closed_on),
        "case.decision_title": document_type(decision).title,
    }


def _facts(file: CaseFile) -> dict[str, object]:
    summary = file.case.facts or ""
    evidence = _evidence(file)
    proof = f"以上事实，有{'、'.join(evidence)}等证据为证" if evidence else ""
    return {
        "case.summary": summary,
        "case.evidence": evidence,
        "case.facts_and_evidence": sentences([summary, proof]) if summary else "",
    }


def _evidence(file: CaseFile) -> list[str]:
    """主要证据 the app holds: the inspection records, the transcripts and the photos."""
    lines = [
        f"{'整改复查记录' if i.follow_up_of_id else '现场检查记录'}"
        f"（{written_date(i.started_at.astimezone().date())}）"
        for i in file.inspections
    ]
    lines += transcript_evidence(file.documents)
    return lines + ([f"现场照片{file.photos}张"] if file.photos else [])


def _charges(file: CaseFile) -> dict[str, object]:
    violations = file.violations
    violated = cited(v.violated_article for v in violations)
    return {
        "case.violated_articles": violated,
        "case.penalty_articles": cited(v.penalty_article for v in violations),
        "case.discretion_reason": sentences([v.reason for v in violations]),
        "case.filing_opinion": _filing_opinion(file.case.cause, violated),
    }


def _filing_opinion(cause: str, violated: str) -> str:
    """The handlers' usual 立案 opinion, for them to edit."""
    broken = f"，违反了{violated}的规定" if violated else ""
    return f"当事人涉嫌{cause.removeprefix('涉嫌')}{broken}，建议立案调查。"


def _steps(file: CaseFile) -> dict[str, object]:
    return {
        "case.investigation_conclusion": file.note("end_investigation"),
        "case.statement_summary": _statement(file),
        "case.hearing_on": file.on("hearing_held", "hearing_scheduled"),
        "case.hearing_place": _hearing_place(file),
        "case.notice_no": file.number("penalty_notice"),
        "case.decision_served_on": file.on("decision_served"),
        "case.extension_reason": file.note("approve_extension"),
        "case.extension_days": file.data("approve_extension", "days"),
        "case.transfer_to": file.data("transfer_case", "receiver"),
        "case.transfer_reason": file.note("transfer_case"),
    }


def _hearing_place(file: CaseFile) -> str:
    """听证地点 as the 听证会通知书 in force told the party (the 听证笔录 records the same)."""
    notice = file.latest("hearing_meeting_notice")
    return str(notice.values.get("hearing_place") or "") if notice else ""


def _statement(file: CaseFile) -> str:
    """当事人的陈述申辩意见 as recorded, or that the party waived them."""
    heard = [e.note or "" for e in file.events if e.action == "record_statement"]
    if any(heard):
        return sentences(heard)
    if file.last_event("waive_statement"):
        return sentences(["当事人放弃陈述、申辩", file.note("waive_statement")])
    return ""


def _preservation(file: CaseFile) -> dict[str, object]:
    """The latest 先行登记保存证据通知书: its 文号, date and 证据清单 in one line."""
    notice = file.latest("preservation_notice")
    if notice is None:
        return {}
    rows = notice.values.get("items") or []
    return {
        "case.preservation_no": notice.number or "",
        "case.preservation_on": written_date(notice.issued_on),
        "case.preserved_items": "、".join(item_line(row) for row in rows if row.get("name")),
    }


def item_line(row: Mapping[str, Any]) -> str:
    """``台式砂轮机1台（型号M3025）`` from a row of the 证据清单."""
    text = {key: str(row.get(key) or "").strip() for key in ("name", "quantity", "unit", "model")}
    model = f"（型号{text['model']}）" if text["model"] else ""
    return f"{text['name']}{text['quantity']}{text['unit']}{model}"


def _served(documents: Sequence[CaseDocument]) -> list[CaseDocument]:
    """Documents handed to the party (a corrected edition too: it was served), by date."""
    served = [d for d in documents if d.served_on is not None and d.status != "voided"]
    return sorted(served, key=lambda d: d.served_on or dt.date.min)


def _served_row(document: CaseDocument) -> dict[str, str]:
    """One line of the 送达回执; the signature columns stay empty for the pen."""
    method = document.served_method or ""
    return {
        "name_no": f"《{document.title}》{document.number or ''}",
        "recipient": RECEIPT_NOTES.get(method, ""),
        "place": "",
        "served_on": written_date(document.served_on),
        "method": method,
        "server": "",
    }
