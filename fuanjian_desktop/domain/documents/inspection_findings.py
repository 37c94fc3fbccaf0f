"""检查情况 of a 现场检查记录, written from the answers and the hazards.

The record is the main evidence of a later case (安全生产法第六十八条: the time, place, content,
the problems found and how they were handled are recorded), so it says what was checked, each
problem found in the checklist's words with the rule it breaks, the measure ordered on
the spot for it, and the 现场处理措施 of the visit. It is built only from the hazards' official
descriptions; an inspector's private note (备注) never enters it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from fuanjian_desktop.domain.documents.document_text import sentences, written_date


@dataclass(frozen=True)
class AnswerCounts:
    """How the checklist's applicable items were answered."""

    compliant: int
    non_compliant: int
    not_applicable: int

    @property
    def total(self) -> int:
        """Items answered."""
        return self.compliant + self.non_compliant + self.not_applicable


@dataclass(frozen=True)
class FoundProblem:
    """A hazard as the record states it: the problem (its official description, where the
    inspector writes the place), the checklist item's requirement, the rule it breaks, the
    working days given to put it right (0: 立即改正) and its due date."""

    text: str
    requirement: str
    basis: str
    days: int
    due: dt.date


def findings_text(
    checklist: str,
    counts: AnswerCounts,
    problems: Sequence[FoundProblem],
    measures: Sequence[str],
    written: str = "",
) -> str:
    """The 检查情况 paragraph lines: what was checked and counted, each problem with the rule
    it breaks and the measure ordered, the visit's 现场处理措施, then what the inspectors wrote."""
    checked = f"按照《{checklist}》" if checklist else ""
    lines = [
        f"本次{checked}检查{counts.total}项，其中符合{counts.compliant}项，"
        f"不符合{counts.non_compliant}项，不涉及{counts.not_applicable}项。"
    ]
    if problems:
        lines.append("发现的问题及现场处理：")
        lines += [f"{n}．{problem_line(p)}" for n, p in enumerate(problems, start=1)]
    else:
        lines.append("未发现事故隐患。")
    if measures:
        lines.append(f"现场处理措施：{'、'.join(measures)}。")
    if written.strip():
        lines.append(sentences([written]))
    return "\n".join(lines)


def problem_line(problem: FoundProblem) -> str:
    """``问题（未做到：要求），不符合…的规定；已责令于…前整改完毕。`` — the requirement is named
    when the inspector's own wording of the problem does not already state it."""
    text = problem.text.rstrip("。")
    requirement = problem.requirement.strip()
    if requirement and requirement not in text:
        text += f"（未做到：{requirement}）"
    basis = f"，不符合{problem.basis}的规定" if problem.basis.strip() else ""
    return f"{text}{basis}；{ordered(problem)}。"


def ordered(problem: FoundProblem) -> str:
    """The measure ordered for one problem: at once when no days were given, else by its due
    date (the same date the 责令限期整改指令书 prints)."""
    if problem.days == 0:
        return "已责令立即改正"
    return f"已责令于{written_date(problem.due)}前整改完毕"
