"""The throwaway PostgreSQL cluster: fresh databases, templates, and nothing left behind."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psycopg
import sqlalchemy as sa

from tests.support.pg import PgCluster, require_binaries, running_cluster


def _tables(url: str) -> set[str]:
    """The tables of the database at ``url``."""
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_each_database_is_fresh_and_a_template_is_copied(pg_cluster: PgCluster):
    """Two fresh databases are separate; a template prepared once is copied with its rows."""

    def prepare(url: str) -> None:
        engine = sa.create_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("CREATE TABLE marker (n integer)"))
            connection.execute(sa.text("INSERT INTO marker VALUES (7)"))
        engine.dispose()

    first, second = pg_cluster.create_database(), pg_cluster.create_database()
    assert first != second and _tables(pg_cluster.url(first)) == set()
    template = pg_cluster.template("marker", prepare)
    assert pg_cluster.template("marker", prepare) == template  # prepared once
    copy = pg_cluster.create_database(template=template)
    engine = sa.create_engine(pg_cluster.url(copy))
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT n FROM marker")).scalar_one() == 7
    engine.dispose()
    pg_cluster.drop_database(copy)
    assert _tables(pg_cluster.url(second)) == set()


def test_a_stopped_cluster_leaves_no_folder_and_no_server():
    """The keeper stops the server and removes its folder when the block ends."""
    with running_cluster(require_binaries()) as cluster:
        root = cluster.root
        with psycopg.connect(host=str(cluster.socket_dir), user="fj", dbname="postgres") as c:
            assert c.execute("SELECT 1").fetchone() == (1,)
    assert not root.exists()


DIES_WITHOUT_CLEANING = """
import os
from tests.support.pg import running_cluster, find_binaries
with running_cluster(find_binaries()) as cluster:
    print(cluster.root, flush=True)
    os._exit(9)
"""


def test_a_process_that_dies_leaves_no_server_behind():
    """A pytest process killed mid-session (a crashed worker) still gets its cluster removed."""
    require_binaries()
    child = subprocess.run(
        [sys.executable, "-c", DIES_WITHOUT_CLEANING],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    root = Path(child.stdout.strip())
    assert child.returncode == 9 and root.name.startswith("fj-pg-")
    deadline = time.monotonic() + 30
    while root.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not root.exists()
