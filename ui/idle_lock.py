"""自动锁定: after some idle minutes every window's content is covered until the password is given.

A laptop left open in a shop or a car must not show the parties' names and ID numbers to whoever
picks it up. After ``interval`` without a key press, click, wheel or mouse movement in any
window of the app, each window gets an opaque curtain and a window 已锁定 asks for the signed-in
user's password (checked as a sign-in is, under the same limits). Locking closes nothing: open
dialogs and half-typed text are there again after unlocking. While locked, no input reaches the
windows behind; Esc does not unlock; 退出登录 asks the start to close the data and sign in anew.

Time is read from an injected ``clock`` and checked by a timer, so tests need not wait minutes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop import APP_NAME
from ui.errors import failure_text
from ui.keyboard import KeyboardRules, create_qt_types
from ui.shortcuts import SIGN_OUT, keyed
from ui.widgets.form_parts import error_label
from ui.workers import Workers

Clock = Callable[[], float]  # seconds, never going back


def time_including_sleep() -> float:
    """Seconds that keep counting while the laptop sleeps (lid closed in a car).

    Linux's monotonic clock stops during suspend, so a laptop woken after an hour would show
    its windows for another ten minutes; CLOCK_BOOTTIME counts the sleep. Windows' monotonic
    clock already does.
    """
    if hasattr(time, "CLOCK_BOOTTIME"):
        return time.clock_gettime(time.CLOCK_BOOTTIME)
    return time.monotonic()


Verify = Callable[[str], object]  # the password; raises a Chinese UserError if refused

# what counts as someone at the laptop
_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.InputMethod,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
# what must not reach a window behind the lock
_INPUT = _ACTIVITY | {
    QEvent.Type.KeyRelease,
    QEvent.Type.ShortcutOverride,
    QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.ContextMenu,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TouchEnd,
    QEvent.Type.TabletMove,
    QEvent.Type.TabletRelease,
    QEvent.Type.DragEnter,
    QEvent.Type.Drop,
}
LONGEST_CHECK_MS = 15_000  # a 10-minute lock comes within 15 s of its time
CHECKS_PER_SPAN = 10  # the idle time is checked ten times within it (at most every 15 s)


class Curtain(QWidget):
    """An opaque cover over one window's whole content (status bar included)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCurtain")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        label = QLabel(f"{APP_NAME}已锁定")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("font-size: 16pt; color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        window.installEventFilter(self)
        self.cover()
        self.show()

    def cover(self) -> None:
        """Fill the window and sit above everything in it."""
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The window grew, shrank or got a new child on top: cover it again."""
        if event.type() in (QEvent.Type.Resize, QEvent.Type.ChildAdded, QEvent.Type.Show):
            self.cover()
        return False


class LockWindow(QDialog):
    """已锁定: the signed-in user's password, 解锁 (Enter) and 退出登录; Esc does nothing."""

    password_given = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, who: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} — 已锁定")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setMinimumWidth(460)
        self.prompt = QLabel(f"已锁定。请输入{who}的密码解锁；换人使用请退出登录。")
        self.prompt.setWordWrap(True)
        self.password = QLineEdit(
            echoMode=QLineEdit.EchoMode.Password, placeholderText="请输入密码"
        )
        self.error = error_label(hidden=True)
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.setDefault(True)  # Enter in the password field
        self.sign_out_button = keyed(QPushButton("退出登录"), SIGN_OUT)
        self.unlock_button.clicked.connect(self._give_password)
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        self._setup_ui()
        self._may_close = False

    def _setup_ui(self) -> None:
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(self.sign_out_button)
        layout = QVBoxLayout(self)
        for widget in (self.prompt, self.password, self.error):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        self.setFocusProxy(self.password)

    def _give_password(self) -> None:
        if not self.password.text():
            self.show_error("请输入密码。")
            return
        self.set_checking(True)
        self.password_given.emit(self.password.text())

    def set_checking(self, checking: bool) -> None:
        """While the password is checked (about a second) nothing can be pressed twice."""
        for widget in (self.password, self.unlock_button, self.sign_out_button):
            widget.setEnabled(not checking)
        if checking:
            self.error.setText("正在验证密码…")
            self.error.show()

    def show_error(self, message: str) -> None:
        """A refused password: the message, an empty field with the cursor in it."""
        self.set_checking(False)
        self.error.setText(message)
        self.error.show()
        self.password.clear()
        self.password.setFocus()

    def finish(self) -> None:
        """Close for good (unlocked or signed out)."""
        self._may_close = True
        self.done(QDialog.DialogCode.Accepted)

    def reject(self) -> None:
        """Esc does not unlock: only the password or 退出登录 end the lock."""
        if self._may_close:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button does nothing either, while locked."""
        if self._may_close:
            super().closeEvent(event)
        else:
            event.ignore()


class IdleLock(QObject):
    """Watches input across the app while ``window`` is shown and locks after ``interval``.

    ``verify`` checks a password (on a worker thread); ``sign_out_requested`` is emitted by the
    lock window's 退出登录. Call :meth:`lock` for 立即锁定.
    """

    locked_changed = Signal(bool)
    sign_out_requested = Signal()

    def __init__(
        self,
        window: QWidget,
        who: str,
        verify: Verify,
        workers: Workers,
        interval: dt.timedelta,
        clock: Clock = time_including_sleep,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._who = who
        self._verify = verify
        self._workers = workers
        self.interval = interval
        self._clock = clock
        self._last_input = clock()
        self._watching = False
        self.lock_window: LockWindow | None = None
        self._curtains: list[Curtain] = []
        self._return_to: QWidget | None = None  # where the cursor was when the lock came
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self.set_interval(interval)
        window.installEventFilter(self)  # its Show and Hide start and stop the watch
        if window.isVisible():
            self._watch(True)

    def set_interval(self, interval: dt.timedelta) -> None:
        """Lock after ``interval`` without input from now on (an administrator changed it)."""
        self.interval = interval
        every_ms = int(interval.total_seconds() * 1000 / CHECKS_PER_SPAN)
        self._timer.setInterval(min(LONGEST_CHECK_MS, max(10, every_ms)))

    @property
    def locked(self) -> bool:
        """Whether the windows are covered now."""
        return self.lock_window is not None

    def check(self) -> None:
        """Lock if nobody has touched the app for ``interval`` (the timer calls this)."""
        idle = self._clock() - self._last_input
        if not self.locked and self._window.isVisible() and idle >= self.interval.total_seconds():
            self.lock()

    def lock(self) -> None:
        """Cover every window and ask for the password (立即锁定, or after the idle time)."""
        if self.locked:
            return
        focus = QApplication.focusWidget()
        self._return_to = focus if focus is not None else self._window
        self._curtains = [Curtain(window) for window in self._windows_to_cover()]
        self.lock_window = LockWindow(self._who, self._window)
        self.lock_window.password_given.connect(self._check_password)
        self.lock_window.sign_out_requested.connect(self._sign_out)
        self.lock_window.show()
        self.lock_window.raise_()
        self.lock_window.activateWindow()
        self.lock_window.password.setFocus()
        self.locked_changed.emit(True)

    def _windows_to_cover(self) -> list[QWidget]:
        return [
            widget
            for widget in QApplication.topLevelWidgets()
            if widget.isVisible() and not isinstance(widget, Curtain | LockWindow)
        ]

    def _check_password(self, password: str) -> None:
        self._workers.run(lambda: self._verify(password), self._unlocked, self._refused)

    def _refused(self, error: Exception) -> None:
        if self.lock_window is not None:
            self.lock_window.show_error(failure_text(error))

    def _unlocked(self, _result: object) -> None:
        self._end_lock()
        target, self._return_to = self._return_to, None
        with contextlib.suppress(RuntimeError):  # the widget may have gone meanwhile
            if target is not None:
                target.window().activateWindow()
                target.setFocus()

    def _sign_out(self) -> None:
        self._end_lock()
        self.sign_out_requested.emit()

    def _closed(self) -> None:
        """The window was closed (signed out, the app quits): nothing left to lock."""
        if self.locked:
            self._end_lock()
        self._watch(False)

    def _end_lock(self) -> None:
        for curtain in self._curtains:
            curtain.hide()
            curtain.deleteLater()
        self._curtains = []
        if self.lock_window is not None:
            self.lock_window.finish()
            self.lock_window.deleteLater()
            self.lock_window = None
        self._last_input = self._clock()
        self.locked_changed.emit(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note input while unlocked; while locked, stop input to the windows behind and
        cover a window that appears. The main window's Show and Hide start and stop it all."""
        kind = event.type()
        if watched is self._window and kind == QEvent.Type.Show:
            self._watch(True)
        elif watched is self._window and kind == QEvent.Type.Hide and not event.spontaneous():
            self._closed()  # (a minimised window stays watched and locked)
        if self.lock_window is None:
            if kind in _ACTIVITY:
                self._last_input = self._clock()
            return False
        if kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            self._cover_new_window(watched)
        return kind in _INPUT and not self._inside_lock_window(watched)

    def _cover_new_window(self, window: QWidget) -> None:
        if isinstance(window, Curtain | LockWindow) or any(
            curtain.parentWidget() is window for curtain in self._curtains
        ):
            return
        self._curtains.append(Curtain(window))
        if self.lock_window is not None:
            self.lock_window.raise_()
            self.lock_window.activateWindow()

    def _inside_lock_window(self, watched: QObject) -> bool:
        """Whether an input event is for the lock window (widgets, and the window system's
        own window objects, which pass it on to a widget that is checked in turn)."""
        if not isinstance(watched, QWidget):
            return watched.isWindowType()
        return watched.window() is self.lock_window

    def _watch(self, on: bool) -> None:
        """Start (the window shown) or stop (hidden, closed) watching the app's input."""
        app = QApplication.instance()
        if on == self._watching or not isinstance(app, QApplication):
            return
        self._watching = on
        if on:
            if app.findChild(KeyboardRules) is None:
                create_qt_types()  # see ui.keyboard.create_qt_types: an app filter needs them
            self._last_input = self._clock()
            app.installEventFilter(self)
            app.applicationStateChanged.connect(self._state_changed)
            self._timer.start()
        else:
            app.removeEventFilter(self)
            app.applicationStateChanged.disconnect(self._state_changed)
            self._timer.stop()

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        """Back from another program or from sleep: check at once, not at the next tick."""
        if state == Qt.ApplicationState.ApplicationActive:
            self.check()
