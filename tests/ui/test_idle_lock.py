"""自动锁定: idle minutes cover every window, only the password (or 退出登录) ends the lock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.idle_lock import lock_minutes
from tests.ui.conftest import MakeContext, active_main_window, type_text
from ui.dialogs.idle_lock_dialog import IdleLockDialog
from ui.idle_lock import Curtain, IdleLock, LockWindow
from ui.pages.users_page import UsersPage
from ui.workers import Workers

RIGHT = "right1234"
REFUSED = "用户名或密码不正确，请重新输入。"
TEN_MINUTES = dt.timedelta(minutes=10)


class FakeClock:
    """Seconds that pass only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def check_password(password: str) -> None:
    """The fake sign-in check: only ``RIGHT`` passes."""
    if password != RIGHT:
        raise UserError(REFUSED)


class Screen(QWidget):
    """A window with a party's details in a field and a button, as a page would show them."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("当事人")
        self.field = QLineEdit("440305199001011234")
        self.button = QPushButton("保存")
        self.clicks = 0
        self.button.clicked.connect(self._clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("当事人：深圳市园岭万家电子组装坊"))
        layout.addWidget(self.field)
        layout.addWidget(self.button)
        self.resize(600, 400)

    def _clicked(self) -> None:
        self.clicks += 1


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def screen(qtbot: QtBot) -> Screen:
    """The window shown and active, the cursor in its field."""
    window = Screen()
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.field.setFocus()
    return window


@pytest.fixture
def make_lock(screen: Screen, workers: Workers, clock: FakeClock) -> Callable[..., IdleLock]:
    def make(interval: dt.timedelta = TEN_MINUTES, real_clock: bool = False) -> IdleLock:
        if real_clock:
            return IdleLock(screen, "张伟（zhangwei）", check_password, workers, interval)
        return IdleLock(screen, "张伟（zhangwei）", check_password, workers, interval, clock)

    return make


def locked_window(qtbot: QtBot, lock: IdleLock) -> LockWindow:
    """The lock window, once it has the keyboard."""
    assert lock.lock_window is not None
    window = lock.lock_window
    qtbot.waitUntil(window.password.hasFocus)
    return window


def as_rgb(image: QImage) -> QImage:
    return image.convertToFormat(QImage.Format.Format_RGB32)


def test_locks_after_ten_idle_minutes_and_input_starts_them_again(
    qtbot: QtBot, screen: Screen, make_lock: Callable[..., IdleLock], clock: FakeClock
) -> None:
    """9:59 idle: open; a key then; 9:59 later: open; 10:00 after the key: locked."""
    lock = make_lock()
    clock.now += 599
    lock.check()
    assert not lock.locked
    qtbot.keyClick(screen.field, Qt.Key.Key_End)
    clock.now += 599
    lock.check()
    assert not lock.locked
    clock.now += 1
    lock.check()
    assert lock.locked


def test_coming_back_to_the_app_checks_at_once(
    qapp: QApplication, make_lock: Callable[..., IdleLock], clock: FakeClock
) -> None:
    """Woken after 11 minutes (the app active again): locked without waiting for the timer."""
    lock = make_lock()
    clock.now += 11 * 60
    qapp.applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert lock.locked


def test_the_timer_locks_by_itself(qtbot: QtBot, make_lock: Callable[..., IdleLock]) -> None:
    """With a 0.3 s idle time (the real clock and timer) the lock comes without a call."""
    lock = make_lock(dt.timedelta(milliseconds=300), real_clock=True)
    qtbot.waitUntil(lambda: lock.locked, timeout=5_000)


def test_nothing_of_the_window_is_readable_behind_the_curtain(
    qtbot: QtBot, screen: Screen, make_lock: Callable[..., IdleLock]
) -> None:
    """The window renders exactly as its curtain alone: no field, label or button shows."""
    lock = make_lock()
    before = as_rgb(screen.grab().toImage())
    lock.lock()
    curtains = screen.findChildren(Curtain)
    assert len(curtains) == 1 and curtains[0].geometry() == screen.rect()
    covered = as_rgb(screen.grab().toImage())
    assert covered == as_rgb(curtains[0].grab().toImage())
    assert covered != before


def test_keys_and_clicks_do_not_reach_the_window_behind(
    qtbot: QtBot, screen: Screen, make_lock: Callable[..., IdleLock]
) -> None:
    """Typing into the field that had the cursor and clicking its button change nothing."""
    lock = make_lock()
    lock.lock()
    qtbot.keyClicks(screen.field, "999")
    qtbot.keyClick(screen.field, Qt.Key.Key_Backspace)
    qtbot.mouseClick(screen.button, Qt.MouseButton.LeftButton)
    assert screen.field.text() == "440305199001011234"
    assert screen.clicks == 0


def test_esc_and_the_close_button_do_not_unlock(
    qtbot: QtBot, screen: Screen, make_lock: Callable[..., IdleLock]
) -> None:
    """Esc in the lock window and closing it leave everything locked and covered."""
    lock = make_lock()
    lock.lock()
    window = locked_window(qtbot, lock)
    qtbot.keyClick(window.password, Qt.Key.Key_Escape)
    window.close()
    qtbot.wait(50)
    assert lock.locked and window.isVisible()
    assert screen.findChild(Curtain) is not None


def test_a_wrong_password_is_refused_and_the_right_one_unlocks_by_keyboard(
    qtbot: QtBot,
    screen: Screen,
    make_lock: Callable[..., IdleLock],
    wait_idle: Callable[[], None],
) -> None:
    """Typed and Enter: the refusal in Chinese, still locked; then unlocked, the cursor back."""
    lock = make_lock()
    lock.lock()
    window = locked_window(qtbot, lock)
    qtbot.keyClicks(window.password, "wrong1234")
    qtbot.keyClick(window.password, Qt.Key.Key_Return)
    wait_idle()
    assert lock.locked and window.error.text() == REFUSED
    assert window.password.text() == "" and window.password.hasFocus()
    qtbot.keyClicks(window.password, RIGHT)
    qtbot.keyClick(window.password, Qt.Key.Key_Return)
    wait_idle()
    assert not lock.locked
    qtbot.waitUntil(lambda: not screen.findChildren(Curtain))
    qtbot.waitUntil(screen.field.hasFocus)
    assert screen.field.text() == "440305199001011234"  # nothing was lost


def test_an_empty_password_is_not_sent(
    qtbot: QtBot, make_lock: Callable[..., IdleLock], workers: Workers
) -> None:
    """Enter on an empty field asks for the password and checks nothing."""
    lock = make_lock()
    lock.lock()
    window = locked_window(qtbot, lock)
    qtbot.keyClick(window.password, Qt.Key.Key_Return)
    assert window.error.text() == "请输入密码。" and not workers.busy()


def test_a_window_opened_while_locked_is_covered_too(
    qtbot: QtBot, screen: Screen, make_lock: Callable[..., IdleLock]
) -> None:
    """A dialog that pops up during the lock (a finished job's message) gets its curtain."""
    lock = make_lock()
    lock.lock()
    dialog = QDialog(screen)
    dialog.setLayout(QVBoxLayout())
    dialog.layout().addWidget(QLabel("已导出：张三的询问笔录"))
    dialog.show()
    qtbot.waitUntil(lambda: dialog.findChild(Curtain) is not None)
    curtain = dialog.findChild(Curtain)
    assert curtain is not None and curtain.geometry() == dialog.rect()


def test_sign_out_ends_the_lock_and_asks_to_sign_in_again(
    qtbot: QtBot, screen: Screen, make_lock: Callable[..., IdleLock]
) -> None:
    """退出登录 (its shortcut, keyboard only) emits the request; the lock window goes."""
    lock = make_lock()
    lock.lock()
    window = locked_window(qtbot, lock)
    with qtbot.waitSignal(lock.sign_out_requested, timeout=2_000):
        qtbot.keyClick(window.password, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    assert not lock.locked


def test_ctrl_l_locks_the_main_window_and_the_demo_password_opens_it(
    qtbot: QtBot,
    make_context: MakeContext,
    sign_in: Callable[[str], Actor],
    wait_idle: Callable[[], None],
) -> None:
    """In the main window: 10 minutes by default; Ctrl+L locks; the user's password unlocks."""
    window = active_main_window(qtbot, make_context(sign_in("zhangwei")))
    assert window.idle_lock.interval == TEN_MINUTES
    qtbot.keyClick(window.navigation, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.idle_lock.locked)  # a button's shortcut clicks it animated
    lock_window = locked_window(qtbot, window.idle_lock)
    assert "张伟" in lock_window.prompt.text()
    type_text(qtbot, lock_window.password, demo.DEMO_PASSWORD)
    qtbot.keyClick(lock_window.password, Qt.Key.Key_Return)
    wait_idle()
    qtbot.waitUntil(lambda: not window.idle_lock.locked, timeout=10_000)
    assert not window.findChildren(Curtain)


def test_sign_out_from_the_lock_reaches_the_main_window(
    qtbot: QtBot, make_context: MakeContext, sign_in: Callable[[str], Actor]
) -> None:
    """The lock's 退出登录 is the main window's ``sign_out_requested`` (the start handles it)."""
    window = active_main_window(qtbot, make_context(sign_in("zhangwei")))
    window.idle_lock.lock()
    lock_window = locked_window(qtbot, window.idle_lock)
    with qtbot.waitSignal(window.sign_out_requested, timeout=2_000):
        lock_window.sign_out_button.click()


def test_the_administrator_sets_the_minutes_and_the_open_window_follows(
    qtbot: QtBot,
    make_context: MakeContext,
    sign_in: Callable[[str], Actor],
    wait_idle: Callable[[], None],
    demo_database: Database,
) -> None:
    """用户管理 → 自动锁定…: 3 typed, Enter; stored, and this window now locks after 3 minutes."""
    window = active_main_window(qtbot, make_context(sign_in("zhaolei")))
    window.show_page("users")
    page = window.pages["users"]
    assert isinstance(page, UsersPage)
    page.idle_lock_button.click()
    dialog = page.dialog
    assert isinstance(dialog, IdleLockDialog)
    wait_idle()  # the minutes in force, read in the background
    assert dialog.minutes.value() == 10
    dialog.minutes.selectAll()
    qtbot.keyClicks(dialog.minutes, "3")
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        qtbot.keyClick(dialog.minutes, Qt.Key.Key_Return)
    assert lock_minutes(demo_database) == 3
    assert window.idle_lock.interval == dt.timedelta(minutes=3)
