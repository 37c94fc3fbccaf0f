"""音像资料目录: the case's audio-video records listed in the volume, never embedded.

A 执法记录仪 file stays in the evidence store; the volume says what it is — title and kind,
device and the officer who wore it, start and end (China time), the procedure step it
records, the first digits of its SHA-256 by which the original is found, and the reason for
any gap in the recording.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from fuanjian_desktop.dossier.render.model import MediaRow
from fuanjian_desktop.dossier.render.photo_image import SHA_DIGITS
from fuanjian_desktop.dossier.render.tables import grid, line, render
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.photo_check import CHINA_TIME

TITLE = "音像资料目录"
HEADS = ("序号", "名称及类别", "录制设备及记录人", "起止时间", "记录环节", "SHA-256", "中断说明")
SHARES = (24, 82, 70, 112, 54, 56, 44)
NOTE = "本目录所列音像资料原件存于证据库，不随卷装订；凭 SHA-256 前{digits}位查找原件。"


def render_media_index(rows: Sequence[MediaRow]) -> bytes:
    """The 音像资料目录 as PDF bytes (as many pages as the list needs)."""
    if not rows:
        raise UserError("本案没有音像资料，不需要音像资料目录")
    cells = [
        (
            str(number),
            f"{row.title}（{row.kind}）",
            f"{row.device}；{row.officer}",
            period(row.started_at, row.ended_at),
            row.step,
            row.sha256[:SHA_DIGITS],
            row.gap_reason,
        )
        for number, row in enumerate(rows, start=1)
    ]
    story = [
        line(NOTE.format(digits=SHA_DIGITS), 10.5),
        grid(HEADS, cells, SHARES, size=9),
    ]
    return render(TITLE, story)


def period(start: dt.datetime, end: dt.datetime) -> str:
    """``2026-11-20 09:30:05`` and ``至 09:52:10`` on the next line, China time (the end's
    date too when it is another day)."""
    local_start, local_end = start.astimezone(CHINA_TIME), end.astimezone(CHINA_TIME)
    same_day = local_start.date() == local_end.date()
    end_text = local_end.strftime("%H:%M:%S" if same_day else "%Y-%m-%d %H:%M:%S")
    return f"{local_start:%Y-%m-%d %H:%M:%S}\n至 {end_text}"
