"""Showing a failure to the user: a Chinese message, never a traceback."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from fuanjian_desktop.errors import UserError

log = logging.getLogger(__name__)


def failure_text(error: BaseException) -> str:
    """The message a user sees for ``error``; unexpected errors are logged with their trace."""
    if isinstance(error, UserError):
        return error.message
    log.error("unexpected error", exc_info=error)
    return (
        f"操作未完成：发生了意外错误（{type(error).__name__}）。"
        "数据未被改动，请重试；如反复出现请联系管理员。"
    )


def show_failure(parent: QWidget, error: BaseException, title: str = "操作未完成") -> QMessageBox:
    """Show ``error`` in a non-blocking message box (window-modal) and return it."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, failure_text(error), parent=parent)
    box.open()
    return box
