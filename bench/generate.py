"""Synthetic registry at scale: the demo database plus N generated enterprises.

``python bench/generate.py --data-dir DIR --enterprises 100000 [--seed N]``

Every row is made by the code the services use — :class:`EnterpriseFactory` drafts (all ten
streets), :func:`registry.check_draft` validation and :func:`registry.apply_clean`, which also
fills ``search_text`` — so a benchmark searches exactly what the app would have stored. Only the
writing differs: rows are bulk-inserted with SQLAlchemy Core in batches inside one transaction,
because 100,000 audited ORM inserts would take many minutes. Therefore the synthetic rows have
**no audit events and no outbox entries** (they are never synced, and the 操作日志 shows only the
demo's own history); each row has version 1, as if created once. The search and list benchmarks
read neither table.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/generate.py`

from sqlalchemy import Table, insert, select

from bench.encrypted import open_dataset
from fuanjian_desktop import reference
from fuanjian_desktop.db.base import Base, utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.demo.synthetic import EnterpriseFactory
from fuanjian_desktop.domain.registry_rules import CleanEnterprise, EnterpriseDraft
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Enterprise, Squad
from fuanjian_desktop.services.registry import registry

DEFAULT_SEED = 7
BATCH_SIZE = 5_000
DEMO_ENTERPRISE_COUNT = sum(demo.DEMO_ENTERPRISES.values())

Row = dict[str, Any]
RowWithCategories = tuple[Row, list[Row]]


@dataclass(frozen=True)
class GenerationReport:
    """What a run produced: the enterprises added, the total now stored, and how long it took."""

    added: int
    total: int
    seconds: float


def generate(data_dir: Path, count: int, seed: int = DEFAULT_SEED) -> GenerationReport:
    """Create the demo in ``data_dir`` and add ``count`` synthetic enterprises to it.

    Refuses (Chinese ``UserError``) a folder that already holds more than the demo, so running
    it twice never doubles the data.
    """
    started = time.perf_counter()
    database = open_dataset(data_dir)
    try:
        demo.create_demo(database)
        _refuse_unless_only_demo(database, data_dir)
        _insert_synthetic(database, count, seed)
        total = registry.count_enterprises(database)
    finally:
        database.close()
    return GenerationReport(count, total, time.perf_counter() - started)


def _refuse_unless_only_demo(database: Database, data_dir: Path) -> None:
    stored = registry.count_enterprises(database)
    if stored > DEMO_ENTERPRISE_COUNT:
        raise UserError(
            f"数据文件夹“{data_dir}”中已有 {stored:,} 家企业，多于演示数据的 "
            f"{DEMO_ENTERPRISE_COUNT} 家，可能已生成过合成数据。为免重复，请另选一个空文件夹。"
        )


def _insert_synthetic(database: Database, count: int, seed: int) -> None:
    """Generate and insert in batches inside one write transaction (all or nothing)."""
    with database.write() as session:
        squads = {squad.street: squad.id for squad in session.scalars(select(Squad))}
        codes = set(session.scalars(select(Enterprise.uscc)))
        names = set(session.scalars(select(Enterprise.name)))
        drafts = _fresh_drafts(EnterpriseFactory(seed, reference.street_names()), codes, names)
        rows = (enterprise_rows(registry.check_draft(draft), squads) for draft in drafts)
        for batch in _batches(islice(rows, count), BATCH_SIZE):
            session.execute(insert(_table("enterprise")), [row for row, _ in batch])
            categories = [category for _, categories in batch for category in categories]
            session.execute(insert(_table("enterprise_category")), categories)


def _fresh_drafts(
    factory: EnterpriseFactory, taken_codes: set[str | None], taken_names: set[str]
) -> Iterator[EnterpriseDraft]:
    """Endless drafts, skipping any whose code or name the demo already uses."""
    while True:
        draft = factory.draft()
        if draft.uscc not in taken_codes and draft.name not in taken_names:
            yield draft


def enterprise_rows(clean: CleanEnterprise, squads: dict[str | None, str]) -> RowWithCategories:
    """The ``enterprise`` row and its ``enterprise_category`` rows, as the services store them.

    A transient entity goes through ``registry.apply_clean`` so the column values and the search
    text cannot drift from the service's; version and stamps are those after one audited insert.
    """
    now = utc_now()
    entity = Enterprise(id=new_id(), squad_id=squads[clean.street], version=1)
    entity.created_at = entity.updated_at = now
    registry.apply_clean(entity, clean)
    row = {column.key: getattr(entity, column.key) for column in _table("enterprise").columns}
    categories = [{"enterprise_id": entity.id, "category": code} for code in entity.categories]
    return row, categories


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _batches(rows: Iterator[RowWithCategories], size: int) -> Iterator[list[RowWithCategories]]:
    while batch := list(islice(rows, size)):
        yield batch


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="生成演示数据 + N 家合成企业（规模基准测试用）")
    parser.add_argument(
        "--data-dir", required=True, type=Path, help="数据文件夹（新建或仅含演示数据）"
    )
    parser.add_argument(
        "--enterprises", type=int, default=100_000, help="合成企业数（默认 100000）"
    )
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"随机种子（默认 {DEFAULT_SEED}）"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Generate, print the counts and the time; a refusal prints in Chinese and exits 1."""
    args = build_parser().parse_args(argv)
    try:
        report = generate(args.data_dir, args.enterprises, args.seed)
    except UserError as error:
        print(f"错误：{error.message}", file=sys.stderr)
        return 1
    print(
        f"added {report.added:,} synthetic enterprises; {report.total:,} in total "
        f"(demo {DEMO_ENTERPRISE_COUNT}) in {report.seconds:.1f} s → {args.data_dir}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
