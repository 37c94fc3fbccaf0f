"""The procedure guard: every defect a case-file review (案卷评查) would find, found first.

:func:`case_defects` looks at a case as it stands; :func:`refusals` looks at the case as it would
be after an action (its milestones dated, its stage moved) and returns the defects that forbid
the action. Each defect names the review item it fails (主体 / 程序 / 证据 / 适用法律 / 裁量 /
文书, as in ``shared/domain/procedure-and-documents.md`` §4.4) and says how to put it right.
Pure functions over :class:`CaseFacts`; the case service builds the facts from the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from itertools import pairwise

from fuanjian_desktop.domain.case_deadlines import (
    CaseDeadline,
    DeadlineState,
    case_deadlines,
    hearing_notice_gap_ok,
)
from fuanjian_desktop.domain.codes import check_resident_id, check_uscc
from fuanjian_desktop.domain.coercion import seizure_extension
from fuanjian_desktop.domain.documents.document_types import document_types
from fuanjian_desktop.domain.penalties.discretion import Tier, amount_defect
from fuanjian_desktop.domain.penalties.penalty_basis import OrderFact
from fuanjian_desktop.domain.penalties.surcharge import Payment, Suspension
from fuanjian_desktop.domain.penalties.violations import catalogue_by_code
from fuanjian_desktop.domain.procedure import (
    ACTIONS,
    Action,
    Procedure,
    Stage,
    target_stage,
)
from fuanjian_desktop.domain.procedure_settings import ProcedureSettings

MIN_HANDLERS = 2  # 行政处罚法第四十二条
OWN_AUTHORITY = "应急管理部门"
LAW = "《中华人民共和国行政处罚法》"


class ReviewItem(StrEnum):
    """The case-file review heading a defect fails."""

    SUBJECT = "主体"
    PROCEDURE = "程序"
    EVIDENCE = "证据"
    LAW = "适用法律"
    DISCRETION = "裁量"
    DOCUMENTS = "文书"


# Actions that end, step back or only record: a defect never stops a case from being
# corrected, transferred or closed off this way.
NEVER_BLOCKED = frozenset(
    {
        "refuse_filing",
        "revoke_filing",
        "transfer_case",
        "return_for_investigation",
        "return_to_execution",
        "reopen_archive",  # reopening a case file is how a defect found after archiving is fixed
        "approve_extension",
        "record_remedy",
        "record_payment",
        "publish_decision",
        "waive_statement",
        "waive_hearing",
        "record_statement",
        "request_hearing",
        "dispose_seizure",  # lifting a coercive measure is never held up by other defects
        "restore_power",
    }
)
PROGRESS = frozenset(action.code for action in ACTIONS) - NEVER_BLOCKED
DECIDING = frozenset({"submit_decision", "approve_decision", "decide_onsite"})


@dataclass(frozen=True)
class Defect:
    """One defect: what is wrong and how to fix it (Chinese), and the actions it forbids."""

    code: str
    message: str
    review_item: ReviewItem
    blocks: frozenset[str] = PROGRESS

    @property
    def text(self) -> str:
        """As the case page lists it, e.g. "【程序】…"."""
        return f"【{self.review_item}】{self.message}"


@dataclass(frozen=True)
class HandlerFact:
    """A handler (承办人) as the case records them."""

    user_id: str
    name: str
    cert_no: str | None


@dataclass(frozen=True)
class ViolationFact:
    """A violation the case charges, with the fine and tier proposed or decided for it."""

    code: str
    fine: int
    tier: Tier
    target: str = "unit"
    overdue: bool = False
    basis_reason: str = ""  # why a person chose the stage where the law leaves room (penalty_basis)


@dataclass(frozen=True)
class DocumentFact:
    """A document record: its kind, 文号 and status (draft / issued / served / voided)."""

    type_key: str
    number: str | None
    status: str
    issued_on: dt.date | None = None
    served_on: dt.date | None = None
    values: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)
    missing: tuple[str, ...] = ()  # labels of required printed fields left empty


@dataclass(frozen=True)
class CaseFacts:
    """Everything the guard judges, as plain values."""

    procedure: Procedure
    stage: Stage
    party_kind: str
    party_id_no: str | None
    party_id_type: str  # "uscc" or "resident_id" (a person, or a 个体工商户 without a USCC)
    opened_on: dt.date
    handlers: tuple[HandlerFact, ...]
    violations: tuple[ViolationFact, ...]
    milestones: Mapping[str, dt.date]
    today: dt.date
    settings: ProcedureSettings
    other_penalties: tuple[str, ...] = ()
    documents: tuple[DocumentFact, ...] = ()
    reviewer_id: str | None = None
    extension_days: int = 0
    paid: int = 0
    payments: tuple[Payment, ...] = ()  # dated, for the 加处罚款 (domain/penalties/surcharge.py)
    deferred_until: dt.date | None = None  # 批准延期（分期）缴纳 until
    remedies: tuple[Suspension, ...] = ()  # 复议 / 诉讼 pending spans
    deadlines: tuple[CaseDeadline, ...] = field(default=(), compare=False)
    party_name: str = ""
    party_operates: str | None = None  # the registry business a person party runs (penalty_basis)
    orders: tuple[OrderFact, ...] = ()  # orders to rectify linked to the case (penalty_basis)
    steps: tuple[tuple[str, dt.date], ...] = ()  # every step taken (code, legal date), in order
    extensions: tuple[tuple[dt.date, int], ...] = ()  # 案件延期 approved (date, days), in order
    onsite_seizure_on: dt.date | None = None  # 查封、扣押 taken on site by the linked inspection

    @property
    def total_fine(self) -> int:
        """The fine of all charged violations together (yuan)."""
        return sum(violation.fine for violation in self.violations)

    @property
    def heavy_penalty(self) -> bool:
        """Whether a penalty such as 责令停产停业 is proposed (行政处罚法第六十三条)."""
        heavy = self.settings.heavy_penalties
        return any(word in penalty for penalty in self.other_penalties for word in heavy)

    @property
    def hearing_required(self) -> bool:
        """Whether the party must be told of the right to a hearing."""
        if self.procedure is Procedure.SIMPLE:
            return False
        threshold = self.settings.hearing_threshold(self.party_kind)
        return self.total_fine >= threshold or self.heavy_penalty

    @property
    def collective_required(self) -> bool:
        """Whether the case is 重大 and needs 集体讨论 before the decision."""
        if self.procedure is Procedure.SIMPLE:
            return False
        threshold = self.settings.collective_threshold(self.party_kind)
        return self.total_fine >= threshold or self.heavy_penalty

    def dated(self, milestone: str) -> dt.date | None:
        """The date of ``milestone``, if it has happened."""
        return self.milestones.get(milestone)

    def deadline(self, rule_id: str) -> CaseDeadline | None:
        """The computed deadline of ``rule_id`` (``None`` until its starting event)."""
        return next((d for d in self.deadlines if d.rule.id == rule_id), None)


def with_deadlines(facts: CaseFacts) -> CaseFacts:
    """``facts`` with its deadlines computed from its milestones and settings."""
    deadlines = case_deadlines(
        facts.milestones,
        facts.settings.values,
        {"case_limit": facts.extension_days, **seizure_extension(facts.milestones)},
    )
    return replace(facts, deadlines=deadlines)


def case_defects(facts: CaseFacts) -> list[Defect]:
    """Every defect of the case as it stands, in review order."""
    facts = with_deadlines(facts)
    return [defect for check in CHECKS for defect in check(facts)]


def facts_after(
    facts: CaseFacts, action: Action, on: dt.date, actor_id: str | None, extension_days: int = 0
) -> CaseFacts:
    """The case as it would be after ``action`` taken on ``on`` by ``actor_id``."""
    milestones = {**facts.milestones, **{name: on for name in action.milestones}}
    if action.code == "serve_notice" and facts.hearing_required:
        milestones["hearing_notice_served"] = on
    return replace(
        facts,
        stage=target_stage(action, facts.stage, facts.collective_required),
        milestones=milestones,
        reviewer_id=actor_id if action.code == "pass_review" else facts.reviewer_id,
        extension_days=facts.extension_days + extension_days,
        today=max(facts.today, on),
        steps=(*facts.steps, (action.code, on)),
        extensions=(
            (*facts.extensions, (on, extension_days))
            if action.code == "approve_extension"
            else facts.extensions
        ),
    )


def refusals(after: CaseFacts, action: Action) -> list[Defect]:
    """The defects that forbid ``action``: those of the case after it (``facts_after``) that
    block it."""
    return [defect for defect in case_defects(after) if action.code in defect.blocks]


Check = Callable[[CaseFacts], Iterator[Defect]]


def _handlers(facts: CaseFacts) -> Iterator[Defect]:
    certified = [h for h in facts.handlers if h.cert_no]
    if len(certified) < MIN_HANDLERS:
        yield Defect(
            "handlers",
            f"持有执法证的承办人只有{len(certified)}名，不少于两名（{LAW}第四十二条）。"
            "请在“承办人”中补足两名持证执法人员。",
            ReviewItem.SUBJECT,
        )


def _party_identity(facts: CaseFacts) -> Iterator[Defect]:
    number = facts.party_id_no or ""
    if facts.party_id_type == "resident_id":
        check = check_resident_id(number, facts.today)
    else:
        check = check_uscc(number)
    if not check.ok:
        yield Defect(
            "party_identity",
            f"当事人身份信息有误：{check.reason}",
            ReviewItem.SUBJECT,
        )


def _reviewer(facts: CaseFacts) -> Iterator[Defect]:
    handler_ids = {h.user_id for h in facts.handlers}
    if facts.dated("legal_reviewed") and facts.reviewer_id in handler_ids:
        yield Defect(
            "reviewer_is_handler",
            f"法制审核人员是本案承办人（{LAW}第五十八条：审核应由非承办人员进行）。"
            "请由未参与调查的法制审核员审核。",
            ReviewItem.PROCEDURE,
        )


def _violations(facts: CaseFacts) -> Iterator[Defect]:
    charged = facts.dated("investigation_ended") or facts.dated("decided")
    if charged and not facts.violations:
        yield Defect(
            "no_violation",
            "未认定违法行为，处罚没有法律依据。请在“违法行为”中从违法行为库选择。",
            ReviewItem.LAW,
            PROGRESS - {"decide_no_penalty"},
        )
    catalogue = catalogue_by_code()
    for violation in facts.violations:
        entry = catalogue.get(violation.code)
        if entry is None:
            yield Defect(
                "unknown_violation",
                f"违法行为“{violation.code}”不在违法行为库中，缺少法律依据。请重新选择。",
                ReviewItem.LAW,
            )
            continue
        if not entry.valid_on(facts.opened_on):
            yield Defect(
                "violation_not_in_force",
                f"“{entry.title}”所依据的{entry.penalty_article}在{facts.opened_on:%Y年%m月%d日}"
                "不在施行期内。请改用违法行为发生时有效的条款。",
                ReviewItem.LAW,
            )
        if entry.authority != OWN_AUTHORITY and not facts.dated("transferred"):
            yield Defect(
                "not_our_authority",
                f"“{entry.title}”由{entry.authority}查处，不属本机关职权。请办理移送。",
                ReviewItem.SUBJECT,
            )
        problem = charged and amount_defect(
            entry, violation.fine, violation.tier, violation.target, violation.overdue
        )
        if problem:
            yield Defect(
                "amount_out_of_range",
                problem,
                ReviewItem.DISCRETION,
                DECIDING | {"end_investigation", "serve_notice", "pass_review"},
            )


def _simple_limit(facts: CaseFacts) -> Iterator[Defect]:
    if facts.procedure is not Procedure.SIMPLE:
        return
    limit = facts.settings.simple_limit(facts.party_kind)
    if facts.total_fine > limit or facts.other_penalties:
        others = "".join(f"、{penalty}" for penalty in facts.other_penalties)
        yield Defect(
            "simple_over_limit",
            f"当场处罚仅限警告或{limit}元以下罚款（{LAW}第五十一条），本案为"
            f"罚款{facts.total_fine}元{others}。请改按一般程序办理。",
            ReviewItem.LAW,
            frozenset({"decide_onsite"}),
        )


def _case_limit(facts: CaseFacts) -> Iterator[Defect]:
    limit = facts.deadline("case_limit")
    if limit is None:
        return
    decided = facts.dated("decided") or facts.dated("decided_no_penalty")
    late = decided > limit.due if decided else limit.is_overdue(facts.today)
    if late:
        yield Defect(
            "case_limit_passed",
            f"已超过办案期限（{limit.explanation}），且未批准延期（{limit.rule.source}）。"
            "请报中队负责人批准案件延期。",
            ReviewItem.PROCEDURE,
            PROGRESS if not decided else frozenset(),
        )


def _late_extensions(facts: CaseFacts) -> Iterator[Defect]:
    """An extension must be approved while the 办案期限 still runs: one approved after it ran
    out cannot make the late decision timely (行政处罚法第六十条)."""
    granted = 0
    for approved_on, days in facts.extensions:
        limit = _case_limit_with(facts, granted)
        if limit is not None and approved_on > limit.due:
            yield Defect(
                "extension_too_late",
                f"案件延期于{approved_on:%Y年%m月%d日}批准，而办案期限已于{limit.due:%Y年%m月%d日}"
                f"届满（{limit.rule.source}）。延期须在期限届满前批准，届满后批准不能补正超期；"
                "请在案卷中如实说明超期原因。",
                ReviewItem.PROCEDURE,
                frozenset({"approve_extension"}),
            )
        granted += days


def _case_limit_with(facts: CaseFacts, extension_days: int) -> CaseDeadline | None:
    """The 办案期限 as it stood with ``extension_days`` of approved extensions."""
    deadlines = case_deadlines(
        facts.milestones, facts.settings.values, {"case_limit": extension_days}
    )
    return next((d for d in deadlines if d.rule.id == "case_limit"), None)


def _windows(facts: CaseFacts) -> Iterator[Defect]:
    acted = facts.dated("decided") or facts.dated("decision_submitted")
    if facts.procedure is Procedure.SIMPLE or acted is None:
        return
    for rule_id, what in (("statement_period", "陈述申辩期"), ("hearing_request", "听证申请期")):
        window = facts.deadline(rule_id)
        if window and window.state is DeadlineState.OPEN and acted <= window.due:
            yield Defect(
                f"{rule_id}_open",
                f"{what}至{window.due:%Y年%m月%d日}届满（{window.rule.source}），"
                "届满前不能提请或作出处罚决定。当事人明确放弃的，请先记录放弃。",
                ReviewItem.PROCEDURE,
                DECIDING,
            )


def _notices(facts: CaseFacts) -> Iterator[Defect]:
    if facts.procedure is Procedure.SIMPLE:
        return
    deciding = facts.dated("decided") or facts.dated("decision_submitted")
    if deciding and not facts.dated("notice_served"):
        yield Defect(
            "notice_not_served",
            f"未送达行政处罚告知书即提请或作出处罚决定（{LAW}第四十四条、第六十二条）。"
            "请先送达告知书。",
            ReviewItem.PROCEDURE,
            DECIDING,
        )
    notified = facts.dated("notice_served") and not facts.dated("hearing_notice_served")
    if facts.hearing_required and notified:
        yield Defect(
            "hearing_notice_missing",
            f"拟罚款{facts.total_fine}元已达听证标准，但未送达行政处罚听证告知书"
            f"（{LAW}第六十三条）。请送达听证告知书，并重新计算听证申请期。",
            ReviewItem.PROCEDURE,
            DECIDING,
        )


def _reviews(facts: CaseFacts) -> Iterator[Defect]:
    if facts.procedure is Procedure.SIMPLE or not facts.dated("decided"):
        return
    if not facts.dated("legal_reviewed"):
        yield Defect(
            "legal_review_missing",
            f"处罚决定前未经法制审核（{LAW}第五十八条）。请退回法制审核。",
            ReviewItem.PROCEDURE,
            DECIDING,
        )
    if facts.collective_required and not facts.dated("collective_discussed"):
        yield Defect(
            "collective_missing",
            f"本案属重大案件，决定前未经集体讨论（{LAW}第五十七条第二款）。请先组织集体讨论。",
            ReviewItem.PROCEDURE,
            DECIDING,
        )


def _hearing(facts: CaseFacts) -> Iterator[Defect]:
    answered = facts.dated("hearing_requested") or facts.dated("hearing_waived")
    if answered and not facts.dated("hearing_notice_served"):
        yield Defect(
            "hearing_not_offered",
            f"本案未告知听证权利：拟作出的处罚未达听证标准（{LAW}第六十三条），"
            "当事人的意见请按陈述申辩记录。",
            ReviewItem.PROCEDURE,
            frozenset({"request_hearing", "waive_hearing"}),
        )
    sent, hearing = facts.dated("hearing_notice_sent"), facts.dated("hearing_scheduled")
    if sent and hearing and not hearing_notice_gap_ok(sent, hearing):
        yield Defect(
            "hearing_notice_late",
            f"听证会通知应在听证七日前送达（{LAW}第六十四条第（二）项），"
            f"本案{sent:%m月%d日}通知、{hearing:%m月%d日}举行。请改期或重新通知。",
            ReviewItem.PROCEDURE,
            frozenset({"schedule_hearing", "hold_hearing"}),
        )


def _court(facts: CaseFacts) -> Iterator[Defect]:
    applied = facts.dated("court_applied")
    if applied is None:
        return
    wait = facts.deadline("reminder_wait")
    if wait is None:
        yield Defect(
            "court_without_reminder",
            "申请法院强制执行前未送达行政强制执行事先催告书（《中华人民共和国行政强制法》"
            "第五十四条）。请先送达催告书。",
            ReviewItem.PROCEDURE,
            frozenset({"apply_court"}),
        )
    elif applied <= wait.due:
        yield Defect(
            "court_too_early",
            f"催告书送达后十日（至{wait.due:%Y年%m月%d日}）内不得申请强制执行"
            f"（{wait.rule.source}）。请期满后再申请。",
            ReviewItem.PROCEDURE,
            frozenset({"apply_court"}),
        )


def _closing(facts: CaseFacts) -> Iterator[Defect]:
    closing = facts.dated("closing_submitted") or facts.dated("closed")
    if not closing or not facts.dated("decided"):
        return
    settled = facts.paid >= facts.total_fine or facts.dated("court_applied")
    if not settled:
        yield Defect(
            "fine_unsettled",
            f"罚款{facts.total_fine}元尚未缴清（已缴{facts.paid}元），也未申请法院强制执行。"
            "请登记缴款或依法申请强制执行后再结案。",
            ReviewItem.PROCEDURE,
            frozenset({"submit_closing", "approve_closing"}),
        )


def _documents(facts: CaseFacts) -> Iterator[Defect]:
    kinds = document_types()
    for document in facts.documents:
        kind = kinds.get(document.type_key)
        issued = document.status in ("issued", "served")
        if kind and kind.numbered and issued and not document.number:
            yield Defect(
                "document_without_number",
                f"《{kind.title}》已签发但没有文号。请作废后重新签发以取得文号。",
                ReviewItem.DOCUMENTS,
            )


ORDER = (
    ("filed", "立案"),
    ("investigation_ended", "调查终结"),
    ("notice_served", "告知"),
    ("decided", "处罚决定"),
    ("decision_served", "送达决定书"),
    ("closed", "结案"),
)


def _date_order(facts: CaseFacts) -> Iterator[Defect]:
    dated = [(facts.dated(key), label) for key, label in ORDER if facts.dated(key)]
    for (earlier, first), (later, second) in pairwise(dated):
        assert earlier is not None and later is not None
        inverted = later < earlier or (second == "处罚决定" and later == earlier)
        if inverted:
            yield Defect(
                "date_order",
                f"{second}日期（{later:%Y-%m-%d}）早于{'或等于' if later == earlier else ''}"
                f"{first}日期（{earlier:%Y-%m-%d}），程序顺序颠倒。请核对各环节日期。",
                ReviewItem.PROCEDURE,
            )


def _penalty_basis(facts: CaseFacts) -> Iterator[Defect]:
    """Stage, party type, range and mandatory penalties derived from the records; imported
    here because ``penalty_guard`` builds on this module's types."""
    from fuanjian_desktop.domain.guard.penalty_guard import penalty_basis_defects

    return penalty_basis_defects(facts)


def _execution(facts: CaseFacts) -> Iterator[Defect]:
    """加处罚款, the 复议/诉讼 periods, the court window and the references of the execution
    documents (imported here: that module judges these very facts)."""
    from fuanjian_desktop.domain.guard.execution_guard import execution_defects

    yield from execution_defects(facts)


def _document_contents(facts: CaseFacts) -> Iterator[Defect]:
    """Issued documents missing a required printed field (imported here: ``document_guard``
    judges these very facts)."""
    from fuanjian_desktop.domain.guard.document_guard import document_content_defects

    yield from document_content_defects(facts)


def _coercion(facts: CaseFacts) -> Iterator[Defect]:
    """查封扣押 and 停止供电 (imported here: ``coercion_guard`` judges these very facts)."""
    from fuanjian_desktop.domain.guard.coercion_guard import coercion_defects

    yield from coercion_defects(facts)


CHECKS: tuple[Check, ...] = (
    _handlers,
    _party_identity,
    _reviewer,
    _violations,
    _penalty_basis,
    _simple_limit,
    _case_limit,
    _late_extensions,
    _windows,
    _notices,
    _reviews,
    _hearing,
    _court,
    _closing,
    _documents,
    _document_contents,
    _date_order,
    _execution,
    _coercion,
)
