"""What the sync widgets say, in Chinese: a round's stage, the last sync, the laptop's state.

Kept apart from the widgets so the wording is written (and tested) once for the status bar and
the 同步 page alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fuanjian_desktop.sync_client.progress import RoundProgress
from ui.local_time import local_text


@dataclass(frozen=True)
class StateText:
    """One line for the status bar: its text, a longer tooltip and whether it is a problem."""

    text: str
    tooltip: str
    problem: bool = False


def stage_text(progress: RoundProgress) -> str:
    """``上传记录 120/500`` for a round's report (its stage is already a Chinese label): bytes
    as megabytes, a count without a known total alone, a stage that counts nothing bare."""
    count = _megabytes if progress.bytes else str
    if progress.total:
        return f"{progress.stage} {count(progress.done)}/{count(progress.total)}"
    return f"{progress.stage} {count(progress.done)}" if progress.done else progress.stage


def _megabytes(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB"


def when_text(moment: dt.datetime | None, now: dt.datetime) -> str:
    """今天 14:05, 昨天 09:30 or 2026-12-01 16:20 in local time; 从未 for no moment."""
    if moment is None:
        return "从未"
    local, today = moment.astimezone(), now.astimezone().date()
    if local.date() == today:
        return f"今天 {local:%H:%M}"
    if local.date() == today - dt.timedelta(days=1):
        return f"昨天 {local:%H:%M}"
    return local_text(moment)


def status_text(status: Any, now: dt.datetime) -> StateText:
    """The status bar's line for a ``SyncStatus`` when no round runs and none just failed."""
    if not status.enrolled:
        return StateText(
            "同步：未接入区局", "在“同步”页填写区局地址和接入码后，本机即可与区局同步。"
        )
    problem = problem_text(status)
    if problem is not None:
        return StateText(problem, f"{problem}\n区局地址：{status.hq_url}", problem=True)
    last = when_text(status.last_success_at, now)
    text = f"上次同步：{last}　待上传：{status.pending}"
    return StateText(text, f"区局：{status.hq_url}\n{text}")


def problem_text(status: Any) -> str | None:
    """已停用 (HQ revoked this laptop) or 链异常 (HQ quarantined what it sent), else None."""
    if status.revoked:
        return "同步已停用：本机已被区局停用同步，请联系区局管理员。"
    if status.flagged:
        return "同步链异常：区局已隔离本机上传的数据，请联系区局管理员。"
    return None


def failure_line(message: str, next_at: dt.datetime | None) -> StateText:
    """A failed round: the Chinese message, and when the next try comes (quietly)."""
    retry = f"，{next_at.astimezone():%H:%M} 自动重试" if next_at is not None else ""
    return StateText(f"同步未完成{retry}：{message}", message, problem=True)
