"""Case-list filtering at scale (default 100,000 cases over 100,000 enterprises).

``python bench/cases.py [--cases N] [--enterprises N] [--seed S] [--repeat R]``

Every change of a filter on the 案件 page runs ``search_case_ids`` and ``filter_counts`` and then
loads the first page of 200 rows with ``case_rows``. This times each of the three and the whole
wait, for the filters an inspector or a squad leader actually sets, within one squad and over
all squads. The goal is a total under 100 ms. It reports; it asserts nothing, and exits
non-zero only on an error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from sqlalchemy import func, select

from bench.datasets import ensure_case_dataset
from bench.encrypted import open_dataset
from bench.generate import DEFAULT_SEED
from bench.generate_cases import AS_OF, UNUSABLE_PASSWORD_HASH
from bench.timing import Summary, print_table, repeat_ms
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import Stage
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.models import Case, CaseHandler, Squad, User, UserRole
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_queries import (
    DUE_SOON,
    OVERDUE,
    CaseFilter,
    CaseRow,
    FilterCounts,
    case_rows,
    filter_counts,
    search_case_ids,
)

PAGE = 200
BUREAU_VIEWER = "case-bureau-viewer"
GOAL_MS = 100.0


@dataclass(frozen=True)
class NamedFilter:
    """A filter as set on the 案件 page, with where and what it stands for."""

    scope: str
    label: str
    case_filter: CaseFilter


@dataclass(frozen=True)
class FilterTiming:
    """What one filter found and how long each part of the page's wait took."""

    matches: int
    counts: FilterCounts
    first_page: list[CaseRow]
    search: Summary
    facets: Summary
    rows: Summary
    total: Summary


def realistic_filters(database: Database) -> list[NamedFilter]:
    """Each filter in one squad (the one with most cases) and over all squads (区局's view).

    The handler is that squad's busiest inspector, so the handler filters find a typical load.
    """
    squad_id, squad_name = _busiest_squad(database)
    handler_id = _busiest_handler(database, squad_id)
    named = []
    for scope, scope_squad in ((squad_name, squad_id), ("全部中队", None)):
        filters = [
            ("无筛选 none", CaseFilter(scope_squad)),
            ("阶段 调查取证", CaseFilter(scope_squad, stage=Stage.INVESTIGATION)),
            ("承办人 handler", CaseFilter(scope_squad, handler_id=handler_id)),
            ("已逾期 overdue", CaseFilter(scope_squad, due=OVERDUE)),
            ("3日内到期 due soon", CaseFilter(scope_squad, due=DUE_SOON)),
            ("调查取证+承办人", CaseFilter(scope_squad, Stage.INVESTIGATION, handler_id)),
        ]
        named += [NamedFilter(scope, label, case_filter) for label, case_filter in filters]
    return named


def _busiest_squad(database: Database) -> tuple[str, str]:
    with database.read() as session:
        row = session.execute(
            select(Squad.id, Squad.short_name)
            .join(Case, Case.squad_id == Squad.id)
            .group_by(Squad.id)
            .order_by(func.count().desc(), Squad.short_name)
            .limit(1)
        ).one()
        return row.id, row.short_name


def _busiest_handler(database: Database, squad_id: str) -> str:
    with database.read() as session:
        return session.scalars(
            select(CaseHandler.user_id)
            .join(Case, Case.id == CaseHandler.case_id)
            .where(Case.squad_id == squad_id)
            .group_by(CaseHandler.user_id)
            .order_by(func.count().desc(), CaseHandler.user_id)
            .limit(1)
        ).one()


def bureau_viewer(database: Database) -> Actor:
    """The 区局查看 account the lists are read as (every squad's cases, as the 区局 sees them;
    one squad's when filtered to it). Added to the dataset once; it cannot sign in."""
    with database.write() as session:
        user = session.scalar(select(User).where(User.username == BUREAU_VIEWER))
        if user is None:
            bureau = session.scalars(select(Squad).where(Squad.is_bureau.is_(True))).one()
            user = User(
                username=BUREAU_VIEWER,
                full_name="区局查看（基准）",
                squad_id=bureau.id,
                password_hash=UNUSABLE_PASSWORD_HASH,
                role_rows=[UserRole(role=str(Role.BUREAU_VIEWER))],
            )
            session.add(user)
            session.flush()
        return Actor.of(user)


def ui_wait(
    database: Database, actor: Actor, case_filter: CaseFilter, today: dt.date
) -> tuple[list[str], FilterCounts, list[CaseRow]]:
    """What the 案件 page waits for after a filter change: ids, facet counts, first page."""
    ids = search_case_ids(database, actor, case_filter, today)
    counts = filter_counts(database, actor, case_filter, today)
    return ids, counts, case_rows(database, actor, ids[:PAGE], today)


def measure(
    database: Database, case_filter: CaseFilter, repeat: int, today: dt.date = AS_OF
) -> FilterTiming:
    """Time the three calls one by one, then together as the page makes them."""
    who = bureau_viewer(database)
    search, ids = repeat_ms(partial(search_case_ids, database, who, case_filter, today), repeat)
    facets, counts = repeat_ms(partial(filter_counts, database, who, case_filter, today), repeat)
    rows, first_page = repeat_ms(partial(case_rows, database, who, ids[:PAGE], today), repeat)
    total, _ = repeat_ms(partial(ui_wait, database, who, case_filter, today), repeat)
    return FilterTiming(len(ids), counts, first_page, search, facets, rows, total)


def table_row(named: NamedFilter, timing: FilterTiming) -> list[object]:
    """Scope, filter, matches, then median / p95 ms of each part and of the whole wait."""
    over = " !" if timing.total.median_ms > GOAL_MS else ""
    return [
        named.scope,
        named.label,
        f"{timing.matches:,}",
        _cell(timing.search),
        _cell(timing.facets),
        _cell(timing.rows),
        _cell(timing.total) + over,
    ]


def _cell(summary: Summary) -> str:
    return f"{summary.median_ms:.1f} / {summary.p95_ms:.1f}"


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="案件列表筛选的规模基准测试")
    parser.add_argument("--cases", type=int, default=100_000, help="合成案件数")
    parser.add_argument("--enterprises", type=int, default=100_000, help="合成企业数")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
    parser.add_argument("--repeat", type=int, default=20, help="每项计时次数（预热后）")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the dataset, time every filter, print one table."""
    args = build_parser().parse_args(argv)
    data_dir = ensure_case_dataset(args.cases, args.enterprises, args.seed)
    database = open_dataset(data_dir)
    try:
        total = filter_counts(database, bureau_viewer(database), CaseFilter(), AS_OF).total
        rows = [
            table_row(named, measure(database, named.case_filter, args.repeat))
            for named in realistic_filters(database)
        ]
    finally:
        database.close()
    print(f"\n{total:,} cases in {data_dir}; today = {AS_OF}")
    print(f"{args.repeat} timed runs after 2 warm-ups; each cell is median / p95 ms;")
    print(f"! marks a median total over the {GOAL_MS:.0f} ms goal\n")
    headers = ["scope", "filter", "cases", "search ids", "filter_counts", "rows (200)", "UI total"]
    print_table(headers, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
