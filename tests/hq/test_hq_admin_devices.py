"""``hq devices`` and ``hq revoke``: every laptop with its state, and taking one out of sync."""

# ruff: noqa: F811  (pytest fixtures imported from tests.hq.hq_admin_support)

from __future__ import annotations

import datetime as dt

import pytest

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.devices import HEADER, device_lines, revoke_device
from fuanjian_desktop.hq.models import HqDevice
from tests.hq.hq_admin_support import add_device, hq, hq_sqlite_url  # noqa: F401

ENROLLED = dt.datetime(2026, 6, 1, 1, 30, tzinfo=dt.UTC)
SEEN = dt.datetime(2026, 6, 2, 2, 45, tzinfo=dt.UTC)


def local(moment: dt.datetime) -> str:
    """How the listing shows a moment: the server's local time to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def test_header_is_chinese():
    """The columns: device, squad, name, enrolled, last contact, state."""
    assert HEADER == ("设备", "中队", "名称", "登记时间", "最后联系", "状态")


def test_listing_shows_each_state(hq: HqDatabase):
    """Normal, revoked, broken chain (with its reason), never contacted; by squad."""
    quiet = add_device(hq, "园岭", "园岭一号机", enrolled_at=ENROLLED)
    seen = add_device(hq, "南园", "南园一号机", enrolled_at=ENROLLED, last_contact_at=SEEN)
    lost = add_device(hq, "园岭", "园岭二号机", enrolled_at=ENROLLED, revoked_at=SEEN)
    broken = add_device(
        hq,
        "园岭",
        "园岭三号机",
        enrolled_at=ENROLLED,
        last_contact_at=SEEN,
        flagged_at=SEEN,
        flag_reason="第 12 条操作记录的哈希不符",
    )
    lines = {line.device_id: line.cells for line in device_lines(hq)}
    assert lines == {
        quiet: (quiet, "园岭", "园岭一号机", local(ENROLLED), "从未联系", "正常"),
        seen: (seen, "南园", "南园一号机", local(ENROLLED), local(SEEN), "正常"),
        lost: (lost, "园岭", "园岭二号机", local(ENROLLED), "从未联系", "已停用"),
        broken: (
            broken,
            "园岭",
            "园岭三号机",
            local(ENROLLED),
            local(SEEN),
            "链异常（第 12 条操作记录的哈希不符）",
        ),
    }
    assert [line.squad for line in device_lines(hq)] == ["南园", "园岭", "园岭", "园岭"]


def test_revoke_stops_the_device_once(hq: HqDatabase):
    """Revoking stamps the time and reason; a second revocation is refused, the first kept."""
    device = add_device(hq, "园岭", "园岭一号机")
    message = revoke_device(hq, device, " 电脑遗失 ", now=SEEN)
    assert "已停用设备“园岭一号机”" in message
    with pytest.raises(UserError, match="已于"):
        revoke_device(hq, device, "又一次", now=SEEN + dt.timedelta(days=1))
    with hq.read() as session:
        row = session.get(HqDevice, device)
    assert row is not None and (row.revoked_at, row.revoked_reason) == (SEEN, "电脑遗失")
    assert [line.state for line in device_lines(hq)] == ["已停用"]


def test_revoke_unknown_device_refused(hq: HqDatabase):
    """An id HQ does not know is a Chinese error pointing at hq devices."""
    with pytest.raises(UserError, match="hq devices"):
        revoke_device(hq, "01JNOSUCHDEVICE00000000000")
