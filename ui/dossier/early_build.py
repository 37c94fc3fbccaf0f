"""A volume built ahead of the click: the case chosen in the list is compiled while the clerk
looks at the row, so Enter shows its first page at once instead of after the compile.

Only the latest choice is kept, and only for a short while: a volume is compiled from records
that may change, so a build older than ``FRESH_S`` (or any after a change made on the page) is
dropped and the click compiles afresh. Handing over a build that is still running joins it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from ui.workers import Workers

FRESH_S = 60.0  # how long a volume built ahead is taken as what the records say

Handler = Callable[[Any], None]


class Pending:
    """One build ahead: done (``result`` or ``error``) or still running."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        self.started = time.monotonic()
        self._outcome: tuple[bool, Any] | None = None  # (succeeded, result or error)
        self._handlers: tuple[Handler, Handler] | None = None

    def then(self, on_built: Handler, on_failed: Handler) -> None:
        """Hand the outcome to these handlers: now if it is in, else when it comes."""
        self._handlers = (on_built, on_failed)
        self._deliver()

    def settle(self, succeeded: bool, outcome: Any) -> None:
        """The worker reported back."""
        self._outcome = (succeeded, outcome)
        self._deliver()

    def _deliver(self) -> None:
        if self._outcome is None or self._handlers is None:
            return
        succeeded, outcome = self._outcome
        self._handlers[0 if succeeded else 1](outcome)
        self._handlers = None


class EarlyBuild:
    """At most one volume built ahead, for the case chosen last."""

    def __init__(self, workers: Workers) -> None:
        self._workers = workers
        self._pending: Pending | None = None

    def start(self, case_id: str, work: Callable[[], Any]) -> None:
        """Build ``case_id``'s volume now, unless a fresh build of it is already here."""
        if self._fresh_for(case_id):
            return
        pending = Pending(case_id)
        self._pending = pending
        self._workers.run(
            work,
            lambda built: pending.settle(True, built),
            lambda error: pending.settle(False, error),
        )

    def take(self, case_id: str) -> Pending | None:
        """The build of ``case_id`` if one is fresh (it is handed over, not kept)."""
        fresh = self._fresh_for(case_id)
        pending, self._pending = self._pending, None
        return pending if fresh else None

    def forget(self) -> None:
        """Something changed: what was built ahead may no longer be what the records say."""
        self._pending = None

    def _fresh_for(self, case_id: str) -> bool:
        pending = self._pending
        return (
            pending is not None
            and pending.case_id == case_id
            and time.monotonic() - pending.started < FRESH_S
        )
