"""How far a round has got, for the status bar: a stage, a count, and whether it counts bytes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PUSHING = "上传记录"
UPLOADING = "上传证据文件"
PULLING = "接收记录"
DOWNLOADING = "下载证据文件"
REFRESHING = "更新办案期限"
CHECKING = "连接区局"


@dataclass(frozen=True)
class RoundProgress:
    """One step of a round: ``stage`` (Chinese), ``done`` of ``total`` (bytes when ``bytes``;
    ``total`` 0 when not known in advance, as for pulled pages)."""

    stage: str
    done: int
    total: int
    bytes: bool = False


Progress = Callable[[RoundProgress], None]


def ignore(_progress: RoundProgress) -> None:
    """The progress callback of a round nobody watches."""
