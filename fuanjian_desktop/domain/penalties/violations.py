"""The violation catalogue (违法行为目录): what a violation is called, which articles it breaks and
cites, and the fine ranges and discretion tiers (裁量阶次) the law allows, from
``resources/violations`` (schema and sources: its README).

Amounts are data, not code: the law changes (the 危险化学品安全法 replaces the 2013 条例 on
2026-05-01) and HQ will replace the placeholder tier schemes with the published 裁量基准 rows.
Every defect in the files is collected and the whole catalogue is refused, because a printed
decision must never cite a half-read entry.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeGuard

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import resource_path

SCHEMA_VERSION = 1
SCHEMES_FILE = "tiers.json"
LAWS = frozenset({"AQ", "XF", "GDXF", "SZ", "WHTL", "GZ"})
AUTHORITIES = frozenset({"应急管理部门", "消防救援机构", "公安机关", "市场监督管理部门"})
CONFIDENCE_LABELS = frozenset({"V", "V-excerpt", "U"})
TARGETS = frozenset({"unit", "person"})
CODE_PATTERN = re.compile(
    r"^(?P<law>AQ|XF|GDXF|SZ|WHTL)-\d{1,3}(-K\d)?(-\d{1,2})?$|^(?P<gz>GZ)-[A-Z]{2}-\d{1,3}(-\d{1,2})?$"
)
RANGE_KEYS = ("fine", "person_fine", "overdue_fine", "overdue_person_fine")
TEXT_KEYS = ("title", "law_title", "violated_article", "penalty_article", "penalty_text")
ENTRY_KEYS = frozenset(
    {
        "code",
        "clause",
        *TEXT_KEYS,
        *RANGE_KEYS,
        "other_penalties",
        "overdue_other_penalties",
        "authority",
        "valid_from",
        "valid_to",
        "confidence",
        "exemption_allowed",
        "tier_scheme",
        "tiers",
        "note",
    }
)
CHOICES = (
    ("authority", AUTHORITIES, "、".join(sorted(AUTHORITIES))),
    ("confidence", CONFIDENCE_LABELS, "V、V-excerpt 或 U"),
)
BOUND_BASES = frozenset({"range", "minimum", "yuan"})
OWN_TIERS = "条目自定义"  # tier_scheme of an entry with its own rows
LARGE_RANGE = 10_000  # from this maximum on, derived amounts are rounded to 100 yuan


@dataclass(frozen=True)
class FineRange:
    """A fine range in whole yuan, both ends included; ``min_fine`` is 0 for "…以下" clauses."""

    min_fine: int
    max_fine: int

    @property
    def step(self) -> int:
        """Rounding unit for derived amounts: 100 yuan, or 10 yuan for ranges below 1万."""
        return 100 if self.max_fine >= LARGE_RANGE else 10

    def contains(self, amount: int) -> bool:
        """Whether ``amount`` lies in the range, ends included."""
        return self.min_fine <= amount <= self.max_fine


def round_yuan(amount: Fraction, step: int) -> int:
    """``amount`` rounded half up to a multiple of ``step`` yuan (documents print whole amounts)."""
    return int((amount / step + Fraction(1, 2)) // 1) * step


class Tier(StrEnum):
    """A 裁量阶次: how the fine is placed within (or, for 减轻, below) the legal range."""

    EXEMPT = "exempt"
    MITIGATED = "mitigated"
    LENIENT = "lenient"
    ORDINARY = "ordinary"
    SEVERE = "severe"

    @property
    def label(self) -> str:
        """Chinese name as printed in the 裁量理由."""
        return _TIER_LABELS[self]


CONFLICT_TIERS = frozenset({Tier.LENIENT, Tier.ORDINARY, Tier.SEVERE})
_TIER_LABELS = {
    Tier.EXEMPT: "不予处罚",
    Tier.MITIGATED: "减轻",
    Tier.LENIENT: "从轻",
    Tier.ORDINARY: "一般",
    Tier.SEVERE: "从重",
}


@dataclass(frozen=True)
class FineBound:
    """One end of a tier's sub-range: a share of the legal range, a share of the legal minimum
    (only 减轻 uses it, to stay below the minimum), or a fixed amount in yuan."""

    basis: str
    value: Fraction

    def amount(self, legal: FineRange) -> int:
        """The bound in yuan for this legal range; shares are rounded to ``legal.step``."""
        if self.basis == "yuan":
            return int(self.value)
        if self.basis == "minimum":
            return round_yuan(self.value * legal.min_fine, legal.step)
        span = legal.max_fine - legal.min_fine
        return round_yuan(legal.min_fine + self.value * span, legal.step)


@dataclass(frozen=True)
class DiscretionTier:
    """One row of a discretion table (裁量阶次, 适用条件, 具体标准), as 应急〔2024〕90号 has."""

    tier: Tier
    condition: str
    low: FineBound
    high: FineBound
    confidence: str

    def sub_range(self, legal: FineRange) -> FineRange:
        """This tier's part of ``legal``; 不予处罚 is 0 and 减轻 stays below the legal minimum."""
        if self.tier is Tier.EXEMPT:
            return FineRange(0, 0)
        if self.tier is Tier.MITIGATED:
            floor, ceiling = 0, max(legal.min_fine - 1, 0)
        else:
            floor, ceiling = legal.min_fine, legal.max_fine
        low, high = (min(max(b.amount(legal), floor), ceiling) for b in (self.low, self.high))
        return FineRange(low, max(low, high))


@dataclass(frozen=True)
class ViolationEntry:
    """One violation with its articles, fine ranges and discretion tiers.

    ``min_fine``/``max_fine`` are the unit's stage-1 range; ``max_fine == 0`` means stage 1 has
    no fine for the unit (责令改正 only, or the fine falls on a person). "Person" ranges fine a
    natural person: 直接负责的主管人员和其他直接责任人员, or an individual violator.
    """

    code: str
    title: str
    law: str
    law_title: str
    violated_article: str
    penalty_article: str
    penalty_text: str
    min_fine: int
    max_fine: int
    person_fine: FineRange | None
    overdue_fine: FineRange | None
    overdue_person_fine: FineRange | None
    other_penalties: tuple[str, ...]
    overdue_other_penalties: tuple[str, ...]
    authority: str
    valid_from: dt.date
    valid_to: dt.date | None
    exemption_allowed: bool
    tiers: tuple[DiscretionTier, ...]
    tier_scheme: str
    conflict_tier: Tier
    confidence: str
    note: str

    def valid_on(self, day: dt.date) -> bool:
        """Whether the entry's law was in force on ``day`` (the law applied is the one in force
        when the violation happened, 行政处罚法第三十七条)."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def fine_range(self, target: str = "unit", overdue: bool = False) -> FineRange | None:
        """The legal range for the unit or a person, at stage 1 or after 逾期未改正/拒不改正;
        None when the law sets no fine there."""
        if target not in TARGETS:
            raise ValueError(f"target must be 'unit' or 'person', not {target!r}")
        if target == "person":
            return self.overdue_person_fine if overdue else self.person_fine
        if overdue:
            return self.overdue_fine
        return FineRange(self.min_fine, self.max_fine) if self.max_fine > 0 else None

    def tier(self, tier: Tier) -> DiscretionTier:
        """The discretion row of ``tier`` (the loader guarantees every tier has one)."""
        return next(row for row in self.tiers if row.tier is tier)


class CatalogueError(UserError):
    """The catalogue files cannot be used; ``problems`` lists every defect found."""

    def __init__(self, problems: list[str]) -> None:
        lines = "\n".join(f"· {problem}" for problem in problems)
        super().__init__(f"违法行为目录有误，已拒绝加载：\n{lines}")
        self.problems = problems


def default_folder() -> Path:
    """``resources/violations`` of this installation."""
    return resource_path("violations")


def load_catalogue(folder: Path | None = None) -> tuple[ViolationEntry, ...]:
    """Every entry of the catalogue in ``folder`` (default: the shipped one), validated.

    Cached per folder: the catalogue is read-only data shipped with the app.
    """
    return _load_folder(folder or default_folder())


@functools.cache
def _load_folder(folder: Path) -> tuple[ViolationEntry, ...]:
    """All law files of ``folder`` with its tier schemes; one bad file refuses them all."""
    schemes = _read_json(folder / SCHEMES_FILE)
    laws = sorted(path for path in folder.glob("*.json") if path.name != SCHEMES_FILE)
    return parse_catalogue({path.name: _read_json(path) for path in laws}, schemes)


@functools.cache
def catalogue_by_code() -> Mapping[str, ViolationEntry]:
    """The shipped catalogue keyed by violation code (read-only)."""
    return MappingProxyType({entry.code: entry for entry in load_catalogue()})


def find_violation(code: str) -> ViolationEntry:
    """The shipped entry for ``code``, e.g. ``AQ-97-3``."""
    entry = catalogue_by_code().get(code)
    if entry is None:
        raise UserError(f"违法行为目录中没有代码“{code}”，请核对违法行为代码或更新违法行为目录。")
    return entry


def parse_catalogue(
    documents: Mapping[str, Any], schemes_document: Any
) -> tuple[ViolationEntry, ...]:
    """Validate law files (file name → parsed JSON) against the shared tier schemes; raise
    :class:`CatalogueError` with every defect, duplicate codes across files included."""
    problems = _Problems()
    schemes = _schemes(schemes_document, problems)
    entries: list[ViolationEntry] = []
    seen: dict[str, str] = {}
    for source, document in documents.items():
        for entry in _law_file(document, source, schemes, problems):
            if entry.code in seen:
                problems.add(source, f"违法行为“{entry.code}”", f"代码与 {seen[entry.code]} 重复")
            else:
                seen[entry.code] = source
                entries.append(entry)
    if problems:
        raise CatalogueError(problems.lines)
    return tuple(entries)


def _read_json(path: Path) -> Any:
    """Parsed JSON, or a CatalogueError naming the file (and line) that cannot be read."""
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError as error:
        raise CatalogueError([f"找不到文件 {path.name}"]) from error
    except json.JSONDecodeError as error:
        where = f"第 {error.lineno} 行第 {error.colno} 列"
        raise CatalogueError([f"{path.name}：JSON 格式错误（{where}）：{error.msg}"]) from error
    except UnicodeDecodeError as error:
        raise CatalogueError([f"{path.name}：文件不是 UTF-8 编码"]) from error


class _Problems:
    """Collects defects so one run reports all of them, each naming file, entry and field."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.lines)

    def add(self, source: str, where: str, message: str) -> None:
        self.lines.append(f"{source} {where}：{message}")


@dataclass(frozen=True)
class _Scheme:
    """A parsed tier table: its rows and the tier for conflicting circumstances."""

    rows: tuple[DiscretionTier, ...]
    conflict_tier: Tier


def _schemes(document: Any, problems: _Problems) -> dict[str, _Scheme]:
    """The shared tier schemes of ``tiers.json`` by name."""
    where = "裁量阶次方案"
    if not isinstance(document, dict) or document.get("schema_version") != SCHEMA_VERSION:
        problems.add(SCHEMES_FILE, where, f"应为 JSON 对象且 schema_version 为 {SCHEMA_VERSION}")
        return {}
    raw = document.get("schemes")
    if not isinstance(raw, dict) or not raw:
        problems.add(SCHEMES_FILE, where, "schemes 应为非空对象")
        return {}
    parsed = {
        name: _scheme(value, SCHEMES_FILE, f"方案“{name}”", problems) for name, value in raw.items()
    }
    return {name: scheme for name, scheme in parsed.items() if scheme is not None}


def _scheme(raw: Any, source: str, where: str, problems: _Problems) -> _Scheme | None:
    """One tier table (shared or an entry's own): exactly one row per tier, so the calculator
    never meets a tier without a band."""
    if not isinstance(raw, dict) or not isinstance(raw.get("rows"), list):
        problems.add(source, where, "应为含 rows（各裁量阶次）的对象")
        return None
    count = len(problems.lines)
    confidence = raw.get("confidence")
    if confidence not in CONFIDENCE_LABELS:
        problems.add(source, where, "confidence 应为 V、V-excerpt 或 U")
    conflict = raw.get("conflict_tier", Tier.ORDINARY.value)
    if conflict not in CONFLICT_TIERS:
        problems.add(source, where, "conflict_tier 应为 lenient、ordinary 或 severe")
    rows = [_tier_row(row, str(confidence), source, where, problems) for row in raw["rows"]]
    found = [row.tier for row in rows if row is not None]
    if sorted(found) != sorted(Tier):
        problems.add(
            source, where, "rows 应恰好包含 exempt、mitigated、lenient、ordinary、severe 各一行"
        )
    if len(problems.lines) > count:
        return None
    return _Scheme(tuple(row for row in rows if row is not None), Tier(conflict))


def _tier_row(
    raw: Any, confidence: str, source: str, where: str, problems: _Problems
) -> DiscretionTier | None:
    """One 裁量阶次 row: tier, 适用条件 and bounds that fit the tier."""
    if not isinstance(raw, dict) or raw.get("tier") not in set(Tier):
        problems.add(
            source, where, "每一行需要 tier（exempt、mitigated、lenient、ordinary、severe）"
        )
        return None
    tier = Tier(raw["tier"])
    row_where = f"{where} 阶次“{tier.label}”"
    if not _text(raw.get("condition")):
        problems.add(source, row_where, "缺少 condition（适用条件）")
        return None
    low = _bound(raw.get("from"), source, f"{row_where} 字段 from", problems)
    high = _bound(raw.get("to"), source, f"{row_where} 字段 to", problems)
    if low is None or high is None or not _bounds_fit(tier, low, high, source, row_where, problems):
        return None
    return DiscretionTier(tier, raw["condition"], low, high, confidence)


def _bound(raw: Any, source: str, where: str, problems: _Problems) -> FineBound | None:
    """One sub-range end: a single basis with a non-negative value (shares as "1/3" allowed)."""
    if not isinstance(raw, dict) or len(raw) != 1 or next(iter(raw)) not in BOUND_BASES:
        problems.add(source, where, '应为 {"range": 份额}、{"minimum": 份额} 或 {"yuan": 金额}')
        return None
    basis, value = next(iter(raw.items()))
    number = _fraction(value)
    if number is None or number < 0 or (basis == "range" and number > 1):
        problems.add(source, where, f"数值“{value}”无效（份额取 0 到 1，可写作“1/3”）")
        return None
    return FineBound(basis, number)


def _bounds_fit(
    tier: Tier, low: FineBound, high: FineBound, source: str, where: str, problems: _Problems
) -> bool:
    """Each tier's bounds must mean what the tier means in law."""
    if tier is Tier.EXEMPT and not (low == high == FineBound("yuan", Fraction(0))):
        problems.add(source, where, "不予处罚的幅度应为 0 元至 0 元")
        return False
    mitigated_ok = all(b.basis == "minimum" and 0 < b.value < 1 for b in (low, high))
    if tier is Tier.MITIGATED and not mitigated_ok:
        problems.add(
            source, where, "减轻的幅度应以法定最低罚款的份额表示，且小于 1（低于法定最低罚款）"
        )
        return False
    if tier not in (Tier.EXEMPT, Tier.MITIGATED) and "minimum" in (low.basis, high.basis):
        problems.add(source, where, "只有减轻可以使用 minimum")
        return False
    if low.basis == high.basis and low.value > high.value:
        problems.add(source, where, "from 大于 to")
        return False
    return True


def _law_file(
    document: Any, source: str, schemes: dict[str, _Scheme], problems: _Problems
) -> Iterator[ViolationEntry]:
    """The valid entries of one law file; its defects go to ``problems``."""
    if not isinstance(document, dict) or document.get("schema_version") != SCHEMA_VERSION:
        problems.add(source, "文件", f"应为 JSON 对象且 schema_version 为 {SCHEMA_VERSION}")
        return
    law = document.get("law")
    defaults, clauses, entries = (document.get(k, {}) for k in ("defaults", "clauses", "entries"))
    if law not in LAWS:
        problems.add(source, "文件", f"law“{law}”应为 {'、'.join(sorted(LAWS))} 之一")
    elif not isinstance(defaults, dict) or not isinstance(clauses, dict):
        problems.add(source, "文件", "defaults 和 clauses 应为 JSON 对象")
    elif not isinstance(entries, list) or not entries:
        problems.add(source, "文件", "entries 应为非空列表")
    else:
        for position, raw in enumerate(entries, start=1):
            merged = _merged(raw, defaults, clauses, source, position, problems)
            entry = None if merged is None else _entry(merged, law, source, schemes, problems)
            if entry is not None:
                yield entry


def _merged(
    raw: Any,
    defaults: dict[str, Any],
    clauses: dict[str, Any],
    source: str,
    position: int,
    problems: _Problems,
) -> dict[str, Any] | None:
    """The entry with the file's defaults and its shared penalty clause filled in."""
    code = raw.get("code") if isinstance(raw, dict) else None
    where = f"违法行为“{code}”" if _text(code) else f"第 {position} 个条目"
    if not isinstance(raw, dict):
        problems.add(source, where, "应为 JSON 对象")
        return None
    clause = clauses.get(raw["clause"]) if "clause" in raw else {}
    if not isinstance(clause, dict):
        problems.add(source, f"{where} 字段 clause", f"文件中没有罚则“{raw['clause']}”")
        return None
    return {**defaults, **clause, **raw}


def _entry(
    raw: dict[str, Any], law: str, source: str, schemes: dict[str, _Scheme], problems: _Problems
) -> ViolationEntry | None:
    """One merged entry validated field by field; None once its defects are reported."""
    fields = _Fields(raw, source, problems)
    fields.check_code(law)
    fields.check_choices()
    texts = {key: fields.text(key) for key in TEXT_KEYS}
    ranges = fields.ranges()
    valid_from, valid_to = fields.validity()
    scheme_name, scheme = fields.scheme(schemes)
    others = {key: fields.texts(key) for key in ("other_penalties", "overdue_other_penalties")}
    if not fields.ok or scheme is None or valid_from is None:
        return None
    stage_one = ranges["fine"] or FineRange(0, 0)
    law_title = texts["law_title"]
    return ViolationEntry(
        code=raw["code"],
        title=texts["title"],
        law=law,
        law_title=law_title,
        violated_article=_citation(law_title, texts["violated_article"]),
        penalty_article=_citation(law_title, texts["penalty_article"]),
        penalty_text=texts["penalty_text"],
        min_fine=stage_one.min_fine,
        max_fine=stage_one.max_fine,
        person_fine=ranges["person_fine"],
        overdue_fine=ranges["overdue_fine"],
        overdue_person_fine=ranges["overdue_person_fine"],
        other_penalties=others["other_penalties"],
        overdue_other_penalties=others["overdue_other_penalties"],
        authority=raw["authority"],
        valid_from=valid_from,
        valid_to=valid_to,
        exemption_allowed=raw["exemption_allowed"],
        tiers=scheme.rows,
        tier_scheme=scheme_name,
        conflict_tier=scheme.conflict_tier,
        confidence=raw["confidence"],
        note=str(raw.get("note", "")),
    )


class _Fields:
    """Reads the fields of one merged entry, reporting each defect with file, code and field."""

    def __init__(self, raw: dict[str, Any], source: str, problems: _Problems) -> None:
        self.raw = raw
        self.source = source
        self.problems = problems
        self.start = len(problems.lines)
        code = raw.get("code")
        self.where = f"违法行为“{code}”" if _text(code) else "代码缺失的条目"

    @property
    def ok(self) -> bool:
        """No defect reported for this entry so far."""
        return len(self.problems.lines) == self.start

    def add(self, key: str, message: str) -> None:
        self.problems.add(self.source, f"{self.where} 字段 {key}", message)

    def check_choices(self) -> None:
        """Fields with a closed set of values (authority, confidence, exemption_allowed)."""
        for key, allowed, names in CHOICES:
            if self.raw.get(key) not in allowed:
                self.add(key, f"应为 {names}")
        if not isinstance(self.raw.get("exemption_allowed"), bool):
            self.add("exemption_allowed", "应为 true 或 false")

    def ranges(self) -> dict[str, FineRange | None]:
        """The four fine ranges; an entry that fines nobody is a data error."""
        ranges = {key: self.fine_range(key) for key in RANGE_KEYS}
        if not any(ranges.values()) and self.ok:
            self.add(
                "fine",
                "至少需要一个罚款幅度（fine、person_fine、overdue_fine 或 overdue_person_fine）",
            )
        return ranges

    def validity(self) -> tuple[dt.date | None, dt.date | None]:
        """valid_from (required) and valid_to (open when null), in order."""
        valid_from, valid_to = self.date("valid_from"), self.optional_date("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            self.add("valid_to", "早于 valid_from")
        return valid_from, valid_to

    def check_code(self, law: str) -> None:
        unknown = sorted(set(self.raw) - ENTRY_KEYS)
        if unknown:
            self.add("、".join(unknown), "未知字段（拼写错误？）")
        code = self.raw.get("code")
        match = CODE_PATTERN.match(code) if isinstance(code, str) else None
        if match is None:
            self.add("code", "格式应形如 AQ-97-3、SZ-57-K3 或 GZ-CF-45-1")
        elif (match.group("law") or match.group("gz")) != law:
            self.add("code", f"前缀与文件的 law“{law}”不一致")

    def text(self, key: str) -> str:
        value = self.raw.get(key)
        if not _text(value):
            self.add(key, "缺少文字内容")
            return ""
        return value.strip()

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(_text(item) for item in value):
            self.add(key, "应为文字列表")
            return ()
        return tuple(value)

    def fine_range(self, key: str) -> FineRange | None:
        value = self.raw.get(key)
        if value is None:
            return None
        shape_ok = isinstance(value, dict) and set(value) == {"min", "max"}
        if not shape_ok or not (_whole(value["min"]) and _whole(value["max"])):
            self.add(key, '应为 {"min": 元, "max": 元}，金额为非负整数')
            return None
        low, high = value["min"], value["max"]
        if low > high or high == 0:
            self.add(key, f"min（{low}）不得大于 max（{high}），且 max 应大于 0")
            return None
        return FineRange(low, high)

    def date(self, key: str) -> dt.date | None:
        if self.raw.get(key) is None:
            self.add(key, "缺少日期")
            return None
        return self.optional_date(key)

    def optional_date(self, key: str) -> dt.date | None:
        value = self.raw.get(key)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            self.add(key, f"“{value}”不是 YYYY-MM-DD 日期")
            return None

    def scheme(self, schemes: dict[str, _Scheme]) -> tuple[str, _Scheme | None]:
        """The entry's own tier rows if it has them, else the shared scheme it names."""
        if "tiers" in self.raw:
            where = f"{self.where} 字段 tiers"
            return OWN_TIERS, _scheme(self.raw["tiers"], self.source, where, self.problems)
        name = self.raw.get("tier_scheme")
        if name not in schemes:
            self.add("tier_scheme", f"裁量阶次方案“{name}”不存在于 {SCHEMES_FILE}")
            return str(name), None
        return name, schemes[name]


def _citation(law_title: str, article: str) -> str:
    """A printable citation: an article alone ("第九十七条第（三）项") gets the law's title."""
    if article.startswith("《"):
        return article
    nested = law_title.replace("《", "〈").replace("》", "〉")
    return f"《{nested}》{article}"


def _fraction(value: Any) -> Fraction | None:
    """A JSON number or "p/q" string as an exact fraction (0.3 stays 3/10)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return None


def _whole(value: Any) -> bool:
    """A non-negative whole number of yuan (JSON true is not a number here)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _text(value: Any) -> TypeGuard[str]:
    """A non-blank string."""
    return isinstance(value, str) and bool(value.strip())
