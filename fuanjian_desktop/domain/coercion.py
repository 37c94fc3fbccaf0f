"""行政强制措施 of a case: 查封扣押 and its period, and the 停止供电 power.

The law's numbers are data: the thirty-day period is the ``seizure_limit`` rule of
``resources/procedure/deadlines.json`` (counted by the deadline engine), the one thirty-day
extension and the bases of a 处理决定 are in ``resources/procedure/coercion.json``. Pure
functions over milestones and the steps of the case, shared by the guard and the documents.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fuanjian_desktop.domain.case_deadlines import compute_period, deadline_rule
from fuanjian_desktop.domain.procedure_settings import ProcedureSettings
from fuanjian_desktop.resources import load_json_resource

SEIZURE_RULE = "seizure_limit"
EXTEND_STEP = "extend_seizure"
Step = tuple[str, dt.date]  # an action code and its legal date, as the case's timeline holds them


@dataclass(frozen=True)
class SeizureLaw:
    """What 行政强制法第十九条、第二十五条 fix about a seizure, as the data file states it."""

    extension_days: int
    extensions_allowed: int
    source: str
    onsite_report_days: int
    onsite_source: str
    measure: str


@functools.cache
def coercion_data() -> dict[str, Any]:
    """``resources/procedure/coercion.json`` as read once per run."""
    data: dict[str, Any] = load_json_resource("procedure", "coercion.json")
    return data


@functools.cache
def seizure_law() -> SeizureLaw:
    """The seizure figures and their sources."""
    seizure = coercion_data()["seizure"]
    return SeizureLaw(
        extension_days=int(seizure["extension_days"]),
        extensions_allowed=int(seizure["extensions_allowed"]),
        source=str(seizure["source"]),
        onsite_report_days=int(seizure["onsite_report_days"]),
        onsite_source=str(seizure["onsite_source"]),
        measure=str(seizure["measure"]),
    )


def seizure_extension(milestones: Mapping[str, dt.date]) -> dict[str, int]:
    """The approved extension of the seizure period, by rule id, for the deadline engine."""
    if "seizure_decided" in milestones and "seizure_extended" in milestones:
        return {SEIZURE_RULE: seizure_law().extension_days}
    return {}


def seizure_end(decided: dt.date, extended: bool = False) -> dt.date:
    """The last day of a seizure decided (served) on ``decided``: thirty natural days, never
    rolled, plus the one extension when it was granted."""
    rule = deadline_rule(SEIZURE_RULE)
    extra = seizure_law().extension_days if extended else 0
    due, _ = compute_period(rule.count, decided, rule.length, extra)
    return due


def extensions(steps: Sequence[Step]) -> list[dt.date]:
    """The dates the seizure period was extended, in order."""
    return [on for code, on in steps if code == EXTEND_STEP]


def power_cut_allowed(settings: ProcedureSettings) -> bool:
    """Whether this squad holds the delegated 停止供电 power (a procedure setting, off by
    default: 安全生产法第七十条 gives it to the department, not to every squad)."""
    return bool(settings.values.get(str(coercion_data()["power_cut"]["setting"]), 0))


def disposal_basis(decision: str) -> str:
    """The article a 处理决定 rests on: 解除 (第二十八条), 没收 or 移送 (第二十七条)."""
    data = coercion_data()
    for entry in data["disposal_bases"]:
        if entry["word"] in decision:
            return str(entry["basis"])
    return str(data["disposal_default_basis"])
