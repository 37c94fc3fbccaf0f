"""The protocol version and the HTTP header names both sides of a sync speak.

A laptop and the HQ server of different protocol versions must refuse each other loudly rather
than guess at each other's data: every request names its version in :data:`HEADER_PROTOCOL`, a
server of another version answers 426, and a client refuses an answer of another version.
"""

from __future__ import annotations

from fuanjian_desktop.errors import UserError

PROTOCOL_VERSION = 1
API_PREFIX = "/v1"

HEADER_PROTOCOL = "X-FJ-Protocol"
HEADER_DEVICE = "X-FJ-Device"
HEADER_TIMESTAMP = "X-FJ-Timestamp"
HEADER_NONCE = "X-FJ-Nonce"
HEADER_SIGNATURE = "X-FJ-Signature"


class ProtocolMismatch(UserError):
    """The other side speaks another protocol version; nothing was exchanged."""

    def __init__(self, local: object, remote: object) -> None:
        super().__init__(
            f"本机同步协议版本为 {local}，区局服务器为 {remote}，"
            "请升级版本较旧的一方后再同步（本次未交换任何数据）。"
        )
        self.local = local
        self.remote = remote


def check_version(remote: str | None, *, local: int = PROTOCOL_VERSION) -> None:
    """Refuse a peer's protocol header that is missing or names another version.

    Raised from the client's view ("本机" = ``local``); the server builds its 426 message with
    ``ProtocolMismatch(remote, PROTOCOL_VERSION)`` so the laptop's version is named first.
    """
    if remote is None or remote.strip() != str(local):
        raise ProtocolMismatch(local, remote if remote is not None else "未知")
