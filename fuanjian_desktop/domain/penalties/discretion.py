"""Penalty discretion (行政处罚裁量): from the facts of a case to a 裁量阶次, a fine sub-range, a
suggested amount and the 裁量理由 paragraph that the 告知书 and the 决定书 print.

The legal frame is fixed by statute, so it lives here: 行政处罚法第三十三条 (不予处罚, mandatory
for a minor, promptly corrected violation; optional for a first one, 首违不罚), 第三十二条
(应当从轻或者减轻) and the Guangdong aggravating circumstances (从重). The bands within the legal
range are data (each entry's tiers), so HQ can replace the placeholder schemes with the published
裁量基准 rows without touching this module.

Suggested fine: the midpoint of the tier's sub-range, rounded half up to 100 yuan (10 yuan for
ranges below 1万), or the exact midpoint when rounding would leave the sub-range. One rule for
every tier keeps the suggestion explainable; the officer may choose any amount the sub-range and
:func:`amount_defect` allow.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from fuanjian_desktop.domain.penalties.violations import (
    TARGETS,
    FineRange,
    Tier,
    ViolationEntry,
    round_yuan,
)

__all__ = [
    "Circumstance",
    "CircumstanceKind",
    "DiscretionFacts",
    "DiscretionSuggestion",
    "Tier",
    "amount_defect",
    "range_text",
    "suggest",
    "suggested_fine",
    "yuan_text",
]

PUNISHMENT_LAW = "《中华人民共和国行政处罚法》"
EDUCATION_BASIS = f"{PUNISHMENT_LAW}第三十三条第三款"
GUANGDONG_RULES = "《关于规范安全生产行政处罚自由裁量权的实施意见》（粤安监〔2014〕59号）"
SAFETY_AUTHORITY = "应急管理部门"
PARTY_LABELS = {"unit": "单位", "person": "个人"}


class CircumstanceKind(StrEnum):
    """How a circumstance moves the penalty: out (不予处罚), down (从轻、减轻) or up (从重)."""

    EXEMPTING = "exempting"
    MITIGATING = "mitigating"
    AGGRAVATING = "aggravating"


@dataclass(frozen=True)
class _About:
    """What the 裁量理由 needs to know about a circumstance."""

    label: str
    basis: str
    kind: CircumstanceKind
    confidence: str


class Circumstance(StrEnum):
    """A fact of the case the law or the discretion rules weigh; ``label`` reads after "当事人"."""

    HARM_REMOVED = "harm_removed"
    COERCED = "coerced"
    CONFESSED = "confessed"
    MERITORIOUS = "meritorious"
    MINOR_CORRECTED = "minor_corrected"
    FIRST_OFFENCE = "first_offence"
    NO_FAULT = "no_fault"
    OBSTRUCTED = "obstructed"
    NOT_CORRECTED = "not_corrected"
    REPEATED = "repeated"
    NO_HAZARD_LEDGER = "no_hazard_ledger"
    EVIDENCE_DESTROYED = "evidence_destroyed"
    RETALIATION = "retaliation"
    MAJOR_HAZARD = "major_hazard"

    @property
    def label(self) -> str:
        """Chinese wording, as the 裁量理由 prints it."""
        return _ABOUT[self].label

    @property
    def basis(self) -> str:
        """The printable legal basis of the circumstance."""
        return _ABOUT[self].basis

    @property
    def kind(self) -> CircumstanceKind:
        """Whether it exempts, mitigates or aggravates."""
        return _ABOUT[self].kind

    @property
    def confidence(self) -> str:
        """V, V-excerpt or U, as in the domain notes; U bases are flagged in every suggestion."""
        return _ABOUT[self].confidence


def _mitigating(item: str, label: str) -> _About:
    """A 行政处罚法第三十二条 circumstance (item 一 to 四)."""
    basis = f"{PUNISHMENT_LAW}第三十二条第（{item}）项"
    return _About(label, basis, CircumstanceKind.MITIGATING, "V")


def _aggravating(label: str, basis: str = GUANGDONG_RULES, confidence: str = "V-excerpt") -> _About:
    """A 从重 circumstance; by default from the Guangdong 安全生产 discretion rules."""
    return _About(label, basis, CircumstanceKind.AGGRAVATING, confidence)


_EXEMPTING = CircumstanceKind.EXEMPTING
_ABOUT = {
    Circumstance.HARM_REMOVED: _mitigating("一", "主动消除或者减轻违法行为危害后果"),
    Circumstance.COERCED: _mitigating("二", "受他人胁迫或者诱骗实施违法行为"),
    Circumstance.CONFESSED: _mitigating("三", "主动供述行政机关尚未掌握的违法行为"),
    Circumstance.MERITORIOUS: _mitigating("四", "配合行政机关查处违法行为有立功表现"),
    Circumstance.MINOR_CORRECTED: _About(
        "违法行为轻微并及时改正，没有造成危害后果",
        f"{PUNISHMENT_LAW}第三十三条第一款",
        _EXEMPTING,
        "V",
    ),
    Circumstance.FIRST_OFFENCE: _About(
        "初次违法且危害后果轻微并及时改正", f"{PUNISHMENT_LAW}第三十三条第一款", _EXEMPTING, "V"
    ),
    Circumstance.NO_FAULT: _About(
        "有证据足以证明没有主观过错", f"{PUNISHMENT_LAW}第三十三条第二款", _EXEMPTING, "V"
    ),
    Circumstance.OBSTRUCTED: _aggravating("拒绝、阻碍执法检查"),
    Circumstance.NOT_CORRECTED: _aggravating("逾期未改正或者拒不改正"),
    Circumstance.REPEATED: _aggravating("一年内因同一违法行为受过两次以上行政处罚"),
    Circumstance.NO_HAZARD_LEDGER: _aggravating("未建立事故隐患排查治理台账"),
    Circumstance.EVIDENCE_DESTROYED: _aggravating("隐匿、销毁违法证据"),
    Circumstance.RETALIATION: _aggravating("打击报复举报人、证人"),
    Circumstance.MAJOR_HAZARD: _aggravating(
        "存在重大事故隐患", "裁量基准从重情节（依据待核实）", "U"
    ),
}


@dataclass(frozen=True)
class DiscretionFacts:
    """What the officer established about the party.

    ``party_kind`` is "unit" or "person" (a natural person fined: 公民 as party, or the
    直接负责的主管人员 under a 双罚 clause). ``overdue`` applies the stage-2 range (逾期未改正 /
    拒不改正). ``hazchem_business`` marks a 危险化学品生产、经营、储存单位, for which 首违不罚 is
    excluded. ``mitigate`` asks for 减轻 rather than 从轻; the law leaves that choice to the
    authority and allows it only with a 第三十二条 circumstance.
    """

    party_kind: str
    circumstances: frozenset[Circumstance]
    overdue: bool = False
    hazchem_business: bool = False
    mitigate: bool = False

    def __post_init__(self) -> None:
        """The UI passes fixed kinds, so any other value is a programming error, not a user's."""
        if self.party_kind not in TARGETS:
            raise ValueError(f"party_kind must be 'unit' or 'person', not {self.party_kind!r}")

    def of_kind(self, kind: CircumstanceKind) -> tuple[Circumstance, ...]:
        """The circumstances of ``kind``, in declaration order so documents read the same."""
        return tuple(c for c in Circumstance if c in self.circumstances and c.kind is kind)


@dataclass(frozen=True)
class DiscretionSuggestion:
    """The calculator's proposal: tier, the tier's sub-range and suggested fine in yuan, the
    裁量理由 paragraph, the other penalties of the cited clause and warnings for the officer."""

    tier: Tier
    fine: FineRange
    suggested_fine: int
    reason: str
    other_penalties: tuple[str, ...]
    warnings: tuple[str, ...]


def suggest(entry: ViolationEntry, facts: DiscretionFacts) -> DiscretionSuggestion:
    """Propose a 裁量阶次 and fine for ``entry`` under ``facts``, with the reasoning printed."""
    warnings: list[str] = []
    if entry.confidence != "V":
        warnings.append(f"本条目的条款或罚款幅度尚待核实（{entry.confidence}），请对照官方文本。")
    exemption = _exemption(entry, facts, warnings)
    if exemption is not None:
        reason = _fact_sentence(entry) + _exempt_sentence(exemption)
        return DiscretionSuggestion(Tier.EXEMPT, FineRange(0, 0), 0, reason, (), tuple(warnings))
    tier, counted = _tier(entry, facts, warnings)
    return _fined(entry, facts, tier, counted, warnings)


def amount_defect(
    entry: ViolationEntry, amount: int, tier: Tier, target: str = "unit", overdue: bool = False
) -> str | None:
    """Why ``amount`` cannot be decided under the cited penalty article, or None if it can.

    Above the legal maximum is never allowed; below the minimum only for 减轻; 不予处罚 is 0.
    """
    legal = entry.fine_range(target, overdue)
    if amount < 0:
        return "罚款金额不能为负数。"
    if tier is Tier.EXEMPT:
        return None if amount == 0 else "不予处罚的，罚款金额应为0元。"
    if legal is None:
        if amount == 0:
            return None
        party = PARTY_LABELS[target]
        stage = _stage_label(overdue)
        return f"{entry.penalty_article}在{stage}未规定对{party}的罚款，罚款金额应为0元。"
    if amount > legal.max_fine:
        return (
            f"罚款{yuan_text(amount)}超过{entry.penalty_article}规定的最高额"
            f"{yuan_text(legal.max_fine)}，任何情形下都不得超过法定最高额。"
        )
    if tier is Tier.MITIGATED:
        return _mitigated_defect(entry, amount, legal)
    if amount < legal.min_fine:
        return (
            f"罚款{yuan_text(amount)}低于{entry.penalty_article}规定的最低额"
            f"{yuan_text(legal.min_fine)}；只有依照{PUNISHMENT_LAW}第三十二条减轻处罚时，"
            "才可以低于法定最低额。"
        )
    return None


def _mitigated_defect(entry: ViolationEntry, amount: int, legal: FineRange) -> str | None:
    """减轻 means a real fine below the legal minimum, which needs a minimum to go below."""
    if legal.min_fine == 0:
        return f"{entry.penalty_article}未规定最低罚款数额，不能减轻处罚，请选择从轻。"
    if amount >= legal.min_fine:
        return (
            f"减轻处罚的罚款应低于{entry.penalty_article}规定的最低额{yuan_text(legal.min_fine)}。"
        )
    if amount == 0:
        return "减轻处罚仍应处以罚款；不罚款的，应选择不予处罚。"
    return None


def suggested_fine(fine: FineRange, step: int) -> int:
    """The midpoint of ``fine`` rounded to ``step`` yuan, kept inside ``fine``."""
    middle = Fraction(fine.min_fine + fine.max_fine, 2)
    rounded = round_yuan(middle, step)
    return rounded if fine.contains(rounded) else round_yuan(middle, 1)


def yuan_text(amount: int) -> str:
    """An amount as documents write it: whole 万 as "5万元", anything else as "3500元"."""
    if amount >= 10_000 and amount % 10_000 == 0:
        return f"{amount // 10_000}万元"
    return f"{amount}元"


def range_text(fine: FineRange) -> str:
    """A range in the statute's words: "10万元以下", "5000元以上5万元以下"."""
    if fine.min_fine == fine.max_fine:
        return yuan_text(fine.max_fine)
    if fine.min_fine == 0:
        return f"{yuan_text(fine.max_fine)}以下"
    return f"{yuan_text(fine.min_fine)}以上{yuan_text(fine.max_fine)}以下"


def _exemption(
    entry: ViolationEntry, facts: DiscretionFacts, warnings: list[str]
) -> Circumstance | None:
    """The 第三十三条 circumstance that exempts the party, explaining each one set aside."""
    present = facts.circumstances
    aggravating = facts.of_kind(CircumstanceKind.AGGRAVATING)
    if Circumstance.NO_FAULT in present:
        return _mandatory(Circumstance.NO_FAULT, aggravating, warnings)
    corrected = {Circumstance.MINOR_CORRECTED, Circumstance.FIRST_OFFENCE} & present
    if corrected and facts.overdue:
        warnings.append(
            "当事人逾期未改正，与“及时改正”不符，不适用第三十三条第一款不予处罚的规定。"
        )
        return None
    if Circumstance.MINOR_CORRECTED in present:
        return _mandatory(Circumstance.MINOR_CORRECTED, aggravating, warnings)
    if Circumstance.FIRST_OFFENCE in present and _first_offence_allowed(
        entry, facts, aggravating, warnings
    ):
        return Circumstance.FIRST_OFFENCE
    return None


def _mandatory(
    exemption: Circumstance, aggravating: tuple[Circumstance, ...], warnings: list[str]
) -> Circumstance:
    """A case the law says must not be punished; a 从重 circumstance beside it is a contradiction
    the officer should resolve, but it cannot turn "不予" into a fine."""
    warnings.append(
        f"属于{exemption.basis}规定的应当不予行政处罚情形，不得罚款，并应当对当事人进行教育。"
    )
    if aggravating:
        labels = "、".join(c.label for c in aggravating)
        warnings.append(f"同时选择了从重情节（{labels}），请核实违法行为是否确属不予处罚的情形。")
    return exemption


def _first_offence_allowed(
    entry: ViolationEntry,
    facts: DiscretionFacts,
    aggravating: tuple[Circumstance, ...],
    warnings: list[str],
) -> bool:
    """首违不罚 is "可以": refused for entries or parties the 免罚 rules exclude, and where a
    从重 circumstance shows the violation was not minor."""
    blocks = []
    if not entry.exemption_allowed:
        blocks.append(f"违法行为“{entry.code}”未列入免罚范围（见违法行为目录），不适用首违不罚。")
    if facts.hazchem_business:
        blocks.append(
            "免罚不适用于危险化学品生产、经营、储存单位（粤应急规〔2023〕1号），不适用首违不罚。"
        )
    if aggravating:
        blocks.append("当事人具有从重情节，不宜认定为危害后果轻微，未适用首违不罚。")
    warnings.extend(blocks)
    if not blocks:
        warnings.append(
            "首违不罚系“可以”不予处罚：请核实当事人确属初次违法（同一违法行为无处罚记录），"
            "并记录教育情况或者承诺书。"
        )
    return not blocks


def _tier(
    entry: ViolationEntry, facts: DiscretionFacts, warnings: list[str]
) -> tuple[Tier, tuple[Circumstance, ...]]:
    """The tier the weighed circumstances lead to, and those circumstances."""
    mitigating = facts.of_kind(CircumstanceKind.MITIGATING)
    aggravating = _counted_aggravating(entry, facts, warnings)
    if mitigating and aggravating:
        warnings.append(
            f"当事人同时具有从轻（减轻）和从重情节，已按“{entry.conflict_tier.label}”"
            "裁量阶次处理，请结合案情综合判断。"
        )
        return entry.conflict_tier, mitigating + aggravating
    if aggravating:
        return Tier.SEVERE, aggravating
    if mitigating:
        return _mitigating_tier(entry, facts, warnings), mitigating
    if facts.mitigate:
        warnings.append(f"减轻处罚须具有{PUNISHMENT_LAW}第三十二条规定的情形，未予减轻。")
    return Tier.ORDINARY, ()


def _mitigating_tier(entry: ViolationEntry, facts: DiscretionFacts, warnings: list[str]) -> Tier:
    """从轻 by default; 减轻 when asked for and the range has a minimum to go below."""
    if not facts.mitigate:
        return Tier.LENIENT
    legal = entry.fine_range(facts.party_kind, facts.overdue)
    if legal is not None and legal.min_fine == 0:
        warnings.append("本条未规定最低罚款数额，无法减轻处罚，已按从轻处理。")
        return Tier.LENIENT
    return Tier.MITIGATED


def _counted_aggravating(
    entry: ViolationEntry, facts: DiscretionFacts, warnings: list[str]
) -> tuple[Circumstance, ...]:
    """The 从重 circumstances that count: non-correction already priced in by the stage-2 range
    is not weighed twice."""
    aggravating = facts.of_kind(CircumstanceKind.AGGRAVATING)
    if Circumstance.NOT_CORRECTED in aggravating:
        if facts.overdue:
            warnings.append(
                "已适用逾期未改正（拒不改正）的罚款幅度，“逾期未改正或者拒不改正”"
                "不再作为从重情节重复评价。"
            )
            aggravating = tuple(c for c in aggravating if c is not Circumstance.NOT_CORRECTED)
        elif entry.fine_range(facts.party_kind, overdue=True) is not None:
            warnings.append("当事人逾期未改正的，应当适用本条逾期未改正（拒不改正）的罚款幅度。")
    for circumstance in aggravating:
        if circumstance.confidence == "U":
            warnings.append(f"从重情节“{circumstance.label}”的依据尚待核实。")
    if aggravating and entry.authority != SAFETY_AUTHORITY:
        warnings.append(
            f"从重情节依据安全生产领域的裁量规定，本条由{entry.authority}执法，"
            "请改用该机关的裁量基准。"
        )
    return aggravating


def _fined(
    entry: ViolationEntry,
    facts: DiscretionFacts,
    tier: Tier,
    counted: tuple[Circumstance, ...],
    warnings: list[str],
) -> DiscretionSuggestion:
    """The suggestion for a tier that punishes: its sub-range of the legal range, or no fine
    where the cited clause sets none at this stage."""
    legal = entry.fine_range(facts.party_kind, facts.overdue)
    row = entry.tier(tier)
    if legal is None:
        party = PARTY_LABELS[facts.party_kind]
        stage = _stage_label(facts.overdue)
        warnings.append(f"{entry.penalty_article}在{stage}未规定对{party}的罚款。")
        fine, amount = FineRange(0, 0), 0
    else:
        fine = row.sub_range(legal)
        amount = suggested_fine(fine, legal.step)
        if row.confidence != "V":
            warnings.append("裁量阶次幅度为临时方案，尚未采用正式公布的裁量基准，请审核。")
    others = entry.overdue_other_penalties if facts.overdue else entry.other_penalties
    reason = (
        _fact_sentence(entry)
        + _legal_sentence(entry, facts, legal)
        + _circumstance_sentence(counted)
        + _decision_sentence(entry, tier, counted, legal, fine)
        + (f"此外，该条还规定：{'；'.join(others)}。" if others else "")
    )
    return DiscretionSuggestion(tier, fine, amount, reason, others, tuple(warnings))


def _fact_sentence(entry: ViolationEntry) -> str:
    """What the party did and which duty it broke."""
    return f"当事人存在{entry.title}的违法行为，违反了{entry.violated_article}的规定。"


def _exempt_sentence(exemption: Circumstance) -> str:
    """Why no penalty, and the education 第三十三条第三款 then requires."""
    return (
        f"经调查，当事人{exemption.label}。依据{exemption.basis}的规定，对当事人依法不予行政处罚，"
        f"并依照{EDUCATION_BASIS}的规定对当事人进行教育。"
    )


def _legal_sentence(entry: ViolationEntry, facts: DiscretionFacts, legal: FineRange | None) -> str:
    """The penalty article and the legal range for this party and stage."""
    party = PARTY_LABELS[facts.party_kind]
    if legal is None:
        stage = _stage_label(facts.overdue)
        return f"依据{entry.penalty_article}的规定，{stage}对{party}不处罚款。"
    stage = "经责令改正逾期未改正或者拒不改正的，" if facts.overdue else ""
    return f"依据{entry.penalty_article}的规定，{stage}对{party}处{range_text(legal)}的罚款。"


def _stage_label(overdue: bool) -> str:
    """The stage of a two-stage clause, for messages about a missing range."""
    return "逾期未改正（拒不改正）时" if overdue else "责令改正阶段"


def _circumstance_sentence(counted: tuple[Circumstance, ...]) -> str:
    """The circumstances weighed, each with its basis, or that there were none."""
    if not counted:
        return "经调查，未发现当事人具有法定不予处罚、减轻、从轻或者从重处罚的情节。"
    items = "；".join(f"{c.label}（{c.basis}）" for c in counted)
    return f"经调查，当事人具有以下情节：{items}。"


CONFLICT_GROUNDS = "当事人同时具有从轻、减轻情节和从重情节，经综合考量"
_GROUNDS = {
    Tier.MITIGATED: f"依据{PUNISHMENT_LAW}第三十二条的规定，对当事人减轻处罚",
    Tier.LENIENT: f"依据{PUNISHMENT_LAW}第三十二条的规定，对当事人从轻处罚",
    Tier.ORDINARY: "综合考虑违法行为的事实、性质、情节以及社会危害程度",
    Tier.SEVERE: "鉴于当事人具有上述从重情节，对当事人从重处罚",
}


def _decision_sentence(
    entry: ViolationEntry,
    tier: Tier,
    counted: tuple[Circumstance, ...],
    legal: FineRange | None,
    fine: FineRange,
) -> str:
    """The tier chosen, why, its 适用条件 and the band the amount is set in."""
    if legal is None:
        return "本阶段不确定罚款数额，应当依法责令当事人改正。"
    conflicting = len({c.kind for c in counted}) > 1
    grounds = CONFLICT_GROUNDS if conflicting else _GROUNDS[tier]
    below = (
        f"在法定最低罚款数额{yuan_text(legal.min_fine)}以下、" if tier is Tier.MITIGATED else "在"
    )
    condition = entry.tier(tier).condition
    return (
        f"{grounds}，适用“{tier.label}”裁量阶次（适用条件：{condition}），"
        f"{below}{range_text(fine)}的幅度内确定罚款数额。"
    )
