"""Statutory deadlines of a penalty case, computed from the dated events of the case.

The rules (办案期限, 陈述申辩期, 缴纳罚款期 …) are data in ``resources/procedure/deadlines.json``
(schema in that folder's README), so a change in the law or in the bureau's practice is an edit
of the file, not of code. Every due date comes with the trail a clerk can check by hand.

Counting follows the law: the start day is not counted; 行政处罚法第八十五条 and
行政强制法第六十九条 make the short periods working days; a natural-day or month period whose
last day is a holiday or rest day ends on the next working day (民事诉讼法第八十五条, applied
through 行政诉讼法第一百零一条).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from fuanjian_desktop.domain.deadlines import (
    compute_deadline,
    official_calendar,
    roll_to_working_day,
    uncovered_years_note,
)
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import resource_path

SCHEMA_VERSION = 1
HEARING_NOTICE_RULE = "hearing_notice"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
RULE_KEYS = frozenset(
    {
        "id",
        "label",
        "kind",
        "count",
        "length",
        "setting",
        "starts_from",
        "satisfied_by",
        "cancelled_by",
        "source",
        "note",
        "after",
    }
)
Choice = TypeVar("Choice", bound=StrEnum)

# The dated events other code records for a case; rules may only refer to these keys.
EVENT_LABELS: Mapping[str, str] = {
    "filed": "立案",
    "investigation_ended": "调查终结",
    "notice_served": "行政处罚告知书送达",
    "statement_waived": "当事人放弃陈述申辩",
    "statement_heard": "听取陈述申辩",
    "hearing_notice_served": "听证告知书送达",
    "hearing_requested": "当事人申请听证",
    "hearing_waived": "当事人放弃听证",
    "hearing_scheduled": "确定听证时间",
    "hearing_notice_sent": "听证会通知书送达",
    "hearing_held": "举行听证",
    "decided": "作出行政处罚决定",
    "decision_served": "行政处罚决定书送达",
    "published": "处罚决定公示",
    "paid": "缴纳罚款",
    "payment_deferred": "批准延期（分期）缴纳罚款",
    "reminder_served": "催告书送达",
    "court_applied": "申请人民法院强制执行",
    "evidence_preserved": "先行登记保存证据",
    "preservation_decided": "先行登记保存证据处理决定",
    "seizure_approved": "批准查封扣押",
    "seizure_decided": "查封扣押决定书送达",
    "seizure_extended": "延长查封扣押期限决定书送达",
    "seizure_disposed": "查封扣押处理决定书送达",
    "power_cut": "停止供电（供应民用爆炸物品）",
    "power_restored": "恢复供电（供应民用爆炸物品）",
    "closed": "结案",
}


class DayCount(StrEnum):
    """How a period is counted: natural days, working days (法定节假日 excluded), or months.

    NATURAL_FIXED is natural days whose last day never rolls forward: the longest a coercive
    measure may last (查封扣押 30 days, 行政强制法第二十五条), where rolling past a holiday would
    keep the party's property seized beyond the statutory maximum.
    """

    NATURAL = "natural"
    WORKING = "working"
    MONTHS = "months"
    NATURAL_FIXED = "natural_fixed"


class DeadlineKind(StrEnum):
    """Who the period binds.

    ACT: the bureau must act by the due date. WAIT: a window the party has; the bureau must let
    it close before taking the next step (e.g. no decision inside the 陈述申辩期).
    """

    ACT = "act"
    WAIT = "wait"


class DeadlineState(StrEnum):
    """Whether a deadline is still running, was met, or no longer applies."""

    OPEN = "open"
    MET = "met"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class DeadlineRule:
    """One statutory period as the rule file states it."""

    id: str
    label: str
    kind: DeadlineKind
    count: DayCount
    length: int
    setting: str | None
    starts_from: str
    satisfied_by: tuple[str, ...]
    cancelled_by: tuple[str, ...]
    source: str
    note: str
    after: str | None = None  # the rule whose last day starts this one (instead of the event)


@dataclass(frozen=True)
class CaseDeadline:
    """A rule applied to one case: its due date, the trail explaining it, and where it stands."""

    rule: DeadlineRule
    start: dt.date
    due: dt.date
    explanation: str
    state: DeadlineState
    closed_on: dt.date | None

    def is_overdue(self, today: dt.date) -> bool:
        """The bureau missed an act deadline; a party's window can never be overdue."""
        return (
            self.rule.kind is DeadlineKind.ACT
            and self.state is DeadlineState.OPEN
            and today > self.due
        )

    def is_due_soon(self, today: dt.date, within: int = 3) -> bool:
        """Still open and not overdue, and due within ``within`` natural days: worth a reminder."""
        remaining = (self.due - today).days
        return self.state is DeadlineState.OPEN and 0 <= remaining <= within

    def window_open(self, today: dt.date) -> bool:
        """The party's window is still running, so the bureau must not take the next step yet."""
        return (
            self.rule.kind is DeadlineKind.WAIT
            and self.state is DeadlineState.OPEN
            and today <= self.due
        )


class DeadlineRuleError(UserError):
    """The rule file cannot be used; ``problems`` names each rule and field at fault."""

    def __init__(self, source: str, problems: list[str]) -> None:
        lines = "\n".join(f"· {problem}" for problem in problems)
        super().__init__(f"期限规则文件“{source}”有误，已拒绝加载：\n{lines}")
        self.source = source
        self.problems = problems


@functools.cache
def load_deadline_rules() -> tuple[DeadlineRule, ...]:
    """The rules shipped in ``resources/procedure/deadlines.json``, validated once per run."""
    return read_deadline_rules(resource_path("procedure", "deadlines.json"))


def read_deadline_rules(path: Path) -> tuple[DeadlineRule, ...]:
    """Read and validate a rule file; the whole file is refused if any rule is broken."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DeadlineRuleError(path.name, [f"无法读取或不是有效的 JSON：{error}"]) from error
    return parse_deadline_rules(document, path.name)


def parse_deadline_rules(document: Any, source: str) -> tuple[DeadlineRule, ...]:
    """Validate a parsed rule document; ``source`` names it in the error message."""
    if not isinstance(document, dict) or document.get("schema_version") != SCHEMA_VERSION:
        raise DeadlineRuleError(source, [f"应为 schema_version 为 {SCHEMA_VERSION} 的 JSON 对象"])
    entries = document.get("rules")
    if not isinstance(entries, list) or not entries:
        raise DeadlineRuleError(source, ["缺少 rules（期限规则列表）"])
    problems: list[str] = []
    rules = [_parse_rule(entry, n, problems) for n, entry in enumerate(entries, start=1)]
    problems += _duplicate_ids(rules) + _misplaced_afters(rules)
    if problems:
        raise DeadlineRuleError(source, problems)
    return tuple(rule for rule in rules if rule is not None)


def deadline_rule(rule_id: str) -> DeadlineRule:
    """The shipped rule with this id; code that depends on one named rule asks here."""
    for rule in load_deadline_rules():
        if rule.id == rule_id:
            return rule
    raise UserError(f"期限规则文件缺少规则“{rule_id}”，请恢复 resources/procedure/deadlines.json。")


def case_deadlines(
    events: Mapping[str, dt.date],
    settings: Mapping[str, int] | None = None,
    extra_days: Mapping[str, int] | None = None,
) -> tuple[CaseDeadline, ...]:
    """Every deadline the case has started, in rule-file order.

    ``events`` maps event keys (:data:`EVENT_LABELS`) to dates; a rule whose start event is not
    dated yet does not appear. ``settings`` (procedure settings) override the length of rules
    that name a setting; ``extra_days`` adds approved extensions, in natural days, by rule id.
    """
    rules = load_deadline_rules()
    extensions = _checked_extensions(extra_days or {}, {rule.id for rule in rules})
    computed: dict[str, CaseDeadline] = {}
    for rule in rules:
        if rule.starts_from in events:
            length, extra = _length(rule, settings or {}), extensions.get(rule.id, 0)
            computed[rule.id] = _case_deadline(rule, events, length, extra, computed)
    return tuple(computed.values())


def hearing_notice_gap_ok(sent: dt.date, held: dt.date) -> bool:
    """Whether a hearing on ``held`` leaves the notice period after the 听证会通知书 was served.

    行政处罚法第六十四条 wants notice seven (working) days before the hearing. Read strictly, the
    hearing must come after the last day of the ``hearing_notice`` rule's period. ``held`` may
    be a planned date as well as the day the hearing took place.
    """
    rule = deadline_rule(HEARING_NOTICE_RULE)
    due, _ = compute_period(rule.count, sent, rule.length)
    return held > due


def compute_period(
    count: DayCount, start: dt.date, length: int, extra_days: int = 0
) -> tuple[dt.date, str]:
    """The due date of a period starting after ``start``, and the trail that explains it.

    Approved extensions (``extra_days``) run in natural days after the period. A due date reached
    in natural days or months that is not a working day rolls to the next working day.
    """
    due, trail, uncovered = _count_period(count, start, length)
    if extra_days:
        due += dt.timedelta(days=extra_days)
        trail += f"，经批准延长 {extra_days} 日 → {due.isoformat()}"
    if count is not DayCount.NATURAL_FIXED and (count is not DayCount.WORKING or extra_days):
        rolled = roll_to_working_day(due)
        uncovered |= {due.year, rolled.year} - official_calendar().years
        trail += _roll_text(due, rolled)
        due = rolled
    return due, trail + uncovered_years_note(uncovered)


def add_months(start: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or that month's last day if it has no such day.

    E.g. 08-31 + 6 months = the end of February (民法典第二百零二条).
    """
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _count_period(count: DayCount, start: dt.date, length: int) -> tuple[dt.date, str, set[int]]:
    """The raw last day of the period (before any roll), its trail and uncovered years."""
    if count is DayCount.WORKING:
        deadline = compute_deadline(start, length)
        return deadline.due, deadline.trail, set(deadline.uncovered_years)
    if count in (DayCount.NATURAL, DayCount.NATURAL_FIXED):
        due = start + dt.timedelta(days=length)
        return due, f"{start.isoformat()} 起 {length} 日 → {due.isoformat()}", set()
    due = add_months(start, length)
    trail = f"{start.isoformat()} 起 {length} 个月 → {due.isoformat()}"
    if due.day != start.day:
        trail += "（该月无对应日，取月末）"
    return due, trail, set()


def _roll_text(due: dt.date, rolled: dt.date) -> str:
    """The note a rolled-forward due date carries, or nothing when it did not move."""
    if rolled == due:
        return ""
    return (
        f"，末日为法定节假日或休息日，顺延至 {rolled.isoformat()}"
        "（参照《中华人民共和国民事诉讼法》第八十五条）"
    )


def _case_deadline(
    rule: DeadlineRule,
    events: Mapping[str, dt.date],
    length: int,
    extra: int,
    earlier: Mapping[str, CaseDeadline],
) -> CaseDeadline:
    """Apply one rule to the case's events; a rule ``after`` another starts on that one's last
    day (e.g. the 3 months to apply to court run from the end of the 6-month 起诉期限)."""
    before = earlier.get(rule.after) if rule.after else None
    start = before.due if before else events[rule.starts_from]
    due, trail = compute_period(rule.count, start, length, extra)
    state, closed_on = _state(rule, events)
    began = f"{before.rule.label}届满" if before else EVENT_LABELS[rule.starts_from]
    explanation = f"{began}：{trail}"
    return CaseDeadline(rule, start, due, explanation, state, closed_on)


def _state(
    rule: DeadlineRule, events: Mapping[str, dt.date]
) -> tuple[DeadlineState, dt.date | None]:
    """MET once a satisfying event is dated, else CANCELLED once a cancelling one is, else OPEN."""
    met = _earliest(events, rule.satisfied_by)
    if met is not None:
        return DeadlineState.MET, met
    cancelled = _earliest(events, rule.cancelled_by)
    if cancelled is not None:
        return DeadlineState.CANCELLED, cancelled
    return DeadlineState.OPEN, None


def _earliest(events: Mapping[str, dt.date], keys: tuple[str, ...]) -> dt.date | None:
    """The first date among the listed events, if any of them is dated."""
    return min((events[key] for key in keys if key in events), default=None)


def _length(rule: DeadlineRule, settings: Mapping[str, int]) -> int:
    """The rule's length, unless a procedure setting overrides it."""
    if rule.setting is None or rule.setting not in settings:
        return rule.length
    value = settings[rule.setting]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UserError(f"程序设置“{rule.setting}”（{rule.label}）应为不小于 0 的整数天数。")
    return value


def _checked_extensions(extra_days: Mapping[str, int], rule_ids: set[str]) -> Mapping[str, int]:
    """Extensions refer to existing rules and are whole non-negative days."""
    for rule_id, days in extra_days.items():
        if rule_id not in rule_ids:
            raise UserError(f"延期记录指向不存在的期限规则“{rule_id}”，请核对期限规则文件。")
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise UserError(f"期限“{rule_id}”的延长天数应为不小于 0 的整数。")
    return extra_days


def _duplicate_ids(rules: list[DeadlineRule | None]) -> list[str]:
    """One problem per rule id used more than once."""
    ids = [rule.id for rule in rules if rule is not None]
    return [f"规则 id“{rule_id}”重复" for rule_id in sorted({i for i in ids if ids.count(i) > 1})]


def _misplaced_afters(rules: list[DeadlineRule | None]) -> list[str]:
    """A rule ``after`` another must name a rule listed before it (computed first)."""
    seen: set[str] = set()
    problems = []
    for rule in rules:
        if rule is None:
            continue
        if rule.after is not None and rule.after not in seen:
            problems.append(
                f"规则“{rule.id}”的字段 after 应为排在它之前的规则 id，现为“{rule.after}”"
            )
        seen.add(rule.id)
    return problems


def _parse_rule(entry: Any, number: int, problems: list[str]) -> DeadlineRule | None:
    """One rule, or ``None`` with its defects appended to ``problems``."""
    if not isinstance(entry, dict):
        problems.append(f"第 {number} 条规则应为 JSON 对象")
        return None
    rule_id = entry.get("id")
    name = f"规则“{rule_id}”" if isinstance(rule_id, str) else f"第 {number} 条规则"
    found = _RuleFields(entry, name)
    rule = DeadlineRule(
        id=found.identifier("id", required=True) or "",
        label=found.text("label"),
        kind=found.choice("kind", DeadlineKind),
        count=found.choice("count", DayCount),
        length=found.days("length"),
        setting=found.identifier("setting", required=False),
        starts_from=found.event("starts_from"),
        satisfied_by=found.events("satisfied_by"),
        cancelled_by=found.events("cancelled_by"),
        source=found.text("source"),
        note=found.text("note", required=False),
        after=found.identifier("after", required=False),
    )
    problems += found.problems + found.unknown_keys()
    return None if found.problems else rule


class _RuleFields:
    """Typed reads of one rule's fields that record a Chinese problem instead of failing."""

    def __init__(self, entry: dict[str, Any], name: str) -> None:
        self.entry = entry
        self.name = name
        self.problems: list[str] = []

    def text(self, key: str, required: bool = True) -> str:
        """A Chinese text; ``note`` may be missing, the others must not be empty."""
        value = self.entry.get(key, None if required else "")
        if not isinstance(value, str) or (required and not value.strip()):
            self._fault(key, "应为非空文字")
            return ""
        return value

    def identifier(self, key: str, required: bool) -> str | None:
        """An id such as ``statement_days``; ``setting`` may be null."""
        value = self.entry.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self._fault(key, "应为小写英文、数字和下划线组成的标识")
            return None
        return value

    def choice(self, key: str, enum: type[Choice]) -> Choice:
        """One of the enum's values, e.g. ``act`` or ``wait``."""
        value = self.entry.get(key)
        allowed = [member.value for member in enum]
        if value not in allowed:
            self._fault(key, f"应为 {' 或 '.join(allowed)}，现为“{value}”")
            return next(iter(enum))
        return enum(value)

    def days(self, key: str) -> int:
        """A whole, non-negative number of days or months."""
        value = self.entry.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self._fault(key, f"应为不小于 0 的整数，现为“{value}”")
            return 0
        return value

    def event(self, key: str) -> str:
        """One known event key."""
        value = self.entry.get(key)
        if value not in EVENT_LABELS:
            self._fault(key, f"事件“{value}”不是已知的案件事件")
            return ""
        return str(value)

    def events(self, key: str) -> tuple[str, ...]:
        """A list of known event keys (may be empty)."""
        value = self.entry.get(key)
        if not isinstance(value, list):
            self._fault(key, "应为事件列表（可为空列表）")
            return ()
        unknown = [str(item) for item in value if item not in EVENT_LABELS]
        if unknown:
            self._fault(key, f"事件“{'、'.join(unknown)}”不是已知的案件事件")
        return tuple(str(item) for item in value)

    def unknown_keys(self) -> list[str]:
        """A problem per key the schema does not know (a typo would otherwise be ignored)."""
        return [f"{self.name}有未知字段 {key}" for key in sorted(set(self.entry) - RULE_KEYS)]

    def _fault(self, key: str, message: str) -> None:
        """Record that field ``key`` of this rule is wrong."""
        self.problems.append(f"{self.name}的字段 {key} {message}")
