"""Synthetic enforcement cases (案件) at scale, added to a generated registry dataset.

``python bench/generate_cases.py --data-dir DIR --cases 100000 [--seed N]`` (DIR made by
``bench/generate.py``; ``bench/datasets.py`` does both and caches the result).

The case list filters on the ``enforcement_case`` columns and ``case_handler`` rows only, so
those are what this writes, bulk-inserted with SQLAlchemy Core in one transaction:

* cases spread over the ten street squads, most of them 已结案/已归档 over five years, some open
  in every stage, opened within the last months;
* two handlers (承办人) per case from a pool of eight synthetic inspectors per squad, who are
  real ``app_user`` rows (role 执法人员) that cannot sign in (their password hash is unusable);
* ``next_due_on`` on open cases: some overdue, some due within three days, most later;
* unique 案号 in the app's own format, e.g. ``（深福）应急立〔2024〕1234号``.

Nothing else a real case has is made — no events, documents, deadlines, violations, issued
numbers, audit events or outbox entries — so the cases are for listing, not for opening.
Everything is relative to the fixed day :data:`AS_OF`, not the clock, so a cached dataset
answers the same on any day; benchmarks pass ``AS_OF`` as "today".
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from bench.encrypted import open_dataset
from bench.generate import DEFAULT_SEED
from fuanjian_desktop import reference
from fuanjian_desktop.db.base import Base, utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.synthetic import EnterpriseFactory
from fuanjian_desktop.domain.documents.document_types import document_type
from fuanjian_desktop.domain.numbering import format_number
from fuanjian_desktop.domain.penalties.violations import load_catalogue
from fuanjian_desktop.domain.procedure import FINAL_STAGES, Outcome, Procedure, Stage
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Case, CaseHandler, Enterprise, Squad, User, UserRole
from fuanjian_desktop.services.cases.cases import CaseSource, enterprise_party_columns
from fuanjian_desktop.services.numbering import numbering_settings

AS_OF = dt.date(2026, 11, 30)
# the draws standing in for a squad's first two open cases: overdue, then due within three days
FIRST_OPEN_DRAWS = (0.15, 0.3)
YEARS = 5
INSPECTORS_PER_SQUAD = 8
HANDLERS_PER_CASE = 2
BATCH_SIZE = 5_000
USERNAME_PREFIX = "case-inspector-"
UNUSABLE_PASSWORD_HASH = "!synthetic"  # not an argon2 hash, so no password ever matches

# Share of cases per stage (per mille): four in five have ended, the rest are open somewhere.
STAGE_WEIGHTS: dict[Stage, int] = {
    Stage.ARCHIVED: 600,
    Stage.CLOSED: 140,
    Stage.NOT_FILED: 30,
    Stage.REVOKED: 10,
    Stage.TRANSFERRED: 20,
    Stage.FILING_APPROVAL: 15,
    Stage.INVESTIGATION: 60,
    Stage.LEGAL_REVIEW: 15,
    Stage.COLLECTIVE: 6,
    Stage.NOTICE: 10,
    Stage.STATEMENT: 15,
    Stage.HEARING: 4,
    Stage.DECISION_APPROVAL: 10,
    Stage.SERVICE: 10,
    Stage.EXECUTION: 30,
    Stage.CLOSING_APPROVAL: 15,
    Stage.ONSITE: 5,
}
DECIDED_STAGES = frozenset(
    {Stage.SERVICE, Stage.EXECUTION, Stage.CLOSING_APPROVAL, Stage.CLOSED, Stage.ARCHIVED}
)
ENDED_WITHOUT_DECISION = {
    Stage.NOT_FILED: Outcome.NOT_FILED,
    Stage.REVOKED: Outcome.REVOKED,
    Stage.TRANSFERRED: Outcome.TRANSFERRED,
}
# The open 办理期限 a case in this stage most often waits on (default: 办案期限).
DUE_LABELS = {
    Stage.SERVICE: "送达处罚决定书",
    Stage.EXECUTION: "申请法院强制执行",
    Stage.CLOSING_APPROVAL: "处罚决定公示",
}
SOURCE_WEIGHTS = {
    CaseSource.INSPECTION: 70,
    CaseSource.COMPLAINT: 20,
    CaseSource.REFERRAL: 7,
    CaseSource.OTHER: 3,
}
FINES = (2_000, 3_000, 5_000, 10_000, 20_000, 30_000, 50_000, 100_000)

Row = dict[str, Any]


@dataclass(frozen=True)
class Inspector:
    """A synthetic 执法人员 as a case names them."""

    id: str
    full_name: str
    cert_no: str


@dataclass(frozen=True)
class SquadPool:
    """One squad: its inspectors and the enterprises its cases are against."""

    id: str
    inspectors: tuple[Inspector, ...]
    enterprises: tuple[Row, ...]


@dataclass(frozen=True)
class CaseReport:
    """What a run added and how long it took."""

    cases: int
    inspectors: int
    seconds: float


def generate_cases(data_dir: Path, count: int, seed: int) -> CaseReport:
    """Add the inspectors and ``count`` cases to the registry dataset in ``data_dir``.

    Refuses (Chinese ``UserError``) a folder that already has synthetic inspectors, so running
    it twice never doubles the data.
    """
    started = time.perf_counter()
    database = open_dataset(data_dir)
    try:
        pools = add_cases(database, count, seed)
    finally:
        database.close()
    inspectors = sum(len(pool.inspectors) for pool in pools)
    return CaseReport(count, inspectors, time.perf_counter() - started)


def add_cases(database: Database, count: int, seed: int) -> list[SquadPool]:
    """Insert the inspectors and the cases in one write transaction (all or nothing)."""
    with database.write() as session:
        _refuse_if_generated(session)
        factory = CaseFactory(seed, session)
        for batch in _batches(factory.cases(count), BATCH_SIZE):
            session.execute(insert(_table(Case)), [case for case, _ in batch])
            handlers = [handler for _, handlers in batch for handler in handlers]
            session.execute(insert(_table(CaseHandler)), handlers)
        return factory.pools


def _refuse_if_generated(session: Session) -> None:
    query = select(func.count()).where(User.username.startswith(USERNAME_PREFIX))
    if session.scalar(query):
        raise UserError("该数据文件夹中已有合成案件。为免重复，请另选一个只含合成企业的文件夹。")


class CaseFactory:
    """Makes case rows and their handler rows; deterministic for a seed (except the ULIDs).

    Creating the factory adds the synthetic inspectors to ``session``: cases must name them.
    """

    def __init__(self, seed: int, session: Session) -> None:
        self._rng = random.Random(seed)
        self._people = EnterpriseFactory(seed, reference.street_names())
        self._causes = tuple(entry.title for entry in load_catalogue())
        self._prefix = numbering_settings(session).prefix
        self._codes = {
            Procedure.GENERAL: _code("filing_approval"),
            Procedure.SIMPLE: _code("onsite_penalty_decision"),
        }
        self._taken = set(session.scalars(select(Case.case_no)))
        self._serials: dict[tuple[Procedure, int], int] = {}
        self._open_seen: Counter[str] = Counter()
        self.pools = [self._pool(session, number, squad) for number, squad in _squads(session)]

    def cases(self, count: int) -> Iterator[tuple[Row, list[Row]]]:
        """``count`` cases, each with its handler rows, in the order they were opened.

        Drawn first and sorted by opening day, so 案号 serials rise through each year as the
        real ones do.
        """
        stages = self._rng.choices(list(STAGE_WEIGHTS), list(STAGE_WEIGHTS.values()), k=count)
        drawn = [(self._opened_on(stage), n, stage) for n, stage in enumerate(stages)]
        for opened_on, _, stage in sorted(drawn):
            yield self._case(stage, opened_on, self._rng.choice(self.pools))

    def _case(self, stage: Stage, opened_on: dt.date, pool: SquadPool) -> tuple[Row, list[Row]]:
        rng = self._rng
        procedure = self._procedure(stage)
        handlers = rng.sample(pool.inspectors, HANDLERS_PER_CASE)
        serial = self._serial(procedure, opened_on.year)
        case_id = new_id()
        now = utc_now()
        case = {
            "id": case_id,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "case_no": format_number(self._prefix, self._codes[procedure], opened_on.year, serial),
            "year": opened_on.year,
            "serial": serial,
            "squad_id": pool.id,
            "procedure": str(procedure),
            "source": str(rng.choices(list(SOURCE_WEIGHTS), list(SOURCE_WEIGHTS.values()))[0]),
            "source_note": None,
            "cause": rng.choice(self._causes),
            "facts": None,
            "stage": str(stage),
            "reviewer_id": None,
            "created_by_id": handlers[0].id,
            "other_penalties": [],
            "extension_days": 0,
            **self._party(pool),
            **self._progress(stage, procedure, opened_on),
            **self._next_due(stage, pool.id),
        }
        return case, [_handler_row(case_id, n, who) for n, who in enumerate(handlers, start=1)]

    def _procedure(self, stage: Stage) -> Procedure:
        if stage is Stage.ONSITE:
            return Procedure.SIMPLE
        if stage in DECIDED_STAGES and self._rng.random() < 0.15:
            return Procedure.SIMPLE  # 当场处罚 cases also pass through execution and closing
        return Procedure.GENERAL

    def _opened_on(self, stage: Stage) -> dt.date:
        """Ended cases over five years (none in the last two months); open ones recent."""
        if stage in FINAL_STAGES:
            days_ago = self._rng.randint(60, 365 * YEARS)
        elif stage in DECIDED_STAGES:
            days_ago = self._rng.randint(30, 300)
        else:
            days_ago = self._rng.randint(0, 120)
        return AS_OF - dt.timedelta(days=days_ago)

    def _serial(self, procedure: Procedure, year: int) -> int:
        """The next free serial of this code and year (skipping 案号 the dataset already has)."""
        key = (procedure, year)
        while True:
            serial = self._serials.get(key, 0) + 1
            self._serials[key] = serial
            text = format_number(self._prefix, self._codes[procedure], year, serial)
            if text not in self._taken:
                return serial

    def _party(self, pool: SquadPool) -> Row:
        """An enterprise of the squad most of the time, otherwise a person (公民)."""
        if pool.enterprises and self._rng.random() < 0.9:
            return dict(self._rng.choice(pool.enterprises))
        return {
            "party_kind": "person",
            "enterprise_id": None,
            "party_name": self._people.person_name(),
            "party_id_type": "resident_id",
            "party_id_no": self._people.resident_id(),
            "party_representative": None,
            "party_phone": self._people.phone(),
            "party_address": None,
        }

    def _progress(self, stage: Stage, procedure: Procedure, opened_on: dt.date) -> Row:
        """Outcome, milestone dates and money, consistent with how far the case got."""
        rng = self._rng
        general = procedure is Procedure.GENERAL
        filed = general and stage not in (Stage.FILING_APPROVAL, Stage.NOT_FILED)
        filed_on = _not_after(opened_on + dt.timedelta(days=rng.randint(1, 7))) if filed else None
        decided_on = closed_on = None
        outcome: Outcome | None = ENDED_WITHOUT_DECISION.get(stage)
        fine = paid = 0
        if stage in DECIDED_STAGES:
            days = rng.randint(30, 85) if general else 0
            decided_on = _not_after(opened_on + dt.timedelta(days=days))
            no_penalty = general and stage is not Stage.SERVICE and rng.random() < 0.08
            outcome = Outcome.NO_PENALTY if no_penalty else Outcome.PENALTY
            fine = 0 if no_penalty else (rng.choice(FINES) if general else rng.choice((200, 500)))
            paid = fine if stage in FINAL_STAGES or rng.random() < 0.4 else 0
        if stage in FINAL_STAGES:
            closed_on = _not_after((decided_on or opened_on) + dt.timedelta(rng.randint(10, 60)))
        return {
            "outcome": str(outcome) if outcome else None,
            "opened_on": opened_on,
            "filed_on": filed_on,
            "decided_on": decided_on,
            "closed_on": closed_on,
            "total_fine": fine,
            "paid_amount": paid,
        }

    def _next_due(self, stage: Stage, squad_id: str) -> Row:
        """Open cases mostly wait on a deadline: about 12% overdue, 15% due within three days.

        Each squad's first open case is overdue and its second due soon, so even a small
        dataset gives every squad's list both filters (the demo, being lawful, adds no
        overdue case of its own).
        """
        if stage in FINAL_STAGES:
            return {"next_due_on": None, "next_due_label": None}
        seen = self._open_seen[squad_id]
        self._open_seen[squad_id] += 1
        draw = FIRST_OPEN_DRAWS[seen] if seen < len(FIRST_OPEN_DRAWS) else self._rng.random()
        if draw < 0.1:
            return {"next_due_on": None, "next_due_label": None}
        if draw < 0.22:
            offset = -self._rng.randint(1, 30)
        elif draw < 0.37:
            offset = self._rng.randint(0, 3)
        else:
            offset = self._rng.randint(4, 75)
        return {
            "next_due_on": AS_OF + dt.timedelta(days=offset),
            "next_due_label": DUE_LABELS.get(stage, "办案期限"),
        }

    def _pool(self, session: Session, number: int, squad: Squad) -> SquadPool:
        inspectors = tuple(
            Inspector(new_id(), self._people.person_name(), f"4403042{number:02d}{n:02d}")
            for n in range(1, INSPECTORS_PER_SQUAD + 1)
        )
        _add_inspectors(session, squad.id, number, inspectors)
        return SquadPool(squad.id, inspectors, _parties_of(session, squad.id))


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def _code(document_key: str) -> str:
    code = document_type(document_key).code
    assert code is not None
    return code


def _squads(session: Session) -> list[tuple[int, Squad]]:
    """The street squads in the order of ``resources/org/squads.json``, numbered from 1."""
    by_short_name = {squad.short_name: squad for squad in session.scalars(select(Squad))}
    specs = [spec for spec in reference.org_units() if spec.street]
    return [(number, by_short_name[spec.short_name]) for number, spec in enumerate(specs, 1)]


def _add_inspectors(
    session: Session, squad_id: str, number: int, inspectors: tuple[Inspector, ...]
) -> None:
    now = utc_now()
    users = [
        {
            "id": who.id,
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "username": f"{USERNAME_PREFIX}{number:02d}-{n}",
            "full_name": who.full_name,
            "cert_no": who.cert_no,
            "squad_id": squad_id,
            "password_hash": UNUSABLE_PASSWORD_HASH,
            "active": True,
            "failed_logins": 0,
            "locked_until": None,
        }
        for n, who in enumerate(inspectors, start=1)
    ]
    session.execute(insert(_table(User)), users)
    roles = [{"user_id": who.id, "role": str(Role.INSPECTOR)} for who in inspectors]
    session.execute(insert(_table(UserRole)), roles)


def _parties_of(session: Session, squad_id: str) -> tuple[Row, ...]:
    """The squad's enterprises as case party columns (as ``services.cases.cases`` copies them)."""
    query = select(Enterprise).where(Enterprise.squad_id == squad_id).order_by(Enterprise.id)
    return tuple(enterprise_party_columns(enterprise) for enterprise in session.scalars(query))


def _handler_row(case_id: str, position: int, who: Inspector) -> Row:
    return {
        "case_id": case_id,
        "position": position,
        "user_id": who.id,
        "full_name": who.full_name,
        "cert_no": who.cert_no,
    }


def _not_after(day: dt.date) -> dt.date:
    return min(day, AS_OF)


def _batches(rows: Iterator[tuple[Row, list[Row]]], size: int) -> Iterator[list[Any]]:
    while batch := list(islice(rows, size)):
        yield batch


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="向合成企业数据添加 N 个合成案件（基准测试用）")
    parser.add_argument(
        "--data-dir", required=True, type=Path, help="由 bench/generate.py 生成的数据文件夹"
    )
    parser.add_argument("--cases", type=int, default=100_000, help="合成案件数（默认 100000）")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Generate, print the counts and the time; a refusal prints in Chinese and exits 1."""
    args = build_parser().parse_args(argv)
    try:
        report = generate_cases(args.data_dir, args.cases, args.seed)
    except UserError as error:
        print(f"错误：{error.message}", file=sys.stderr)
        return 1
    print(
        f"added {report.cases:,} synthetic cases and {report.inspectors} inspectors "
        f"in {report.seconds:.1f} s → {args.data_dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
