"""One sync round: check in with HQ, escrow the data key once, push, pull, fetch files.

Every step stores its progress as it goes (stored batches, the cursor per page, sealed partial
downloads), so a round cut anywhere — lost link, killed process, a cancelled progress callback —
resumes where it stopped the next time. The outcome (last success, or the last error in
Chinese with its code) is stored for ``sync status`` and the status bar.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.attachments import download_missing
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.escrow import escrow_once
from fuanjian_desktop.sync_client.progress import (
    CHECKING,
    DOWNLOADING,
    Progress,
    RoundProgress,
    ignore,
)
from fuanjian_desktop.sync_client.pull import pull_all, refresh_stale_cases
from fuanjian_desktop.sync_client.push import push_all
from fuanjian_desktop.sync_client.state import Key, Peer
from fuanjian_desktop.sync_client.transport import Transport

__all__ = ["RoundProgress", "RoundResult", "SyncError", "run_round"]

MIB = 1024 * 1024


@dataclass(frozen=True)
class RoundResult:
    """What one round moved."""

    pushed: int
    pulled: int
    conflicts: int
    uploaded_bytes: int
    downloaded_bytes: int
    skipped: int = 0
    missing_evidence: tuple[str, ...] = field(default=())
    unavailable_evidence: tuple[str, ...] = field(default=())
    flagged: bool = False

    def lines(self) -> list[str]:
        """The round in ``名称: 数值`` lines, as ``sync run`` prints them."""
        lines = [
            f"上传记录: {self.pushed}",
            f"接收记录: {self.pulled}",
            f"暂缓接收（本机有未上传的修改）: {self.skipped}",
            f"新冲突: {self.conflicts}",
            f"上传证据文件: {_size(self.uploaded_bytes)}",
            f"下载证据文件: {_size(self.downloaded_bytes)}",
        ]
        if self.missing_evidence:
            lines.append(f"本机缺少、未能上传的证据文件: {len(self.missing_evidence)}")
        if self.unavailable_evidence:
            lines.append(f"区局也没有、未能下载的证据文件: {len(self.unavailable_evidence)}")
        if self.flagged:
            lines.append("链异常: 区局发现本机操作记录链断裂，已隔离本机数据并标记，请联系区局。")
        return lines


def _size(count: int) -> str:
    return f"{count / MIB:.1f} MB"


def run_round(
    database: Database, *, progress: Progress | None = None, transport: Transport | None = None
) -> RoundResult:
    """Run one full round; raises :class:`SyncError` (Chinese, with a code) when it fails.

    An exception raised by ``progress`` stops the round where it is (the desktop cancels that
    way at sign-out); what was acknowledged stays, the rest follows next time.
    """
    report = progress or ignore
    with database.read() as session:
        peer = state.require_peer(session)
    link = transport or Transport.for_peer(peer)
    try:
        result = _steps(database, link, peer, report)
    except SyncError as error:
        _remember_failure(database, error)
        raise
    except UserError as error:  # a record HQ sent that this laptop cannot store
        failure = SyncError(error.message, "invalid")
        _remember_failure(database, failure)
        raise failure from error
    finally:
        if transport is None:
            link.close()
    with database.write() as session:
        state.put_time(session, Key.LAST_SUCCESS, utc_now())
        state.put(session, Key.LAST_ERROR, None)
        state.put(session, Key.LAST_ERROR_CODE, None)
    return result


def _steps(database: Database, link: Transport, peer: Peer, report: Progress) -> RoundResult:
    report(RoundProgress(CHECKING, 0, 1))
    status = link.json("GET", "/status")
    flagged = "1" if status.get("flagged") else None
    with database.read() as session:
        changed = state.get(session, Key.FLAGGED) != flagged
    if changed:
        with database.write() as session:
            state.put(session, Key.FLAGGED, flagged)
    escrow_once(database, link, peer)
    pushed = push_all(database, link, peer, report)
    pulled = pull_all(database, link, report)
    refresh_stale_cases(database, report)
    downloaded, unavailable = download_missing(
        link,
        database,
        lambda done, total: report(RoundProgress(DOWNLOADING, done, total, bytes=True)),
    )
    return RoundResult(
        pushed=pushed.records,
        pulled=pulled.written,
        conflicts=len(pushed.conflict_ids | pulled.conflict_ids),  # one conflict comes back
        uploaded_bytes=pushed.uploaded_bytes,
        downloaded_bytes=downloaded,
        skipped=pulled.skipped,
        missing_evidence=tuple(pushed.missing_evidence),
        unavailable_evidence=tuple(unavailable),
        flagged=bool(status.get("flagged")) or pushed.quarantined,
    )


def _remember_failure(database: Database, error: SyncError) -> None:
    """Store the error for the status bar (a closed database keeps nothing: it is locked)."""
    try:
        with database.write() as session:
            state.put(session, Key.LAST_ERROR, error.message)
            state.put(session, Key.LAST_ERROR_CODE, error.code)
    except UserError:
        return
