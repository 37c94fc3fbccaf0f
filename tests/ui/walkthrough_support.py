"""A keyboard-only user for the walkthrough tests: keys go to whatever has the focus.

The walk is a script of steps run one by one from the event loop, so a key that opens a modal
dialog (a file or print dialog runs its own loop) does not stop the script: the next step runs
inside that dialog's loop, as a person's next key press would. A key step never picks its
widget: it goes to the focused widget, and a step with nothing focused fails — that step would
need the mouse. Every key press and every typed field counts as one action of its phase; the
checklist answers are counted apart. After each step every visible window is checked to fit
the 728 px a 768 px screen leaves above a taskbar, and a screenshot is taken of each screen.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

USABLE_HEIGHT = 728  # 1366×768 minus a 40 px taskbar
WAIT_LIMIT_S = 20.0
TICK_MS = 5
ACTIVATION_TICKS = 200  # how long to wait for a window to become active before a key goes
GRACE_TICKS = 10  # how long no window may be active before the "window manager" steps in

Key = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier


Spot = QWidget | tuple[QWidget, QPoint]  # a widget's centre, or a point in it (a row)
Target = Callable[[], Spot]


class WalkFailed(AssertionError):
    """A step could not be done from the keyboard, or a window did not fit."""


def focused() -> QWidget:
    """The widget the next key goes to; none means the user would have to click."""
    widget = QApplication.focusWidget()
    if widget is None:
        window = active_window()
        where = window.windowTitle() if window is not None else "无活动窗口"
        raise WalkFailed(f"没有任何控件获得焦点（{where}）：这一步需要鼠标")
    return widget


def active_window() -> QWidget | None:
    """The window a person is looking at: the modal dialog on top, else the active window."""
    return QApplication.activeModalWidget() or QApplication.activeWindow()


@dataclass
class Step:
    """One thing the user does (``run``) or waits for (``until``), with a phase and a name."""

    phase: str
    name: str
    run: Callable[[], None] | None = None
    until: Callable[[], bool] | None = None
    actions: int = 0  # how many of the phase's actions the step takes
    answers: int = 0  # checklist answer keys, counted apart from the actions
    timed: bool = True  # a wait the user sits through (a screenshot's is the test's own)


@dataclass
class Walk:
    """The script, its driver and what it measured."""

    shots: Path
    mouse: bool = False  # the walk that may use the mouse where it saves an action
    steps: list[Step] = field(default_factory=list)
    actions: Counter[str] = field(default_factory=Counter)
    answers: int = 0
    failure: BaseException | None = None
    done: bool = False
    latencies: list[tuple[float, str]] = field(default_factory=list)  # waits for the screen
    key_times: list[float] = field(default_factory=list)  # seconds each key or click took
    too_tall: list[str] = field(default_factory=list)
    screens: list[str] = field(default_factory=list)
    _index: int = 0
    _waiting_since: float = 0.0
    _history: list[QWidget] = field(default_factory=list)  # windows in order of activation
    _activations: int = 0

    # --- writing the script ----------------------------------------------------------------

    def key(
        self,
        phase: str,
        key: Key,
        modifiers: Qt.KeyboardModifier = NONE,
        note: str = "",
        mouse: Target | None = None,
    ) -> None:
        """Press ``key`` where the focus is; on the walk that allows the mouse, click what
        ``mouse`` names instead, when it names something (a button, a row)."""
        if self.mouse and mouse is not None:
            self.click(phase, note or f"点击（代替 {key_name(key, modifiers)}）", mouse)
            return
        name = note or key_name(key, modifiers)
        self.steps.append(
            Step(phase, name, run=lambda: QTest.keyClick(focused(), key, modifiers), actions=1)
        )

    def click(self, phase: str, name: str, target: Target) -> None:
        """Click ``target`` with the mouse (only the walk that allows the mouse does this)."""

        def press() -> None:
            widget, point = spot(target())
            QTest.mouseClick(widget, Qt.MouseButton.LeftButton, NONE, point)

        self.steps.append(Step(phase, name, run=press, actions=1))

    def answer(self, phase: str, key: Key) -> None:
        """One checklist answer (1, 2 or 3): counted apart from the other actions."""
        step = Step(phase, f"答 {key.name}", run=lambda: QTest.keyClick(focused(), key), answers=1)
        self.steps.append(step)

    def type(self, phase: str, text: str) -> None:
        """Type ``text`` into the focused field (one action): Chinese as an input-method commit."""
        self.steps.append(
            Step(phase, f"输入“{text}”", run=lambda: type_into(focused(), text), actions=1)
        )

    def wait(self, phase: str, name: str, condition: Callable[[], bool]) -> None:
        """Wait (no action) until ``condition`` holds, as a user waits for the screen."""
        self.steps.append(Step(phase, name, until=condition))

    def check(self, phase: str, name: str, condition: Callable[[], bool]) -> None:
        """Fail at once unless ``condition`` holds now (where the focus is, what is shown)."""

        def verify() -> None:
            if not condition():
                raise WalkFailed(
                    f"{phase}：{name}（焦点在 {describe(QApplication.focusWidget())}）"
                )

        self.steps.append(Step(phase, name, run=verify))

    def shot(self, phase: str, name: str) -> None:
        """Save a screenshot of the window the user looks at, once one is active."""
        self.steps.append(
            Step(phase, f"截图“{name}”", until=lambda: self._shoot(name), timed=False)
        )

    # --- running it ------------------------------------------------------------------------

    def start(self) -> None:
        """Run the script from the event loop; ``done`` turns true at its end or first failure."""
        QTimer.singleShot(0, self._tick)

    def _tick(self) -> None:
        if self.done:
            return
        if self._window_manager():
            QTimer.singleShot(TICK_MS, self._tick)
            return
        if self._index >= len(self.steps):
            self.done = True
            return
        step = self.steps[self._index]
        if step.until is not None:
            self._wait_for(step)
            return
        self._index += 1  # before running: a modal dialog's loop runs the next steps
        QTimer.singleShot(TICK_MS, self._tick)
        self._do(step)

    def _window_manager(self) -> bool:
        """Do what a desktop's window manager does and the offscreen platform does not: when
        the active window closes, activate the one that was active before it (a dialog's
        parent window, usually). True while it waits for such an activation to arrive."""
        active = QApplication.activeWindow()
        if active is not None:
            if not self._history or self._history[-1] is not active:
                self._history.append(active)
            self._activations = 0
            return False
        self._history = [w for w in self._history if isValid(w) and w.isVisible()]
        if not self._history or self._activations >= ACTIVATION_TICKS:
            return False
        self._activations += 1
        if self._activations > GRACE_TICKS:  # not a window on its way to being activated
            self._history[-1].activateWindow()
        return True

    def _wait_for(self, step: Step) -> None:
        assert step.until is not None
        now = time.monotonic()
        self._waiting_since = self._waiting_since or now
        try:
            ready = step.until()
        except Exception as error:
            self._fail(error)
            return
        if ready:
            if step.timed:
                self.latencies.append((now - self._waiting_since, f"{step.phase}：{step.name}"))
            self._waiting_since = 0.0
            self._index += 1
        elif now - self._waiting_since > WAIT_LIMIT_S:
            window = active_window()
            seen = window.windowTitle() if window is not None else "无活动窗口"
            if window is not None:
                window.grab().save(str(self.shots / "失败时.png"))
            focus = describe(QApplication.focusWidget())
            self._fail(WalkFailed(f"{step.phase}：等待“{step.name}”超时（{seen}；焦点 {focus}）"))
            return
        QTimer.singleShot(TICK_MS, self._tick)

    def _do(self, step: Step) -> None:
        began, position = time.monotonic(), self._index
        try:
            assert step.run is not None
            step.run()
            if self._index == position and step.actions + step.answers:  # no dialog loop ran
                self.key_times.append(time.monotonic() - began)
            self.actions[step.phase] += step.actions
            self.answers += step.answers
            self._check_windows(step)
        except WalkFailed as failed:
            self._fail(WalkFailed(f"第 {position} 步（{step.phase}：{step.name}）：{failed}"))
        except Exception as error:
            self._fail(error)

    def _fail(self, error: BaseException) -> None:
        if self.failure is None:
            self.failure = error
        self.done = True
        while (modal := QApplication.activeModalWidget()) is not None:
            modal.close()  # unwind the dialogs' own loops so the test can report

    def _check_windows(self, step: Step) -> None:
        for window in QApplication.topLevelWidgets():
            if not window.isVisible() or window.windowType() == Qt.WindowType.ToolTip:
                continue
            frame = window.frameGeometry()
            free = window.screen().availableGeometry()
            # a maximised window fills the free screen, whatever height the taskbar leaves
            tall = frame.height() > USABLE_HEIGHT and not window.isMaximized()
            if tall or not free.contains(frame):
                self.too_tall.append(
                    f"{step.phase}：{window.windowTitle() or type(window).__name__} {frame}"
                )

    def _shoot(self, name: str) -> bool:
        window = active_window()
        if window is None:
            return False
        file = self.shots / f"{len(self.screens) + 1:02d}-{name}.png"
        window.grab().save(str(file))
        self.screens.append(f"{name}: {window.windowTitle()} {window.width()}×{window.height()}")
        return True

    # --- results ---------------------------------------------------------------------------

    def slowest(self) -> tuple[float, str]:
        """The longest the user waited for the screen, and for what."""
        return max(self.latencies, default=(0.0, ""))


def type_into(widget: QWidget, text: str) -> None:
    """ASCII as key presses, Chinese through the input method, as a real keyboard delivers it."""
    if text.isascii():
        QTest.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def spot(target: Spot) -> tuple[QWidget, QPoint]:
    """Where a click on ``target`` lands."""
    if isinstance(target, tuple):
        return target
    if not target.isVisible() or not target.isEnabled():
        raise WalkFailed(f"要点击的“{describe(target)}”不可见或不可用")
    return target, target.rect().center()


def key_name(key: Key, modifiers: Qt.KeyboardModifier) -> str:
    """A key press as the report names it, e.g. Ctrl+Shift+P."""
    from PySide6.QtGui import QKeySequence

    return QKeySequence(modifiers.value | key.value).toString()


def describe(widget: QWidget | None) -> str:
    """A focus widget as a failure message names it."""
    if widget is None:
        return "无"
    window = widget.window().windowTitle()
    return f"{type(widget).__name__}“{widget.objectName() or widget.accessibleName()}”于“{window}”"
