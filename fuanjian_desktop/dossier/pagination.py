"""The page plan of a volume: which physical page is what, and which 页号 it carries where.

Only the items' pages are numbered, continuously from 1 (scans included); the cover (案卷首页),
the 卷内目录 and the 备考表 are not (§4.3: 测绘 review standard), nor are the blank pages put in
for duplex printing so that every part starts on a right-hand page. The 页号 goes top right,
or on the back of a duplex sheet top left (GB/T 9705 / DA practice), or bottom right (and
bottom left on a back) when the bureau so sets. Because front matter is unnumbered, the items'
numbers never depend on how many pages the 目录 takes: the 目录 can be filled before it is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from fuanjian_desktop.errors import UserError

EN_DASH = "\u2013"


class PageKind(StrEnum):
    """What a physical page of the volume is."""

    COVER = "cover"
    INDEX = "index"
    ITEM = "item"
    BLANK = "blank"
    NOTES = "notes"


# page_number_position setting -> corner on a front (odd) page, corner on a duplex back page
CORNERS = {
    "top_right": ("top_right", "top_left"),
    "bottom_right": ("bottom_right", "bottom_left"),
}


@dataclass(frozen=True)
class PlannedPage:
    """One physical page: its kind, the item (0-based) and page inside its part it shows, and
    the 页号 printed on it (``None``: unnumbered) with its corner."""

    kind: PageKind
    item: int | None
    page: int
    number: int | None
    corner: str | None


@dataclass(frozen=True)
class ItemPages:
    """Where one item lies: its first and last 页号 and its first physical page (1-based)."""

    start: int
    end: int
    first_physical: int

    @property
    def label(self) -> str:
        """The 目录's 页号 for this item, e.g. ``5`` or ``10–12``."""
        return page_ref(self.start, self.end)


@dataclass(frozen=True)
class PagePlan:
    """Every physical page in order, each item's pages, and the count of numbered pages."""

    pages: tuple[PlannedPage, ...]
    items: tuple[ItemPages, ...]
    numbered: int

    def first_physical(self, kind: PageKind, item: int | None = None) -> int:
        """The 1-based physical page where a part starts (for a bookmark); the part must exist."""
        return next(
            physical
            for physical, page in enumerate(self.pages, start=1)
            if page.kind is kind and page.item == item and page.page == 0
        )


def page_ref(start: int, end: int) -> str:
    """``5`` for a one-page item, ``10–12`` (EN DASH) for one spanning pages 10 to 12."""
    return str(start) if start == end else f"{start}{EN_DASH}{end}"


def plan_pages(
    front: tuple[int, int],
    item_pages: Sequence[int],
    back_pages: int,
    *,
    duplex: bool,
    position: str,
) -> PagePlan:
    """The plan of a volume of ``front`` = (cover pages, 目录 pages), the items' page counts in
    volume order and ``back_pages`` of 备考表; with ``duplex``, a blank page goes before any
    part (目录, item, 备考表) that would otherwise start on a back (even physical) page."""
    if position not in CORNERS:
        known = "、".join(CORNERS)
        raise UserError(f"未知的页号位置“{position}”。可选：{known}。")
    empty = [number for number, count in enumerate(item_pages, start=1) if count < 1]
    if empty:
        raise UserError(f"第{'、'.join(map(str, empty))}件材料没有页面，不能编页号。请检查其文件。")
    pages: list[PlannedPage] = []

    def start_part() -> None:
        if duplex and len(pages) % 2 == 1:
            pages.append(PlannedPage(PageKind.BLANK, None, 0, None, None))

    def add_unnumbered(kind: PageKind, count: int) -> None:
        if count:
            start_part()
            pages.extend(PlannedPage(kind, None, page, None, None) for page in range(count))

    cover, index = front
    add_unnumbered(PageKind.COVER, cover)
    add_unnumbered(PageKind.INDEX, index)
    spans = []
    number = 0
    for item, count in enumerate(item_pages):
        start_part()
        first_physical = len(pages) + 1
        for page in range(count):
            number += 1
            back = duplex and (len(pages) + 1) % 2 == 0
            corner = CORNERS[position][1 if back else 0]
            pages.append(PlannedPage(PageKind.ITEM, item, page, number, corner))
        spans.append(ItemPages(number - count + 1, number, first_physical))
    add_unnumbered(PageKind.NOTES, back_pages)
    return PagePlan(tuple(pages), tuple(spans), number)
