"""What the audit hash chain costs at scale: chaining an old trail, verifying it, one more link.

``python bench/audit_chain.py [--events 100000]``

An encrypted database at schema 0007 is filled with ``--events`` audit events (each with a
registry-sized ``before``/``after`` snapshot, as an enterprise edit leaves) and an outbox row
each; then, timed: migration 0008 chaining them (as an older laptop's first start after the
upgrade), ``verify_trail`` walking them, and one user action appending a link (median of 200).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/…`

from alembic import command
from sqlalchemy import text

from fuanjian_desktop.db.engine import Database, make_engine
from fuanjian_desktop.db.migrate import alembic_config
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.trail_check import verify_trail
from fuanjian_desktop.services.unit_of_work import ActionScope

SNAPSHOT = (
    '{{"name": "深圳市福田区园岭{n}号五金店", "uscc": "91440300MA5F{n:06d}", '
    '"address": "深圳市福田区园岭街道红荔路{n}号", "contact_name": "李四", '
    '"contact_phone": "13800138000", "floor_area": "85.5", "categories": ["three_small.shop"], '
    '"squad_id": "01JSQUAD000000000000000000", "staff": {n}}}'
)


def fill_at_0007(path: Path, key: DataKey, events: int) -> None:
    """Schema 0007 with ``events`` unchained events and their outbox rows."""
    engine = make_engine(path, key)
    config = alembic_config()
    with engine.connect() as connection, connection.begin():
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")
        rows = []
        for n in range(events):
            event_id = new_id()
            rows.append(
                {
                    "id": event_id,
                    "at": f"2026-{1 + n % 12:02d}-01 08:00:{n % 60:02d}.{n % 1000000:06d}",
                    "before": SNAPSHOT.format(n=n),
                    "after": SNAPSHOT.format(n=n + 1),
                }
            )
        connection.execute(
            text(
                "INSERT INTO audit_event (id, occurred_at, actor_id, actor_name, action, summary,"
                " entity_type, entity_id, before, after) VALUES (:id, :at, NULL, '张伟',"
                " '修改企业', '修改企业台账', 'enterprise', :id, :before, :after)"
            ),
            rows,
        )
        connection.execute(
            text(
                "INSERT INTO outbox_entry (entity_type, entity_id, entity_version, operation,"
                " audit_event_id, created_at) VALUES ('enterprise', :id, 1, 'update', :id, :at)"
            ),
            rows,
        )
    engine.dispose()


def chain_by_migration(path: Path, key: DataKey) -> float:
    """Seconds for migration 0008 (the rest of the upgrade is nothing at this size)."""
    engine = make_engine(path, key)
    config = alembic_config()
    started = time.perf_counter()
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")  # as the app's upgrade runs (batch mode)
        with connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, "0008")
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def one_link(database: Database, repeat: int) -> float:
    """Median seconds of a user action writing one audit event (the whole transaction)."""
    actor = Actor(user_id=None, full_name="系统", squad_id=None, roles=frozenset())
    times = []
    for n in range(repeat):
        started = time.perf_counter()
        with database.write() as session:
            ActionScope(session, actor, "测试").log(f"第{n}条", after={"n": n})
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    key = DataKey.generate()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuanjian.db"
        fill_at_0007(path, key, args.events)
        migrated = chain_by_migration(path, key)
        database = Database(make_engine(path, key), key)
        started = time.perf_counter()
        report = verify_trail(database)
        verified = time.perf_counter() - started
        link = one_link(database, 200)
        database.close()
    print(f"events: {args.events}")
    print(f"migration 0008 chaining them: {migrated:.2f} s")
    print(
        f"verify_trail: {verified:.2f} s ({args.events / verified:,.0f} events/s), "
        f"intact={report.intact}"
    )
    print(f"one user action with one audit event, median of 200: {link * 1000:.2f} ms")


if __name__ == "__main__":
    main()
