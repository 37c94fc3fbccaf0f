"""Smoke test of the case generator and the case-list benchmark on 300 cases.

It also counts the generated cases by hand for many filter combinations and compares with
``case_queries``, so a faster query that changes a result (a facet counting the wrong set)
fails here rather than in the closing note's numbers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import product

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.cases import PAGE, bureau_viewer, measure, realistic_filters
from bench.datasets import private_copy
from bench.encrypted import open_dataset
from bench.generate_cases import (
    AS_OF,
    HANDLERS_PER_CASE,
    INSPECTORS_PER_SQUAD,
    USERNAME_PREFIX,
    add_cases,
)
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import FINAL_STAGES, Stage
from fuanjian_desktop.models import Case, CaseHandler, Squad, User
from fuanjian_desktop.services.cases.case_queries import (
    DUE_SOON,
    OVERDUE,
    CaseFilter,
    FilterCounts,
    filter_counts,
    search_case_ids,
)
from tests.conftest import DemoTemplate

CASES = 300
SEED = 5


@dataclass(frozen=True)
class Listed:
    """A case as the filters see it."""

    id: str
    squad_id: str
    stage: str
    opened_on: dt.date
    next_due_on: dt.date | None
    handlers: frozenset[str]


@pytest.fixture(scope="module")
def database(
    demo_template: DemoTemplate, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """The demo plus 300 generated cases (built once for this module)."""
    folder = private_copy(demo_template.folder.root, tmp_path_factory.mktemp("bench-cases"))
    db = open_dataset(folder)
    add_cases(db, CASES, SEED)
    yield db
    db.close()


@pytest.fixture(scope="module")
def listed(database: Database) -> list[Listed]:
    """Every case in the database with its handlers, read directly."""
    with database.read() as session:
        handlers: dict[str, set[str]] = {}
        for case_id, user_id in session.execute(select(CaseHandler.case_id, CaseHandler.user_id)):
            handlers.setdefault(case_id, set()).add(user_id)
        return [
            Listed(c.id, c.squad_id, c.stage, c.opened_on, c.next_due_on, frozenset(handlers[c.id]))
            for c in session.scalars(select(Case))
        ]


def test_generated_cases_look_like_a_case_book(database: Database) -> None:
    """Every squad has cases, most have ended, and open ones wait on due dates either side."""
    with database.read() as session:
        squads = session.scalars(select(Squad.id).where(Squad.street.is_not(None))).all()
        cases = session.scalars(select(Case).where(Case.created_by_id.in_(_synthetic(session))))
        generated = list(cases)
    assert len(generated) == CASES
    assert {case.squad_id for case in generated} == set(squads)
    open_cases = [case for case in generated if Stage(case.stage) not in FINAL_STAGES]
    assert CASES // 10 < len(open_cases) < CASES // 3
    due = [case.next_due_on for case in open_cases if case.next_due_on is not None]
    assert min(due) < AS_OF <= max(due)
    assert all(case.next_due_on is None for case in generated if case not in open_cases)
    assert len({case.case_no for case in generated}) == CASES


def test_each_case_has_two_inspectors_of_its_own_squad(database: Database) -> None:
    """Handlers come in pairs, from a pool of eight inspectors per squad."""
    with database.read() as session:
        inspectors = _synthetic(session)
        squad_of = {user.id: user.squad_id for user in session.scalars(select(User))}
        rows = session.execute(
            select(Case.id, Case.squad_id, CaseHandler.user_id)
            .join(CaseHandler)
            .where(Case.created_by_id.in_(inspectors))
        ).all()
    assert len(inspectors) == 10 * INSPECTORS_PER_SQUAD
    assert set(Counter(case_id for case_id, _, _ in rows).values()) == {HANDLERS_PER_CASE}
    assert all(squad_of[user_id] == squad_id for _, squad_id, user_id in rows)


def test_the_benchmark_runs_and_its_counts_agree(database: Database) -> None:
    """Every benchmark filter finds cases, and its counts add up to the list it shows."""
    for named in realistic_filters(database):
        flt = named.case_filter
        timing = measure(database, flt, repeat=1)
        counts = timing.counts
        assert timing.matches == counts.total > 0, named
        assert len(timing.first_page) == min(PAGE, timing.matches)
        by_stage = counts.by_stage[flt.stage] if flt.stage else sum(counts.by_stage.values())
        assert by_stage == counts.total
        if flt.handler_id:
            assert counts.by_handler[flt.handler_id] == counts.total
        else:  # every case has a handler; demo cases may have more or fewer than two
            handled = counts.by_handler.values()
            assert max(handled) <= counts.total <= sum(handled)
        if flt.due is not None:
            assert {OVERDUE: counts.overdue, DUE_SOON: counts.due_soon}[flt.due] == counts.total


def test_list_and_counts_match_counting_by_hand(database: Database, listed: list[Listed]) -> None:
    """For every combination of filters, ids and each facet are what counting by hand gives."""
    squad = listed[0].squad_id
    handler = next(iter(listed[0].handlers))
    viewer = bureau_viewer(database)  # the 区局's view: every squad, or the one chosen
    combinations = product(
        (None, squad),
        (None, Stage.INVESTIGATION, Stage.ARCHIVED),
        (None, handler),
        (None, OVERDUE, DUE_SOON),
    )
    for squad_id, stage, handler_id, due in combinations:
        flt = CaseFilter(squad_id, stage, handler_id, due)
        assert search_case_ids(database, viewer, flt, AS_OF) == _ids_by_hand(listed, flt), flt
        assert filter_counts(database, viewer, flt, AS_OF) == _counts_by_hand(listed, flt), flt


def _synthetic(session: Session) -> list[str]:
    """Ids of the generated inspectors (the demo's own users are left out)."""
    query = select(User.id).where(User.username.startswith(USERNAME_PREFIX))
    return list(session.scalars(query))


def _matches(case: Listed, flt: CaseFilter) -> bool:
    due = case.next_due_on
    return (
        flt.squad_id in (None, case.squad_id)
        and flt.stage in (None, case.stage)
        and flt.handler_id in (None, *case.handlers)
        and (flt.due is None or (due is not None and _due_state(due) == flt.due))
    )


def _due_state(due: dt.date) -> str | None:
    if due < AS_OF:
        return OVERDUE
    return DUE_SOON if due <= AS_OF + dt.timedelta(days=3) else None


def _ids_by_hand(listed: list[Listed], flt: CaseFilter) -> list[str]:
    found = [case for case in listed if _matches(case, flt)]
    return [case.id for case in sorted(found, key=lambda c: (c.opened_on, c.id), reverse=True)]


def _counts_by_hand(listed: list[Listed], flt: CaseFilter) -> FilterCounts:
    def where(other: CaseFilter) -> list[Listed]:
        return [case for case in listed if _matches(case, other)]

    handlers = Counter(
        user for case in where(replace(flt, handler_id=None)) for user in case.handlers
    )
    return FilterCounts(
        total=len(where(flt)),
        by_stage=dict(Counter(Stage(case.stage) for case in where(replace(flt, stage=None)))),
        due_soon=len(where(replace(flt, due=DUE_SOON))),
        overdue=len(where(replace(flt, due=OVERDUE))),
        by_handler=dict(handlers),
    )
