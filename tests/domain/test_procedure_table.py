"""The procedure's transitions against a table written by hand from the law, not from ACTIONS.

Each row below was written from 《中华人民共和国行政处罚法》 (and 《行政强制法》 for the
执行 steps) and ``docs/case-procedure.md``: in this stage, under this procedure, these steps are
lawful, and each leads to this stage (``STAYS``: it records within the stage). The tests check
the state machine against it in both directions: every lawful step offered and leading where
the law says, every other step refused with a reason. So deleting a lawful transition from
``procedure.ACTIONS`` (e.g. 移送 from 法制审核) or adding an unlawful one fails here.
"""

from __future__ import annotations

import pytest

from fuanjian_desktop.domain.procedure import (
    ACTIONS,
    Performer,
    Procedure,
    Stage,
    actions_from,
    find_action,
    refusal_for_stage,
    target_stage,
)

S = Stage
STAYS = None  # the step records something; the case stays in its stage

# Steps lawful in every stage after a decision until the case ends: 公示 (安全生产法第七十八条)
# and recording a 复议 or 诉讼 (行政复议法, 行政诉讼法).
AFTER_DECISION = {"publish_decision": STAYS, "record_remedy": STAYS}
# 执行 of a penalty decision, whichever procedure made it: 缴款 (行政处罚法第六十七条), 延期或分期
# (第六十六条第二款), 催告 and 加处罚款 (行政强制法第三十五、四十五条; 行政处罚法第七十二条),
# 强制执行事先催告 and 申请法院强制执行 (行政强制法第五十三、五十四条), then 提请结案.
EXECUTION = {
    **AFTER_DECISION,
    "record_payment": STAYS,
    "approve_deferral": STAYS,
    "serve_payment_reminder": STAYS,
    "impose_surcharge": STAYS,
    "serve_enforcement_reminder": STAYS,
    "apply_court": STAYS,
    "submit_closing": S.CLOSING_APPROVAL,
}
# From 结案审批 to 归档: the same for both procedures.
CLOSING = {
    S.EXECUTION: EXECUTION,
    S.CLOSING_APPROVAL: {
        **AFTER_DECISION,
        "approve_closing": S.CLOSED,
        "return_to_execution": S.EXECUTION,
    },
    S.CLOSED: {**AFTER_DECISION, "archive": S.ARCHIVED},
    # an archived case file is locked: the leader's approved reopening is the only step, back to
    # 已结案 (a 复议 or 诉讼 filed after 归档 is recorded after reopening)
    S.ARCHIVED: {"reopen_archive": S.CLOSED},
}
# 办案期限 extension (行政处罚法第六十条): from 立案 until the decision.
EXTEND = {"approve_extension": STAYS}
# 行政强制, general procedure only, recorded within the stage: 查封扣押 approved and decided
# with its 清单 (行政强制法第十八、二十四条) from 立案审批 (a seizure taken on site, 第十九条) until
# the decision; its one extension and its 处理决定 (第二十五、二十七、二十八条) and 停止供电 /
# 恢复供电 (安全生产法第七十条) also while the decision is served and executed.
SEIZE = {"approve_seizure": STAYS, "decide_seizure": STAYS}
COERCE = {
    "extend_seizure": STAYS,
    "dispose_seizure": STAYS,
    "cut_power": STAYS,
    "restore_power": STAYS,
}
BEFORE = {**EXTEND, **SEIZE, **COERCE}  # from 立案 until the decision

LAWFUL: dict[Procedure, dict[Stage, dict[str, Stage | None]]] = {
    Procedure.GENERAL: {
        # 第五十四条: 立案 approved or refused; 第二十七条: a matter not ours is transferred.
        S.FILING_APPROVAL: {
            **SEIZE,
            **COERCE,
            "approve_filing": S.INVESTIGATION,
            "refuse_filing": S.NOT_FILED,
            "transfer_case": S.TRANSFERRED,
        },
        # 第五十五、五十六条 调查取证 and 先行登记保存; 第五十七条 终结; 撤销立案; 移送.
        S.INVESTIGATION: {
            **BEFORE,
            "preserve_evidence": STAYS,
            "decide_preservation": STAYS,
            "end_investigation": S.LEGAL_REVIEW,
            "revoke_filing": S.REVOKED,
            "transfer_case": S.TRANSFERRED,
        },
        # 第五十八条 法制审核: pass (to 告知, or to 集体讨论 for a 重大 case), or send back.
        S.LEGAL_REVIEW: {
            **BEFORE,
            "pass_review": S.NOTICE,
            "return_for_investigation": S.INVESTIGATION,
            "revoke_filing": S.REVOKED,
            "transfer_case": S.TRANSFERRED,
        },
        # 第五十七条第二款 集体讨论; 第五十七条第一款第（四）项: a suspected crime goes to
        # the 司法机关.
        S.COLLECTIVE: {
            **BEFORE,
            "record_discussion": S.NOTICE,
            "return_for_investigation": S.INVESTIGATION,
            "transfer_case": S.TRANSFERRED,
        },
        # 第四十四条、第六十三条 告知.
        S.NOTICE: {**BEFORE, "serve_notice": S.STATEMENT},
        # 第四十五条 陈述申辩; 第六十四条 听证 asked or waived; 第五十七条 提请决定.
        S.STATEMENT: {
            **BEFORE,
            "record_statement": STAYS,
            "waive_statement": STAYS,
            "request_hearing": S.HEARING,
            "waive_hearing": S.STATEMENT,
            "submit_decision": S.DECISION_APPROVAL,
        },
        # 第六十四条 听证会通知, held or waived; 第六十五条 decision after the 听证笔录.
        S.HEARING: {
            **BEFORE,
            "schedule_hearing": STAYS,
            "hold_hearing": S.DECISION_APPROVAL,
            "waive_hearing": S.STATEMENT,
        },
        # 第五十七条: penalty, no penalty, back for more investigation, or (第一款第（四）项)
        # transferred to the 司法机关 when the facts point to a crime.
        S.DECISION_APPROVAL: {
            **BEFORE,
            "approve_decision": S.SERVICE,
            "decide_no_penalty": S.CLOSING_APPROVAL,
            "return_for_investigation": S.INVESTIGATION,
            "transfer_case": S.TRANSFERRED,
        },
        # 第六十一条 送达.
        S.SERVICE: {**AFTER_DECISION, **COERCE, "serve_decision": S.EXECUTION},
        **CLOSING,
        S.EXECUTION: {**EXECUTION, **COERCE},
        S.NOT_FILED: {},
        S.REVOKED: {},
        S.TRANSFERRED: {},
        S.ONSITE: {},
    },
    Procedure.SIMPLE: {
        # 第五十一、五十二条: 当场处罚, the decision handed over on the spot.
        S.ONSITE: {"decide_onsite": S.EXECUTION},
        **CLOSING,
    },
}
# After 法制审核 a 重大 case goes to 集体讨论 first (第五十七条第二款).
MAJOR_ROUTE = {(S.LEGAL_REVIEW, "pass_review"): S.COLLECTIVE}

STAGES = [(p, s) for p in LAWFUL for s in LAWFUL[p]]
STEPS = [(p, s, code, to) for p, s in STAGES for code, to in LAWFUL[p][s].items()]
CODES = sorted({action.code for action in ACTIONS} | {step[2] for step in STEPS})


@pytest.mark.parametrize(("procedure", "stage"), STAGES, ids=str)
def test_a_stage_offers_exactly_its_lawful_steps(procedure: Procedure, stage: Stage) -> None:
    """No lawful step missing, none added."""
    offered = sorted(action.code for action in actions_from(procedure, stage))
    assert offered == sorted(LAWFUL[procedure][stage])


@pytest.mark.parametrize(("procedure", "stage", "code", "to"), STEPS, ids=str)
def test_a_lawful_step_leads_where_the_law_says(
    procedure: Procedure, stage: Stage, code: str, to: Stage | None
) -> None:
    """Allowed, and the case lands in the stage of the table (重大 or not)."""
    action = find_action(code)
    assert refusal_for_stage(action, procedure, stage) is None
    ordinary = stage if to is STAYS else to
    assert target_stage(action, stage, collective_required=False) is ordinary
    major = MAJOR_ROUTE.get((stage, code), ordinary)
    assert target_stage(action, stage, collective_required=True) is major


@pytest.mark.parametrize(("procedure", "stage"), STAGES, ids=str)
def test_every_other_step_is_refused_with_a_reason(procedure: Procedure, stage: Stage) -> None:
    """Each step not in the table here is refused, naming the step and the stage or procedure."""
    for code in CODES:
        if code in LAWFUL[procedure][stage]:
            continue
        action = find_action(code)
        reason = refusal_for_stage(action, procedure, stage)
        assert reason is not None, code
        assert action.label in reason
        assert stage.label in reason or procedure.label in reason


def test_every_step_of_the_state_machine_is_in_the_table() -> None:
    """A step the table does not know is one nobody checked against the law."""
    assert {action.code for action in ACTIONS} == {step[2] for step in STEPS}


def test_every_stage_is_reached_and_final_stages_have_no_way_out() -> None:
    """Walking the table from 立案审批 and 当场处罚 reaches every stage (集体讨论 by the 重大
    route); 不予立案, 撤销立案 and 移送 end the case, only 归档 leaves 已结案, and only the approved
    重新打开案卷 leaves 已归档 (back to 已结案)."""
    reached = {S.FILING_APPROVAL, S.ONSITE, *MAJOR_ROUTE.values()}
    reached |= {to for *_, to in STEPS if to is not STAYS}
    assert reached == set(Stage)
    for procedure, stage in STAGES:
        moving = {code for code, to in LAWFUL[procedure][stage].items() if to not in (STAYS, stage)}
        if stage in (S.NOT_FILED, S.REVOKED, S.TRANSFERRED):
            assert moving == set()
        if stage is S.ARCHIVED:
            assert moving == {"reopen_archive"}
        if stage is S.CLOSED:
            assert moving == {"archive"}


def test_the_simple_procedure_never_passes_through_the_general_stages() -> None:
    """简易程序 has no 立案 to 送达 stages: none of their steps is offered to it.

    待送达 is left out: 公示 and 复议/诉讼 are declared for both procedures in every stage after
    a decision, so the machine would offer them to a 简易程序 case in 待送达 — a stage such a case
    never reaches, since 当场处罚 hands the decision over on the spot (第五十二条).
    """
    for stage in set(Stage) - set(LAWFUL[Procedure.SIMPLE]) - {S.SERVICE}:
        assert actions_from(Procedure.SIMPLE, stage) == (), stage


def test_archiving_and_reopening_are_the_leaders_approvals() -> None:
    """归档 locks the case file and only a recorded approval opens it again (issue 17): both are
    the 中队负责人's approvals, the reopening needs a reason and undoes the 归档 milestone."""
    for code, label in (("archive", "批准归档"), ("reopen_archive", "重新打开案卷")):
        action = find_action(code)
        assert (action.label, action.performer, action.is_approval) == (
            label,
            Performer.LEADER,
            True,
        )
    reopen = find_action("reopen_archive")
    assert (reopen.fields, reopen.resets, reopen.milestones) == (("note",), ("archived",), ())
