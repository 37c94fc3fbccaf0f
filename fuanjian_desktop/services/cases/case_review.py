"""The 案卷评查 of every case at once: each defect the procedure guard finds, case by case.

``python main.py review`` prints these, so a squad (or a test) can check a whole data folder —
the demo included — the way a 法制科 reviewer would, without opening each case page. The guard
is the same one the case page shows (:func:`~fuanjian_desktop.domain.guard.case_guard.case_defects`
over :func:`~fuanjian_desktop.services.cases.case_facts.facts_of`), so the two never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.guard.case_guard import Defect, case_defects
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Case
from fuanjian_desktop.services.cases.case_facts import facts_of
from fuanjian_desktop.services.procedure_settings import current_settings


class UnknownCaseNumber(UserError):
    """No case has the 案号 asked for (a mistake in the request, not a defect of a case)."""


@dataclass(frozen=True)
class CaseDefect:
    """One defect of one case, as the review lists it."""

    case_no: str
    defect: Defect

    @property
    def line(self) -> str:
        """``案号<TAB>评查项目<TAB>说明``: one line, split on tabs by a script."""
        message = " ".join(self.defect.message.split())  # a message never spans lines
        return f"{self.case_no}\t{self.defect.review_item}\t{message}"


def review_cases(
    database: Database, today: dt.date, case_no: str | None = None
) -> list[CaseDefect]:
    """Every defect of every case (or of the case ``case_no``) on ``today``, oldest case first.

    Raises :class:`UnknownCaseNumber` when no case has the number ``case_no``.
    """
    query = select(Case).order_by(Case.opened_on, Case.case_no)
    if case_no is not None:
        query = query.where(Case.case_no == case_no.strip())
    with database.read() as session:
        settings = current_settings(session)
        cases = list(session.scalars(query))
        if case_no is not None and not cases:
            raise UnknownCaseNumber(_unknown_message(case_no, session.scalar(select(Case.case_no))))
        return [
            CaseDefect(case.case_no, defect)
            for case in cases
            for defect in case_defects(facts_of(session, case, settings, today))
        ]


def _unknown_message(case_no: str, example: str | None) -> str:
    hint = f"，例如“{example}”" if example else ""
    return (
        f"没有案号为“{case_no.strip()}”的案件。请照案件页上的案号原样输入"
        f"（括号为六角括号〔〕{hint}），或去掉 --case 评查全部案件。"
    )
