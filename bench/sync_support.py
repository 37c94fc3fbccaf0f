"""What the sync benchmarks share: a throwaway PostgreSQL, a real ``hq serve``, an enrolled laptop,
and the plain bulk insert the push is compared with.

The HQ side is always the real program: ``python main.py hq init`` / ``hq enroll`` / ``hq serve``
in their own processes (the suite's ``tests/support/server.py``), on a database of a throwaway
cluster (``tests/support/pg.py``: the machine's PostgreSQL binaries, run as ``postgres`` when we
are root, a unix socket in a temp folder, removed afterwards). The server listens on loopback.
The laptop side runs in this process through the sync client's own functions (``enroll``,
``run_round``), so the timings are what the desktop's background worker would see, without a
Python start-up in them.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, create_engine
from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

from bench.encrypted import open_dataset
from bench.sync_workload import Workload, child_tables, rows_of, table_of
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.mirror import mirror_table
from fuanjian_desktop.sync_client.enroll import enroll
from fuanjian_desktop.sync_client.round import run_round
from tests.support.pg import PgCluster, find_binaries, missing_binaries_message, running_cluster
from tests.support.server import HqServer, enrollment_code, init_hq, running_hq

POSTGRESQL = PGDialect_psycopg()  # type: ignore[no-untyped-call]  # only its bind processors


@contextmanager
def pg_cluster() -> Iterator[PgCluster]:
    """A throwaway PostgreSQL cluster for one benchmark run (stopped and removed at the end)."""
    bindir = find_binaries()
    if bindir is None:
        raise UserError(missing_binaries_message())
    with running_cluster(bindir) as cluster:
        yield cluster


def fresh_hq(cluster: PgCluster) -> str:
    """A new database on ``cluster`` made ready by ``hq init``; its URL."""
    url = cluster.url(cluster.create_database())
    init_hq(url)
    return url


def enroll_laptop(database: Database, server: HqServer, squad: str) -> None:
    """Enroll the laptop ``database`` for ``squad`` with a fresh code, as 设置 → 同步 does."""
    enroll(database, server.url, enrollment_code(server.db_url, squad))


def demo_laptop(folder: Path) -> Database:
    """A fresh demo data folder (the 园岭 laptop of ``main.py demo``), opened."""
    database = open_dataset(folder)
    demo.create_demo(database)
    return database


def seconds(call: Callable[[], object]) -> float:
    """How long ``call()`` takes, in seconds."""
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


@dataclass(frozen=True)
class SyncedDemo:
    """A demo laptop enrolled with a running ``hq serve`` and synced once: where each
    benchmark starts. ``scratch`` is a folder for anything else the benchmark makes."""

    laptop: Database
    server: HqServer
    cluster: PgCluster
    scratch: Path
    first_round_s: float  # enrollment's first round: the demo's own records pushed


@contextmanager
def synced_demo(laptop: Database, cluster: PgCluster, scratch: Path) -> Iterator[SyncedDemo]:
    """Enroll ``laptop`` (a demo laptop of 园岭) with a new ``hq init`` database served by
    ``hq serve``, and run its first round; the server stops when the block ends."""
    hq_url = fresh_hq(cluster)
    with running_hq(hq_url, scratch / "hq-data") as server:
        enroll_laptop(laptop, server, demo.DEMO_HOME_SQUAD)
        first_round_s = seconds(lambda: run_round(laptop))
        yield SyncedDemo(laptop, server, cluster, scratch, first_round_s)


@contextmanager
def fresh_synced_demo(prefix: str) -> Iterator[SyncedDemo]:
    """A benchmark's whole setup: a temporary folder, a throwaway cluster, a new demo laptop,
    enrolled and synced (all removed afterwards)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder, pg_cluster() as cluster:
        laptop = demo_laptop(Path(folder) / "laptop")
        try:
            with synced_demo(laptop, cluster, Path(folder)) as synced:
                yield synced
        finally:
            laptop.close()


# --- the baseline: the same rows, bulk-inserted ------------------------------------------------


@dataclass(frozen=True)
class TableRows:
    """Rows ready for ``COPY``: the mirror table's column names and one tuple per row."""

    table: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def rows_to_copy(database: Database, workload: Workload) -> list[TableRows]:
    """The workload's rows as the laptop stores them (records, their child rows and audit
    events), converted for HQ's mirror tables on PostgreSQL."""
    tables: list[TableRows] = []
    with database.read() as session:
        for table_name, ids in _with_children(workload.ids).items():
            columns = tuple(column.name for column in mirror_table(table_name).columns)
            convert = _converters(table_name, columns)
            rows = [
                tuple(fn(row[name]) for name, fn in zip(columns, convert, strict=True))
                for row in rows_of(session, table_name, ids)
            ]
            tables.append(TableRows(table_name, columns, rows))
    return tables


def _with_children(ids: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Each table's ids, and for a parent with owned child rows the child table under the same
    (parent) ids: ``rows_of`` reads children by their parent."""
    tables = dict(ids)
    for parent, child in child_tables().items():
        if parent in ids:
            tables[child] = ids[parent]
    return tables


def _converters(table_name: str, columns: Sequence[str]) -> list[Any]:
    """Per column, how a stored Python value becomes what ``COPY`` takes: JSON as text, UTC
    timestamps as the mirror column's bind processor makes them, anything else as it is."""
    laptop = table_of(table_name)
    made = []
    for name in columns:
        kind = laptop.c[name].type
        if isinstance(kind, JSON):
            made.append(_json_text)
        else:
            made.append(kind.bind_processor(POSTGRESQL) or _same)
    return made


def _json_text(value: Any) -> Any:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _same(value: Any) -> Any:
    return value


def bulk_copy(db_url: str, tables: Sequence[TableRows]) -> float:
    """Seconds to ``COPY`` ``tables`` into their mirror tables and commit, in one transaction."""
    return _timed_insert(db_url, tables, _copy_table)


def bulk_executemany(db_url: str, tables: Sequence[TableRows]) -> float:
    """Seconds to insert ``tables`` with one ``executemany`` of a plain ``INSERT`` per table
    (psycopg pipelines it) and commit, in one transaction."""
    return _timed_insert(db_url, tables, _insert_table)


def _timed_insert(
    db_url: str, tables: Sequence[TableRows], write: Callable[[Any, TableRows], None]
) -> float:
    with _driver_connection(db_url) as raw:
        started = time.perf_counter()
        with raw.cursor() as cursor:
            for table in tables:
                write(cursor, table)
        raw.commit()
        return time.perf_counter() - started


def _copy_table(cursor: Any, table: TableRows) -> None:
    with cursor.copy(f'COPY "{table.table}" ({_names(table)}) FROM STDIN') as copy:
        for row in table.rows:
            copy.write_row(row)


def _insert_table(cursor: Any, table: TableRows) -> None:
    marks = ", ".join("%s" for _ in table.columns)
    cursor.executemany(
        f'INSERT INTO "{table.table}" ({_names(table)}) VALUES ({marks})', table.rows
    )


def _names(table: TableRows) -> str:
    return ", ".join(f'"{name}"' for name in table.columns)


@contextmanager
def _driver_connection(db_url: str) -> Iterator[Any]:
    """The psycopg connection under a SQLAlchemy URL (for COPY and plain statements)."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            yield raw
    finally:
        engine.dispose()


def mirror_counts(db_url: str, ids: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """How many of these ids each mirror table of the HQ database holds (did everything arrive?)."""
    counts = {}
    with _driver_connection(db_url) as raw:
        for name, wanted in ids.items():
            query = f'SELECT count(*) FROM "{name}" WHERE id = ANY(%s)'
            row = raw.execute(query, (list(wanted),)).fetchone()
            counts[name] = int(row[0]) if row else 0
    return counts
