"""What the dossier's own pages print: plain values the services fill in, no database here.

Every text is final (already worded in Chinese by the caller); a value not known yet (归档号
before archiving) is ``None`` and prints as a blank line for the pen, as the template leaves it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CoverInfo:
    """案卷（首页） of template p55, with 本卷 件数 / 页数 as GB/T 9705 covers carry them."""

    authority: str  # the bureau's name as the documents print it (深圳市福田区应急管理局)
    number: str | None  # the cover's own 文号 (（深福）应急案〔2026〕1号); None: blank pattern
    case_name: str  # 当事人 + 违法行为 + 案
    cause: str  # 案由
    result: str  # 处理结果
    filed_on: dt.date | None  # 立案
    closed_on: dt.date | None  # 结案
    officers: Sequence[str]  # 承办人 (two lines on the template)
    archived_on: dt.date | None  # 归档日期
    archive_no: str | None  # 归档号 (YYYY + 4 digits)
    retention: str | None  # 保存期限 (永久, 30年)
    item_count: int | None = None  # 本卷 件数
    page_count: int | None = None  # 本卷 页数 (numbered pages)


@dataclass(frozen=True)
class IndexRow:
    """One line of the 卷内目录 (template p56)."""

    number: int  # 序号
    title: str  # 文件名称及编号
    date: dt.date | None  # 日期 (printed as 8 digits, GB/T 9705)
    pages: str  # 页号: the start page, or a range 10–12
    remark: str = ""  # 备注


@dataclass(frozen=True)
class Reopening:
    """A recorded reopening of the archived case, listed in the 备考表."""

    on: dt.date
    reason: str
    approver: str


@dataclass(frozen=True)
class NotesInfo:
    """卷内备考表 (GB/T 9705): 本卷情况说明, 立卷人, 检查人, 立卷时间."""

    notes: str  # the clerk's 本卷情况说明 (may be empty)
    filed_by: str | None  # 立卷人
    checked_by: str | None  # 检查人
    filed_on: dt.date | None  # 立卷时间
    item_count: int | None = None
    page_count: int | None = None
    reopenings: Sequence[Reopening] = field(default_factory=tuple)


@dataclass(frozen=True)
class PhotoEntry:
    """One photo of the 照片证据 pages; ``load`` returns the image file's bytes (JPEG/PNG)."""

    caption: str  # 证据名称/说明
    taken_at: dt.datetime | None  # 拍摄时间 (EXIF)
    place: str  # 拍摄地点
    photographer: str  # 拍摄人
    proves: str  # 证明对象
    sha256: str
    load: Callable[[], bytes]


@dataclass(frozen=True)
class MediaRow:
    """One audio-video record in the 音像资料目录 (listed, never embedded)."""

    title: str
    kind: str  # 录像 / 录音 as the caller words it
    device: str
    officer: str
    started_at: dt.datetime
    ended_at: dt.datetime
    step: str  # the procedure step it records
    sha256: str
    gap_reason: str = ""


@dataclass(frozen=True)
class CheckFinding:
    """One 自查 finding with the 评查 item it costs points under."""

    item: str  # 评查 item (卷面标准 · 卷内目录…)
    message: str
    deduction: float  # points lost (0 for a veto item: the score is 0 anyway)
    veto: bool  # 一票否决
    blocking: bool  # stops archiving


@dataclass(frozen=True)
class SelfCheckInfo:
    """案卷自查表: the findings and the self-score out of 100."""

    case_name: str
    case_no: str
    findings: Sequence[CheckFinding]
    score: float
    checked_on: dt.date


@dataclass(frozen=True)
class StampRow:
    """One item of the "stamp these numbers" list: which numbers its paper pages get."""

    number: int  # 序号 in the 目录
    title: str
    first: int
    last: int
