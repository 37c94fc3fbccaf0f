"""Checks of a document's content, by type, made when it is issued (by a step or the editor).

Completeness (every required printed field filled) is checked for every type in
``document_issue.check_complete``; these are the rules a type's values must also meet, such as
an order's deadlines agreeing with each other and with the hazards
(``domain.documents.rectification_order``).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from fuanjian_desktop.domain.documents.rectification_order import deadline_conflicts
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import CaseDocument
from fuanjian_desktop.services.documents.inspection_document_values import inspection_hazards

ContentCheck = Callable[[Session, CaseDocument], list[str]]


def check_content(session: Session, document: CaseDocument) -> None:
    """Refuse to issue ``document`` while its type's rules find a problem (listed in Chinese)."""
    check = CONTENT_CHECKS.get(document.type_key)
    problems = check(session, document) if check else []
    if problems:
        lines = "\n".join(f"· {problem}" for problem in problems)
        raise UserError(f"《{document.title}》不能签发：\n{lines}")


def _order_deadlines(session: Session, document: CaseDocument) -> list[str]:
    """The 责令限期整改指令书's deadlines against each other and its inspection's hazards."""
    values = document.values
    hazards = inspection_hazards(session, document.inspection_id or "")
    return deadline_conflicts(
        [str(problem) for problem in values.get("problems") or []],
        str(values.get("rectify_due") or ""),
        str(values.get("rectify_by_item") or ""),
        [hazard.due_date for hazard in hazards],
    )


CONTENT_CHECKS: dict[str, ContentCheck] = {"rectification_order": _order_deadlines}
