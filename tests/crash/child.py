"""The crash child: writes through the app's services until it is killed.

``python -m tests.crash.child`` imports the app once, then serves the harness: for each JSON
order on its standard input (the data folder, the data key in hex, the plan, a seed) it forks a
child that opens the database as the app does after a sign-in (``auth.open_unlocked``: SQLCipher
with the key given, the evidence sweep) and performs a seeded random mix of writes, printing
``ready`` once open and ``done <kind> <id> <version> <value>`` after each write has committed,
flushed, so a line printed is a write acknowledged. The server prints ``pid <pid>`` for each
child and, once it has ended, ``exit <pid> <wait status>``; the harness kills the child with
SIGKILL in between. Forking spares each of a thousand kills the seconds of importing the app on
a loaded machine; the child is a whole process all the same. The key comes on a pipe, never on
the command line, where ``ps`` would show it.
"""

from __future__ import annotations

import json
import os
import random
import sys
import traceback
from pathlib import Path
from typing import Any

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.models import AuditEvent
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.services.auth import open_unlocked
from fuanjian_desktop.services.inspections import inspections
from fuanjian_desktop.services.unit_of_work import ActionScope, AuditedRecord
from tests.crash.actors import actor_named
from tests.crash.plan import Plan
from tests.crash.writes import Writer, next_write

ACTORS = ("zhangwei", "lina", "liuyang")


def serve() -> None:
    """Fork a writing child per order line, report its pid and, once it ends, its status."""
    for line in sys.stdin:
        order = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(order)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        print(f"exit {pid} {status}", flush=True)


def _child(order: dict[str, Any]) -> None:
    """Write until killed; an error ends the child with status 1 and its trace on stderr."""
    code = 1
    try:
        write(order)
        code = 0
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(code)


def write(order: dict[str, Any]) -> None:
    """Open, announce ``ready``, then write and announce each write."""
    if order.get("sabotage"):
        SABOTAGE[order["sabotage"]]()
    key = DataKey(bytes.fromhex(order["key"]))
    database = open_unlocked(DataFolder(Path(order["folder"])), key)  # as after a sign-in
    plan = Plan.from_json(order["plan"])
    actors = {name: actor_named(database, name) for name in ACTORS}
    items = list(inspections.open_inspection(database, actors["zhangwei"], plan.inspection).items)
    scratch = Path(order["scratch"])  # the harness's folder for the photos to import
    rng = random.Random(order["seed"])
    writer = Writer(database, actors, plan, rng, scratch, items, first=order["first"])
    print("ready", flush=True)
    for _ in range(order["writes"]):
        done = next_write(writer)(writer)
        print(done.line(), flush=True)


def skip_outbox_of_hazards() -> None:
    """Sabotage, for the harness's own test: hazard edits commit without their outbox row
    (as a service that forgot ``scope.record`` would), which the checks must find."""
    queue = ActionScope._queue

    def without_hazards(
        scope: ActionScope, record: AuditedRecord, operation: str, event: AuditEvent
    ) -> None:
        if record.__tablename__ != "hazard":
            queue(scope, record, operation, event)

    ActionScope._queue = without_hazards  # type: ignore[method-assign, assignment]


SABOTAGE = {"outbox": skip_outbox_of_hazards}


if __name__ == "__main__":
    serve()
