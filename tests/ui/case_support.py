"""Making cases for the UI tests: opened by 张伟 with 李娜 (园岭), moved on step by step.

Each step is taken by whom the procedure names (承办人, 中队负责人 刘洋 or 法制审核员 陈静),
a day after the one before, so a test asks for a stage by the steps that lead there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.penalties.violations import Tier
from fuanjian_desktop.domain.procedure import SERVED_METHODS, Performer, find_action
from fuanjian_desktop.models import Case
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases import cases
from fuanjian_desktop.services.cases.case_actions import StepInput
from tests.cases import open_plain_case, perform_written

OPENED_ON = dt.date(2030, 1, 2)  # a year no demo case uses, so counts are the test's own
TO_INVESTIGATION = ("approve_filing",)
TO_LEGAL_REVIEW = (*TO_INVESTIGATION, "end_investigation")
TO_NOTICE = (*TO_LEGAL_REVIEW, "pass_review")
SERVED = StepInput(served_method=SERVED_METHODS[0], recipient="张三")
STEP_INPUTS = {
    "serve_notice": SERVED,
    "serve_decision": SERVED,
    "end_investigation": StepInput(note="违法事实清楚，证据确凿，建议给予罚款。"),
}
PROPOSED = cases.ViolationChoice(
    "AQ-97-3", Tier.ORDINARY, 20000, "当事人违法行为情节一般，按一般阶次裁量。"
)


@dataclass(frozen=True)
class CaseTeam:
    """Who takes the steps of a test case."""

    handler: Actor
    partner_id: str
    leader: Actor
    reviewer: Actor

    def performer(self, action_code: str) -> Actor:
        """The team member the procedure wants for this step."""
        performer = find_action(action_code).performer
        if performer is Performer.LEADER:
            return self.leader
        return self.reviewer if performer is Performer.REVIEWER else self.handler


def case_team(sign_in: Callable[[str], Actor]) -> CaseTeam:
    """The 园岭 demo team: 张伟 handles with 李娜, 刘洋 approves, 陈静 reviews."""
    partner = sign_in("lina")
    assert partner.user_id is not None
    return CaseTeam(sign_in("zhangwei"), partner.user_id, sign_in("liuyang"), sign_in("chenjing"))


def make_case(
    database: Database, team: CaseTeam, steps: Sequence[str] = (), opened_on: dt.date = OPENED_ON
) -> str:
    """Open a case and take ``steps`` (action codes) in order; return the case id."""
    case_id = open_plain_case(database, team.handler, team.partner_id, opened_on)
    for day, code in enumerate(steps, start=1):
        on = opened_on + dt.timedelta(days=day)
        if code == "end_investigation":  # the notice states the penalty proposed
            cases.set_violations(database, team.handler, case_id, [PROPOSED])
        step = replace(STEP_INPUTS.get(code, StepInput()), on=on)
        perform_written(database, team.performer(code), case_id, code, step, today=on)
    return case_id


def set_next_due(database: Database, case_id: str, due: dt.date, label: str = "办案期限") -> None:
    """Move a case's next deadline directly in the database (tests only: the UI never does)."""
    with database.write() as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.next_due_on, case.next_due_label = due, label
