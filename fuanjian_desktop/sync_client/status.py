"""Where this laptop stands with HQ: for ``sync status`` and the status bar.

Read-only and quick: the stored state, the outbox sorted into what will go up (own squad)
and what never will (another squad's records on this laptop), the open conflicts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import SyncConflict
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.push import plan_pending
from fuanjian_desktop.sync_client.state import Key, peer_of


@dataclass(frozen=True)
class SyncStatus:
    """This laptop's sync standing."""

    enrolled: bool
    hq_url: str | None
    device_id: str | None
    squad_name: str | None
    pending: int
    other_squad_pending: int
    last_success_at: dt.datetime | None
    last_error: str | None
    cursor: int
    flagged: bool
    revoked: bool
    open_conflicts: int

    def lines(self) -> list[str]:
        """``名称: 数值`` lines, as ``sync status`` prints them."""
        when = (
            self.last_success_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            if self.last_success_at
            else "从未"
        )
        lines = [
            f"区局同步: {'已接入' if self.enrolled else '未接入'}",
            f"区局地址: {self.hq_url or '—'}",
            f"本机设备: {self.device_id or '—'}",
            f"所属中队: {self.squad_name or '—'}",
            f"待上传: {self.pending}",
            f"其他中队的记录（不上传）: {self.other_squad_pending}",
            f"上次成功同步: {when}",
            f"同步游标: {self.cursor}",
            f"待处理冲突: {self.open_conflicts}",
            f"链异常: {'是' if self.flagged else '否'}",
        ]
        if self.revoked:
            lines.append("已停用: 是")
        if self.last_error:
            lines.append(f"上次错误: {self.last_error}")
        return lines


def sync_status(database: Database) -> SyncStatus:
    """The laptop's standing, read in one transaction."""
    with database.read() as session:
        values = state.read_all(session)
        peer = peer_of(values)
        plan = plan_pending(session, peer.squad_id if peer else None)
        conflicts = session.scalar(
            select(func.count()).select_from(SyncConflict).where(SyncConflict.resolved_at.is_(None))
        )
    return SyncStatus(
        enrolled=peer is not None,
        hq_url=peer.hq_url if peer else None,
        device_id=peer.device_id if peer else None,
        squad_name=peer.squad_name if peer else None,
        pending=plan.own_rows,
        other_squad_pending=plan.other_squad_rows,
        last_success_at=state.parse_time(values.get(Key.LAST_SUCCESS)),
        last_error=values.get(Key.LAST_ERROR),
        cursor=int(values.get(Key.CURSOR, "0")),
        flagged=values.get(Key.FLAGGED) == "1",
        revoked=values.get(Key.LAST_ERROR_CODE) == "revoked",
        open_conflicts=int(conflicts or 0),
    )
