"""The case's transcripts as evidence (证据): a line each in 主要证据 and on the case page.

Kept apart from :mod:`transcripts` so the document context, which lists the evidence, does not
import the document services it is itself imported by.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.models import CaseDocument

EVIDENCE_STATUSES = ("issued", "served")  # 定稿 transcripts; drafts prove nothing yet


def transcript_evidence(documents: Iterable[CaseDocument]) -> list[str]:
    """询问笔录（被询问人张三，从业人员，2026年3月5日） for each 定稿 询问笔录, in order."""
    lines = []
    for document in documents:
        if document.type_key != "inquiry_record" or document.status not in EVIDENCE_STATUSES:
            continue
        values = document.values
        who = "，".join(
            str(part)
            for part in (values.get("interviewee_name"), values.get("relation"), _day(values))
            if part
        )
        lines.append(f"询问笔录（被询问人{who}）")
    return lines


def _day(values: dict[str, object]) -> str:
    started = str(values.get("started_at") or "")[:10]
    try:
        return written_date(dt.date.fromisoformat(started))
    except ValueError:
        return ""
