"""Showing the core's refusal in a dossier form: beside the fields it names, else under it."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QWidget

from fuanjian_desktop.domain.registry_rules import InvalidFields
from ui.errors import failure_text
from ui.widgets.field_errors import FieldErrors


def show_refusal(
    errors: FieldErrors, error: Exception, fields: Mapping[str, QWidget] | None = None
) -> None:
    """Each field problem under its field (``InvalidFields``), anything else — no right, an
    archived case, a file that vanished — on the form's general line. The cursor goes to the
    first field named that ``fields`` holds, so the user types the correction at once (and
    Enter does not land on 取消, where the disabled 保存 button had left it)."""
    if not isinstance(error, InvalidFields):
        errors.show_message(failure_text(error))
        return
    errors.show(error.issues)
    named = [fields[issue.field] for issue in error.issues if fields and issue.field in fields]
    if named:
        named[0].setFocus()
