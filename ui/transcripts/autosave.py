"""Saving a transcript while it is typed, without ever holding up the typing.

Every change restarts a short timer; when the typing pauses (300 ms) the values go to the draft's
journal on the worker thread (:func:`transcripts.autosave`, a few milliseconds). Now and then —
every five minutes of typing, on close, before the read-back and 定稿 — a *checkpoint* folds the
journal into the document through the audit trail.

The worker pool runs two jobs at once, so the saver keeps its own queue: a journal write, a
checkpoint and the editor's other core calls (核对, 补正, 定稿) run one after another, in the order
asked, each after the typing before it is stored. The values are read when a write starts, not
when it is asked for, so a burst of typing costs one write.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from fuanjian_desktop.services.transcripts import transcripts
from ui.context import AppContext

AUTOSAVE_DELAY_MS = 300
CHECKPOINT_EVERY_MS = 5 * 60 * 1000
Work = Callable[[], Any]
Handler = Callable[[Any], None]


class TranscriptSaver(QObject):
    """``saved`` carries the ``time.perf_counter()`` of each journal commit (the status line
    shows it; the bench measures keystroke-to-saved with it); ``checkpointed`` follows each
    audited save; ``failed`` carries a save's exception."""

    saved = Signal(float)
    checkpointed = Signal()
    failed = Signal(object)

    def __init__(
        self,
        context: AppContext,
        document_id: str,
        values: Callable[[], Mapping[str, Any]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._document_id = document_id
        self._values = values
        self._queue: deque[tuple[Callable[[], Work], Handler, Handler]] = deque()
        self._running = False
        self._dirty = False  # typed since the last journal write began
        self._write_queued = False
        self._timer = QTimer(self, singleShot=True, interval=AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)
        self.checkpoint_timer = QTimer(self, singleShot=True, interval=CHECKPOINT_EVERY_MS)
        self.checkpoint_timer.timeout.connect(lambda: self.checkpoint())

    def touch(self) -> None:
        """Something was typed: journal it once the typing pauses."""
        self._dirty = True
        self._timer.start()
        if not self.checkpoint_timer.isActive():
            self.checkpoint_timer.start()

    def pending(self) -> bool:
        """Whether typing or a queued call has not yet reached the database."""
        return self._dirty or self._running or bool(self._queue)

    def save_now(self) -> None:
        """Queue a journal write of what is typed (one at most waits in the queue)."""
        self._timer.stop()
        if self._dirty and not self._write_queued:
            self._write_queued = True
            self._queue.append((self._journal_write, self._journaled, self._journal_failed))
            self._pump()

    def checkpoint(self, then: Callable[[], None] | None = None) -> None:
        """Store the typing, then fold the journal into the document (audited); ``then``
        runs after it (the print preview reads the document)."""
        self.checkpoint_timer.stop()
        database, actor, document_id = (
            self._context.database,
            self._context.actor,
            self._document_id,
        )

        def done(_result: object) -> None:
            self.checkpointed.emit()
            if then is not None:
                then()

        self.run(lambda: transcripts.checkpoint(database, actor, document_id), done, self._failed)

    def run(self, work: Work, done: Handler, failed: Handler) -> None:
        """Run a core call on the worker once everything typed so far is stored."""
        self.save_now()
        self._queue.append((lambda: work, done, failed))
        self._pump()

    def stop(self) -> None:
        """No more writes (the transcript was 定稿 or the draft is gone)."""
        self._timer.stop()
        self.checkpoint_timer.stop()
        self._dirty = False

    # --- the queue -----------------------------------------------------------------------

    def _journal_write(self) -> Work:
        """The write of the values as they are now (read on the UI thread, stored on the
        worker, stamped with the moment the commit returned)."""
        self._write_queued, self._dirty = False, False
        database, document_id, values = self._context.database, self._document_id, self._values()
        actor = self._context.actor

        def write() -> float:
            transcripts.autosave(database, actor, document_id, values)
            return time.perf_counter()

        return write

    def _journaled(self, committed: float) -> None:
        self.saved.emit(committed)

    def _journal_failed(self, error: Exception) -> None:
        self._dirty = True  # kept for the next pause
        self._failed(error)

    def _failed(self, error: Exception) -> None:
        self.failed.emit(error)

    def _pump(self) -> None:
        if self._running or not self._queue:
            return
        prepare, done, failed = self._queue.popleft()
        self._running = True
        self._context.workers.run(
            prepare(),
            lambda result: self._finished(done, result),
            lambda error: self._finished(failed, error),
        )

    def _finished(self, handler: Handler, value: Any) -> None:
        self._running = False
        try:
            handler(value)
        finally:
            self._pump()
