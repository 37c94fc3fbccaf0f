"""An archived case's frozen volume read back: the 目录 rows as it pages them, its front and back.

The frozen PDF is what was archived; the records are locked since, but the 案卷设置 (how scans
are bound, say) may have changed, so a volume compiled today could page differently. What the
dossier page shows beside an archived volume is therefore read from the frozen file itself: each
item's bookmark gives its first page, the page labels (the stamped 页号) its numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace

from pypdf import PdfReader, PdfWriter

from fuanjian_desktop.dossier.pagination import page_ref
from fuanjian_desktop.services.dossiers.volume_compile import VolumeRow

FRONT_BOOKMARKS = 2  # 案卷（首页） and 卷内目录 come first; 卷内备考表 is the last bookmark


def frozen_rows(rows: Sequence[VolumeRow], volume: bytes) -> tuple[VolumeRow, ...]:
    """``rows`` with their 页号 and first page as the frozen ``volume`` has them (as compiled,
    if the volume's bookmarks do not match the rows one for one)."""
    reader = PdfReader(io.BytesIO(volume))
    labels = reader.page_labels
    found = [
        reader.get_destination_page_number(entry)
        for entry in reader.outline
        if not isinstance(entry, list)
    ]
    starts = [start for start in found if start is not None]
    items = starts[FRONT_BOOKMARKS:-1]
    if len(starts) != len(found) or len(items) != len(rows):
        return tuple(rows)
    ends = [*(start - 1 for start in items[1:]), starts[-1] - 1]
    paged = []
    for row, start, end in zip(rows, items, ends, strict=True):
        numbers = [int(labels[n]) for n in range(start, end + 1) if labels[n].isdigit()]
        if not numbers:
            return tuple(rows)
        paged.append(replace(row, pages_text=page_ref(numbers[0], numbers[-1]), first_page=start))
    return tuple(paged)


def front_and_back(volume: bytes, index_pages: int) -> list[bytes]:
    """The cover, the 目录 and the 备考表 of a built volume, each as a PDF of its own."""
    pages = PdfReader(io.BytesIO(volume)).pages
    runs = (range(1), range(1, 1 + index_pages), range(len(pages) - 1, len(pages)))
    parts = []
    for run in runs:
        writer = PdfWriter()
        for index in run:
            writer.add_page(pages[index])
        buffer = io.BytesIO()
        writer.write(buffer)
        parts.append(buffer.getvalue())
    return parts
