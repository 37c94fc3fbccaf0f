"""The sync wording: stages with counts or megabytes, the last sync as 今天/昨天/a date, and the
states a laptop can be in (未接入, 已停用, 链异常, a failed round and its retry)."""

from __future__ import annotations

import datetime as dt

from tests.ui.sync.support import progress, status
from ui.sync import texts

NOW = dt.datetime(2026, 12, 7, 6, 30, tzinfo=dt.UTC)


def local(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%H:%M")


def test_stage_with_counts_or_megabytes() -> None:
    """Records count one by one (alone when the total is not known); attachment bytes read as
    MB; a stage that counts nothing is its name."""
    assert texts.stage_text(progress("上传记录", 120, 500)) == "上传记录 120/500"
    assert texts.stage_text(progress("接收记录", 200, 0)) == "接收记录 200"
    assert texts.stage_text(progress("连接区局", 0, 0)) == "连接区局"
    shown = texts.stage_text(progress("上传附件", 3 * 1_048_576 // 2, 200 * 1_048_576, True))
    assert shown == "上传附件 1.5 MB/200.0 MB"


def test_when_today_yesterday_or_the_date() -> None:
    """The last sync reads 今天 HH:MM, 昨天 HH:MM, a full date, or 从未."""
    assert texts.when_text(None, NOW) == "从未"
    earlier = NOW - dt.timedelta(minutes=5)
    assert texts.when_text(earlier, NOW) in (f"今天 {local(earlier)}", f"昨天 {local(earlier)}")
    week_ago = NOW - dt.timedelta(days=7)
    assert texts.when_text(week_ago, NOW) == week_ago.astimezone().strftime("%Y-%m-%d %H:%M")


def test_not_enrolled() -> None:
    """A laptop not enrolled says so and where to enroll."""
    line = texts.status_text(status(enrolled=False), NOW)
    assert line.text == "同步：未接入区局" and "接入码" in line.tooltip and not line.problem


def test_enrolled_shows_last_sync_and_pending() -> None:
    """上次同步 and 待上传 in one line; HQ's address in the tooltip."""
    line = texts.status_text(status(pending=3, last_success_at=None), NOW)
    assert line.text == "上次同步：从未　待上传：3"
    assert "https://127.0.0.1:8765" in line.tooltip and not line.problem


def test_revoked_and_flagged_are_problems_revoked_first() -> None:
    """已停用 (HQ revoked) wins over 链异常 (quarantined); both tell whom to call."""
    revoked = texts.status_text(status(revoked=True, flagged=True), NOW)
    assert revoked.problem and revoked.text.startswith("同步已停用") and "联系区局" in revoked.text
    flagged = texts.status_text(status(flagged=True), NOW)
    assert flagged.problem and flagged.text.startswith("同步链异常")


def test_a_failed_round_says_when_it_is_tried_again() -> None:
    """The Chinese message and the local time of the quiet retry."""
    retry = NOW + dt.timedelta(minutes=1)
    line = texts.failure_line("无法连接区局服务器。", retry)
    assert line.text == f"同步未完成，{local(retry)} 自动重试：无法连接区局服务器。"
    assert line.problem
    assert (
        texts.failure_line("本机已被区局停用同步。", None).text
        == "同步未完成：本机已被区局停用同步。"
    )
