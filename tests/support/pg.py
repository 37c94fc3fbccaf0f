"""A throwaway PostgreSQL cluster for the tests, made with the machine's own binaries.

One cluster per pytest process (so xdist workers never share one, and no lock is needed): its
data and its unix socket live in a fresh folder under the system temp folder, it listens on no
TCP port at all, and it is stopped and removed at the end of the session. Each test gets a fresh
database, created by ``CREATE DATABASE … TEMPLATE`` (a file copy inside the server: milliseconds),
optionally from a template prepared once per session (e.g. ``hq init``'s schema and keys).

PostgreSQL refuses to run as root, so when the tests run as root the server's commands run as the
``postgres`` system user (``runuser``); otherwise as the user running the tests. The cluster is
owned by a small keeper process (``python -m tests.support.pg keep …``) that starts it and stops
and removes it when its standard input closes: when the session ends, and also when the pytest
process dies without cleaning up (a crashed xdist worker), so no server is ever left behind.

Without the binaries the tests that need a cluster are skipped on a developer's machine but fail
when ``CI=true``: CI must run the PostgreSQL variant (``scripts/pg_cluster ensure`` installs the
Debian package).
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

BIN_ENV = "FJ_PG_BIN"  # a folder holding initdb and pg_ctl, overriding the search
SEARCH = Path("/usr/lib/postgresql")  # Debian/Ubuntu: one bin/ folder per major version
SYSTEM_USER = "postgres"  # who runs the server when the tests run as root
SUPERUSER = "fj"  # the cluster's superuser role, whoever runs it (trust auth on the socket)
READY = "ready"
SETTINGS = {
    # a throwaway cluster: crash safety is not wanted, speed is
    "listen_addresses": "''",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "shared_buffers": "'32MB'",
    "max_connections": "100",
    "log_min_messages": "warning",
}
MISSING = (
    "找不到 PostgreSQL 的 initdb/pg_ctl（查找了环境变量 {env}、{search}/*/bin、PATH）。"
    "请运行 scripts/pg_cluster ensure 安装 Debian 软件包 postgresql。"
)


def find_binaries() -> Path | None:
    """The folder holding this machine's ``initdb`` and ``pg_ctl``, or None when there is none.

    ``FJ_PG_BIN`` first, then the newest ``/usr/lib/postgresql/<major>/bin``, then ``PATH``.
    """
    override = os.environ.get(BIN_ENV)
    candidates = [Path(override)] if override else []
    if SEARCH.is_dir():
        versions = [p for p in SEARCH.iterdir() if p.name.isdigit()]
        candidates += [p / "bin" for p in sorted(versions, key=lambda p: -int(p.name))]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)
    return next(
        (c for c in candidates if (c / "initdb").is_file() and (c / "pg_ctl").is_file()), None
    )


def missing_binaries_message() -> str:
    """What to do when :func:`find_binaries` finds nothing (Chinese: a developer reads it)."""
    return MISSING.format(env=BIN_ENV, search=SEARCH)


def _as_server_user(command: list[str]) -> list[str]:
    """``command`` run as the user who may own a cluster: ``postgres`` when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", SYSTEM_USER, "--", *command]
    return command


def _make_root() -> Path:
    """A fresh folder for one cluster, owned by the server's user (short path: the socket's
    name must stay under 108 bytes)."""
    root = Path(tempfile.mkdtemp(prefix="fj-pg-"))
    (root / "sock").mkdir()
    if os.geteuid() == 0:
        user = pwd.getpwnam(SYSTEM_USER)
        for path in (root, root / "sock"):
            os.chown(path, user.pw_uid, user.pw_gid)
    return root


def _run(command: list[str]) -> None:
    """Run one server command as the server's user; its output becomes the error on failure."""
    done = subprocess.run(_as_server_user(command), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")


def start_server(root: Path, bindir: Path) -> None:
    """``initdb`` and ``pg_ctl start`` a cluster in ``root`` (socket in ``root/sock``)."""
    data = root / "data"
    initdb = [str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust"]
    _run([*initdb, "--encoding=UTF8", "--no-locale", "--no-sync"])
    settings = {**SETTINGS, "unix_socket_directories": f"'{root / 'sock'}'"}
    with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
        conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
    _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"), "-w", "start"])


def stop_server(root: Path, bindir: Path) -> None:
    """Stop the cluster at once (nothing in it is worth a clean shutdown) and remove ``root``."""
    if (root / "data" / "postmaster.pid").exists():
        _run([str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m", "immediate", "-w", "stop"])
    shutil.rmtree(root, ignore_errors=True)


def keep(root: Path, bindir: Path) -> None:
    """The keeper: start the cluster, say ``ready``, and stop and remove it once stdin closes."""
    try:
        start_server(root, bindir)
        print(READY, flush=True)
        sys.stdin.read()
    finally:
        stop_server(root, bindir)


@dataclass
class PgCluster:
    """A running throwaway cluster: SQLAlchemy URLs of its databases, and fresh databases."""

    root: Path
    bindir: Path
    _numbers: Iterator[int] = field(default_factory=itertools.count)
    _templates: dict[str, str] = field(default_factory=dict)

    @property
    def socket_dir(self) -> Path:
        """The folder of the server's unix socket (the ``host`` of every connection)."""
        return self.root / "sock"

    def url(self, database: str) -> str:
        """The SQLAlchemy URL (psycopg 3 driver) of ``database`` on this cluster."""
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.socket_dir}"

    def admin(self) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection to the ``postgres`` database (for CREATE/DROP DATABASE)."""
        return psycopg.connect(
            host=str(self.socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
        )

    def create_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of ``template``); returns its name."""
        name = f"t{next(self._numbers)}"
        with self.admin() as connection:
            if template is not None:  # a copy needs the template to have no connection
                connection.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND pid <> pg_backend_pid()",
                    (template,),
                )
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template or "template0"}"')
        return name

    def drop_database(self, name: str) -> None:
        """Drop ``name``, closing whatever connections are still open to it."""
        with self.admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def template(self, key: str, prepare: Callable[[str], None]) -> str:
        """The name of a database prepared once per session by ``prepare(url)`` under ``key``;
        copy it with :meth:`create_database` (``template=``) to give each test its own."""
        if key not in self._templates:
            name = self.create_database()
            prepare(self.url(name))
            self._templates[key] = name
        return self._templates[key]


@contextmanager
def running_cluster(bindir: Path) -> Iterator[PgCluster]:
    """Start a cluster with a keeper process; stop and remove it when the block ends."""
    root = _make_root()
    keeper = subprocess.Popen(
        [sys.executable, "-m", "tests.support.pg", "keep", str(root), str(bindir)],
        cwd=Path(__file__).resolve().parents[2],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert keeper.stdin is not None and keeper.stdout is not None
    try:
        if keeper.stdout.readline().strip() != READY:
            keeper.stdin.close()
            raise RuntimeError(f"PostgreSQL did not start:\n{keeper.communicate()[1]}")
        yield PgCluster(root, bindir)
    finally:
        if keeper.stdin and not keeper.stdin.closed:
            keeper.stdin.close()
        keeper.wait(timeout=60)


def require_binaries() -> Path:
    """The binaries' folder; without one, skip the test (fail it when ``CI=true``)."""
    bindir = find_binaries()
    if bindir is not None:
        return bindir
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(missing_binaries_message(), pytrace=False)
    pytest.skip(missing_binaries_message())


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """This pytest process's own throwaway PostgreSQL cluster."""
    with running_cluster(require_binaries()) as cluster:
        yield cluster


@pytest.fixture
def pg_database(pg_cluster: PgCluster) -> Iterator[str]:
    """The SQLAlchemy URL of a fresh, empty PostgreSQL database of this test's own."""
    name = pg_cluster.create_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


def main(argv: list[str]) -> int:
    """``keep ROOT BINDIR``: the keeper process of :func:`running_cluster`."""
    if len(argv) == 3 and argv[0] == "keep":
        keep(Path(argv[1]), Path(argv[2]))
        return 0
    print("usage: python -m tests.support.pg keep ROOT BINDIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
