"""A checklist template as the app uses it once loaded and validated (immutable)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class HazardLevel(StrEnum):
    """Level of the hidden danger a failed item reveals."""

    GENERAL = "general"
    MAJOR = "major"

    @property
    def label(self) -> str:
        """Chinese name as printed on documents."""
        return "重大事故隐患" if self is HazardLevel.MAJOR else "一般事故隐患"


@dataclass(frozen=True)
class Basis:
    """One legal or standard basis: the instrument and the article within it."""

    instrument: str
    article: str

    @property
    def citation(self) -> str:
        """As documents cite it: 《中华人民共和国安全生产法》第三十六条第四款."""
        return f"《{self.instrument}》{self.article}"


@dataclass(frozen=True)
class Condition:
    """When an item applies: every fact answered 是, and the venue in one of the categories."""

    facts: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    def holds(self, facts: Mapping[str, bool], venue_categories: frozenset[str]) -> bool:
        """Whether the item applies to a venue with these facts and categories."""
        if not all(facts.get(fact, False) for fact in self.facts):
            return False
        return not self.categories or bool(venue_categories.intersection(self.categories))


ALWAYS = Condition()


@dataclass(frozen=True)
class Item:
    """One check of a template, with what a failure means."""

    id: str
    section_title: str
    check: str
    hint: str
    basis: tuple[Basis, ...]
    confidence: str
    hazard_level: HazardLevel
    violation_code: str | None
    rectification: str
    days: int
    condition: Condition
    note: str = ""

    @property
    def basis_confirmed(self) -> bool:
        """Whether the basis was verified in the full text (others await HQ review)."""
        return self.confidence == "V"

    @property
    def basis_text(self) -> str:
        """All citations in one line, as a hazard or document prints them."""
        return "、".join(basis.citation for basis in self.basis)


@dataclass(frozen=True)
class Fact:
    """A yes/no question asked when an inspection starts (e.g. 是否使用燃气？)."""

    id: str
    question: str


@dataclass(frozen=True)
class Template:
    """A validated template version; ``items`` are in walking order, sections resolved."""

    id: str
    version: str
    title: str
    description: str
    venue_categories: tuple[str, ...]
    facts: tuple[Fact, ...]
    items: tuple[Item, ...]

    def item(self, item_id: str) -> Item:
        """The item with this id (``KeyError`` if the template has none)."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def applicable_items(
        self, facts: Mapping[str, bool], venue_categories: frozenset[str]
    ) -> tuple[Item, ...]:
        """The items that can apply to this venue; the others stay hidden."""
        return tuple(item for item in self.items if item.condition.holds(facts, venue_categories))
