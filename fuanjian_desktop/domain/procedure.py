"""The case procedure as an explicit state machine (一般程序 and 简易程序).

A case sits in one :class:`Stage`. An :class:`Action` moves it on (or records something within
the stage); each action names the stages it starts from, the stage it leads to, who may take it,
the dated milestones it sets (the events deadlines start from) and the documents it issues.
The diagram is in ``docs/case-procedure.md``; the preconditions are the procedure guard's
(``domain/guard/case_guard.py``), checked on the case as it would be after the action.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from fuanjian_desktop.errors import UserError


class Procedure(StrEnum):
    """一般程序 or 简易程序 (当场处罚)."""

    GENERAL = "general"
    SIMPLE = "simple"

    @property
    def label(self) -> str:
        """Chinese name."""
        return "一般程序" if self is Procedure.GENERAL else "简易程序"


class Stage(StrEnum):
    """Where a case stands."""

    FILING_APPROVAL = "filing_approval"
    INVESTIGATION = "investigation"
    LEGAL_REVIEW = "legal_review"
    COLLECTIVE = "collective"
    NOTICE = "notice"
    STATEMENT = "statement"
    HEARING = "hearing"
    DECISION_APPROVAL = "decision_approval"
    SERVICE = "service"
    EXECUTION = "execution"
    CLOSING_APPROVAL = "closing_approval"
    CLOSED = "closed"
    ARCHIVED = "archived"
    NOT_FILED = "not_filed"
    REVOKED = "revoked"
    TRANSFERRED = "transferred"
    ONSITE = "onsite"

    @property
    def label(self) -> str:
        """Chinese name as the case list shows it."""
        return STAGE_LABELS[self]

    @property
    def is_final(self) -> bool:
        """Whether the case has ended (no deadline runs any more)."""
        return self in FINAL_STAGES


STAGE_LABELS = {
    Stage.FILING_APPROVAL: "立案审批",
    Stage.INVESTIGATION: "调查取证",
    Stage.LEGAL_REVIEW: "法制审核",
    Stage.COLLECTIVE: "集体讨论",
    Stage.NOTICE: "待告知",
    Stage.STATEMENT: "陈述申辩",
    Stage.HEARING: "听证",
    Stage.DECISION_APPROVAL: "决定审批",
    Stage.SERVICE: "待送达",
    Stage.EXECUTION: "执行",
    Stage.CLOSING_APPROVAL: "结案审批",
    Stage.CLOSED: "已结案",
    Stage.ARCHIVED: "已归档",
    Stage.NOT_FILED: "不予立案",
    Stage.REVOKED: "已撤销立案",
    Stage.TRANSFERRED: "已移送",
    Stage.ONSITE: "当场处罚",
}
FINAL_STAGES = frozenset(
    {Stage.CLOSED, Stage.ARCHIVED, Stage.NOT_FILED, Stage.REVOKED, Stage.TRANSFERRED}
)
BEFORE_DECISION = (
    Stage.INVESTIGATION,
    Stage.LEGAL_REVIEW,
    Stage.COLLECTIVE,
    Stage.NOTICE,
    Stage.STATEMENT,
    Stage.HEARING,
    Stage.DECISION_APPROVAL,
)
AFTER_DECISION = (Stage.SERVICE, Stage.EXECUTION, Stage.CLOSING_APPROVAL, Stage.CLOSED)
# 查封扣押 is taken while the facts are established (from an on-site seizure before 立案 on);
# its period may outlast the decision, so the extension and the 处理决定 stay open until 执行.
SEIZURE_STAGES = (Stage.FILING_APPROVAL, *BEFORE_DECISION)
MEASURE_STAGES = (*SEIZURE_STAGES, Stage.SERVICE, Stage.EXECUTION)


class Performer(StrEnum):
    """Who may take an action."""

    HANDLER = "handler"  # an 执法人员 who is one of the case's handlers (承办人)
    LEADER = "leader"  # the squad leader (中队负责人), who approves
    REVIEWER = "reviewer"  # the legal reviewer (法制审核员), never a handler of the case
    CLERK = "clerk"  # 内勤 or a handler: payments, publication, remedies

    @property
    def label(self) -> str:
        """Chinese name for messages."""
        return PERFORMER_LABELS[self]


PERFORMER_LABELS = {
    Performer.HANDLER: "本案承办人",
    Performer.LEADER: "中队负责人",
    Performer.REVIEWER: "法制审核员",
    Performer.CLERK: "内勤或本案承办人",
}


class Outcome(StrEnum):
    """How a case ended, for statistics and the case file cover (处理结果)."""

    PENALTY = "penalty"
    NO_PENALTY = "no_penalty"
    NOT_FILED = "not_filed"
    REVOKED = "revoked"
    TRANSFERRED = "transferred"

    @property
    def label(self) -> str:
        """Chinese name."""
        return OUTCOME_LABELS[self]


OUTCOME_LABELS = {
    Outcome.PENALTY: "行政处罚",
    Outcome.NO_PENALTY: "不予行政处罚",
    Outcome.NOT_FILED: "不予立案",
    Outcome.REVOKED: "撤销立案",
    Outcome.TRANSFERRED: "移送",
}


@dataclass(frozen=True)
class Action:
    """One step of the procedure.

    ``to_stage`` ``None`` means the case stays where it is (e.g. recording a payment).
    ``fields`` names what the user must supply (see :data:`FIELD_LABELS`).
    """

    code: str
    label: str
    procedures: tuple[Procedure, ...]
    from_stages: tuple[Stage, ...]
    to_stage: Stage | None
    performer: Performer
    source: str
    milestones: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    outcome: Outcome | None = None
    is_approval: bool = False
    resets: tuple[str, ...] = ()
    once: bool = False  # a record made once per case (e.g. 公示), offered until it is made

    def done_in(self, milestones: Mapping[str, object]) -> bool:
        """Whether this once-only step has already been taken (its milestones are dated)."""
        return self.once and all(name in milestones for name in self.milestones)


FIELD_LABELS = {
    "note": "意见或说明",
    "served_method": "送达方式",
    "recipient": "签收人",
    "amount": "金额（元）",
    "days": "延长天数",
    "until": "截止日期",
    "hearing_date": "听证日期",
    "receiver": "移送机关",
    "remedy_kind": "救济途径",
    "remedy_result": "结果",
}
SERVED_METHODS = ("直接送达", "留置送达", "邮寄送达", "公告送达", "电子送达")
# Milestones a return to 调查取证 undoes: the steps after it are taken again.
RESTART_INVESTIGATION = (
    "investigation_ended",
    "legal_reviewed",
    "collective_discussed",
    "notice_served",
    "hearing_notice_served",
    "statement_heard",
    "statement_waived",
    "hearing_requested",
    "hearing_waived",
    "hearing_notice_sent",
    "hearing_scheduled",
    "hearing_held",
    "decision_submitted",
)
BOTH = (Procedure.GENERAL, Procedure.SIMPLE)
GENERAL = (Procedure.GENERAL,)
LAW = "《中华人民共和国行政处罚法》"
FORCE_LAW = "《中华人民共和国行政强制法》"

ACTIONS: tuple[Action, ...] = (
    Action(
        "approve_filing", "批准立案", GENERAL, (Stage.FILING_APPROVAL,), Stage.INVESTIGATION,
        Performer.LEADER, f"{LAW}第五十四条", ("filed",), ("filing_approval",), ("note",),
        is_approval=True,
    ),
    Action(
        "refuse_filing", "不予立案", GENERAL, (Stage.FILING_APPROVAL,), Stage.NOT_FILED,
        Performer.LEADER, f"{LAW}第五十四条", (), (), ("note",), Outcome.NOT_FILED,
        is_approval=True,
    ),
    Action(
        "preserve_evidence", "先行登记保存证据", GENERAL, (Stage.INVESTIGATION,), None,
        Performer.HANDLER, f"{LAW}第五十六条", ("evidence_preserved",),
        ("preservation_approval", "preservation_notice"), ("note",),
    ),
    Action(
        "decide_preservation", "处理先行登记保存的证据", GENERAL, (Stage.INVESTIGATION,), None,
        Performer.HANDLER, f"{LAW}第五十六条", ("preservation_decided",),
        ("preservation_disposal_approval", "preservation_disposal"), ("note",),
    ),
    Action(
        "approve_seizure", "批准查封扣押", GENERAL, SEIZURE_STAGES, None, Performer.LEADER,
        f"{FORCE_LAW}第十八条第（一）项、第十九条", ("seizure_approved",),
        ("coercion_approval",), ("note",), is_approval=True, once=True,
    ),
    Action(
        "decide_seizure", "送达查封扣押决定书及清单", GENERAL, SEIZURE_STAGES, None,
        Performer.HANDLER, f"{FORCE_LAW}第十八条、第二十四条", ("seizure_decided",),
        ("seizure_decision",), ("served_method", "recipient"), once=True,
    ),
    Action(
        "extend_seizure", "批准延长查封扣押期限", GENERAL, MEASURE_STAGES, None,
        Performer.LEADER, f"{FORCE_LAW}第二十五条", ("seizure_extended",),
        ("coercion_approval", "seizure_extension_decision"), ("note", "served_method"),
        is_approval=True,
    ),
    Action(
        "dispose_seizure", "作出查封扣押处理决定", GENERAL, MEASURE_STAGES, None,
        Performer.LEADER, f"{FORCE_LAW}第二十七条、第二十八条", ("seizure_disposed",),
        ("coercion_approval", "seizure_disposal"), ("note", "served_method"),
        is_approval=True, once=True,
    ),
    Action(
        "cut_power", "停止供电（供应民用爆炸物品）", GENERAL, MEASURE_STAGES, None,
        Performer.LEADER, "《中华人民共和国安全生产法》第七十条", ("power_cut",),
        ("coercion_approval", "power_cut_decision", "power_cut_notice"),
        ("note", "served_method"), is_approval=True, once=True,
    ),
    Action(
        "restore_power", "恢复供电（供应民用爆炸物品）", GENERAL, MEASURE_STAGES, None,
        Performer.LEADER, "《中华人民共和国安全生产法》第七十条第二款", ("power_restored",),
        ("power_restore_notice",), ("note",), is_approval=True, once=True,
    ),
    Action(
        "approve_extension", "批准案件延期", GENERAL, BEFORE_DECISION, None, Performer.LEADER,
        f"{LAW}第六十条", (), ("case_extension_approval",), ("days", "note"), is_approval=True,
    ),
    Action(
        "end_investigation", "调查终结", GENERAL, (Stage.INVESTIGATION,), Stage.LEGAL_REVIEW,
        Performer.HANDLER, f"{LAW}第五十七条", ("investigation_ended",),
        ("investigation_report",), ("note",),
    ),
    Action(
        "pass_review", "法制审核通过", GENERAL, (Stage.LEGAL_REVIEW,), Stage.NOTICE,
        Performer.REVIEWER, f"{LAW}第五十八条", ("legal_reviewed",), (), ("note",),
        is_approval=True,
    ),
    Action(
        "return_for_investigation", "退回补充调查", GENERAL,
        (Stage.LEGAL_REVIEW, Stage.COLLECTIVE, Stage.DECISION_APPROVAL), Stage.INVESTIGATION,
        Performer.REVIEWER, f"{LAW}第五十八条", (), (), ("note",), is_approval=True,
        resets=RESTART_INVESTIGATION,
    ),
    Action(
        "record_discussion", "集体讨论决定", GENERAL, (Stage.COLLECTIVE,), Stage.NOTICE,
        Performer.LEADER, f"{LAW}第五十七条第二款", ("collective_discussed",),
        ("collective_discussion",), ("note",), is_approval=True,
    ),
    Action(
        "serve_notice", "送达行政处罚告知书", GENERAL, (Stage.NOTICE,), Stage.STATEMENT,
        Performer.HANDLER, f"{LAW}第四十四条、第六十三条", ("notice_served",),
        ("penalty_notice",), ("served_method", "recipient"),
    ),
    Action(
        "record_statement", "记录陈述申辩", GENERAL, (Stage.STATEMENT,), None, Performer.HANDLER,
        f"{LAW}第四十五条", ("statement_heard",), ("statement_record",), ("note",),
    ),
    Action(
        "waive_statement", "当事人放弃陈述申辩", GENERAL, (Stage.STATEMENT,), None,
        Performer.HANDLER, f"{LAW}第四十四条", ("statement_waived",), (), ("note",), once=True,
    ),
    Action(
        "request_hearing", "当事人申请听证", GENERAL, (Stage.STATEMENT,), Stage.HEARING,
        Performer.HANDLER, f"{LAW}第六十四条第（一）项", ("hearing_requested",), (), ("note",),
    ),
    Action(
        "waive_hearing", "当事人放弃听证", GENERAL, (Stage.STATEMENT, Stage.HEARING),
        Stage.STATEMENT, Performer.HANDLER, f"{LAW}第六十四条第（八）项", ("hearing_waived",),
        (), ("note",),
    ),
    Action(
        "schedule_hearing", "发出听证会通知", GENERAL, (Stage.HEARING,), None, Performer.HANDLER,
        f"{LAW}第六十四条第（二）项", ("hearing_notice_sent",), ("hearing_meeting_notice",),
        ("hearing_date", "served_method"),
    ),
    Action(
        "hold_hearing", "举行听证", GENERAL, (Stage.HEARING,), Stage.DECISION_APPROVAL,
        Performer.HANDLER, f"{LAW}第六十四条、第六十五条", ("hearing_held",),
        ("hearing_record", "hearing_report"), ("note",),
    ),
    Action(
        "submit_decision", "提请作出处罚决定", GENERAL, (Stage.STATEMENT,),
        Stage.DECISION_APPROVAL, Performer.HANDLER, f"{LAW}第五十七条",
        ("decision_submitted",), ("case_handling_approval",), ("note",),
    ),
    Action(
        "approve_decision", "批准处罚决定", GENERAL, (Stage.DECISION_APPROVAL,), Stage.SERVICE,
        Performer.LEADER, f"{LAW}第五十七条、第五十九条", ("decided",),
        ("penalty_decision",), ("note",), Outcome.PENALTY, is_approval=True,
    ),
    Action(
        "decide_no_penalty", "决定不予行政处罚", GENERAL, (Stage.DECISION_APPROVAL,),
        Stage.CLOSING_APPROVAL, Performer.LEADER, f"{LAW}第三十三条、第五十七条",
        ("decided_no_penalty",), (), ("note",), Outcome.NO_PENALTY, is_approval=True,
    ),
    Action(
        "decide_onsite", "当场作出处罚决定", (Procedure.SIMPLE,), (Stage.ONSITE,),
        Stage.EXECUTION, Performer.HANDLER, f"{LAW}第五十一条、第五十二条",
        ("decided", "decision_served"), ("onsite_penalty_decision",), ("recipient",),
        Outcome.PENALTY,
    ),
    Action(
        "serve_decision", "送达处罚决定书", GENERAL, (Stage.SERVICE,), Stage.EXECUTION,
        Performer.HANDLER, f"{LAW}第六十一条", ("decision_served",), ("service_receipt",),
        ("served_method", "recipient"),
    ),
    Action(
        "publish_decision", "公示处罚决定", BOTH, AFTER_DECISION, None, Performer.CLERK,
        "《中华人民共和国安全生产法》第七十八条；国办发〔2018〕118号", ("published",), (),
        ("note",), once=True,
    ),
    Action(
        "record_payment", "登记缴纳罚款", BOTH, (Stage.EXECUTION,), None, Performer.CLERK,
        f"{LAW}第六十七条", (), (), ("amount",),
    ),
    Action(
        "approve_deferral", "批准延期（分期）缴纳", BOTH, (Stage.EXECUTION,), None,
        Performer.LEADER, f"{LAW}第六十六条第二款", ("payment_deferred",),
        ("deferral_approval", "deferral_permit"), ("until", "note"), is_approval=True,
    ),
    Action(
        "serve_payment_reminder", "送达缴纳罚款催告书", BOTH, (Stage.EXECUTION,), None,
        Performer.HANDLER, f"{FORCE_LAW}第三十五条、第四十五条", ("payment_reminded",),
        ("payment_reminder",), ("served_method",),
    ),
    Action(
        "impose_surcharge", "决定加处罚款", BOTH, (Stage.EXECUTION,), None, Performer.LEADER,
        f"{LAW}第七十二条第一款第（一）项", ("surcharge_imposed",), ("surcharge_decision",),
        ("note", "served_method"), is_approval=True, once=True,
    ),
    Action(
        "serve_enforcement_reminder", "送达强制执行事先催告书", BOTH, (Stage.EXECUTION,), None,
        Performer.HANDLER, f"{FORCE_LAW}第五十四条", ("reminder_served",),
        ("enforcement_reminder",), ("served_method",),
    ),
    Action(
        "apply_court", "申请法院强制执行", BOTH, (Stage.EXECUTION,), None, Performer.LEADER,
        f"{FORCE_LAW}第五十三条、第五十四条", ("court_applied",),
        ("court_enforcement_application",), ("note",), is_approval=True, once=True,
    ),
    Action(
        "submit_closing", "提请结案", BOTH, (Stage.EXECUTION,), Stage.CLOSING_APPROVAL,
        Performer.CLERK, "《安全生产违法行为行政处罚办法》", ("closing_submitted",),
        ("closing_approval",), ("note",),
    ),
    Action(
        "approve_closing", "批准结案", BOTH, (Stage.CLOSING_APPROVAL,), Stage.CLOSED,
        Performer.LEADER, "《安全生产违法行为行政处罚办法》", ("closed",), (), ("note",),
        is_approval=True,
    ),
    Action(
        "return_to_execution", "退回执行", BOTH, (Stage.CLOSING_APPROVAL,), Stage.EXECUTION,
        Performer.LEADER, "《安全生产违法行为行政处罚办法》", (), (), ("note",),
        is_approval=True, resets=("closing_submitted",),
    ),
    # 归档 freezes the case file (案卷) and locks the case; the leader approves it, and only the
    # leader's recorded approval opens it again (with the reason). Both are taken through the
    # dossier services (services/dossiers), which build and freeze the volume.
    Action(
        "archive", "批准归档", BOTH, (Stage.CLOSED,), Stage.ARCHIVED, Performer.LEADER,
        "《安全生产违法行为行政处罚办法》（案卷归档）", ("archived",), (), (),
        is_approval=True,
    ),
    Action(
        "reopen_archive", "重新打开案卷", BOTH, (Stage.ARCHIVED,), Stage.CLOSED,
        Performer.LEADER, "《安全生产违法行为行政处罚办法》（案卷归档）", (), (), ("note",),
        is_approval=True, resets=("archived",),
    ),
    Action(
        "revoke_filing", "撤销立案", GENERAL, (Stage.INVESTIGATION, Stage.LEGAL_REVIEW),
        Stage.REVOKED, Performer.LEADER, f"{LAW}第五十七条第一款第（三）项", ("revoked",), (),
        ("note",), Outcome.REVOKED, is_approval=True,
    ),
    Action(
        "transfer_case", "移送", GENERAL,
        (
            Stage.FILING_APPROVAL, Stage.INVESTIGATION, Stage.LEGAL_REVIEW, Stage.COLLECTIVE,
            Stage.DECISION_APPROVAL,
        ),
        Stage.TRANSFERRED,
        Performer.LEADER, f"{LAW}第二十七条、第五十七条第一款第（四）项", ("transferred",),
        ("transfer_approval", "transfer_letter"), ("receiver", "note"), Outcome.TRANSFERRED,
        is_approval=True,
    ),
    Action(
        "record_remedy", "登记复议或诉讼", BOTH, AFTER_DECISION, None,
        Performer.CLERK, "《中华人民共和国行政复议法》；《中华人民共和国行政诉讼法》", (), (),
        ("remedy_kind", "remedy_result"),
    ),
)  # fmt: skip
ACTIONS_BY_CODE = {action.code: action for action in ACTIONS}


def find_action(code: str) -> Action:
    """The action ``code``; a Chinese error for an unknown one."""
    try:
        return ACTIONS_BY_CODE[code]
    except KeyError:
        raise UserError(f"未知的办案操作“{code}”。") from None


def actions_from(procedure: Procedure, stage: Stage) -> tuple[Action, ...]:
    """The actions the procedure allows in ``stage``, whoever takes them."""
    return tuple(
        action
        for action in ACTIONS
        if procedure in action.procedures and stage in action.from_stages
    )


def target_stage(action: Action, stage: Stage, collective_required: bool) -> Stage:
    """Where ``action`` leaves a case now in ``stage``.

    After 法制审核 a 重大 case goes to 集体讨论 first (行政处罚法第五十七条第二款); an action that
    records within a stage leaves the case where it is.
    """
    if action.code == "pass_review" and collective_required:
        return Stage.COLLECTIVE
    return action.to_stage or stage


def refusal_for_stage(action: Action, procedure: Procedure, stage: Stage) -> str | None:
    """A Chinese reason why ``action`` is not a step of this procedure at this stage."""
    if procedure not in action.procedures:
        return f"{procedure.label}案件没有“{action.label}”这一步。"
    if stage not in action.from_stages:
        allowed = "、".join(dict.fromkeys(s.label for s in action.from_stages))
        return f"案件现处于“{stage.label}”阶段，不能“{action.label}”（仅限{allowed}阶段）。"
    return None
