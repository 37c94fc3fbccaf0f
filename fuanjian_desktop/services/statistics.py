"""Annual enforcement figures (执法统计), as the bureau counts them in its 依法行政 report.

One calendar year, one squad or all squads (``squad_id`` ``None``). Every figure counts cases
(宗), enterprises (家), hazards (条) or yuan (元), and is defined here and in
``docs/architecture.md`` ("Statistics"):

- 立案: general-procedure cases whose 立案 was approved in the year (``Case.filed_on``, set by
  ``approve_filing``). 简易程序 cases have no 立案 and are not counted.
- 结案: cases closed by ``approve_closing`` in the year (``closed_on`` in the year, outcome
  行政处罚 or 不予行政处罚). Cases ended by 不予立案, 撤销立案 or 移送 are not 结案.
- 作出处罚决定: penalty decisions made in the year, both procedures (``decided_on`` in the year,
  outcome 行政处罚).
- 罚没金额: the fines of those decisions (``total_fine``), in yuan. This is the amount *decided*,
  not the amount collected; confiscations (没收违法所得) are not recorded in money and not included.
- 已缴罚款: of those decisions, what has been paid so far (``paid_amount``), whenever it was paid.
- 集体讨论, 听证, 陈述申辩, 申请法院强制执行: cases with at least one ``record_discussion``,
  ``hold_hearing``, ``record_statement`` or ``apply_court`` step dated in the year.
- 行政复议 / 行政诉讼: reconsiderations and lawsuits filed in the year (``CaseRemedy.filed_on``),
  split by their result as recorded now. 行政复议撤销 includes 变更 and 确认违法 (the decision
  was corrected: 复议纠错); 行政复议撤回 is the applicant withdrawing (当事人主动撤回);
  行政诉讼撤诉 is the plaintiff withdrawing. Each breakdown adds up to its total.
- 检查企业: distinct enterprises with an inspection other than a 复查 started in the year (local
  calendar of this laptop), whether finished or still open.
- 发现隐患: hazards found in the year (``found_on``), whatever their status now.
- 整改隐患: hazards found rectified (a 复查 closed them as 已整改) in the year (``closed_on``).

The squad is the case's, the inspection's or the hazard's own squad.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.inspection_rules import HazardStatus, InspectionSource
from fuanjian_desktop.domain.procedure import Outcome, Procedure
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Case, CaseEvent, CaseRemedy, Hazard, Inspection
from fuanjian_desktop.services.cases.case_actions import REMEDY_LABELS

FIRST_YEAR, LAST_YEAR = 2000, 2100
EVENT_LINES = (
    ("集体讨论", "record_discussion"),
    ("听证", "hold_hearing"),
    ("陈述申辩", "record_statement"),
    ("申请法院强制执行", "apply_court"),
)
# Per remedy kind: the suffix of each breakdown line and the recorded results it counts.
REMEDY_BREAKDOWN = {
    "reconsideration": (
        ("维持", ("维持",)),
        ("撤销", ("撤销", "变更", "确认违法")),
        ("撤回", ("撤回",)),
        ("在审", ("在审",)),
    ),
    "litigation": (
        ("胜诉", ("胜诉",)),
        ("败诉", ("败诉",)),
        ("撤诉", ("撤诉",)),
        ("在审", ("在审",)),
    ),
}


@dataclass(frozen=True)
class Period:
    """The calendar year counted, and the squad (``None``: all squads)."""

    year: int
    squad_id: str | None = None

    def dates(self, column: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
        """``column`` (a date) falls in the year."""
        return column.between(dt.date(self.year, 1, 1), dt.date(self.year, 12, 31))

    def moments(self, column: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
        """``column`` (a UTC timestamp) falls in the year on this laptop's local calendar."""
        start = dt.datetime(self.year, 1, 1).astimezone()
        end = dt.datetime(self.year + 1, 1, 1).astimezone()
        return (column >= start) & (column < end)


class Aggregate(Protocol):
    """One aggregate (a count or a sum) over the rows of the period's squad."""

    def __call__(
        self,
        value: ColumnElement[Any],
        squad: InstrumentedAttribute[str],
        *where: ColumnElement[bool],
    ) -> int: ...


def enforcement_statistics(
    database: Database, year: int, squad_id: str | None = None
) -> list[tuple[str, int]]:
    """The year's figures in report order, as (名称, 数值) pairs; see the module docstring."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UserError(f"统计年度应为{FIRST_YEAR}至{LAST_YEAR}年之间的年份。")
    period = Period(year, squad_id)
    with database.read() as session:
        count = _aggregate(session, period)
        return [
            *_case_lines(count, period),
            *_event_lines(count, period),
            *_remedy_lines(count, period),
            *_field_lines(count, period),
        ]


def _aggregate(session: Session, period: Period) -> Aggregate:
    """A function running one aggregate over rows of the period's squad (0 when none match)."""

    def run(
        value: ColumnElement[Any], squad: InstrumentedAttribute[str], *where: ColumnElement[bool]
    ) -> int:
        query = select(value).where(*where)
        if period.squad_id is not None:
            query = query.where(squad == period.squad_id)
        return int(session.scalar(query) or 0)

    return run


def _case_lines(count: Aggregate, period: Period) -> list[tuple[str, int]]:
    """立案, 结案, the year's penalty decisions and their fines decided and paid."""
    cases = func.count(Case.id)
    ended = Case.outcome.in_((Outcome.PENALTY.value, Outcome.NO_PENALTY.value))
    decided = (period.dates(Case.decided_on), Case.outcome == Outcome.PENALTY.value)
    filed = (period.dates(Case.filed_on), Case.procedure == Procedure.GENERAL.value)
    return [
        ("立案", count(cases, Case.squad_id, *filed)),
        ("结案", count(cases, Case.squad_id, period.dates(Case.closed_on), ended)),
        ("作出处罚决定", count(cases, Case.squad_id, *decided)),
        ("罚没金额", count(func.sum(Case.total_fine), Case.squad_id, *decided)),
        ("已缴罚款", count(func.sum(Case.paid_amount), Case.squad_id, *decided)),
    ]


def _event_lines(count: Aggregate, period: Period) -> list[tuple[str, int]]:
    """Cases with a given procedure step (集体讨论, 听证 …) taken in the year."""
    return [(label, _cases_with_step(count, period, action)) for label, action in EVENT_LINES]


def _cases_with_step(count: Aggregate, period: Period, action: str) -> int:
    """Cases counted once however often the step was taken (the report counts 宗)."""
    return count(
        func.count(distinct(CaseEvent.case_id)),
        Case.squad_id,
        CaseEvent.case_id == Case.id,
        CaseEvent.action == action,
        period.dates(CaseEvent.occurred_on),
    )


def _remedy_lines(count: Aggregate, period: Period) -> list[tuple[str, int]]:
    """Each remedy kind filed in the year, then its breakdown by result."""
    lines = []
    for kind, breakdown in REMEDY_BREAKDOWN.items():
        label = REMEDY_LABELS[kind]
        lines.append((label, _remedies(count, period, kind)))
        lines += [
            (f"{label}{suffix}", _remedies(count, period, kind, results))
            for suffix, results in breakdown
        ]
    return lines


def _remedies(
    count: Aggregate, period: Period, kind: str, results: tuple[str, ...] | None = None
) -> int:
    """Remedies of ``kind`` filed in the year, with one of ``results`` if given."""
    where = [
        CaseRemedy.case_id == Case.id,
        CaseRemedy.kind == kind,
        period.dates(CaseRemedy.filed_on),
    ]
    if results is not None:
        where.append(CaseRemedy.result.in_(results))
    return count(func.count(CaseRemedy.id), Case.squad_id, *where)


def _field_lines(count: Aggregate, period: Period) -> list[tuple[str, int]]:
    """Field work: enterprises inspected, hazards found and hazards rectified."""
    hazards = func.count(Hazard.id)
    rectified = Hazard.status == HazardStatus.RECTIFIED.value
    return [
        (
            "检查企业",
            count(
                func.count(distinct(Inspection.enterprise_id)),
                Inspection.squad_id,
                Inspection.source != InspectionSource.RECHECK.value,
                period.moments(Inspection.started_at),
            ),
        ),
        ("发现隐患", count(hazards, Hazard.squad_id, period.dates(Hazard.found_on))),
        ("整改隐患", count(hazards, Hazard.squad_id, rectified, period.dates(Hazard.closed_on))),
    ]
