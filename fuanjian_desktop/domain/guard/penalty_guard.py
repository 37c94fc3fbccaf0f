"""Guard checks of the penalty basis: stage, party type, range and mandatory penalties.

Each charged violation's basis is derived from the case's records (:mod:`penalty_basis`) and
compared with what the case records and proposes. A wrong stage or party type, a fine outside
the range they select, or a mandatory penalty left out would put a wrong 告知书 or 决定书 in
the party's hands, so these defects block the steps that issue those documents.
"""

from __future__ import annotations

from collections.abc import Iterator

from fuanjian_desktop.domain.guard.case_guard import DECIDING, CaseFacts, Defect, ReviewItem
from fuanjian_desktop.domain.penalties.discretion import Tier, amount_defect
from fuanjian_desktop.domain.penalties.penalty_basis import (
    PartyRecord,
    PartyType,
    PenaltyBasis,
    PenaltyStage,
    derive,
)
from fuanjian_desktop.domain.penalties.violations import ViolationEntry, catalogue_by_code

# the steps that issue a document stating the penalty (告知书, 审批表, 决定书)
ISSUING = DECIDING | {"end_investigation", "serve_notice", "pass_review"}


def penalty_basis_defects(facts: CaseFacts) -> Iterator[Defect]:
    """Every basis defect of the case's violations, in their order."""
    catalogue = catalogue_by_code()
    party = PartyRecord(facts.party_kind, facts.party_name, facts.party_operates)
    bases: list[PenaltyBasis] = []
    for violation in facts.violations:
        entry = catalogue.get(violation.code)
        if entry is None:
            continue  # the guard's own check names an unknown code
        recorded = PenaltyStage.OVERDUE if violation.overdue else PenaltyStage.FIRST
        chosen = recorded if violation.basis_reason.strip() else None
        basis = derive(entry, party, facts.orders, facts.opened_on, chosen)
        bases.append(basis)
        yield from _basis_differs(entry, basis, recorded, violation.target)
        differs = (recorded, violation.target) != (basis.stage, str(basis.party_type))
        if differs:
            yield from _fine_outside(entry, basis, violation.fine, violation.tier)
        yield from _party_not_fined(entry, basis, facts.party_kind)
        yield from _mandatory_missing(entry, basis, facts.other_penalties)
    if bases:
        yield from _not_provided(bases, facts.other_penalties)


def _basis_differs(
    entry: ViolationEntry, basis: PenaltyBasis, recorded: PenaltyStage, target: str
) -> Iterator[Defect]:
    """(a) the stage or party type recorded is not the one the records give."""
    if recorded is not basis.stage:
        how = "请在“认定违法行为与裁量”中按该阶段重新裁量。"
        if basis.stage_overridable:
            how = "如确属该阶段，请在“认定违法行为与裁量”中选择该阶段并记录理由。"
        yield Defect(
            "penalty_stage_wrong",
            f"“{entry.title}”按{recorded.label}裁量，应为{basis.stage.label}："
            f"{basis.stage_reason}{how}",
            ReviewItem.LAW,
            ISSUING,
        )
    if target != str(basis.party_type):
        yield Defect(
            "penalty_party_wrong",
            f"“{entry.title}”按对{PartyType(target).label}的罚款幅度裁量，应适用对"
            f"{basis.party_type.label}的幅度：{basis.party_reason}"
            "请在“认定违法行为与裁量”中重新裁量。",
            ReviewItem.LAW,
            ISSUING,
        )


def _fine_outside(
    entry: ViolationEntry, basis: PenaltyBasis, fine: int, tier: Tier
) -> Iterator[Defect]:
    """(b) the fine is not one the article allows for the derived party type and stage."""
    problem = amount_defect(entry, fine, tier, str(basis.party_type), basis.stage.overdue)
    if problem:
        yield Defect(
            "penalty_fine_outside_range",
            f"“{entry.title}”在{basis.stage.label}对{basis.party_type.label}的法定罚款幅度为"
            f"{basis.range_label}（{entry.penalty_article}：{entry.penalty_text}）。{problem}",
            ReviewItem.DISCRETION,
            ISSUING,
        )


def _party_not_fined(
    entry: ViolationEntry, basis: PenaltyBasis, party_kind: str
) -> Iterator[Defect]:
    """An article that fines only a person charged against a business."""
    if party_kind != "person" and basis.party_type is PartyType.PERSON:
        yield Defect(
            "penalty_party_is_unit",
            f"“{entry.title}”：{basis.party_reason}本案当事人是单位。"
            "请以应受处罚的个人（如主要负责人）为当事人另行立案。",
            ReviewItem.LAW,
            ISSUING,
        )


def _mandatory_missing(
    entry: ViolationEntry, basis: PenaltyBasis, proposed: tuple[str, ...]
) -> Iterator[Defect]:
    """(c) a penalty the article makes mandatory at this stage is not proposed."""
    for penalty in basis.mandatory:
        if penalty not in proposed:
            yield Defect(
                "penalty_mandatory_missing",
                f"“{entry.title}”在{basis.stage.label}依{entry.penalty_article}应当"
                f"{penalty}（{entry.penalty_text}），本案拟作出的处罚中没有。"
                f"请在“认定违法行为与裁量”的其他处罚中勾选“{penalty}”。",
                ReviewItem.LAW,
                ISSUING,
            )


def _not_provided(bases: list[PenaltyBasis], proposed: tuple[str, ...]) -> Iterator[Defect]:
    """A penalty none of the articles provides at its derived stage (e.g. 责令停产停业整顿
    on a first finding under 第九十七条): a penalty without a legal basis."""
    provided = {penalty for basis in bases for penalty in basis.provided}
    for penalty in proposed:
        if penalty not in provided:
            stages = "、".join(f"{basis.code}：{basis.stage.label}" for basis in bases)
            yield Defect(
                "penalty_other_not_provided",
                f"拟作出的“{penalty}”不是所认定违法行为的处罚条款在所适用阶段（{stages}）"
                "规定的处罚，没有法律依据。请在“认定违法行为与裁量”中取消该项处罚。",
                ReviewItem.LAW,
                ISSUING,
            )
