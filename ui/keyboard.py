"""The keyboard and screen rules every window follows, written once and applied app-wide.

An inspector on site holds the laptop on one arm: every flow must work from the keyboard on a
1366×768 screen. Rules a single dialog could forget live here, in one application event filter
that ``ui.app.make_application`` installs, rather than in each dialog:

- lists and tables never trap Tab: arrows move inside them, Tab leaves them;
- Enter on a list row opens the row (the view's ``activated``) and is not passed on to the
  dialog, where it would press the default button and close the window; in a list that opens
  nothing (a list to choose from) Enter is the dialog's, and presses its default button;
- Tab in a multi-line field moves on to the next field; Ctrl+Tab types a tab character;
- Ctrl+Enter in a dialog presses its default button, even from a multi-line field;
- a scroll area is never a stop of Tab (its fields are);
- a window, when shown, fits inside the screen's free area (above the taskbar);
- a dialog that did not choose its focus opens on its first empty field.
"""

from __future__ import annotations

from PySide6 import QtCore, QtGui, QtPrintSupport, QtWidgets
from PySide6.QtCore import SIGNAL, QEvent, QObject, QRect, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTextEdit,
    QWidget,
)

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
TEXT_AREAS = (QPlainTextEdit, QTextEdit)
INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)


class KeyboardRules(QObject):
    """The application event filter carrying the rules above."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._enter_from_list = False  # the Enter travelling up now was first a list's

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Polish adapts widgets once; key presses and shows are checked as they come."""
        if not isinstance(watched, QWidget):
            return False
        kind = event.type()
        if kind == QEvent.Type.Polish:
            polish(watched)
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(watched, event)
        elif kind == QEvent.Type.Show and watched.isWindow():
            fit_on_screen(watched)
            if is_ours(watched) and watched.focusWidget() is None:
                focus_first_field(watched)  # now: a focus the dialog sets later wins
        return False

    def _key(self, receiver: QWidget, event: QKeyEvent) -> bool:
        """A key press reaches the focused widget first, then travels up to its parents.

        An Enter that a list passed on after opening its row must not reach the dialog, whose
        default button would close it; the list may already have moved the focus elsewhere, so
        where the Enter started is noted at its first stop. A list that opens nothing (a list to
        choose from) leaves its Enter to the dialog: it presses the default button.
        """
        enter = event.key() in ENTER_KEYS and not event.modifiers()
        if receiver is QApplication.focusWidget():
            self._enter_from_list = enter and opens_rows(receiver)
        elif enter and self._enter_from_list and isinstance(receiver, QDialog):
            return True
        return handle_key(receiver, event)


def install(app: QApplication) -> KeyboardRules:
    """Install the rules on ``app`` (once: a second call returns the rules installed)."""
    installed = app.findChild(KeyboardRules)
    if isinstance(installed, KeyboardRules):
        return installed
    create_qt_types()
    rules = KeyboardRules(app)
    app.installEventFilter(rules)
    return rules


def create_qt_types() -> None:
    """Have PySide create now every Python class of the Qt modules the app uses.

    PySide6 creates a Qt class's Python type the first time it is needed. An application-wide
    event filter is handed every object that receives an event, so it can need a type while
    PySide is creating another, and that nested creation crashes the process (SIGSEGV inside
    shiboken's incarnateType; seen here as a crash in a dialog's constructor once in a few
    runs of the test suite, and described in TimeLineAnnotator/desktop#586). Creating them all
    before the filter is installed costs about 100 ms at start.
    """
    for module in (QtCore, QtGui, QtWidgets, QtPrintSupport):
        for name in dir(module):
            getattr(module, name)


def polish(widget: QWidget) -> None:
    """Adapt a widget before it is first shown."""
    if isinstance(widget, QAbstractItemView):
        widget.setTabKeyNavigation(False)
    elif isinstance(widget, TEXT_AREAS):
        widget.setTabChangesFocus(True)
    elif isinstance(widget, QScrollArea):
        widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)


def opens_rows(widget: QWidget) -> bool:
    """A list whose rows open on Enter (something listens to its ``activated``)."""
    return isinstance(widget, QAbstractItemView) and bool(
        widget.receivers(SIGNAL("activated(QModelIndex)"))
    )


def handle_key(receiver: QWidget, event: QKeyEvent) -> bool:
    """Whether the rules consumed the key press delivered to ``receiver``."""
    key, modifiers = event.key(), event.modifiers()
    control = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
    if key == Qt.Key.Key_Tab and control and isinstance(receiver, TEXT_AREAS):
        receiver.insertPlainText("\t")
        return True
    if key not in ENTER_KEYS:
        return False
    return control and press_default_button(receiver)


def press_default_button(receiver: QWidget) -> bool:
    """Ctrl+Enter: click the default button of the dialog ``receiver`` is in, if it has one."""
    dialog = receiver.window()
    if not isinstance(dialog, QDialog):
        return False
    buttons = dialog.findChildren(QPushButton)
    default = next((b for b in buttons if b.isDefault() and b.isVisible()), None)
    if default is None or not default.isEnabled():
        return False
    default.click()
    return True


def fit_on_screen(window: QWidget) -> None:
    """Shrink and move ``window`` so that its frame lies inside its screen's free area."""
    screen = window.screen() or QApplication.primaryScreen()
    if screen is None or window.isMaximized() or window.isFullScreen():
        return
    free = screen.availableGeometry()
    frame, inner = window.frameGeometry(), window.geometry()
    extra_width = frame.width() - inner.width()
    extra_height = frame.height() - inner.height()
    width = min(inner.width(), free.width() - extra_width)
    height = min(inner.height(), free.height() - extra_height)
    if (width, height) != (inner.width(), inner.height()):
        window.resize(width, height)
    moved = inside(QRect(frame.topLeft(), window.frameGeometry().size()), free)
    if moved.topLeft() != frame.topLeft():
        window.move(moved.topLeft())


def inside(rect: QRect, area: QRect) -> QRect:
    """``rect`` moved (not resized) so that it lies inside ``area`` where it can."""
    left = max(area.left(), min(rect.left(), area.right() - rect.width() + 1))
    top = max(area.top(), min(rect.top(), area.bottom() - rect.height() + 1))
    return QRect(left, top, rect.width(), rect.height())


def is_ours(window: QWidget) -> bool:
    """An app dialog: Qt's own (file, print, message) place their focus themselves."""
    return isinstance(window, QDialog) and type(window).__module__.startswith("ui.")


def focus_first_field(dialog: QWidget) -> None:
    """Focus the first empty input of ``dialog`` in Tab order (else its first input)."""
    if not dialog.isVisible():
        return
    fields = [w for w in tab_order(dialog) if isinstance(w, INPUTS) and w.isEnabled()]
    empty = next((w for w in fields if is_empty(w)), None)
    chosen = empty or (fields[0] if fields else None)
    if chosen is not None:
        chosen.setFocus(Qt.FocusReason.TabFocusReason)


def focus_into(area: QWidget) -> None:
    """An area just shown (a page): unless it placed the focus itself, its first list gets it
    (else its first field), so the next arrow or Enter acts on what the page shows."""
    window = area.window()
    focused = window.focusWidget()
    if focused is not None and area.isAncestorOf(focused):
        return
    stops = [widget for widget in tab_order(window) if area.isAncestorOf(widget)]
    lists = [widget for widget in stops if isinstance(widget, QAbstractItemView)]
    fields = [widget for widget in stops if isinstance(widget, INPUTS)]
    target = next(iter(lists or fields), None)
    if target is not None:
        target.setFocus(Qt.FocusReason.OtherFocusReason)


def tab_order(window: QWidget) -> list[QWidget]:
    """The widgets Tab visits in ``window``, in order."""
    order: list[QWidget] = []
    widget = window.nextInFocusChain()
    while widget is not window and widget not in order:
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            order.append(widget)
        widget = widget.nextInFocusChain()
    return order


def is_empty(widget: QWidget) -> bool:
    """Whether an input still waits for the user (read-only inputs never do)."""
    if isinstance(widget, QLineEdit):
        return not widget.isReadOnly() and not widget.text()
    if isinstance(widget, TEXT_AREAS):
        return not widget.isReadOnly() and not widget.toPlainText()
    if isinstance(widget, QComboBox):
        return widget.currentIndex() < 0
    return False
