"""The cover (案卷首页) and the 备考表 of a volume, worded from the case's records.

Nothing a person types goes on the cover except through the records: 案件名称 is the party,
the 违法行为 (the case's 案由) and 案; 处理结果 is the case's outcome with what the decision
imposed and its 文号; the dates are the 立案 and 结案 steps'; 归档号 and 归档日期 only once the
case is archived. The 备考表 carries the clerk's 本卷情况说明 and every reopening of the
archived case (its date, reason and approver) from the case's timeline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fuanjian_desktop.domain.procedure import Outcome, Stage
from fuanjian_desktop.dossier.render.model import CoverInfo, NotesInfo, Reopening
from fuanjian_desktop.models import Case, CaseDocument, CaseDossier, CaseEvent
from fuanjian_desktop.services.cases.case_document_values import DECISIONS

REOPEN_ACTION = "reopen_archive"


def case_name(case: Case) -> str:
    """案件名称: 当事人 + 违法行为 + 案 (a filed 涉嫌 falls away once the case is decided)."""
    conduct = case.cause.strip().removeprefix("涉嫌")
    return f"{case.party_name}{conduct if conduct.endswith('案') else f'{conduct}案'}"


def outcome_text(case: Case, documents: Sequence[CaseDocument]) -> str:
    """处理结果: the outcome, what the decision imposed, and the decision's 文号."""
    if case.outcome is None:
        return ""
    text = Outcome(case.outcome).label
    if case.outcome == Outcome.PENALTY:
        imposed = [*case.other_penalties]
        if case.total_fine:
            imposed.append(f"罚款人民币{case.total_fine}元")
        if imposed:
            text += f"：{'，'.join(imposed)}"
    decision = next((d for d in reversed(documents) if d.type_key in DECISIONS and d.number), None)
    if decision is not None and decision.status != "superseded":
        text += f"（《{decision.title}》{decision.number}）"
    return text


def cover_info(
    case: Case,
    authority: str,
    documents: Sequence[CaseDocument],
    dossier: CaseDossier | None,
    retention: str,
    counts: tuple[int, int] | None,
) -> CoverInfo:
    """The cover of ``case``; ``counts`` = (件数, 页数) once the volume is paged.

    A case reopened after archiving keeps its 归档号 and the cover's 文号; its 归档日期 stays
    blank until it is archived again.
    """
    numbered = dossier is not None and dossier.archive_no is not None
    archived = numbered and case.stage == Stage.ARCHIVED.value
    return CoverInfo(
        authority=authority,
        number=dossier.archive_number if numbered and dossier else None,
        case_name=case_name(case),
        cause=case.cause,
        result=outcome_text(case, documents),
        filed_on=case.filed_on,
        closed_on=case.closed_on,
        officers=tuple(row.full_name for row in case.handler_rows),
        archived_on=dossier.archived_on if archived and dossier else None,
        archive_no=dossier.archive_no if numbered and dossier else None,
        retention=retention,
        item_count=counts[0] if counts else None,
        page_count=counts[1] if counts else None,
    )


def reopenings(events: Sequence[CaseEvent]) -> tuple[Reopening, ...]:
    """Each recorded reopening of the archived case, oldest first."""
    return tuple(
        Reopening(event.occurred_on, event.note or "", event.actor_name)
        for event in events
        if event.action == REOPEN_ACTION
    )


def notes_info(
    dossier: CaseDossier | None,
    events: Sequence[CaseEvent],
    counts: tuple[int, int] | None,
    filed_on: dt.date | None,
) -> NotesInfo:
    """The 备考表: the clerk's entries, the counts, and the reopenings."""
    return NotesInfo(
        notes=(dossier.notes if dossier else None) or "",
        filed_by=dossier.filed_by if dossier else None,
        checked_by=dossier.checked_by if dossier else None,
        filed_on=(dossier.filed_on if dossier else None) or filed_on,
        item_count=counts[0] if counts else None,
        page_count=counts[1] if counts else None,
        reopenings=reopenings(events),
    )
