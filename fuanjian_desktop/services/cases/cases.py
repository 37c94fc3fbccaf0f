"""Opening a case (立案), from scratch or from a hazard that was not rectified, and its violations.

A general-procedure case takes its 案号 (the 立案审批表's 文号) when it is opened and waits for
the squad leader's 立案 approval; a simplified-procedure case takes the number of its 当场处罚
决定书. Steps after that are :mod:`fuanjian_desktop.services.cases.case_actions`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.codes import check_resident_id
from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.domain.documents.document_types import document_type
from fuanjian_desktop.domain.inspection_rules import HazardStatus, problem_text
from fuanjian_desktop.domain.penalties.discretion import Circumstance, Tier
from fuanjian_desktop.domain.penalties.penalty_basis import (
    OrderFact,
    PartyRecord,
    PenaltyBasis,
    PenaltyStage,
    derive,
)
from fuanjian_desktop.domain.penalties.violations import catalogue_by_code, find_violation
from fuanjian_desktop.domain.procedure import Procedure, Stage
from fuanjian_desktop.domain.registry_rules import FieldIssue, InvalidFields
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import (
    Case,
    CaseHandler,
    CaseLink,
    CaseViolation,
    Enterprise,
    Hazard,
    Inspection,
    InspectionPhoto,
    User,
)
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_facts import (
    case_orders,
    case_violations,
    facts_of,
    party_operates,
    store_deadlines,
)
from fuanjian_desktop.services.inspections.hazards import mark_transferred
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.lookup import fetch, fetch_own, fetch_readable
from fuanjian_desktop.services.numbering import take_number
from fuanjian_desktop.services.procedure_settings import current_settings
from fuanjian_desktop.services.squad_scope import read_as, require_changeable, squad_of
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action


class CaseSource(StrEnum):
    """Where a case came from (案件来源), as the 立案审批表 prints it."""

    INSPECTION = "inspection"
    COMPLAINT = "complaint"
    REFERRAL = "referral"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Chinese name."""
        return CASE_SOURCE_LABELS[self]


CASE_SOURCE_LABELS = {
    CaseSource.INSPECTION: "检查发现",
    CaseSource.COMPLAINT: "投诉举报",
    CaseSource.REFERRAL: "移送",
    CaseSource.OTHER: "其他",
}
# Violations and their 裁量 are settled before 调查终结; after it the legal review has seen them.
VIOLATION_STAGES = (Stage.FILING_APPROVAL, Stage.INVESTIGATION, Stage.ONSITE)
# 首违不罚 is excluded for 危险化学品生产、经营、储存单位 (粤应急规〔2023〕1号); 使用 is not listed.
HAZCHEM_CATEGORIES = frozenset({"hazchem.business", "hazchem.storage"})


class CaseInvalid(InvalidFields):
    """A case form with problems; each names its field."""

    def __init__(self, issues: Sequence[FieldIssue]) -> None:
        super().__init__("案件信息有以下问题，请修改后再保存：", issues)


@dataclass(frozen=True)
class ViolationChoice:
    """A violation charged, with the 裁量 chosen (tier, circumstances, fine and its reason)."""

    code: str
    tier: Tier = Tier.ORDINARY
    fine: int = 0
    reason: str = ""
    circumstances: tuple[Circumstance, ...] = ()
    target: str | None = None  # None: derived from the party's record (penalty_basis)
    overdue: bool | None = None  # None: derived from the case's orders to rectify
    basis_reason: str = ""  # why the stage differs from the derived one, where the law allows


@dataclass(frozen=True)
class Party:
    """The party (当事人): an enterprise from the registry, or a person with a resident ID."""

    kind: str  # "enterprise" or "person"
    enterprise_id: str | None = None
    name: str = ""
    id_no: str = ""
    representative: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class NewCase:
    """What the 立案 form collects."""

    procedure: Procedure
    source: str
    party: Party
    cause: str
    handler_ids: tuple[str, ...]
    violations: tuple[ViolationChoice, ...] = ()
    facts: str = ""
    source_note: str = ""
    other_penalties: tuple[str, ...] = ()
    hazard_ids: tuple[str, ...] = ()
    inspection_ids: tuple[str, ...] = ()
    photo_ids: tuple[str, ...] = ()
    opened_on: dt.date | None = None
    squad_id: str | None = None  # the actor's squad when None


@dataclass(frozen=True)
class ChargedViolations:
    """What the 裁量 form needs: the violations charged as stored, and the party facts
    the calculator weighs (``party_kind`` "unit" or "person")."""

    party_kind: str
    hazchem_business: bool
    choices: tuple[ViolationChoice, ...]
    other_penalties: tuple[str, ...] = ()  # proposed besides the fines (责令停产停业整顿 …)
    party: PartyRecord | None = None  # what the penalty basis of any code is derived from
    orders: tuple[OrderFact, ...] = ()
    opened_on: dt.date | None = None

    def basis(self, code: str, stage: PenaltyStage | None = None) -> PenaltyBasis:
        """The derived stage, party type, range and penalties of ``code`` in this case."""
        assert self.party is not None and self.opened_on is not None
        return derive(find_violation(code), self.party, self.orders, self.opened_on, stage)


@dataclass
class HazardPrefill:
    """A draft case made from a hazard, for the 立案 dialog to show and the user to adjust."""

    draft: NewCase
    party_label: str
    evidence: list[str] = field(default_factory=list)


def open_case(database: Database, actor: Actor, draft: NewCase) -> str:
    """Open a case (立案 submitted for approval, or a 当场处罚 case); return its id."""
    actor.require(Permission.HANDLE_CASES)
    with user_action(database, actor, "立案") as scope:
        scope.actor.require(Permission.HANDLE_CASES)
        if draft.squad_id is not None:
            require_changeable(scope.actor, draft.squad_id, "中队")
        return create_case(scope, draft).id


def create_case(scope: ActionScope, draft: NewCase) -> Case:
    """Create the case inside an open action (the demo and imports use this too).

    Its handlers and the inspections, hazards and photos it cites must be of the case's squad.
    """
    session = scope.session
    _check_draft(session, draft)
    opened_on = draft.opened_on or local_today()
    squad_id = draft.squad_id or scope.actor.squad_id
    if squad_id is None:
        raise UserError("当前账号不属于任何中队，不能立案。")
    _check_same_squad(session, draft, squad_id)
    case = Case(
        squad_id=squad_id,
        procedure=str(draft.procedure),
        source=draft.source,
        source_note=draft.source_note.strip() or None,
        cause=draft.cause.strip(),
        facts=draft.facts.strip() or None,
        stage=str(_first_stage(draft.procedure)),
        opened_on=opened_on,
        year=opened_on.year,
        other_penalties=list(draft.other_penalties),
        created_by_id=scope.actor.user_id,
        **_party_columns(session, draft.party),
    )
    case.id = new_id()  # the number's record names the case before it is stored
    taken = take_number(scope, _number_code(draft.procedure), opened_on.year, squad_id, _of(case))
    case.case_no, case.serial = taken.text, taken.serial
    case.handler_rows = _handlers(session, draft.handler_ids)
    session.add(case)
    _link_evidence(scope, case, draft)
    _add_violations(scope, case, draft.violations)
    case.other_penalties = _with_mandatory(session, case, draft.violations, draft.other_penalties)
    _transfer_hazards(scope, draft.hazard_ids, opened_on)
    refresh_case(session, case, opened_on)
    scope.record(case, f"立案：{case.case_no} {case.party_name} {case.cause}", before=None)
    return case


def prefill_from_hazard(database: Database, actor: Actor, hazard_id: str) -> HazardPrefill:
    """A case draft from an unrectified hazard of the actor's squad: party, violation and
    evidence filled in."""
    with read_as(database, actor) as (session, reader):
        require_changeable(reader, squad_of(session, fetch(session, Hazard, hazard_id)), "隐患")
        return hazard_prefill(session, hazard_id)


def hazard_prefill(session: Session, hazard_id: str) -> HazardPrefill:
    """:func:`prefill_from_hazard` inside an open session (the demo opens its cases in one)."""
    hazard = fetch(session, Hazard, hazard_id)
    if hazard.status == HazardStatus.RECTIFIED.value:
        raise UserError("该隐患已整改销号，不能据此立案。")
    enterprise = fetch(session, Enterprise, hazard.enterprise_id)
    entry = catalogue_by_code().get(hazard.violation_code or "")
    photos = list(
        session.scalars(
            select(InspectionPhoto.id).where(
                InspectionPhoto.inspection_id == hazard.inspection_id,
                InspectionPhoto.item_id.in_((hazard.item_id, "")),
            )
        )
    )
    # stage, party type and mandatory penalties are derived when the case is opened
    violations = (ViolationChoice(entry.code),) if entry else ()
    draft = NewCase(
        procedure=Procedure.GENERAL,
        source="inspection",
        party=Party("enterprise", enterprise.id),
        cause=entry.title if entry else hazard.description[:100],
        handler_ids=(),
        violations=violations,
        facts=_hazard_facts(hazard),
        hazard_ids=(hazard.id,),
        inspection_ids=(hazard.inspection_id,),
        photo_ids=tuple(photos),
    )
    evidence = [f"现场检查（{hazard.found_on:%Y-%m-%d}）", f"隐患：{hazard.description}"]
    evidence += [f"现场照片 {len(photos)} 张"] if photos else []
    return HazardPrefill(draft, enterprise.name, evidence)


def set_violations(
    database: Database,
    actor: Actor,
    case_id: str,
    choices: Sequence[ViolationChoice],
    other_penalties: Sequence[str] = (),
) -> None:
    """Replace the violations charged, their 裁量 and the other penalties proposed.

    Only before 调查终结; an other penalty must be one the charged articles provide for.
    """
    actor.require(Permission.HANDLE_CASES)
    with user_action(database, actor, "认定违法行为") as scope:
        scope.actor.require(Permission.HANDLE_CASES)
        case = fetch_own(scope, Case, case_id)
        if Stage(case.stage) not in VIOLATION_STAGES:
            raise UserError("违法行为和裁量只能在调查终结前修改；如需修改，请先退回补充调查。")
        before = case.audit_snapshot()
        for row in case_violations(scope.session, case.id):
            scope.record_deletion(row, f"移除违法行为：{row.title}")
        _add_violations(scope, case, choices)
        case.other_penalties = _with_mandatory(scope.session, case, choices, other_penalties)
        refresh_case(scope.session, case, local_today())
        scope.record(case, f"{case.case_no} 认定违法行为 {len(choices)} 项", before)


def provided_penalties(bases: Sequence[PenaltyBasis]) -> tuple[str, ...]:
    """The other penalties the charged articles provide at their derived stages, in order."""
    return tuple(dict.fromkeys(penalty for basis in bases for penalty in basis.provided))


def _with_mandatory(
    session: Session, case: Case, choices: Sequence[ViolationChoice], chosen: Sequence[str]
) -> list[str]:
    """The other penalties chosen, checked against what the articles provide at the derived
    stage, plus those they make mandatory there (``domain/penalties/penalty_basis.py``): these
    are never left to a tick box."""
    party, orders = party_record(session, case), case_orders(session, case.id)
    bases = [
        derive(find_violation(choice.code), party, orders, case.opened_on, _chosen_stage(choice))
        for choice in choices
    ]
    provided = provided_penalties(bases)
    unknown = [penalty for penalty in chosen if penalty not in provided]
    if unknown:
        raise UserError(
            f"所认定违法行为的处罚条款在所适用的处罚阶段没有规定“{'、'.join(unknown)}”，"
            "请重新选择其他处罚。"
        )
    mandatory = [penalty for basis in bases for penalty in basis.mandatory]
    return list(dict.fromkeys([*chosen, *mandatory]))


def party_record(session: Session, case: Case) -> PartyRecord:
    """The party as the penalty basis is derived from it."""
    return PartyRecord(case.party_kind, case.party_name, party_operates(session, case))


def charged_violations(database: Database, actor: Actor, case_id: str) -> ChargedViolations:
    """The case's violations with their 裁量 as stored, for the officer to revise."""
    with read_as(database, actor) as (session, reader):
        case = fetch_readable(session, reader, Case, case_id)
        enterprise = session.get(Enterprise, case.enterprise_id) if case.enterprise_id else None
        categories = set(enterprise.categories) if enterprise else set()
        return ChargedViolations(
            party_kind="person" if case.party_kind == "person" else "unit",
            hazchem_business=bool(categories & HAZCHEM_CATEGORIES),
            choices=tuple(_choice(row) for row in case_violations(session, case.id)),
            other_penalties=tuple(case.other_penalties),
            party=party_record(session, case),
            orders=case_orders(session, case.id),
            opened_on=case.opened_on,
        )


def _choice(row: CaseViolation) -> ViolationChoice:
    return ViolationChoice(
        code=row.code,
        tier=Tier(row.tier),
        fine=row.fine,
        reason=row.reason,
        circumstances=tuple(Circumstance(c) for c in row.circumstances),
        target=row.target,
        overdue=row.overdue,
        basis_reason=row.basis_reason,
    )


def refresh_case(session: Session, case: Case, today: dt.date) -> None:
    """Recompute the total fine and the stored deadlines after a fact changed."""
    session.flush()
    facts = facts_of(session, case, current_settings(session), today)
    case.total_fine = facts.total_fine
    store_deadlines(session, case, facts.deadlines)


def _add_violations(scope: ActionScope, case: Case, choices: Sequence[ViolationChoice]) -> None:
    scope.session.flush()  # the case's links are what the stage is derived from
    party, orders = party_record(scope.session, case), case_orders(scope.session, case.id)
    for position, choice in enumerate(choices, start=1):
        entry = find_violation(choice.code)
        basis = derive(entry, party, orders, case.opened_on, _chosen_stage(choice))
        _check_basis(entry.title, choice, basis)
        row = CaseViolation(
            case_id=case.id,
            position=position,
            code=entry.code,
            title=entry.title,
            violated_article=entry.violated_article,
            penalty_article=entry.penalty_article,
            target=str(basis.party_type),
            overdue=basis.stage.overdue,
            tier=str(choice.tier),
            circumstances=[str(c) for c in choice.circumstances],
            fine=choice.fine,
            reason=choice.reason,
            basis_reason=choice.basis_reason.strip() if basis.stage_overridable else "",
        )
        scope.session.add(row)
        chosen = f"（{basis.stage.label}，理由：{row.basis_reason}）" if row.basis_reason else ""
        what = f"{case.case_no or '新案件'} 认定违法行为：{entry.title}{chosen}"
        scope.record(row, what, before=None)


def _chosen_stage(choice: ViolationChoice) -> PenaltyStage | None:
    """The stage a person chose, which counts only with a reason (and where the law allows)."""
    if not choice.basis_reason.strip() or choice.overdue is None:
        return None
    return PenaltyStage.OVERDUE if choice.overdue else PenaltyStage.FIRST


def _check_basis(title: str, choice: ViolationChoice, basis: PenaltyBasis) -> None:
    """Refuse a stage or party type the case's records do not give: they are derived (a
    choice that names neither takes the derived ones)."""
    if choice.overdue is not None and choice.overdue != basis.stage.overdue:
        raise UserError(f"“{title}”应按{basis.stage.label}裁量：{basis.stage_reason}")
    if choice.target is not None and choice.target != str(basis.party_type):
        raise UserError(
            f"“{title}”应适用对{basis.party_type.label}的罚款幅度：{basis.party_reason}"
        )


def _check_draft(session: Session, draft: NewCase) -> None:
    issues: list[FieldIssue] = []
    if draft.source not in set(CaseSource):
        issues.append(_issue("source", "案件来源", "请选择案件来源。"))
    if not draft.cause.strip():
        issues.append(_issue("cause", "案由", "请填写案由（如“未按规定对从业人员进行安全培训”）。"))
    issues += _party_issues(draft.party)
    certified = [u for u in _users(session, draft.handler_ids) if u.cert_no]
    if len(set(draft.handler_ids)) < 2 or len(certified) < len(set(draft.handler_ids)):
        issues.append(
            _issue(
                "handlers",
                "承办人",
                "请选择至少两名持有执法证的承办人（行政处罚法第四十二条）。",
            )
        )
    if issues:
        raise CaseInvalid(issues)


def _party_issues(party: Party) -> list[FieldIssue]:
    if party.kind == "enterprise":
        if not party.enterprise_id:
            return [_issue("party", "当事人", "请从企业台账中选择当事人。")]
        return []
    issues = []
    if not party.name.strip():
        issues.append(_issue("party_name", "当事人姓名", "请填写当事人姓名。"))
    check = check_resident_id(party.id_no)
    if not check.ok:
        issues.append(_issue("party_id_no", "身份证号码", check.reason))
    return issues


def _check_same_squad(session: Session, draft: NewCase, squad_id: str) -> None:
    """Refuse handlers, or cited inspections, hazards or photos, of another squad."""
    for user in _users(session, draft.handler_ids):
        if user.squad_id != squad_id:
            raise PermissionDenied(f"承办人“{user.full_name}”不属于本中队，请重新选择。")
    cited: list[object] = [fetch(session, Inspection, i) for i in draft.inspection_ids]
    cited += [fetch(session, Hazard, h) for h in draft.hazard_ids]
    cited += [photo for p in draft.photo_ids if (photo := session.get(InspectionPhoto, p))]
    if any(squad_of(session, record) != squad_id for record in cited):
        raise PermissionDenied("所引用的检查记录、隐患或照片不属于本中队，不能作为本案证据。")


def _issue(field_name: str, label: str, message: str) -> FieldIssue:
    return FieldIssue(field_name, message, field_label=label)


def _users(session: Session, user_ids: Sequence[str]) -> list[User]:
    if not user_ids:
        return []
    return list(session.scalars(select(User).where(User.id.in_(user_ids))))


def _handlers(session: Session, user_ids: Sequence[str]) -> list[CaseHandler]:
    users = {user.id: user for user in _users(session, user_ids)}
    return [
        CaseHandler(
            position=position,
            user_id=user_id,
            full_name=users[user_id].full_name,
            cert_no=users[user_id].cert_no,
        )
        for position, user_id in enumerate(dict.fromkeys(user_ids), start=1)
    ]


def _party_columns(session: Session, party: Party) -> dict[str, str | None]:
    if party.kind == "person":
        return {
            "party_kind": "person",
            "enterprise_id": None,
            "party_name": party.name.strip(),
            "party_id_type": "resident_id",
            "party_id_no": party.id_no.strip().upper(),
            "party_representative": None,
            "party_phone": party.phone.strip() or None,
            "party_address": party.address.strip() or None,
        }
    assert party.enterprise_id is not None
    return enterprise_party_columns(fetch(session, Enterprise, party.enterprise_id))


def enterprise_party_columns(enterprise: Enterprise) -> dict[str, str | None]:
    """The party columns of a case against ``enterprise``, copied as they are on 立案 day."""
    return {
        "party_kind": "unit",
        "enterprise_id": enterprise.id,
        "party_name": enterprise.name,
        "party_id_type": "uscc" if enterprise.uscc else "resident_id",
        "party_id_no": enterprise.uscc or enterprise.operator_id_no,
        "party_representative": enterprise.operator_name or enterprise.contact_name,
        "party_phone": enterprise.contact_phone,
        "party_address": enterprise.address,
    }


def _first_stage(procedure: Procedure) -> Stage:
    return Stage.FILING_APPROVAL if procedure is Procedure.GENERAL else Stage.ONSITE


def _number_code(procedure: Procedure) -> str:
    key = "filing_approval" if procedure is Procedure.GENERAL else "onsite_penalty_decision"
    code = document_type(key).code
    assert code is not None
    return code


def _of(case: Case) -> tuple[str, str]:
    return ("enforcement_case", case.id)


def _link_evidence(scope: ActionScope, case: Case, draft: NewCase) -> None:
    links = [("inspection", i) for i in draft.inspection_ids]
    links += [("hazard", h) for h in draft.hazard_ids] + [("photo", p) for p in draft.photo_ids]
    for kind, target_id in dict.fromkeys(links):
        link = CaseLink(case_id=case.id, kind=kind, target_id=target_id)
        scope.session.add(link)
        scope.record(link, f"{case.case_no or '新案件'} 关联证据", before=None)


def _transfer_hazards(scope: ActionScope, hazard_ids: Sequence[str], today: dt.date) -> None:
    for hazard_id in hazard_ids:
        hazard = fetch(scope.session, Hazard, hazard_id)
        if hazard.status != HazardStatus.TRANSFERRED.value:
            mark_transferred(scope, hazard, today)


def _hazard_facts(hazard: Hazard) -> str:
    """The case's facts as the documents print them (problem_text words a checklist hazard's
    default description, 未做到：要求 or the older 不符合：要求, as the documents state it)."""
    return (
        f"{written_date(hazard.found_on)}现场检查发现当事人{problem_text(hazard.description)}。"
        f"已责令于{written_date(hazard.due_date)}前整改（{hazard.rectification}），逾期未整改。"
    )


def with_handlers(draft: NewCase, handler_ids: Sequence[str]) -> NewCase:
    """The draft with its handlers chosen (the dialog fills them in last)."""
    return replace(draft, handler_ids=tuple(handler_ids))
