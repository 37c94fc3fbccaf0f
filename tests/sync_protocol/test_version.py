"""Protocol version check: another version is refused with a Chinese message naming both."""

from __future__ import annotations

import pytest

from fuanjian_desktop.sync_protocol.version import PROTOCOL_VERSION, ProtocolMismatch, check_version


def test_same_version_passes() -> None:
    """The peer naming protocol 1 is accepted."""
    check_version("1")
    assert PROTOCOL_VERSION == 1


@pytest.mark.parametrize("remote", ["2", "0", "", None, "1.0"])
def test_other_versions_are_refused(remote: str | None) -> None:
    """Any other or missing version is refused; the message names both versions."""
    with pytest.raises(ProtocolMismatch) as refused:
        check_version(remote)
    assert refused.value.message.startswith("本机同步协议版本为 1，区局服务器为 ")
    assert "请升级" in refused.value.message
