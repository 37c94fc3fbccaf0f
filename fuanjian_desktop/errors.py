"""Errors a user can cause: values with a Chinese message, shown by the UI as they are.

A traceback is never what a user sees; anything raised as :class:`UserError` carries a
message that says what is wrong and how to fix it.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can understand and fix; ``message`` is shown verbatim (Chinese)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PermissionDenied(UserError):
    """The signed-in user's roles do not allow the action (checked in the core, not the UI)."""


class NotFound(UserError):
    """The record the user acted on no longer exists (deleted elsewhere, or a stale list)."""


class DatabaseTooNew(UserError):
    """The database was written by a newer FuAnJian version; opening it could corrupt it."""
