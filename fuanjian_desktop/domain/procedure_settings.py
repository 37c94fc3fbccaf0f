"""Thresholds and periods of the case procedure that the bureau sets (听证起点, 陈述申辩期 …).

The defaults live in ``resources/procedure/settings.json`` with their legal source; a bureau
overrides a value by key (stored by the settings service), never by editing code.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import load_json_resource


@dataclass(frozen=True)
class SettingSpec:
    """One adjustable value: its Chinese label, default and where the default comes from."""

    key: str
    label: str
    default: int
    source: str
    confidence: str


@dataclass(frozen=True)
class ProcedureSettings:
    """The values the procedure guard and the deadline engine use for one bureau."""

    values: Mapping[str, int]
    heavy_penalties: frozenset[str] = field(default_factory=frozenset)

    def __getitem__(self, key: str) -> int:
        return self.values[key]

    def hearing_threshold(self, party_kind: str) -> int:
        """较大数额罚款: the fine from which the party must be told of the right to a hearing."""
        return self.values[f"hearing_threshold_{_target(party_kind)}"]

    def collective_threshold(self, party_kind: str) -> int:
        """The fine from which the case goes to 集体讨论 (a 重大 case)."""
        return self.values[f"collective_threshold_{_target(party_kind)}"]

    def simple_limit(self, party_kind: str) -> int:
        """The highest fine a 当场处罚 (简易程序) may impose on this kind of party."""
        return self.values[f"simple_limit_{_target(party_kind)}"]

    def with_overrides(self, overrides: Mapping[str, int]) -> ProcedureSettings:
        """These settings with the bureau's own values; an unknown key is refused."""
        unknown = sorted(set(overrides) - set(self.values))
        if unknown:
            raise UserError(f"未知的办案程序设置项：{'、'.join(unknown)}。")
        for key, value in overrides.items():
            if value < 0:
                raise UserError(f"办案程序设置“{key}”不能为负数，请重新填写。")
        return replace(self, values={**self.values, **overrides})


def _target(party_kind: str) -> str:
    """Settings distinguish a 公民 (person) from a 法人或者其他组织 (unit)."""
    return "person" if party_kind == "person" else "unit"


@functools.cache
def setting_specs() -> tuple[SettingSpec, ...]:
    """Every adjustable value with its label and source, in file order."""
    data: dict[str, Any] = load_json_resource("procedure", "settings.json")
    return tuple(
        SettingSpec(key, spec["label"], int(spec["value"]), spec["source"], spec["confidence"])
        for key, spec in data["settings"].items()
    )


@functools.cache
def default_settings() -> ProcedureSettings:
    """The shipped defaults (Guangdong values where the domain notes give them)."""
    data: dict[str, Any] = load_json_resource("procedure", "settings.json")
    values = {spec.key: spec.default for spec in setting_specs()}
    return ProcedureSettings(values, frozenset(data["heavy_penalties"]["value"]))
