"""Reopening an archived case file (重新打开案卷): the leader's recorded approval, with its reason.

An archived case is locked (``services.archive_lock``): nothing of it changes. When a mistake
is found or a 复议/诉讼 must be recorded after 归档, the squad leader approves reopening it.
The step is the procedure's ``reopen_archive`` (已归档 → 已结案, undoing the 归档 milestone),
taken in an action that lifts the lock for itself alone; the case's timeline and the audit trail
keep who approved it, when and why, and the 备考表 lists it. The 归档号 stays with the case
file; archiving again freezes a new volume.
"""

from __future__ import annotations

import datetime as dt

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import find_action
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Case
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_actions import StepInput, take_step
from fuanjian_desktop.services.dossiers.volume_cover import REOPEN_ACTION
from fuanjian_desktop.services.lookup import fetch_own
from fuanjian_desktop.services.unit_of_work import user_action


def reopen_case(database: Database, actor: Actor, case_id: str, reason: str, on: dt.date) -> None:
    """Reopen the archived case ``case_id`` on ``on`` for ``reason`` (the squad leader only).

    Refused with a Chinese message, writing nothing, without a reason, by anyone but the
    case's squad leader, or for a case that is not archived.
    """
    action = find_action(REOPEN_ACTION)
    if not reason.strip():
        raise UserError(f"“{action.label}”须写明理由（发现什么问题、需要修改或补充什么）。")
    with user_action(database, actor, action.label) as scope:
        case = fetch_own(scope, Case, case_id)
        scope.allow_archived = True
        event = take_step(scope, case, action, StepInput(on=on, note=reason.strip()))
        # the 操作日志 shows summaries: the reason is read there, not only in the event's JSON
        scope.log(f"{case.case_no} {action.label}，理由：{reason.strip()}", "case_event", event.id)
