"""The demo's 询问笔录: the interviews of ``resources/demo/transcripts`` on the case they fit.

Each file names the case by a part of its 案由 and of its party's name (the story is told of a
printing workshop; any case of the 案由 takes it when no party fits) and holds the person
questioned and what was said. The transcripts are dated in the case's investigation (the
working days after 立案), read back and 定稿 as an inspector would, the longest last so that it
is the newest one (the sample ``documents samples`` writes).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.demo.demo_documents import as_user, written
from fuanjian_desktop.documents.spec import document_spec
from fuanjian_desktop.domain.deadlines import add_working_days
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Case, CaseDocument
from fuanjian_desktop.resources import resource_path
from fuanjian_desktop.services.documents.document_issue import (
    chosen_variant,
    context_for,
    fill,
    freeze,
)
from fuanjian_desktop.services.transcripts.transcripts import (
    INQUIRY,
    MOMENT_FORMAT,
    NOTICE_ANSWER,
    Interviewee,
    interviewee_values,
    with_time_range,
)
from fuanjian_desktop.services.unit_of_work import ActionScope

STARTS_AT = dt.time(9, 30)


@functools.cache
def demo_interviews() -> tuple[dict[str, Any], ...]:
    """The interviews of every file in resources/demo/transcripts, shortest first."""
    folder = resource_path("demo", "transcripts")
    interviews = [
        json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))
    ]
    return tuple(sorted(interviews, key=lambda interview: len(json.dumps(interview))))


def issue_demo_transcripts(scope: ActionScope, squad_id: str) -> None:
    """定稿 each demo interview on the squad's latest filed case whose 案由 it names."""
    for position, interview in enumerate(demo_interviews(), start=1):
        case = _fitting_case(scope.session, squad_id, interview)
        if case is not None and case.filed_on is not None:
            issue_interview(scope, case, interview, add_working_days(case.filed_on, position))


def _fitting_case(session: Session, squad_id: str, interview: dict[str, Any]) -> Case | None:
    """The latest filed case of the squad with the interview's 案由, its party preferred."""
    query = (
        select(Case)
        .where(
            Case.squad_id == squad_id,
            Case.filed_on.is_not(None),
            Case.cause.contains(interview["case_cause_contains"]),
        )
        .order_by(Case.filed_on.desc())
    )
    cases = list(session.scalars(query))
    fitting = [case for case in cases if interview["party_contains"] in case.party_name]
    return next(iter(fitting or cases), None)


def issue_interview(
    scope: ActionScope, case: Case, interview: dict[str, Any], day: dt.date
) -> None:
    """定稿 ``interview`` as a 询问笔录 of ``case`` taken on ``day`` by its first handler (the
    dossier bench fills a long volume with it too)."""
    scope = as_user(scope, case.handler_rows[0].user_id)
    spec = document_spec(INQUIRY)
    document = CaseDocument(id=new_id(), case_id=case.id, type_key=INQUIRY)
    context = context_for(scope.session, document, day)
    fill(document, spec, context, chosen_variant(spec, None, context))
    document.values = {**document.values, **_typed(interview, day, case.party_name)}
    freeze(scope, document, spec, day)
    document.status = "issued"
    scope.session.add(document)
    scope.record(document, f"询问笔录定稿（被询问人{interview['interviewee']['name']}）", None)


def _typed(interview: dict[str, Any], day: dt.date, party: str) -> dict[str, Any]:
    """What the inspectors typed: the person, the times, the pairs, the read-back."""
    started = dt.datetime.combine(day, STARTS_AT)
    ended = started + dt.timedelta(minutes=int(interview["minutes"]))
    interview = written(interview, day, party)
    pairs = [{"id": f"d{n}", **pair} for n, pair in enumerate(interview["qa"], start=1)]
    return with_time_range(
        {
            **interviewee_values(Interviewee(**interview["interviewee"])),
            "relation": interview["relation"],
            "place": interview["place"],
            "present": interview.get("present", ""),
            "sequence": "1",
            "started_at": started.strftime(MOMENT_FORMAT),
            "ended_at": ended.strftime(MOMENT_FORMAT),
            "notice_answer": NOTICE_ANSWER,
            "qa": pairs,
            "read_back": "本人阅看",
        }
    )
