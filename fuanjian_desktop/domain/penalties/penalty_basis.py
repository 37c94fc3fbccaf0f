"""Which of an article's penalties applies (处罚阶段与处罚对象), derived from the case's records.

A penalty article sets its ranges per party (the 生产经营单位, or a natural person: 主要负责人,
直接负责的主管人员, an individual violator) and per stage (首次发现 — 责令改正阶段 — or 经责令
限期改正逾期未改正 / 拒不改正). Both are facts the app already holds, so they are derived here
and never typed:

- the **stage** from the orders to rectify the case's records hold: a hazard linked to the case,
  ordered rectified by its due date, whose 复查 found it unrectified after that date or which was
  still unrectified when the case was opened;
- the **party type** from the party's record: an organisation, or a natural person who runs a
  business (个体工商户, or a person the registry names as a business's operator), answers as the
  生产经营单位; any other natural person under the article's person ranges; an article that fines
  only the 主要负责人 (第九十四条) fines a person whoever the case is against;
- the **mandatory other penalties** of the article at that stage (``resources/penalties``).

A person may choose another stage only where the law leaves room for judgement: a linked order
that was not for this violation may still have covered it. That choice needs a recorded reason.
Pure functions; the case service builds the inputs from the database.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.domain.penalties.discretion import range_text
from fuanjian_desktop.domain.penalties.violations import FineRange, ViolationEntry
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import load_json_resource

PENALTY_KINDS = frozenset({"mandatory", "conditional", "other_authority"})


class PenaltyStage(StrEnum):
    """The stage of a two-stage penalty clause."""

    FIRST = "first"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        """Chinese name, as the derivation and the guard print it."""
        return "逾期未改正阶段" if self is PenaltyStage.OVERDUE else "首次发现（责令改正阶段）"

    @property
    def overdue(self) -> bool:
        """The catalogue's flag for this stage (``ViolationEntry.fine_range``)."""
        return self is PenaltyStage.OVERDUE


class PartyType(StrEnum):
    """Whose range of the article applies: the 生产经营单位's or a natural person's."""

    UNIT = "unit"
    PERSON = "person"

    @property
    def label(self) -> str:
        """Chinese name, as the derivation and the guard print it."""
        return "生产经营单位" if self is PartyType.UNIT else "个人"


@dataclass(frozen=True)
class OrderFact:
    """An order to rectify in the case's records: a hazard linked to the case, with the day
    it was found, its deadline, its 复查 findings (day, rectified) and the day it was closed
    as rectified, if it was."""

    description: str
    violation_code: str | None
    found_on: dt.date
    due_date: dt.date
    rechecks: tuple[tuple[dt.date, bool], ...] = ()
    rectified_on: dt.date | None = None

    def missed(self, opened_on: dt.date) -> str | None:
        """How the deadline passed unrectified (Chinese), or None if it did not: a 复查 after
        the deadline found it unrectified, or nothing rectified it by the day the case opened."""
        late = sorted(day for day, rectified in self.rechecks if not rectified)
        late = [day for day in late if day > self.due_date]
        if late:
            return f"{written_date(late[0])}复查未整改"
        if self.rectified_on is None and opened_on > self.due_date:
            return f"至{written_date(opened_on)}立案时仍未整改"
        return None

    def text(self, opened_on: dt.date) -> str:
        """The order as the derivation cites it."""
        return (
            f"隐患“{self.description}”（{written_date(self.found_on)}发现，责令于"
            f"{written_date(self.due_date)}前整改）{self.missed(opened_on) or '已按期整改'}"
        )


@dataclass(frozen=True)
class PartyRecord:
    """The party as the case records it: ``kind`` "unit" (a registry business: company or
    个体工商户) or "person"; ``operates`` names the registry business a person party runs as
    its operator, if any."""

    kind: str
    name: str
    operates: str | None = None


@dataclass(frozen=True)
class PenaltyBasis:
    """The stage and party type derived for one violation, each with its derivation, the
    legal range they select and the other penalties of the article at that stage."""

    code: str
    stage: PenaltyStage
    stage_reason: str
    stage_overridable: bool
    party_type: PartyType
    party_reason: str
    legal: FineRange | None
    mandatory: tuple[str, ...]
    proposed: tuple[str, ...]

    @property
    def provided(self) -> tuple[str, ...]:
        """The other penalties the article provides here: the mandatory, then the conditional."""
        return self.mandatory + self.proposed

    @property
    def range_label(self) -> str:
        """The legal range in the statute's words, or that the clause sets no fine here."""
        if self.legal is None:
            return f"{self.stage.label}对{self.party_type.label}不处罚款"
        return range_text(self.legal)

    @property
    def derivation(self) -> str:
        """Stage, party type, range and mandatory penalties with why, as the 裁量 form shows."""
        others = "、".join(self.mandatory) or "无"
        return (
            f"处罚阶段：{self.stage.label}。{self.stage_reason}\n"
            f"处罚对象：{self.party_type.label}。{self.party_reason}\n"
            f"法定罚款幅度：{self.range_label}；应当并处：{others}。"
        )


def derive(
    entry: ViolationEntry,
    party: PartyRecord,
    orders: Sequence[OrderFact],
    opened_on: dt.date,
    stage: PenaltyStage | None = None,
) -> PenaltyBasis:
    """The basis of ``entry`` for this party and these orders; ``stage`` applies a person's
    choice where :attr:`PenaltyBasis.stage_overridable` allows it (else it is ignored)."""
    derived, stage_reason, overridable = derive_stage(entry, orders, opened_on)
    if overridable and stage is not None and stage is not derived:
        derived, stage_reason = stage, f"{stage_reason}承办人依所记录的理由改按{stage.label}。"
    party_type, party_reason = derive_party_type(entry, party)
    mandatory, proposed = stage_penalties(entry, derived, party_type)
    return PenaltyBasis(
        code=entry.code,
        stage=derived,
        stage_reason=stage_reason,
        stage_overridable=overridable,
        party_type=party_type,
        party_reason=party_reason,
        legal=entry.fine_range(str(party_type), derived.overdue),
        mandatory=mandatory,
        proposed=proposed,
    )


def derive_stage(
    entry: ViolationEntry, orders: Sequence[OrderFact], opened_on: dt.date
) -> tuple[PenaltyStage, str, bool]:
    """The stage, why, and whether a person may choose the other one."""
    if not has_overdue_stage(entry):
        return PenaltyStage.FIRST, f"{entry.penalty_article}不区分逾期未改正阶段。", False
    missed = [order for order in orders if order.missed(opened_on)]
    own = [order for order in missed if order.violation_code == entry.code]
    if own:
        return (
            PenaltyStage.OVERDUE,
            f"{own[0].text(opened_on)}，属经责令限期改正逾期未改正，"
            f"适用{entry.penalty_article}逾期未改正的规定。",
            False,
        )
    if missed:
        other = missed[0]
        return (
            PenaltyStage.FIRST,
            f"本案关联的{other.text(opened_on)}，但该隐患对应的违法行为"
            f"（{other.violation_code or '未注明'}）不是本项违法行为，案件记录中没有就本项违法行为"
            "责令限期改正的记录，按首次发现处理；如该整改指令也针对本项违法行为，"
            "可改为逾期未改正阶段并记录理由。",
            True,
        )
    return (
        PenaltyStage.FIRST,
        "案件记录中没有就本项违法行为责令限期改正而逾期未改正的记录（关联隐患及其复查），"
        "属首次发现。",
        False,
    )


def has_overdue_stage(entry: ViolationEntry) -> bool:
    """Whether the clause says anything for 逾期未改正 / 拒不改正 (a range or a penalty)."""
    overdue = (entry.overdue_fine, entry.overdue_person_fine, entry.overdue_other_penalties)
    return any(overdue)


def derive_party_type(entry: ViolationEntry, party: PartyRecord) -> tuple[PartyType, str]:
    """Whose range applies, and why."""
    if not fines_unit(entry):
        return (
            PartyType.PERSON,
            f"{entry.penalty_article}只对个人（如主要负责人）处罚款，不对生产经营单位罚款。",
        )
    if party.kind != "person":
        return PartyType.UNIT, f"当事人“{party.name}”是台账中的经营主体，属生产经营单位。"
    if party.operates:
        return (
            PartyType.UNIT,
            f"当事人{party.name}是台账中“{party.operates}”的经营者，以个体经营者身份从事"
            "生产经营活动，按生产经营单位适用罚款幅度。",
        )
    return (
        PartyType.PERSON,
        f"当事人{party.name}是自然人，台账中没有其经营的生产经营单位，"
        "适用该条对个人（直接负责的主管人员、主要负责人或者个人违法者）的罚款幅度。",
    )


def fines_unit(entry: ViolationEntry) -> bool:
    """Whether the clause fines the 生产经营单位 at either stage."""
    return entry.fine_range("unit") is not None or entry.overdue_fine is not None


def stage_penalties(
    entry: ViolationEntry, stage: PenaltyStage, party_type: PartyType
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(mandatory, conditional) other penalties of ``entry`` at ``stage``; the other stage's
    are not provided here. The mandatory ones are imposed on the 生产经营单位, so a decision
    against a person does not carry them; another authority's are never this case's."""
    penalties = entry.overdue_other_penalties if stage.overdue else entry.other_penalties
    kinds = penalty_kinds()
    proposed = tuple(p for p in penalties if kinds[p] == "conditional")
    if party_type is PartyType.PERSON:
        return (), proposed
    return tuple(p for p in penalties if kinds[p] == "mandatory"), proposed


@functools.cache
def penalty_kinds() -> Mapping[str, str]:
    """Each other penalty of the catalogue → mandatory / conditional / other_authority, from
    ``resources/penalties/other_penalties.json`` (read once)."""
    return parse_penalty_kinds(load_json_resource("penalties", "other_penalties.json"))


def parse_penalty_kinds(document: Any) -> Mapping[str, str]:
    """The kinds of a penalties document; a malformed one is refused with what is wrong."""
    raw = document.get("penalties") if isinstance(document, dict) else None
    if not isinstance(raw, dict) or not raw:
        raise UserError("other_penalties.json：缺少 penalties 对象，请核对文件。")
    bad = [
        text
        for text, about in raw.items()
        if not isinstance(about, dict)
        or about.get("kind") not in PENALTY_KINDS
        or not str(about.get("source", "")).strip()
    ]
    if bad:
        raise UserError(
            f"other_penalties.json：{'、'.join(bad)} 应有 kind（mandatory、conditional 或 "
            "other_authority）和 source（法律依据）。"
        )
    return MappingProxyType({text: about["kind"] for text, about in raw.items()})
