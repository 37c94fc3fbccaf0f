"""The order of the items inside a case's volume (卷内材料排列顺序).

Two conventions are data (``resources/dossier/binding_order.json``): "result first" (the
Tianjin filing rule, the default) and "chronological". Each lists phases of order keys; an
item's order key is its document's type key, or ``photo_evidence`` / ``media_index``. The
volume follows the phases, the listed keys inside a phase, and inside one key the date, then
the 文号. A person may then move an item with a reason (``CaseDossier.order_overrides``); those
moves are applied last, in the order they were made, so the computed order never hides them.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import load_json_resource


@dataclass(frozen=True)
class BindingItem:
    """One item of the volume: its key (``doc:<id>``, ``photos``, ``media``), the key that
    places it (type key, ``photo_evidence``, ``media_index``), its date and 文号."""

    key: str
    order_key: str
    on: dt.date | None
    number: str | None = None


@dataclass(frozen=True)
class OrderOverride:
    """A person's move: put ``item`` at 1-based ``position``, for ``reason``."""

    item: str
    position: int
    reason: str


@dataclass(frozen=True)
class Binding:
    """The items in volume order, and the moves left out because their item is gone."""

    items: tuple[BindingItem, ...]
    stale: tuple[OrderOverride, ...]


@dataclass(frozen=True)
class Convention:
    """One binding convention: its phases, each a tuple of order keys in filing order."""

    key: str
    label: str
    source: str
    phases: tuple[tuple[str, tuple[str, ...]], ...]

    @functools.cached_property
    def rank(self) -> dict[str, tuple[int, int]]:
        """(phase index, place in the phase) of every known order key."""
        return {
            key: (phase, place)
            for phase, (_, keys) in enumerate(self.phases)
            for place, key in enumerate(keys)
        }


@functools.cache
def conventions() -> dict[str, Convention]:
    """Every convention by key, in file order."""
    data: dict[str, Any] = load_json_resource("dossier", "binding_order.json")
    return {
        key: Convention(
            key,
            row["label"],
            row["source"],
            tuple(
                (phase["label"], tuple(entry["key"] for entry in phase["entries"]))
                for phase in row["phases"]
            ),
        )
        for key, row in data["conventions"].items()
    }


def convention(key: str) -> Convention:
    """The convention ``key``; a Chinese error names the known ones."""
    try:
        return conventions()[key]
    except KeyError:
        known = "、".join(f"{c.key}（{c.label}）" for c in conventions().values())
        raise UserError(f"未知的卷内排列顺序“{key}”。可选：{known}。") from None


def parse_overrides(rows: Sequence[Mapping[str, Any]]) -> tuple[OrderOverride, ...]:
    """The stored moves (``CaseDossier.order_overrides``) as values; a malformed one is an
    error naming it (the volume must not silently drop what a person decided)."""
    overrides = []
    for number, row in enumerate(rows, start=1):
        item, position, reason = row.get("item"), row.get("position"), row.get("reason")
        if (
            isinstance(item, str)
            and isinstance(position, int)
            and position >= 1
            and isinstance(reason, str)
            and reason.strip()
        ):
            overrides.append(OrderOverride(item, position, reason.strip()))
            continue
        raise UserError(
            f"第{number}项调整顺序记录不完整（须有材料、位置（从1起）和理由）：{dict(row)}。"
            "请在案卷页面删除后重新调整。"
        )
    return tuple(overrides)


def order_items(
    items: Sequence[BindingItem], convention_key: str, overrides: Sequence[OrderOverride] = ()
) -> Binding:
    """The items in the order of ``convention_key``, then the person's moves applied."""
    chosen = convention(convention_key)
    placed = {item.key: _place(chosen, item, items) for item in items}
    ordered = sorted(items, key=lambda item: (placed[item.key], *_within_key(item)))
    return _moved(ordered, overrides)


def _place(chosen: Convention, item: BindingItem, items: Sequence[BindingItem]) -> tuple[int, int]:
    """(phase, place) of ``item``; an unknown key goes after the known keys of the phase its
    date falls in: that of the last known item dated on or before it (the later phase on the
    same day); undated, the last phase; earlier than every known item, the first phase."""
    rank = chosen.rank.get(item.order_key)
    if rank is not None:
        return rank
    after_known = len(chosen.rank)
    if item.on is None:
        return (len(chosen.phases) - 1, after_known)
    earlier = [
        (other.on, chosen.rank[other.order_key])
        for other in items
        if other.order_key in chosen.rank and other.on is not None and other.on <= item.on
    ]
    phase = max(earlier)[1][0] if earlier else 0
    return (phase, after_known)


def _within_key(item: BindingItem) -> tuple[dt.date, tuple[tuple[int, str], ...], str]:
    """Inside one order key: by date (undated last), then 文号 in natural order, then key."""
    return (item.on or dt.date.max, _natural(item.number or ""), item.key)


def _natural(text: str) -> tuple[tuple[int, str], ...]:
    """``〔2026〕9号`` before ``〔2026〕10号``: digit runs compare as numbers."""
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part) for part in re.split(r"(\d+)", text)
    )


def _moved(ordered: list[BindingItem], overrides: Sequence[OrderOverride]) -> Binding:
    """Apply each move in turn (a position past the end puts the item last); a move of an
    item no longer in the volume is left out and reported."""
    result = list(ordered)
    stale = []
    for move in overrides:
        index = next((i for i, item in enumerate(result) if item.key == move.item), None)
        if index is None:
            stale.append(move)
            continue
        item = result.pop(index)
        result.insert(min(max(move.position, 1), len(result) + 1) - 1, item)
    return Binding(tuple(result), tuple(stale))
