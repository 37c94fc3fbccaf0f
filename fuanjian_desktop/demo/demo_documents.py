"""Demo documents: what people type into them, and one of every kind no demo step issues.

The values a person writes (审核意见, 听证记录, 勘验情况 …) are in
``resources/demo/documents/*.json`` by document type; in them ``{date}`` / ``{date+N}`` stand for
the document's date (plus N days) and ``{party}`` for the party, so the same story fits any
case. Before a demo step issues documents, a draft holding those values is prepared for each, as
a clerk drafts the 听证笔录 during the hearing; the step then issues that draft. The documents
of an inspection (检查方案, 检查记录, 现场处理措施决定书, 责改, 复查意见书) are issued afterwards on
a home-squad inspection with its 复查; the investigation's 询问通知书, 勘验笔录 and 抽样取证凭证 on
the complete case, before its decision is served (so its 送达回执 lists them).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from fuanjian_desktop.documents.spec import TYPED, document_spec
from fuanjian_desktop.domain.deadlines import add_working_days
from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.domain.documents.document_types import document_type
from fuanjian_desktop.domain.guard.document_guard import is_empty
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Case, CaseDocument, Inspection, User
from fuanjian_desktop.resources import load_json_resource, resource_path
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.documents.document_issue import (
    chosen_variant,
    context_for,
    fill,
    freeze,
)
from fuanjian_desktop.services.unit_of_work import ActionScope

INSPECTION_DOCUMENTS = (
    "inspection_plan",
    "inspection_record",
    "onsite_measures_decision",
    "rectification_order",
)
INVESTIGATION_DOCUMENTS = ("inquiry_notice", "survey_record", "sampling_voucher")
SERVED = "直接送达"
DATE_TOKEN = re.compile(r"\{date(?:\+(\d+))?\}")


@functools.cache
def demo_values() -> dict[str, dict[str, Any]]:
    """What people typed, by document type (from every file in resources/demo/documents)."""
    values: dict[str, dict[str, Any]] = {}
    for path in sorted(resource_path("demo", "documents").glob("*.json")):
        values.update(load_json_resource("demo", "documents", path.name))
    return values


def written(value: Any, on: dt.date, party: str) -> Any:
    """A demo value with its ``{date±N}`` and ``{party}`` filled in (lists and rows too)."""
    if isinstance(value, list):
        return [written(item, on, party) for item in value]
    if isinstance(value, dict):
        return {key: written(item, on, party) for key, item in value.items()}
    if not isinstance(value, str):
        return value

    def date(match: re.Match[str]) -> str:
        return written_date(on + dt.timedelta(days=int(match.group(1) or 0)))

    return DATE_TOKEN.sub(date, value).replace("{party}", party)


def prepare_step_drafts(
    scope: ActionScope, case: Case, type_keys: Iterable[str], on: dt.date
) -> None:
    """A draft with the typed values of each document the step taken on ``on`` issues.

    A story value for a field the records fill (the 主要证据 of a complaint case the app holds
    no record of) is written only where the records leave it blank, as a handler would.
    """
    for type_key in type_keys:
        typed = demo_values().get(type_key)
        if not typed:
            continue
        draft = CaseDocument(
            id=new_id(),
            case_id=case.id,
            type_key=type_key,
            title=document_type(type_key).title,
            status="draft",
        )
        draft.values = blanks_only(scope, draft, written(typed, on, case.party_name), on)
        scope.session.add(draft)
        scope.record(draft, f"新建《{draft.title}》草稿", before=None)


def blanks_only(
    scope: ActionScope, draft: CaseDocument, typed: dict[str, Any], on: dt.date
) -> dict[str, Any]:
    """``typed`` without the values of fields the records already fill for ``draft``: what a
    person writes goes only where the records leave a blank."""
    fields = document_spec(draft.type_key).fields
    sourced = [name for name in typed if name in fields and fields[name].source != TYPED]
    if not sourced:
        return typed
    context = context_for(scope.session, draft, on)
    filled = {name for name in sourced if not is_empty(context.get(fields[name].source))}
    return {name: value for name, value in typed.items() if name not in filled}


def issue_remaining_documents(scope: ActionScope, squad_id: str) -> None:
    """The inspection documents no step issues, on a squad inspection with its 复查.

    Each is issued by the record's first inspector or handler, as it would be on site.
    """
    recheck = scope.session.scalars(
        select(Inspection)
        .where(Inspection.squad_id == squad_id, Inspection.follow_up_of_id.is_not(None))
        .order_by(Inspection.started_at.desc())
    ).first()
    if recheck is not None and recheck.follow_up_of_id is not None:
        original = scope.session.get(Inspection, recheck.follow_up_of_id)
        assert original is not None
        day = original.started_at.astimezone().date()
        inspector = as_user(scope, original.inspector_rows[0].user_id)
        for type_key in INSPECTION_DOCUMENTS:
            _issue(inspector, type_key, day, inspection_id=original.id)
        rechecked = recheck.started_at.astimezone().date()
        _issue(
            as_user(scope, recheck.inspector_rows[0].user_id),
            "recheck_opinion",
            rechecked,
            inspection_id=recheck.id,
        )


def issue_investigation_documents(scope: ActionScope, case: Case) -> None:
    """The 询问通知书, 勘验笔录 and 抽样取证凭证 of ``case``'s investigation, dated the working
    days after 立案; the demo issues them before the decision is served, so the case's one
    送达回执 lists the ones handed over."""
    assert case.filed_on is not None
    handler = as_user(scope, case.handler_rows[0].user_id)
    for gap, type_key in enumerate(INVESTIGATION_DOCUMENTS, start=1):
        _issue(handler, type_key, add_working_days(case.filed_on, gap), case_id=case.id)


def as_user(scope: ActionScope, user_id: str) -> ActionScope:
    """The open demo action, taken on by the given user."""
    user = scope.session.get(User, user_id)
    assert user is not None
    return ActionScope(scope.session, Actor.of(user), scope.action)


def _issue(
    scope: ActionScope,
    type_key: str,
    on: dt.date,
    *,
    case_id: str | None = None,
    inspection_id: str | None = None,
) -> None:
    """Issue one document filled from its record and the demo's typed values."""
    spec = document_spec(type_key)
    document = CaseDocument(
        id=new_id(), case_id=case_id, inspection_id=inspection_id, type_key=type_key
    )
    context = context_for(scope.session, document, on)
    fill(document, spec, context, chosen_variant(spec, None, context))
    typed = written(demo_values().get(type_key, {}), on, str(context.get("party.name", "")))
    document.values = {**document.values, **typed}
    freeze(scope, document, spec, on)
    document.status = "served" if spec.served else "issued"
    if spec.served:  # handed over on the spot to the person present
        document.served_on, document.served_method = on, SERVED
        document.recipient = str(context.get("inspection.site_person") or context.get("party.name"))
    scope.session.add(document)
    scope.record(document, f"签发《{document.title}》{document.number or ''}", before=None)
