"""The app's keyboard shortcuts, named in one table so no two collide within a window.

A button that has a shortcut shows it in its label and tooltip (``keyed``): an inspector learns
the keys by reading the buttons, not a manual. Ctrl+1…9 choose the pages (the main window).
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton

NEW = "Ctrl+N"
FINISH_INSPECTION = "Ctrl+E"
DOCUMENTS = "Ctrl+D"
ADD_PHOTO = "Ctrl+I"
PRINT_PREVIEW = "Ctrl+P"
BATCH_PRINT = "Ctrl+Shift+P"
EXPORT_PDF = "Ctrl+Shift+E"
EXPORT_WORD = "Ctrl+Shift+W"
SAVE = "Ctrl+S"
FIND = "Ctrl+F"
ABOUT = "F1"
# documents (the 文书 window, the case's 文书 tab, the document editor and the print preview)
QUICK_DRAFTS = ("Alt+1", "Alt+2", "Alt+3", "Alt+4")  # the 文书 window's new-draft buttons, in order
OPEN_ROW = "Enter"  # shown on 编辑/查看: Enter on a list row opens it (the view's activated)
ISSUE = "Ctrl+Shift+I"  # 签发
SERVE = "Ctrl+Shift+S"  # 送达
CORRECT = "Ctrl+Shift+R"  # 更正
VOID = "Ctrl+Shift+V"  # 作废
PRINT = "Ctrl+P"  # 打印 in the print preview (a window of its own)
# the hazard dialog
RECHECK = "Ctrl+R"  # 复查…
TRANSFER_TO_CASE = "Ctrl+T"  # 移交立案
# the account (the main window's status bar)
CHANGE_PASSWORD = "Ctrl+Shift+K"  # 修改密码
SIGN_OUT = "Ctrl+Shift+L"  # 退出登录: the database closes, the sign-in window returns
LOCK_NOW = "Ctrl+L"  # 立即锁定: the idle lock at once (the windows covered until the password)
SYNC_NOW = "F5"  # 同步: a round with HQ now (ui/sync), the window stays usable meanwhile
# the case page (a page of the main window)
CASE_STEPS = tuple(f"Alt+{n}" for n in range(1, 10))  # the steps one can take, in order
NEXT_TAB = "Ctrl+PgDown"  # its tabs (时间线 … 救济), the list of the tab chosen gets the cursor
PREVIOUS_TAB = "Ctrl+PgUp"


def keyed(button: QAbstractButton, keys: str) -> QAbstractButton:
    """Give ``button`` the shortcut ``keys`` and show it in its label and tooltip.

    The shortcut is the button's own, so it works while the button is visible in the active
    window and not on a hidden page or behind a dialog.
    """
    written = shown(keys)
    button.setText(f"{button.text()} ({written})")
    button.setShortcut(QKeySequence(keys))  # after setText, which resets it to a &-mnemonic
    tip = button.toolTip()
    button.setToolTip(f"{tip}（{written}）" if tip else f"快捷键：{written}")
    return button


def shown(keys: str) -> str:
    """``keys`` as the platform writes them (Ctrl+Shift+P), for a label or tooltip."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
