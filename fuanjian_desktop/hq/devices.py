"""The bureau's view of its laptops (``hq devices``) and taking one out of sync (``hq revoke``).

A lost or stolen laptop must stop talking to HQ at once: revoking keeps everything it ever sent
(the records and their history stay) but its next request gets 401 ``revoked`` and the laptop
says so in Chinese. A device whose audit chain broke is flagged by the push (``flagged_at``) and
shows as 链异常 here with the reason, for an administrator to look into.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.models import HqDevice
from fuanjian_desktop.models import Squad

HEADER = ("设备", "中队", "名称", "登记时间", "最后联系", "状态")
NEVER = "从未联系"


@dataclass(frozen=True)
class DeviceLine:
    """One laptop as ``hq devices`` lists it (times in the server's local time)."""

    device_id: str
    squad: str
    name: str
    enrolled: str
    last_contact: str
    state: str

    @property
    def cells(self) -> tuple[str, ...]:
        """The values in :data:`HEADER` order."""
        return (self.device_id, self.squad, self.name, self.enrolled, self.last_contact, self.state)


def device_lines(db: HqDatabase) -> list[DeviceLine]:
    """Every enrolled laptop, by squad then enrollment time."""
    with db.read() as session:
        squads = {squad.id: squad.short_name for squad in session.scalars(select(Squad))}
        devices = session.scalars(select(HqDevice).order_by(HqDevice.enrolled_at))
        lines = [
            DeviceLine(
                device.id,
                squads.get(device.squad_id, device.squad_id),
                device.name,
                _local(device.enrolled_at),
                _local(device.last_contact_at) if device.last_contact_at else NEVER,
                device_state(device),
            )
            for device in devices
        ]
    return sorted(lines, key=lambda line: line.squad)


def device_state(device: HqDevice) -> str:
    """正常, 已停用, 链异常（reason）, or both troubles joined."""
    troubles = []
    if device.revoked_at is not None:
        troubles.append("已停用")
    if device.flagged_at is not None:
        troubles.append(f"链异常（{device.flag_reason or '原因未记录'}）")
    return "；".join(troubles) or "正常"


def revoke_device(
    db: HqDatabase, device_id: str, reason: str | None = None, now: dt.datetime | None = None
) -> str:
    """Stop ``device_id`` from syncing from now on; returns the confirmation line.

    Refuses an unknown id and a device already revoked (its first revocation time stays).
    """
    with db.write() as session:
        device = session.get(HqDevice, device_id.strip())
        if device is None:
            raise UserError(f"没有设备“{device_id}”。请用 hq devices 查看设备编号。")
        if device.revoked_at is not None:
            raise UserError(
                f"设备“{device.name}”（{device.id}）已于{_local(device.revoked_at)}停用。"
            )
        device.revoked_at = now or dt.datetime.now(dt.UTC)
        device.revoked_reason = (reason or "").strip() or None
        return f"已停用设备“{device.name}”（{device.id}），它的下一次同步将被拒绝。"


def _local(moment: dt.datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")
