"""Reference data the bureau or the law defines (org units, categories, divisions, on-site
measures), read from resources.

Loaded once per process: it is read-only data shipped with the app (HQ will push new versions
later), so caching it changes no behaviour.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from fuanjian_desktop.resources import load_json_resource


@dataclass(frozen=True)
class Category:
    """A supervision category of enterprises (e.g. 三小场所·小档口)."""

    code: str
    label: str
    group: str


@dataclass(frozen=True)
class Street:
    """A 街道 of the district with its 社区 (communities)."""

    name: str
    communities: tuple[str, ...]


@dataclass(frozen=True)
class SquadSpec:
    """An org unit as the bureau defines it; ``street`` is empty for the bureau itself.

    ``id`` is fixed by the bureau, so every laptop and the HQ server name a unit alike.
    """

    id: str
    short_name: str
    name: str
    street: str


@functools.cache
def categories() -> tuple[Category, ...]:
    """All supervision categories, in display order."""
    data = load_json_resource("registry", "categories.json")
    return tuple(
        Category(item["code"], item["label"], item["group"]) for item in data["categories"]
    )


@functools.cache
def category_labels() -> dict[str, str]:
    """Category code → Chinese label."""
    return {category.code: category.label for category in categories()}


@functools.cache
def streets() -> tuple[Street, ...]:
    """The district's 街道 with their communities, in display order."""
    data = load_json_resource("registry", "divisions.json")
    return tuple(Street(item["name"], tuple(item["communities"])) for item in data["streets"])


@functools.cache
def street_names() -> tuple[str, ...]:
    """Just the 街道 names."""
    return tuple(street.name for street in streets())


@dataclass(frozen=True)
class OnsiteMeasure:
    """A 现场处理措施 the inspectors may take (安全生产法第六十五条), with its basis."""

    code: str
    label: str
    basis: str
    note: str


@functools.cache
def onsite_measures() -> tuple[OnsiteMeasure, ...]:
    """The on-site measures, in the order the 现场处理措施决定书 lists them."""
    data = load_json_resource("inspection", "onsite_measures.json")
    return tuple(
        OnsiteMeasure(item["code"], item["label"], item["basis"], item.get("note", ""))
        for item in data["measures"]
    )


@functools.cache
def org_units() -> tuple[SquadSpec, ...]:
    """The bureau first, then its squads."""
    data = load_json_resource("org", "squads.json")
    bureau_data = data["bureau"]
    bureau = SquadSpec(bureau_data["id"], bureau_data["short_name"], bureau_data["name"], "")
    squads = (
        SquadSpec(item["id"], item["short_name"], item["name"], item["street"])
        for item in data["squads"]
    )
    return (bureau, *squads)
