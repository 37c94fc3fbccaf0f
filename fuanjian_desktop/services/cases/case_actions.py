"""Taking a step of the procedure: who may, whether the guard allows it, and what it records.

Every step is one transaction: the case's new stage, the event on its timeline (who, when,
the legal date), the documents it issues with their 文号, and the recomputed deadlines.
The guard runs on the case as it would be after the step; any defect that blocks the step
refuses it with the defects listed in Chinese, and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.documents.document_types import document_type
from fuanjian_desktop.domain.guard.case_guard import CaseFacts, Defect, facts_after, refusals
from fuanjian_desktop.domain.guard.execution_guard import CONTENT_DEFECTS
from fuanjian_desktop.domain.procedure import (
    SERVED_METHODS,
    Action,
    Performer,
    Procedure,
    Stage,
    find_action,
    refusal_for_stage,
    target_stage,
)
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Case, CaseDocument, CaseEvent, CaseRemedy
from fuanjian_desktop.services.actor import SYSTEM, Actor
from fuanjian_desktop.services.cases.case_facts import case_documents, facts_of
from fuanjian_desktop.services.cases.cases import refresh_case
from fuanjian_desktop.services.documents.document_context import case_context
from fuanjian_desktop.services.documents.document_issue import (
    IncompleteDocument,
    issue_with_content,
)
from fuanjian_desktop.services.documents.documents import create_draft
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.lookup import fetch_own
from fuanjian_desktop.services.procedure_settings import current_settings
from fuanjian_desktop.services.squad_scope import (
    OTHER_SQUAD,
    case_squad,
    read_as,
    require_changeable,
)
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

REMEDY_RESULTS = {
    "reconsideration": ("在审", "维持", "撤销", "变更", "确认违法", "撤回"),
    "litigation": ("在审", "胜诉", "败诉", "撤诉"),
}
REMEDY_LABELS = {"reconsideration": "行政复议", "litigation": "行政诉讼"}
PERFORMER_PERMISSIONS = {
    Performer.HANDLER: Permission.HANDLE_CASES,
    Performer.LEADER: Permission.APPROVE_CASES,
    Performer.REVIEWER: Permission.REVIEW_CASES,
    Performer.CLERK: Permission.KEEP_CASE_RECORDS,
}


class ProcedureRefused(UserError):
    """The guard refused a step; ``defects`` are listed in the message too."""

    def __init__(self, action: Action, defects: list[Defect]) -> None:
        lines = "\n".join(f"· {defect.text}" for defect in defects)
        super().__init__(f"不能“{action.label}”，请先解决以下问题：\n{lines}")
        self.defects = defects


class StepDocumentIncomplete(UserError):
    """A step whose document lacks content a person must write: nothing is written.

    Carries the document's type and its empty fields, so the screen can open the editor on a
    draft of that document with those fields marked; the step issues that draft when taken
    again (see :func:`_prepared_draft`).
    """

    def __init__(self, action: Action, incomplete: IncompleteDocument) -> None:
        labels = "、".join(incomplete.labels)
        super().__init__(
            f"不能“{action.label}”：《{incomplete.title}》尚未填写{labels}。"
            f"请在文书中填写后再办理“{action.label}”。"
        )
        self.action_code = action.code
        self.type_key = incomplete.type_key
        self.fields = incomplete.fields
        self.labels = incomplete.labels


@dataclass(frozen=True)
class StepInput:
    """What the user supplies for a step; ``on`` is the legal date (defaults to today)."""

    on: dt.date | None = None
    note: str = ""
    served_method: str = ""
    recipient: str = ""
    amount: int | None = None
    days: int | None = None
    until: dt.date | None = None
    hearing_date: dt.date | None = None
    receiver: str = ""
    remedy_kind: str = ""
    remedy_result: str = ""


def perform(
    database: Database,
    actor: Actor,
    case_id: str,
    action_code: str,
    step: StepInput,
    today: dt.date | None = None,
) -> None:
    """Take ``action_code`` on the case, or raise a Chinese error saying why not.

    归档 and 重新打开案卷 are refused here: they freeze or reopen the case file, which only the
    dossier services do (:func:`dossier_step_refusal`).
    """
    action = find_action(action_code)
    refusal = dossier_step_refusal(action)
    if refusal:
        raise UserError(refusal)
    with user_action(database, actor, action.label) as scope:
        take_step(scope, fetch_own(scope, Case, case_id), action, step, today)


# Steps taken only with the case file (案卷): archiving builds and freezes the volume and
# reopening unlocks it, both in services/dossiers inside their own action (take_step there).
DOSSIER_STEPS = frozenset({"archive", "reopen_archive"})


def dossier_step_refusal(action: Action) -> str | None:
    """Why ``action`` is not taken from the case's step list (Chinese), or ``None``."""
    if action.code not in DOSSIER_STEPS:
        return None
    return f"“{action.label}”在“案卷”页办理：请打开“案卷”页，选中本案后办理“{action.label}”。"


def take_step(
    scope: ActionScope,
    case: Case,
    action: Action,
    step: StepInput,
    today: dt.date | None = None,
) -> CaseEvent:
    """The step inside an open action (the demo builds its cases through this too)."""
    today = today or local_today()
    on = step.on or today
    facts = facts_of(scope.session, case, current_settings(scope.session), today)
    check_performer(scope.actor, case, action)
    if action.done_in(facts.milestones):
        raise UserError(f"本案已经办理过“{action.label}”，无需重复办理。")
    _check_input(action, step, on, today)
    extension = (step.days or 0) if action.code == "approve_extension" else 0
    after = facts_after(facts, action, on, scope.actor.user_id, extension)
    blocking = refusals(after, action)
    if blocking:
        raise ProcedureRefused(action, blocking)
    event = _apply(scope, case, action, step, on, facts, today)
    _check_issued_content(scope, case, action, today)
    return event


def _check_issued_content(scope: ActionScope, case: Case, action: Action, today: dt.date) -> None:
    """Refuse the step if a document it issued cites a record wrongly (a draft prepared by hand
    keeps what was typed): what it printed is only known once it is composed. Raising undoes
    the whole step."""
    issued = facts_of(scope.session, case, current_settings(scope.session), today)
    wrong = [d for d in refusals(issued, action) if d.code in CONTENT_DEFECTS]
    if wrong:
        raise ProcedureRefused(action, wrong)


def performer_refusal(actor: Actor, case: Case, action: Action) -> str | None:
    """Why ``actor`` may not take ``action`` on ``case`` (Chinese), or ``None``."""
    if not _of_squad(actor, case):
        return OTHER_SQUAD.format(what="案件", verb="办理")
    stage_problem = refusal_for_stage(action, Procedure(case.procedure), Stage(case.stage))
    if stage_problem:
        return stage_problem
    if not actor.can(PERFORMER_PERMISSIONS[action.performer]):
        return f"“{action.label}”须由{action.performer.label}办理。"
    handler_ids = {row.user_id for row in case.handler_rows}
    is_handler = actor.user_id in handler_ids
    if action.performer is Performer.HANDLER and not is_handler:
        return f"“{action.label}”须由本案承办人办理。"
    if action.performer is Performer.REVIEWER and is_handler:
        return "承办人不能审核自己承办的案件（行政处罚法第五十八条），请由其他法制审核员审核。"
    return None


def check_performer(actor: Actor, case: Case, action: Action) -> None:
    """Raise the refusal of :func:`performer_refusal`, if any (another squad's case is a
    :class:`PermissionDenied`)."""
    if not _of_squad(actor, case):
        raise PermissionDenied(OTHER_SQUAD.format(what="案件", verb="办理"))
    problem = performer_refusal(actor, case, action)
    if problem:
        raise UserError(problem)


def _of_squad(actor: Actor, case: Case) -> bool:
    """Whether ``actor`` belongs to the squad of ``case`` (the system actor acts for all)."""
    return actor is SYSTEM or (actor.squad_id is not None and actor.squad_id == case.squad_id)


def _check_input(action: Action, step: StepInput, on: dt.date, today: dt.date) -> None:
    if on > today:
        raise UserError(f"“{action.label}”的日期不能晚于今天（{today:%Y-%m-%d}），请核对。")
    fields = set(action.fields)
    if "served_method" in fields and step.served_method not in SERVED_METHODS:
        raise UserError(f"请选择送达方式（{'、'.join(SERVED_METHODS)}）。")
    if "amount" in fields and (step.amount is None or step.amount <= 0):
        raise UserError("请填写大于零的金额（元）。")
    if "days" in fields and (step.days is None or step.days <= 0):
        raise UserError("请填写延长的天数（大于零的整数）。")
    if "until" in fields and (step.until is None or step.until <= on):
        raise UserError("请填写晚于今天的截止日期。")
    if "hearing_date" in fields and (step.hearing_date is None or step.hearing_date <= on):
        raise UserError("请填写听证日期（应在通知送达之后）。")
    if "receiver" in fields and not step.receiver.strip():
        raise UserError("请填写受移送的机关名称。")
    if "remedy_kind" in fields:
        results = REMEDY_RESULTS.get(step.remedy_kind)
        if results is None or step.remedy_result not in results:
            raise UserError("请选择救济途径（行政复议或行政诉讼）及其结果。")
    needs_note = action.code in (
        "refuse_filing",
        "revoke_filing",
        "return_for_investigation",
        "reopen_archive",
    )
    if needs_note and not step.note.strip():
        raise UserError(f"“{action.label}”须写明理由。")


def _apply(
    scope: ActionScope,
    case: Case,
    action: Action,
    step: StepInput,
    on: dt.date,
    facts: CaseFacts,
    today: dt.date,
) -> CaseEvent:
    before = case.audit_snapshot()
    stage_before = Stage(case.stage)
    case.stage = str(target_stage(action, stage_before, facts.collective_required))
    milestones = {name: on for name in action.milestones}
    EFFECTS.get(action.code, _no_effect)(Stepping(scope, case, step, on, milestones, facts))
    _dates_and_outcome(case, action, on)
    event = CaseEvent(
        case_id=case.id,
        action=action.code,
        stage_before=str(stage_before),
        stage_after=case.stage,
        occurred_on=on,
        actor_id=scope.actor.user_id,
        actor_name=scope.actor.full_name,
        note=step.note.strip() or None,
        milestones={key: value.isoformat() for key, value in milestones.items()},
        data=_event_data(action, step),
    )
    scope.session.add(event)
    scope.record(event, f"{case.case_no} {action.label}", before=None)
    refresh_case(scope.session, case, today)
    try:
        _issue_documents(scope, case, _documents_of(action, facts), step, event)
    except IncompleteDocument as incomplete:
        raise StepDocumentIncomplete(action, incomplete) from None
    scope.record(case, f"{case.case_no} {action.label}", before)
    return event


def step_documents(session: Session, case: Case, action: Action, today: dt.date) -> list[str]:
    """The documents ``action`` would issue on ``case`` now (with the 听证告知书 where the
    party must be offered a hearing), for drafts prepared before the step."""
    return _documents_of(action, facts_of(session, case, current_settings(session), today))


def _documents_of(action: Action, facts: CaseFacts) -> list[str]:
    documents = list(action.documents)
    if action.code == "serve_notice" and facts.hearing_required:
        documents.append("hearing_rights_notice")
    return documents


def _event_data(action: Action, step: StepInput) -> dict[str, object]:
    data: dict[str, object] = {"resets": list(action.resets)} if action.resets else {}
    values = {
        "served_method": step.served_method,
        "recipient": step.recipient,
        "amount": step.amount,
        "days": step.days,
        "until": step.until.isoformat() if step.until else None,
        "hearing_date": step.hearing_date.isoformat() if step.hearing_date else None,
        "receiver": step.receiver,
        "remedy_kind": step.remedy_kind,
        "remedy_result": step.remedy_result,
    }
    data.update({key: value for key, value in values.items() if key in action.fields})
    return data


def _dates_and_outcome(case: Case, action: Action, on: dt.date) -> None:
    if action.outcome is not None:
        case.outcome = str(action.outcome)
    if "filed" in action.milestones:
        case.filed_on = on
    if "decided" in action.milestones or action.code == "decide_no_penalty":
        case.decided_on = on
    if action.code in ("approve_closing", "refuse_filing", "revoke_filing", "transfer_case"):
        case.closed_on = on


@dataclass
class Stepping:
    """What an effect of a step may read and change: the open action, the case, the input, the
    legal date, the milestones the step will date, and the case's facts before it."""

    scope: ActionScope
    case: Case
    step: StepInput
    on: dt.date
    milestones: dict[str, dt.date]
    facts: CaseFacts


Effect = Callable[[Stepping], None]


def _no_effect(_: Stepping) -> None:
    """Most steps only move the stage and date their milestones."""


def _serve_notice(it: Stepping) -> None:
    if it.facts.hearing_required:
        it.milestones["hearing_notice_served"] = it.on


def _pass_review(it: Stepping) -> None:
    it.case.reviewer_id = it.scope.actor.user_id


def _extend(it: Stepping) -> None:
    it.case.extension_days += it.step.days or 0


def _schedule_hearing(it: Stepping) -> None:
    assert it.step.hearing_date is not None
    it.milestones["hearing_scheduled"] = it.step.hearing_date


def _payment(it: Stepping) -> None:
    case = it.case
    outstanding = case.total_fine - case.paid_amount
    amount = it.step.amount or 0
    if amount > outstanding:
        raise UserError(f"缴款金额{amount}元超过未缴金额{outstanding}元，请核对缴款凭证。")
    case.paid_amount += amount
    if case.paid_amount >= case.total_fine:
        it.milestones["paid"] = it.on


def _remedy(it: Stepping) -> None:
    session, step = it.scope.session, it.step
    row = session.scalar(
        select(CaseRemedy).where(
            CaseRemedy.case_id == it.case.id, CaseRemedy.kind == step.remedy_kind
        )
    )
    before = row.audit_snapshot() if row else None
    if row is None:
        row = CaseRemedy(case_id=it.case.id, kind=step.remedy_kind, filed_on=it.on)
        session.add(row)
    row.result = step.remedy_result
    row.concluded_on = None if step.remedy_result == "在审" else it.on
    row.note = step.note.strip() or None
    label = REMEDY_LABELS[step.remedy_kind]
    it.scope.record(row, f"{it.case.case_no} {label}：{step.remedy_result}", before)


EFFECTS: dict[str, Effect] = {
    "serve_notice": _serve_notice,
    "pass_review": _pass_review,
    "approve_extension": _extend,
    "schedule_hearing": _schedule_hearing,
    "record_payment": _payment,
    "record_remedy": _remedy,
}
# steps that hand the document over as they issue it
SERVING_ACTIONS = frozenset(
    {
        "serve_notice",
        "schedule_hearing",
        "decide_onsite",
        "serve_payment_reminder",
        "serve_enforcement_reminder",
        "impose_surcharge",  # the 加处罚款决定书 handed to the party (行政强制法第三十八条)
        "decide_seizure",  # 行政强制法第二十四条: decision and 清单 handed over on the spot
        "extend_seizure",  # 第二十五条: the extension told to the party in writing
        "dispose_seizure",
        "cut_power",  # 安全生产法第七十条: the decision to the unit (the notice to its supplier)
    }
)


def _issue_documents(
    scope: ActionScope, case: Case, type_keys: list[str], step: StepInput, event: CaseEvent
) -> None:
    """Issue the step's documents with their content, read from the case as the step left it."""
    if not type_keys:
        return
    if "service_receipt" in type_keys:  # the receipt lists the decision it serves
        _mark_decision_served(scope, case, event.occurred_on, step)
    context = case_context(scope.session, case.id, event.occurred_on)
    for type_key in type_keys:
        _issue_document(scope, case, type_key, step, event, context)


def _issue_document(
    scope: ActionScope,
    case: Case,
    type_key: str,
    step: StepInput,
    event: CaseEvent,
    context: dict[str, object],
) -> None:
    kind = document_type(type_key)
    on = event.occurred_on
    served = kind.served and event.action in SERVING_ACTIONS
    draft = _prepared_draft(scope.session, case.id, type_key)
    document = draft or CaseDocument(id=new_id(), case_id=case.id, type_key=type_key)
    before = document.audit_snapshot() if draft else None
    document.title = document.title or kind.title
    document.status = "served" if served else "issued"
    document.served_on = on if served else None
    document.served_method = (step.served_method or "直接送达") if served else None
    document.recipient = (step.recipient.strip() or None) if served else None
    document.event_id = event.id
    issue_with_content(scope, document, context, on, drafted=draft is not None)
    if draft is None:
        scope.session.add(document)
    scope.record(document, f"{case.case_no} 签发《{document.title}》", before=before)


def _prepared_draft(session: Session, case_id: str, type_key: str) -> CaseDocument | None:
    """A first-edition draft of the step's document prepared beforehand, if there is one."""
    query = select(CaseDocument).where(
        CaseDocument.case_id == case_id,
        CaseDocument.type_key == type_key,
        CaseDocument.status == "draft",
        CaseDocument.corrects_id.is_(None),
    )
    return session.scalars(query.order_by(CaseDocument.created_at)).first()


def draft_for_step(database: Database, actor: Actor, case_id: str, type_key: str) -> str:
    """The id of the draft a step will issue as ``type_key``: the one already prepared, else a
    new one prefilled from the case, for the person to complete before taking the step again."""
    with read_as(database, actor) as (session, reader):
        require_changeable(reader, case_squad(session, case_id), "案件")
        prepared = _prepared_draft(session, case_id, type_key)
    if prepared is not None:
        return prepared.id
    return create_draft(database, actor, type_key=type_key, case_id=case_id)


def _mark_decision_served(scope: ActionScope, case: Case, on: dt.date, step: StepInput) -> None:
    for document in case_documents(scope.session, case.id):
        if document.type_key == "penalty_decision" and document.status == "issued":
            before = document.audit_snapshot()
            document.status, document.served_on = "served", on
            document.served_method = step.served_method
            document.recipient = step.recipient.strip() or None
            scope.record(document, f"{case.case_no} 送达《{document.title}》", before)
