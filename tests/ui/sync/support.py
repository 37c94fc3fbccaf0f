"""Values the sync UI tests build: a round's progress report and this laptop's sync state."""

from __future__ import annotations

import dataclasses
from typing import Any

from fuanjian_desktop.sync_client.progress import RoundProgress
from fuanjian_desktop.sync_client.status import SyncStatus

HQ_URL = "https://127.0.0.1:8765"
ENROLLED = SyncStatus(
    enrolled=True,
    hq_url=HQ_URL,
    device_id="01JDEVICE0000000000000000A",
    squad_name="园岭测试中队",
    pending=0,
    other_squad_pending=0,
    last_success_at=None,
    last_error=None,
    cursor=0,
    flagged=False,
    revoked=False,
    open_conflicts=0,
)
NOT_ENROLLED = dataclasses.replace(
    ENROLLED, enrolled=False, hq_url=None, device_id=None, squad_name=None
)


def status(**changes: Any) -> SyncStatus:
    """An enrolled laptop's state with ``changes`` (``enrolled=False``: a laptop never
    enrolled, without HQ address or device id)."""
    base = NOT_ENROLLED if changes.get("enrolled") is False else ENROLLED
    return dataclasses.replace(base, **changes)


def progress(stage: str, done: int, total: int, in_bytes: bool = False) -> RoundProgress:
    """A progress report of a round (``in_bytes``: an attachment stage counting bytes)."""
    return RoundProgress(stage, done, total, bytes=in_bytes)
