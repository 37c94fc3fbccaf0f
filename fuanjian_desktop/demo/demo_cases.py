"""Demo cases: a case in every stage of the procedure, opened and taken on through the services.

Each case follows a :class:`Script` of steps. Its dates are planned backward from the demo's
today in working days, so the 陈述申辩期 and the other working-day windows have closed between
two steps whatever holidays fall in between, and no step is dated after today. All the scripts
then run as one timeline in date order, each step entered on its own date, so 案号 and 文号 rise
with the dates as they would on a real laptop. A 重大 case starts from a hazard the squad found
unrectified when one was overdue by the opening date (party, violation and evidence are then
real, and the case is at the 逾期未改正 stage), the others from a complaint (投诉举报) about a
registry enterprise or the operator of a 个体工商户 (first finding). Stage, party type and the
mandatory penalties are derived from those records (``domain/penalties/penalty_basis.py``) and
the fines come from the discretion calculator for them. Deterministic for a seed and a date.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.demo.demo_documents import (
    issue_investigation_documents,
    prepare_step_drafts,
)
from fuanjian_desktop.demo.demo_inspections import DemoPlan
from fuanjian_desktop.domain.deadlines import add_working_days, is_working_day
from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.domain.inspection_rules import HazardStatus
from fuanjian_desktop.domain.penalties.discretion import Circumstance, DiscretionFacts, suggest
from fuanjian_desktop.domain.penalties.penalty_basis import (
    OrderFact,
    PartyRecord,
    PenaltyBasis,
    derive,
)
from fuanjian_desktop.domain.penalties.violations import catalogue_by_code, find_violation
from fuanjian_desktop.domain.procedure import Action, Performer, Procedure, find_action
from fuanjian_desktop.models import (
    Case,
    Enterprise,
    Hazard,
    Inspection,
    RecheckFinding,
    Squad,
    User,
)
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_actions import StepInput, step_documents, take_step
from fuanjian_desktop.services.cases.case_facts import operated_business, order_of
from fuanjian_desktop.services.cases.cases import (
    NewCase,
    Party,
    ViolationChoice,
    create_case,
    hazard_prefill,
)
from fuanjian_desktop.services.numbering import grant_block
from fuanjian_desktop.services.procedure_settings import current_settings
from fuanjian_desktop.services.unit_of_work import ActionScope

BLOCK = (1, 500)  # the serials granted to the demo laptop for last year and this year
STATEMENT_GAP = 6  # working days: one more than the 5-day 陈述申辩期 and 听证申请期
HEARING_GAP = 8  # working days: the 听证会通知 must be served 7 working days before
SERVED = "直接送达"
FIRE_RECEIVER = "深圳市福田区消防救援大队"
DEFERRAL_DAYS = 60  # the 延期缴纳 granted in the demo
EXTENSION_DAYS = 30  # the 案件延期 granted in the demo
# working days between the seizure, its extension and its 处理决定: at most 21 natural days even
# across 国庆 or 春节, so each falls inside the 30-day period (行政强制法第二十五条)
SEIZURE_GAP = 10
COMPLAINT_NOTE = "12345热线转办群众投诉举报"
NOTES = {
    "approve_filing": "同意立案。",
    "end_investigation": "违法事实清楚，证据确实充分，建议依法给予行政处罚。",
    "pass_review": "主体适格，事实清楚，证据充分，程序合法，适用依据正确，裁量适当。",
    "record_discussion": "经集体讨论，同意承办人拟处罚意见。",
    "record_statement": "当事人称已着手整改，请求从轻处罚；经复核，理由不足以改变处罚意见。",
    "request_hearing": "当事人在法定期限内书面申请听证。",
    "hold_hearing": "听证会依法举行，当事人到场陈述申辩，听证主持人提出维持拟处罚意见的建议。",
    "submit_decision": "拟按裁量意见作出行政处罚决定。",
    "approve_decision": "同意。",
    "publish_decision": "已在广东省行政执法信息公示平台公示。",
    "submit_closing": "罚款已缴清，提请结案。",
    "approve_closing": "同意结案。",
    "apply_court": "当事人逾期不履行，经催告仍未履行，申请人民法院强制执行。",
    "transfer_case": "违法行为属消防救援机构职权，依法移送。",
    "preserve_evidence": "涉案证据可能灭失，经批准先行登记保存。",
    "decide_preservation": "证据已检验完毕，解除先行登记保存，退还当事人。",
    "approve_extension": "案情复杂，须集体讨论，报请延长办案期限30日。",
    "approve_deferral": "当事人确有经济困难，同意延期缴纳罚款。",
    "approve_seizure": "当事人一楼装配车间电动葫芦钢丝绳断丝超标、限位器失效，仍在吊运作业，"
    "需查封、扣押，防止继续使用。",
    "extend_seizure": "送检设备的检验鉴定尚未完成，案情复杂",
    "dispose_seizure": "经检验，当事人已更换钢丝绳和限位器并检验合格，解除查封、扣押，退还当事人。",
    "cut_power": "当事人拒不执行责令暂时停产停业的决定，仍组织冒险作业，"
    "有发生生产安全事故的现实危险。",
    "restore_power": "当事人已停产整改，重大事故隐患已消除。",
}


@dataclass(frozen=True)
class Step:
    """One step of a script: the action and how many working days after the previous step."""

    action: str
    gap: int
    note: str = ""
    remedy: tuple[str, str] = ("", "")  # (kind, result) of a 复议 or 诉讼 recorded


@dataclass(frozen=True)
class Script:
    """What one demo case shows, and the steps that bring it there.

    ``tail`` is the working days from the last step to today. ``code`` is the violation of a
    complaint case; a hazard case keeps its hazard's violation if the same authority enforces
    it. ``from_hazard`` opens the case from a hazard found unrectified, so the stage-2 range
    (逾期未改正) applies; ``major`` wants that fine to make the case 重大 (集体讨论, 听证).
    ``fine_cap`` keeps a 当场处罚 within its limit. A ``person`` case is a complaint against
    the operator of a registry 个体工商户 (the documents' 个人 variants): a 生产经营单位's range.
    """

    shows: str
    steps: tuple[Step, ...]
    tail: int
    code: str = "AQ-97-3"
    squad: str = "园岭"
    major: bool = False
    circumstances: tuple[Circumstance, ...] = ()
    procedure: Procedure = Procedure.GENERAL
    fine_cap: int | None = None
    from_hazard: bool = False
    person: bool = False  # the party is a 个体工商户's operator, as a person


@dataclass(frozen=True)
class Staff:
    """Who takes each kind of step in a squad's cases."""

    teams: tuple[tuple[str, str], ...]
    leader: str
    reviewer: str
    clerk: str

    def username(self, performer: Performer, team: tuple[str, str]) -> str:
        """The demo account taking a step ``performer`` must take (the lead handler's own)."""
        return {
            Performer.HANDLER: team[0],
            Performer.LEADER: self.leader,
            Performer.REVIEWER: self.reviewer,
            Performer.CLERK: self.clerk,
        }[performer]


@dataclass(frozen=True)
class Candidate:
    """An unrectified hazard a case may start from, and the first day it may."""

    hazard_id: str
    enterprise_id: str
    squad: str
    code: str
    available: dt.date
    order: OrderFact


@dataclass(frozen=True)
class Planned:
    """A script with its dates (opening first, then one per step), handlers and draft."""

    script: Script
    dates: tuple[dt.date, ...]
    team: tuple[str, str]
    draft: NewCase


STAFF = {
    "园岭": Staff(
        (("zhangwei", "lina"), ("lina", "wangfang"), ("wangfang", "zhangwei")),
        leader="liuyang",
        reviewer="chenjing",
        clerk="wangfang",
    ),
    "南园": Staff((("huangmin", "zhoujie"),), leader="sunhao", reviewer="majing", clerk="wuxia"),
}

FILE = (Step("approve_filing", 1),)
PREPARE = (*FILE, Step("end_investigation", 5), Step("pass_review", 2))
DISCUSS = (Step("record_discussion", 2),)
NOTIFY = (Step("serve_notice", 2),)
STATEMENT = (Step("record_statement", 2),)
SUBMIT = (Step("submit_decision", STATEMENT_GAP),)
DECIDE = (*SUBMIT, Step("approve_decision", 1))
HEARING_ASKED = (Step("request_hearing", 2), Step("schedule_hearing", 1))
HEARING_HELD = (Step("hold_hearing", HEARING_GAP), Step("approve_decision", 2))
SERVE = (Step("serve_decision", 1), Step("publish_decision", 1))
PAY = (Step("record_payment", 5),)
CLOSE = (Step("submit_closing", 1), Step("approve_closing", 1))
DECIDED = PREPARE + NOTIFY + DECIDE + SERVE
# Unpaid after the 15-day 缴纳罚款期: a 催告 12 working days after 公示 (the period has run out),
# then 加处罚款 some days later — derived from the dates, 3% of the fine a day.
OVERDUE = (Step("serve_payment_reminder", 12), Step("impose_surcharge", 4))
# The 执行催告书 says the 复议 (60 days) and 诉讼 (6 months) periods have passed: 125 working days
# after the 加处罚款 are at least 140 after the service, never fewer than 195 natural days, later
# than six months rolled past any holiday (at most 192 days). The court is then applied to 12
# working days later (after the 10-day 催告期), well inside the following three months.
AFTER_REMEDY_PERIODS = 125


# the stories the demo's case files (demo_dossiers) build on
COMPLETE = "已结案：程序完整（逾期未改正，集体讨论）"
HEARING = "已结案：举行听证（当事人为个人）"
ARCHIVED = "已归档：行政复议维持"  # archived afterwards, through the dossier's 归档

REMEDY_NOTES = {
    ("reconsideration", "在审"): "当事人向福田区人民政府申请行政复议，复议机关已受理。",
    ("reconsideration", "维持"): "复议机关决定维持原行政处罚决定。",
    ("litigation", "在审"): "当事人向福田区人民法院提起行政诉讼，法院已立案。",
    ("litigation", "胜诉"): "人民法院判决驳回原告诉讼请求。",
}


def _remedy(kind: str, result: str, gap: int) -> Step:
    """Record a 行政复议 or 行政诉讼 and its result so far."""
    return Step("record_remedy", gap, REMEDY_NOTES[kind, result], (kind, result))


# Earlier scripts have the first pick of the hazards: the complete case and the hearing first.
SCRIPTS = (
    Script(
        COMPLETE,
        PREPARE + DISCUSS + NOTIFY + STATEMENT + DECIDE + SERVE + PAY + CLOSE,
        tail=2,
        major=True,
        from_hazard=True,
    ),
    Script(
        HEARING,
        PREPARE + DISCUSS + NOTIFY + HEARING_ASKED + HEARING_HELD + SERVE + PAY + CLOSE,
        tail=4,
        person=True,
    ),
    Script("立案审批：待中队负责人审批", (), tail=0, from_hazard=True),
    Script(
        "调查取证：先行登记保存证据",
        (*FILE, Step("preserve_evidence", 1), Step("decide_preservation", 3)),
        tail=1,
        from_hazard=True,
    ),
    Script(
        "法制审核：待法制审核员审核", (*FILE, Step("end_investigation", 5)), 1, from_hazard=True
    ),
    Script(
        "集体讨论：重大案件，已延期",
        (*PREPARE, Step("approve_extension", 1)),
        tail=1,
        major=True,
        from_hazard=True,
    ),
    Script("陈述申辩：期间未届满", PREPARE + NOTIFY + (Step("record_statement", 1),), tail=1),
    Script(
        "听证：已申请，已通知听证会",
        PREPARE + DISCUSS + NOTIFY + HEARING_ASKED,
        tail=1,
        major=True,
        from_hazard=True,
    ),
    Script("决定审批", PREPARE + NOTIFY + STATEMENT + SUBMIT, tail=1),
    Script("待送达", PREPARE + NOTIFY + DECIDE, tail=2, circumstances=(Circumstance.CONFESSED,)),
    Script(
        "执行：延期缴纳，申请行政复议在审",
        (*DECIDED, Step("approve_deferral", 3), _remedy("reconsideration", "在审", 5)),
        tail=3,
    ),
    Script(
        "执行：逾期未缴，已加处罚款，复议诉讼期满后送达执行催告书",
        (
            *DECIDED,
            *OVERDUE,
            Step("serve_enforcement_reminder", AFTER_REMEDY_PERIODS),
        ),
        tail=2,
    ),
    Script("结案审批", (*DECIDED, *PAY, Step("submit_closing", 1)), tail=1),
    Script(
        "当场处罚（简易程序）",
        (Step("decide_onsite", 0), Step("record_payment", 3), *CLOSE),
        tail=5,
        procedure=Procedure.SIMPLE,
        circumstances=(Circumstance.CONFESSED,),
        fine_cap=2000,
    ),
    Script(
        "当场处罚（个人）",
        (Step("decide_onsite", 0), Step("record_payment", 2), *CLOSE),
        tail=9,
        procedure=Procedure.SIMPLE,
        circumstances=(Circumstance.CONFESSED,),
        fine_cap=200,
        person=True,
    ),
    Script("移送消防救援机构", (Step("transfer_case", 1),), tail=4, code="XF-60-3"),
    Script(
        "不予立案",
        (Step("refuse_filing", 2, "经核查，举报反映的问题已在立案前整改完毕，未发现违法行为。"),),
        tail=10,
    ),
    Script(
        "撤销立案",
        (*FILE, Step("revoke_filing", 8, "经调查，违法行为系承租方所为，当事人主体认定有误。")),
        tail=15,
        code="AQ-99-5",
    ),
    Script(
        "办案期限已延长：立案逾九十日，期限届满前经批准延期",
        (*FILE, Step("approve_extension", 45, "案情复杂，需进一步调查取证，报请延期30日。")),
        tail=30,
        code="AQ-99-5",
    ),
    Script(
        ARCHIVED,
        (
            *PREPARE,
            *NOTIFY,
            *STATEMENT,
            *DECIDE,
            *SERVE,
            _remedy("reconsideration", "在审", 15),
            _remedy("reconsideration", "维持", 40),
            Step("record_payment", 3),
            *CLOSE,
        ),
        tail=150,
    ),
    Script(
        "已结案：行政诉讼胜诉",
        (
            *DECIDED,
            _remedy("litigation", "在审", 25),
            _remedy("litigation", "胜诉", 60),
            *PAY,
            *CLOSE,
        ),
        tail=120,
        code="AQ-101-3",
    ),
    Script(
        "已结案：申请法院强制执行",
        (
            *DECIDED,
            *OVERDUE,
            Step("serve_enforcement_reminder", AFTER_REMEDY_PERIODS),
            Step("apply_court", 12),
            Step("submit_closing", 3, "已申请人民法院强制执行，提请结案。"),
            Step("approve_closing", 1),
        ),
        tail=40,
        circumstances=(Circumstance.OBSTRUCTED,),
    ),
    Script(
        "调查取证：查封扣押（已延长期限并作出处理决定）",
        (
            *FILE,
            Step("approve_seizure", 1),
            Step("decide_seizure", 0),
            Step("extend_seizure", SEIZURE_GAP),
            Step("dispose_seizure", SEIZURE_GAP),
        ),
        tail=1,
        code="AQ-99-3",
    ),
    Script(
        "调查取证：拒不执行停产停业决定，停止供电后恢复",
        (*FILE, Step("cut_power", 1), Step("restore_power", 5)),
        tail=2,
        code="AQ-99-2",
    ),
    Script(
        "南园中队：法制审核",
        (*FILE, Step("end_investigation", 5)),
        tail=2,
        squad="南园",
        from_hazard=True,
    ),
)


def create_demo_cases(scope: ActionScope, plan: DemoPlan, home_squad_id: str) -> dict[str, str]:
    """Add the demo cases to the open demo action, with the number blocks they take 文号 from;
    returns each story's case id by what it shows (:attr:`Script.shows`)."""
    for year in (plan.today.year - 1, plan.today.year):
        grant_block(scope, year, *BLOCK, home_squad_id)
    people = _people(scope.session)
    planned = _plans(scope.session, plan, people)
    cases: dict[int, Case] = {}
    for on, number, position in _timeline(planned):
        item = planned[number]
        if position == 0:
            lead = ActionScope(scope.session, people[item.team[0]], scope.action)
            cases[number] = create_case(lead, item.draft)
        else:
            step = item.script.steps[position - 1]
            if item.script.shows == COMPLETE and step.action == "serve_decision":
                issue_investigation_documents(scope, cases[number])
            _take(scope, people, item, cases[number], step, on)
    return {planned[number].script.shows: case.id for number, case in cases.items()}


def _plans(session: Session, plan: DemoPlan, people: dict[str, Actor]) -> list[Planned]:
    """Every script dated and given a party and handlers, in the order of :data:`SCRIPTS`."""
    pool = _hazard_pool(session, plan.today)
    rng = random.Random(plan.seed)
    used: set[str] = set()
    planned = []
    for position, script in enumerate(SCRIPTS):
        teams = STAFF[script.squad].teams
        team = teams[position % len(teams)]
        dates = _dates(script, plan.today)
        draft = _draft(session, script, dates[0], pool, used, rng)
        used.add(draft.party.enterprise_id or "")
        handlers = tuple(people[name].user_id or "" for name in team)
        planned.append(Planned(script, dates, team, replace(draft, handler_ids=handlers)))
    return planned


def _dates(script: Script, today: dt.date) -> tuple[dt.date, ...]:
    """The opening date and one date per step, counted back from ``today`` in working days."""
    day = _working_days_before(today, script.tail)
    dates = [day]
    for step in reversed(script.steps):
        day = _working_days_before(day, step.gap)
        dates.append(day)
    return tuple(reversed(dates))


def _working_days_before(day: dt.date, count: int) -> dt.date:
    """The working day ``count`` working days before ``day`` (``day`` itself, or the last
    working day before it, when ``count`` is 0)."""
    while not is_working_day(day):
        day -= dt.timedelta(days=1)
    for _ in range(count):
        day -= dt.timedelta(days=1)
        while not is_working_day(day):
            day -= dt.timedelta(days=1)
    return day


def _timeline(planned: list[Planned]) -> list[tuple[dt.date, int, int]]:
    """(date, case, position) of every opening (position 0) and step, in date order."""
    return sorted(
        (on, number, position)
        for number, item in enumerate(planned)
        for position, on in enumerate(item.dates)
    )


def _draft(
    session: Session,
    script: Script,
    opened: dt.date,
    pool: list[Candidate],
    used: set[str],
    rng: random.Random,
) -> NewCase:
    """The case as opened: from the hazard that fits and fell due last (older ones stay for
    older cases), else from a complaint."""
    threshold = current_settings(session).collective_threshold("unit")
    fitting = [c for c in pool if script.from_hazard and _fits(c, script, opened, used, threshold)]
    hazard = fitting[-1] if fitting else None
    if hazard is not None:
        draft, code = hazard_prefill(session, hazard.hazard_id).draft, hazard.code
    else:
        # a complaint names a venue without an unrectified hazard, left for the hazard cases
        taken = used | {candidate.enterprise_id for candidate in pool}
        draft, code = _complaint(session, script, opened, taken, rng), script.code
    squad_id = session.scalar(select(Squad.id).where(Squad.short_name == script.squad))
    orders = (hazard.order,) if hazard else ()
    basis = derive(find_violation(code), _party_record(session, draft.party), orders, opened)
    return replace(
        draft,
        procedure=script.procedure,
        violations=(_charge(script, code, basis),),
        other_penalties=basis.mandatory,
        opened_on=opened,
        squad_id=squad_id,
    )


def _party_record(session: Session, party: Party) -> PartyRecord:
    """The party as the penalty basis is derived from it (as the case service will)."""
    if party.kind == "person":
        return PartyRecord("person", party.name, operated_business(session, party.id_no))
    return PartyRecord("unit", party.name)


def _fits(
    candidate: Candidate, script: Script, opened: dt.date, used: set[str], threshold: int
) -> bool:
    """A hazard of the script's squad, overdue by ``opened``, at a venue without a demo case,
    whose violation the script's authority enforces, in force and fined as the script needs."""
    entry, wanted = find_violation(candidate.code), find_violation(script.code)
    basis = derive(entry, PartyRecord("unit", ""), (candidate.order,), opened)
    fine = _charge(script, candidate.code, basis).fine
    return (
        candidate.squad == script.squad
        and candidate.available <= opened
        and candidate.enterprise_id not in used
        and entry.authority == wanted.authority
        and entry.valid_on(opened)
        and (fine >= threshold if script.major else fine > 0)
    )


def _charge(script: Script, code: str, basis: PenaltyBasis) -> ViolationChoice:
    """The violation with the calculator's tier, fine and 裁量理由 (capped for 当场处罚) for
    the derived stage and party type."""
    circumstances = frozenset(script.circumstances)
    target, overdue = str(basis.party_type), basis.stage.overdue
    suggestion = suggest(find_violation(code), DiscretionFacts(target, circumstances, overdue))
    cap = suggestion.suggested_fine if script.fine_cap is None else script.fine_cap
    fine = max(suggestion.fine.min_fine, min(suggestion.suggested_fine, cap))
    return ViolationChoice(
        code,
        suggestion.tier,
        fine,
        suggestion.reason,
        script.circumstances,
        target=target,
        overdue=overdue,
    )


def _complaint(
    session: Session, script: Script, opened: dt.date, taken: set[str], rng: random.Random
) -> NewCase:
    """A case from a complaint about a venue of the squad's street not ``taken`` yet."""
    venues = session.scalars(
        select(Enterprise)
        .where(Enterprise.street == f"{script.squad}街道")
        .order_by(Enterprise.name)
    ).all()
    entry = find_violation(script.code)
    free = [v for v in venues if v.id not in taken and (v.operator_id_no or not script.person)]
    chosen = rng.choice(free)
    return NewCase(
        procedure=script.procedure,
        source="complaint",
        party=_operator(chosen) if script.person else Party("enterprise", chosen.id),
        cause=entry.title,
        handler_ids=(),
        facts=f"{written_date(opened)}接群众投诉举报，经现场核查，当事人存在{entry.title}的行为。",
        source_note=COMPLAINT_NOTE,
    )


def _operator(business: Enterprise) -> Party:
    """The operator of a 个体工商户 as the party, a person (the documents' 个人 variants)."""
    return Party(
        "person",
        name=business.operator_name or "",
        id_no=business.operator_id_no or "",
        phone=business.contact_phone or "",
        address=business.address,
    )


def _hazard_pool(session: Session, today: dt.date) -> list[Candidate]:
    """Overdue or unrectified hazards with a catalogued violation, by the day a case may start
    (the day after the due date, or the 复查 that found it unrectified if later)."""
    rechecked: dict[str, dt.date] = {}
    findings = session.execute(
        select(RecheckFinding.hazard_id, Inspection.started_at).join(
            Inspection, Inspection.id == RecheckFinding.inspection_id
        )
    )
    for hazard_id, started_at in findings:
        day = started_at.astimezone().date()
        rechecked[hazard_id] = max(day, rechecked.get(hazard_id, day))
    rows = session.execute(
        select(Hazard, Squad.short_name, Enterprise.name)
        .join(Squad, Squad.id == Hazard.squad_id)
        .join(Enterprise, Enterprise.id == Hazard.enterprise_id)
        .where(
            Hazard.status.in_((HazardStatus.PENDING.value, HazardStatus.NOT_RECTIFIED.value)),
            Hazard.due_date < today,
            Hazard.violation_code.in_(list(catalogue_by_code())),
        )
    ).all()
    ordered = sorted(rows, key=lambda row: (_available(row[0], rechecked), row[2], row[0].item_id))
    return [
        Candidate(
            hazard.id,
            hazard.enterprise_id,
            squad,
            hazard.violation_code or "",
            _available(hazard, rechecked),
            order_of(session, hazard),
        )
        for hazard, squad, _ in ordered
    ]


def _available(hazard: Hazard, rechecked: dict[str, dt.date]) -> dt.date:
    """The first day a case may start from ``hazard``."""
    overdue = hazard.due_date + dt.timedelta(days=1)
    return max(overdue, rechecked.get(hazard.id, overdue))


def _take(
    scope: ActionScope,
    people: dict[str, Actor],
    item: Planned,
    case: Case,
    step: Step,
    on: dt.date,
) -> None:
    """Take ``step`` on ``on`` as the person whose step it is, entered that very day: the guard
    judges the 办案期限 on the day a step is entered, so an old case is entered as it went."""
    action = find_action(step.action)
    username = STAFF[item.script.squad].username(action.performer, item.team)
    actor_scope = ActionScope(scope.session, people[username], scope.action)
    prepare_step_drafts(actor_scope, case, step_documents(scope.session, case, action, on), on)
    take_step(actor_scope, case, action, _input(step, action, case, on), today=on)


def _input(step: Step, action: Action, case: Case, on: dt.date) -> StepInput:
    """The values the step's form would hold, filled in as a clerk would."""
    fields = set(action.fields)
    return StepInput(
        on=on,
        note=step.note or NOTES.get(step.action, ""),
        served_method=SERVED if "served_method" in fields else "",
        recipient=(case.party_representative or "当事人") if "recipient" in fields else "",
        amount=case.total_fine - case.paid_amount if "amount" in fields else None,
        hearing_date=add_working_days(on, HEARING_GAP) if "hearing_date" in fields else None,
        days=EXTENSION_DAYS if "days" in fields else None,
        until=on + dt.timedelta(days=DEFERRAL_DAYS) if "until" in fields else None,
        receiver=FIRE_RECEIVER if "receiver" in fields else "",
        remedy_kind=step.remedy[0],
        remedy_result=step.remedy[1],
    )


def _people(session: Session) -> dict[str, Actor]:
    """Every demo account as an actor, by username."""
    return {user.username: Actor.of(user) for user in session.scalars(select(User))}
