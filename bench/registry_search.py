"""Registry search and list paging at scale (default 100,000 enterprises).

``python bench/registry_search.py [--enterprises N] [--seed S] [--repeat R]``

Times ``registry.search_enterprise_ids`` for the queries an inspector actually types, and
``registry.enterprise_rows`` for one page of the list, then the Qt side: the table model over
every id and a view scrolled to the start, middle and end. It reports; it asserts nothing, and
exits non-zero only on an error. The 100 ms search budget is the one ``registry.search_query``
promises.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from sqlalchemy import func, select

from bench.datasets import ensure_dataset
from bench.encrypted import open_dataset
from bench.generate import DEFAULT_SEED
from bench.timing import Summary, print_table, repeat_ms, time_ms
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import Enterprise
from fuanjian_desktop.services.registry import registry

PAGE = 200
SCREEN_ROWS = 25


@dataclass(frozen=True)
class Query:
    """One search as typed into the registry page's box, with what it stands for."""

    label: str
    text: str


@dataclass(frozen=True)
class Sample:
    """Field values of real rows in the dataset, so the queries find something."""

    person: str
    name: str
    street: str
    uscc: str
    phone: str


def take_sample(database: Database) -> Sample:
    """Values from an enterprise in the middle of the dataset (stable for a given seed)."""
    with database.read() as session:
        total = session.scalar(select(func.count()).select_from(Enterprise)) or 0
        with_code = select(Enterprise).where(Enterprise.uscc.is_not(None)).order_by(Enterprise.id)
        middle = session.scalars(with_code.offset(total // 2).limit(1)).one()
        person = session.scalars(
            select(Enterprise.contact_name)
            .where(func.length(Enterprise.contact_name) == 2)
            .order_by(Enterprise.id)
            .offset(total // 3)
            .limit(1)
        ).one()
        return Sample(
            person or "",
            middle.name,
            middle.street,
            middle.uscc or "",
            middle.contact_phone or "",
        )


def realistic_queries(sample: Sample) -> list[Query]:
    """What an inspector types: names, fragments, codes, phone endings, several words."""
    return [
        Query("两字人名 2-char person name", sample.person),
        Query("名称片段 3-char name fragment", _name_fragment(sample)),
        Query("街道 street", sample.street.removesuffix("街道")),
        Query("完整信用代码 full USCC", sample.uscc),
        Query("部分信用代码 partial USCC", sample.uscc[-8:]),
        Query("电话尾号 phone ending", sample.phone[-4:]),
        Query("多词 multi-word", "园岭 五金"),
        Query("空查询 empty (all)", ""),
        Query("无结果 no hits", "不存在的企业"),
    ]


def _name_fragment(sample: Sample) -> str:
    """The first three characters after the place prefix (usually the brand, e.g. 华润达)."""
    rest = sample.name.removeprefix("深圳市").removeprefix("福田区")
    return rest.removeprefix(sample.street.removesuffix("街道"))[:3]


def search_rows(database: Database, queries: list[Query], repeat: int) -> list[list[object]]:
    """One table row per query: label, text, hits, median and p95 ms."""
    rows: list[list[object]] = []
    for query in queries:
        search = partial(registry.search_enterprise_ids, database, query.text)
        summary, ids = repeat_ms(search, repeat)
        rows.append(_row(query.label, repr(query.text), len(ids), summary))
    return rows


def page_rows(database: Database, all_ids: list[str], repeat: int) -> list[list[object]]:
    """``enterprise_rows`` for a page of 200 ids at the start, middle and end of the list."""
    rows: list[list[object]] = []
    for where, start in _positions(len(all_ids)):
        page = all_ids[start : start + PAGE]
        summary, found = repeat_ms(partial(registry.enterprise_rows, database, page), repeat)
        rows.append(
            _row(f"enterprise_rows 一页 page ({where})", f"{len(page)} ids", len(found), summary)
        )
    return rows


def _positions(total: int) -> list[tuple[str, int]]:
    return [("start", 0), ("middle", total // 2), ("end", max(0, total - PAGE))]


def _row(label: str, text: str, hits: int, summary: Summary) -> list[object]:
    return [label, text, f"{hits:,}", f"{summary.median_ms:.1f}", f"{summary.p95_ms:.1f}"]


def qt_rows(database: Database, all_ids: list[str], repeat: int) -> list[list[object]]:
    """The list as the registry page shows it: model reset, a screenful read, a view repaint."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QTableView

    from ui.models.enterprise_table import EnterpriseTableModel

    app = QApplication.instance() or QApplication([])
    model = EnterpriseTableModel(lambda ids: registry.enterprise_rows(database, ids))
    set_ids, _ = repeat_ms(lambda: model.set_ids(list(all_ids)), repeat)
    rows = [_row("EnterpriseTableModel.set_ids", f"{len(all_ids):,} ids", len(all_ids), set_ids)]
    view = QTableView()
    view.setModel(model)
    view.resize(1366, 28 * SCREEN_ROWS)
    view.show()
    app.processEvents()
    for where, start in _positions(len(all_ids)):
        rows += _screen_rows(model, view, all_ids, where, start + PAGE // 2, repeat)
    view.close()
    return rows


def _screen_rows(
    model: Any, view: Any, ids: list[str], where: str, row: int, repeat: int
) -> list[list[object]]:
    """A screenful of ``data()`` reads cold (page fetch) and warm, and a view scroll + repaint."""

    def read_screen() -> None:
        for r in range(row, min(row + SCREEN_ROWS, model.rowCount())):
            for column in range(model.columnCount()):
                model.data(model.index(r, column))

    def scroll_and_paint() -> None:
        view.scrollTo(model.index(row, 0))
        view.viewport().repaint()

    cold = _cold(model, ids, read_screen, repeat)
    warm, _ = repeat_ms(read_screen, repeat)
    painted = _cold(model, ids, scroll_and_paint, repeat)
    screen = f"{SCREEN_ROWS} rows"
    return [
        _row(f"data() 一屏 screen ({where}, cold: page fetch)", screen, SCREEN_ROWS, cold),
        _row(f"data() 一屏 screen ({where}, cached)", screen, SCREEN_ROWS, warm),
        _row(f"QTableView scrollTo+repaint ({where}, cold)", screen, SCREEN_ROWS, painted),
    ]


def _cold(model: Any, ids: list[str], call: Callable[[], None], repeat: int) -> Summary:
    """Time ``call`` with the model's page cache empty, as right after a new search."""
    samples = []
    for _ in range(repeat):
        model.set_ids(ids)
        elapsed, _ = time_ms(call)
        samples.append(elapsed)
    return Summary.of(samples)


def build_parser() -> argparse.ArgumentParser:
    """Command-line options."""
    parser = argparse.ArgumentParser(description="企业台账搜索与分页的规模基准测试")
    parser.add_argument("--enterprises", type=int, default=100_000, help="合成企业数")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
    parser.add_argument("--repeat", type=int, default=20, help="每项计时次数（预热后）")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the dataset, run every measurement, print one table."""
    args = build_parser().parse_args(argv)
    data_dir = ensure_dataset(args.enterprises, args.seed)
    database = open_dataset(data_dir)
    try:
        total = registry.count_enterprises(database)
        queries = realistic_queries(take_sample(database))
        all_ids = registry.search_enterprise_ids(database, "")
        rows = search_rows(database, queries, args.repeat)
        rows += page_rows(database, all_ids, args.repeat)
        rows += qt_rows(database, all_ids, args.repeat)
    finally:
        database.close()
    print(f"\n{total:,} enterprises in {data_dir}; {args.repeat} timed runs after 2 warm-ups\n")
    print_table(["what", "query", "hits", "median ms", "p95 ms"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
