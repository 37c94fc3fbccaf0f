"""案号 and 文号: their form, and how laptops that work offline never issue the same one.

A number reads ``（深福）应急责改〔2026〕12号``: the issuing authority's short name, the document
code, the year and a serial. Serials are drawn from **blocks** (号段) granted to one laptop
for one year: a laptop uses only its own blocks, so two laptops issuing at the same moment
without a network still cannot collide. Within its blocks a laptop counts upwards per code and
never goes back, so a voided number is never reused. The full design is ``docs/numbering.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from fuanjian_desktop.errors import UserError

MAX_SERIAL = 99999


class Convention(StrEnum):
    """How the serials of a case's documents relate (both are in use; a setting chooses)."""

    PER_TYPE = "per_type"  # each document code counts on its own (龙岗: 应急责改〔2024〕722号)
    PER_CASE = "per_case"  # every document of a case reuses the case's 立案 serial

    @property
    def label(self) -> str:
        """Chinese name."""
        if self is Convention.PER_TYPE:
            return "按文书种类分别编号"
        return "同一案件文书共用案件编号"


@dataclass(frozen=True)
class Block:
    """Serials ``first``–``last`` (inclusive) of one year for one authority prefix."""

    prefix: str
    year: int
    first: int
    last: int

    def __contains__(self, serial: object) -> bool:
        return isinstance(serial, int) and self.first <= serial <= self.last

    @property
    def label(self) -> str:
        """E.g. "深福 2026年 第1–500号"."""
        return f"{self.prefix} {self.year}年 第{self.first}–{self.last}号"


def format_number(prefix: str, code: str, year: int, serial: int, part: int = 1) -> str:
    """The printed number, e.g. ``（深福）应急罚〔2026〕12号``; a second part reads ``12-2号``."""
    suffix = f"{serial}" if part == 1 else f"{serial}-{part}"
    return f"（{prefix}）{code}〔{year}〕{suffix}号"


def check_block(block: Block, known: Iterable[Block]) -> None:
    """Refuse a block that is malformed or overlaps one already granted (Chinese message)."""
    if not block.prefix.strip():
        raise UserError("号段缺少机关代字（如“深福”），请填写。")
    if not 1 <= block.first <= block.last <= MAX_SERIAL:
        raise UserError(
            f"号段起止号不正确（{block.first}–{block.last}）：应为1至{MAX_SERIAL}之间、"
            "起号不大于止号的整数。"
        )
    for other in known:
        same_series = other.prefix == block.prefix and other.year == block.year
        if same_series and other.first <= block.last and block.first <= other.last:
            raise UserError(
                f"号段{block.label}与已分配的号段{other.label}重叠。"
                "同一机关代字、同一年度的号段不能重叠，请按区局分配的号段填写。"
            )


def next_serial(blocks: Sequence[Block], used: Iterable[int]) -> int | None:
    """The serial to use next: after the highest one used, inside this laptop's blocks.

    ``used`` are the serials this laptop has taken for one code (voided ones included, so a
    voided number is never handed out again). ``None`` when the blocks are used up.
    """
    ordered = sorted(blocks, key=lambda block: block.first)
    mine = [serial for serial in used if any(serial in block for block in ordered)]
    highest = max(mine, default=0)
    for block in ordered:
        if block.last > highest:
            return max(block.first, highest + 1)
    return None
