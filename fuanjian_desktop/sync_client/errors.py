"""The one error a sync raises: a Chinese message for the user and a code for the program.

The desktop decides from ``code`` what to do next (``unreachable``: try again quietly later;
``revoked``: stop the automatic rounds), and shows ``message`` as it is.
"""

from __future__ import annotations

from fuanjian_desktop.errors import UserError


class SyncError(UserError):
    """A sync step failed; nothing half-done was acknowledged, the next round resumes.

    ``code`` is one of the wire protocol's error codes (``revoked``, ``clock``, ``scope``,
    ``protocol`` …) or a client one: ``unreachable``, ``tls``, ``not_enrolled``,
    ``enrollment``, ``bad_answer``.
    """

    def __init__(self, message: str, code: str = "error") -> None:
        super().__init__(message)
        self.code = code


NOT_ENROLLED = "本机尚未接入区局同步。请由管理员在“同步”页填写区局地址和接入码。"
