"""Typing a transcript (询问笔录): keystroke-to-saved latency, and whether typing ever stalls.

``python bench/transcript.py [--saves N] [--chars C] [--pairs P]``

Builds a demo database in a temporary folder and a 询问笔录 draft on one of its cases.

1. The journal write (``transcripts.autosave``) as the editor sends it — the header, the answer
   to the rights notice and every pair — for transcripts of 10, 100 and 300 pairs, one answer a
   character longer each time: median, p95 and max over N saves. Goal < 20 ms.
2. The editor offscreen on a P-pair transcript: opening it (read, built, painted); then C
   characters typed into the record with autosave on, in bursts as a typist keeps up with speech
   (a phrase at 20 ms a key, Chinese as input-method commits, digits as QTest key clicks, then a
   pause longer than the 300 ms autosave debounce while the person talks; Enter after each
   question and answer). A repeating 10 ms QTimer runs throughout: its largest gap is the longest
   the window stood still (goal: < 50 ms, which a typist does not feel). For every pause, the
   time from its last keystroke to the journal commit holding it; and after the very last key.
Reports; asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from sqlalchemy import select

from bench.timing import Summary, print_table, time_ms
from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.models import Case
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.setup import create_encrypted_database
from fuanjian_desktop.services.transcripts import transcripts

if TYPE_CHECKING:
    from ui.context import AppContext

SIZES = (10, 100, 300)
QUESTION = "你单位第{n}车间共有多少名从业人员？新入职人员上岗前是否接受过安全生产教育和培训？"
ANSWER = (
    "我们第{n}车间现在有23名工人，今年3月新招了3个人，没有统一培训过，"
    "是车间主任带着干了几天，讲了一下冲床的操作要求，没有书面记录，也没有考试。"
)
SPOKEN = (
    "你单位去年组织过几次安全生产教育和培训？每次培训的时间、地点、内容和参加人员是什么？",
    "去年我们一共组织过2次培训，第1次是3月15日在二楼会议室，讲的是消防安全和灭火器的使用，"
    "大概有18个人参加；第2次是9月20日，讲的是冲床的安全操作规程，有12个人参加，都没有考试。",
)
KEY_INTERVAL_MS = 20
PHRASE = 25  # characters typed before the speaker's pause
PAUSE_MS = 350  # longer than the 300 ms debounce: a journal write runs in every pause
TICK_MS = 10
STALL_MS = 50


def pairs_of(count: int) -> list[dict[str, str]]:
    """``count`` filled pairs of question and answer."""
    return [
        {"id": f"p{n}", "q": QUESTION.format(n=n), "a": ANSWER.format(n=n)} for n in range(count)
    ]


def new_transcript(database: Database, actor: Actor, pairs: int) -> str:
    """A 询问笔录 draft with ``pairs`` pairs folded into it, on the first case under way."""
    with database.read() as session:
        query = select(Case.id).where(
            Case.stage == "investigation", Case.squad_id == actor.squad_id
        )
        case_id = session.scalars(query.order_by(Case.filed_on)).first()
    assert case_id is not None, "the demo has no case under investigation"
    person = transcripts.party_interviewee(database, actor, case_id, "负责人")
    document_id = transcripts.create_transcript(
        database, actor, case_id, relation="负责人", interviewee=person, place="中队询问室"
    )
    transcripts.autosave(database, actor, document_id, {"qa": pairs_of(pairs)})
    transcripts.checkpoint(database, actor, document_id)
    return document_id


def time_journal(database: Database, actor: Actor, saves: int) -> list[list[object]]:
    """The journal write for each transcript size, typed into one answer a key at a time."""
    rows: list[list[object]] = []
    for size in SIZES:
        samples = journal_writes(database, actor, new_transcript(database, actor, size), saves)
        summary = Summary.of(samples)
        rows.append(
            [
                f"autosave, {size} pairs ({saves} saves)",
                f"{summary.median_ms:.1f}",
                f"{summary.p95_ms:.1f}",
                f"{max(samples):.1f}",
                "< 20",
            ]
        )
    return rows


def journal_writes(database: Database, actor: Actor, document_id: str, saves: int) -> list[float]:
    """ms of each of ``saves`` journal writes, one answer a character longer each time (after
    two untimed ones: the first creates the journal row and warms the statement cache)."""
    values = editor_values(transcripts.open_transcript(database, actor, document_id).values)
    pairs = values["qa"]
    middle = len(pairs) // 2
    samples = []
    for n in range(saves + 2):
        pairs[middle] = {**pairs[middle], "a": pairs[middle]["a"] + "字"}
        write = partial(transcripts.autosave, database, actor, document_id, dict(values))
        elapsed, _ = time_ms(write)
        if n >= 2:
            samples.append(elapsed)
    return samples


def editor_values(values: dict[str, Any]) -> dict[str, Any]:
    """What the editor journals: the header fields, the notice answer and the pairs."""
    from ui.transcripts.inquiry_header import INQUIRY_FIELDS

    keys = {*INQUIRY_FIELDS, "notice_answer", "qa"}
    return {key: value for key, value in values.items() if key in keys}


@dataclass
class TypingRun:
    """What the typing left behind: tick times, per-key handling times, the last key of each
    phrase and every journal commit (all ``perf_counter`` seconds)."""

    ticks: list[float]
    key_ms: list[float]
    phrase_ends: list[float]
    commits: list[float]


def keys(chars: int) -> Iterator[str]:
    """What is typed: question, Enter, answer, Enter … (``\\n`` stands for Enter)."""
    typed = 0
    for text in itertools.cycle(SPOKEN):
        for char in (*text, "\n"):
            if typed >= chars:
                return
            typed += char != "\n"
            yield char


def time_editor(context: AppContext, document_id: str, chars: int) -> list[list[object]]:
    """Open the editor on the transcript, then type ``chars`` characters into it."""
    from PySide6.QtWidgets import QApplication

    from ui.transcripts.editor_dialog import TranscriptEditorDialog

    started = time.perf_counter()
    dialog = TranscriptEditorDialog(context, document_id)
    dialog.resize(1180, 820)
    dialog.show()
    settle(context)
    opened = (time.perf_counter() - started) * 1000
    pairs = dialog.qa.count()
    run = type_into(dialog, chars)
    gaps = [(later - earlier) * 1000 for earlier, later in itertools.pairwise(run.ticks)]
    latencies = saved_after(run.phrase_ends, run.commits)
    keys_ms = Summary.of(run.key_ms)
    dialog.saver.stop()
    dialog.hide()
    QApplication.processEvents()
    return [
        [f"editor opened, {pairs} pairs (read, built, painted)", f"{opened:.0f}", "", "", "< 500"],
        [
            f"key handled (UI thread), {len(run.key_ms)} keys",
            f"{keys_ms.median_ms:.2f}",
            f"{keys_ms.p95_ms:.2f}",
            f"{max(run.key_ms):.1f}",
            "",
        ],
        [
            f"10 ms timer gap while typing ({sum(g > STALL_MS for g in gaps)} over {STALL_MS} ms)",
            f"{statistics.median(gaps):.1f}",
            f"{Summary.of(gaps).p95_ms:.1f}",
            f"{max(gaps):.1f}",
            f"max < {STALL_MS}",
        ],
        [
            f"last key of a phrase → journal commit ({len(latencies)} pauses)",
            f"{statistics.median(latencies):.0f}",
            f"{Summary.of(latencies).p95_ms:.0f}",
            f"{max(latencies):.0f}",
            "≈ 300 + save",
        ],
        [
            "very last key → journal commit",
            f"{latencies[-1]:.0f}",
            "",
            "",
            "≈ 300 + save",
        ],
    ]


def type_into(dialog: Any, chars: int) -> TypingRun:
    """Type in real time, driven by timers so the event loop runs between keys as it would."""
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    run = TypingRun([], [], [], [])
    dialog.saver.saved.connect(run.commits.append)
    ticker = QTimer(interval=TICK_MS)
    ticker.timeout.connect(lambda: run.ticks.append(time.perf_counter()))
    script = keys(chars)
    loop = QEventLoop()
    in_phrase, last_key = 0, 0.0

    def press(char: str) -> None:
        target = QApplication.focusWidget() or dialog.focusWidget()
        if char == "\n":
            QTest.keyClick(target, Qt.Key.Key_Return)
        elif char.isascii():
            QTest.keyClicks(target, char)
        else:
            event = QInputMethodEvent()
            event.setCommitString(char)
            QApplication.sendEvent(target, event)

    def next_key() -> None:
        nonlocal in_phrase, last_key
        char = next(script, None)
        if char is None:
            run.phrase_ends.append(last_key)
            QTimer.singleShot(PAUSE_MS + 200, loop.quit)
            return
        last_key = time.perf_counter()  # the moment of the keystroke
        elapsed, _ = time_ms(lambda: press(char))
        run.key_ms.append(elapsed)
        in_phrase += 1
        if in_phrase == PHRASE:
            in_phrase = 0
            run.phrase_ends.append(last_key)
            QTimer.singleShot(PAUSE_MS, next_key)
        else:
            QTimer.singleShot(KEY_INTERVAL_MS, next_key)

    ticker.start()
    QTimer.singleShot(0, next_key)
    loop.exec()
    ticker.stop()
    return run


def saved_after(key_times: Sequence[float], commits: Sequence[float]) -> list[float]:
    """For each last key of a phrase, ms until the first journal commit after it."""
    latencies = []
    for pressed in key_times:
        later = [commit for commit in commits if commit > pressed]
        if later:
            latencies.append((later[0] - pressed) * 1000)
    return latencies


def settle(context: AppContext) -> None:
    """Process events until the background reads have reported back and the window painted."""
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    while context.workers.busy():
        QApplication.processEvents()
        time.sleep(0.002)
    for _ in range(3):
        QApplication.processEvents()


def quiet_offscreen_size_hints() -> None:
    """Drop the offscreen platform's warning, printed whenever the editor's size limits change
    (a pair added, a button shown), which would bury the table; other messages still print."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: object, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def gui_rows(database: Database, actor: Actor, pairs: int, chars: int) -> list[list[object]]:
    """The offscreen editor part."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from fuanjian_desktop.services.setup import installation
    from ui.app import make_application
    from ui.context import AppContext
    from ui.workers import Workers

    quiet_offscreen_size_hints()

    make_application()
    workers = Workers()
    context = AppContext(database, actor, installation(database), workers, "园岭")
    try:
        return time_editor(context, new_transcript(database, actor, pairs), chars)
    finally:
        workers.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=60)
    parser.add_argument("--chars", type=int, default=2000)
    parser.add_argument("--pairs", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fuanjian-bench-") as temporary:
        database = create_encrypted_database(DataFolder(Path(temporary)))
        print("building the demo database …", flush=True)
        demo.create_demo(database)
        actor = auth.sign_in(database, "zhangwei", demo.DEMO_PASSWORD)
        rows = time_journal(database, actor, args.saves)
        print(f"typing {args.chars} characters into a {args.pairs}-pair transcript …", flush=True)
        rows += gui_rows(database, actor, args.pairs, args.chars)
        database.close()
    print_table(("measurement", "median ms", "p95 ms", "max ms", "goal"), rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
