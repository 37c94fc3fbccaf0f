"""Why HQ's revision numbers can serve as pull cursors: every writer of revisions takes one lock.

A laptop pulls "every revision after ``seq`` N" and then remembers the highest number it saw.
That is only safe if no revision with a *lower* number can become visible later. With two
transactions running at once it could: A takes seq 41, B takes seq 42, B commits, a laptop pulls
42 and moves its cursor to 42, then A commits 41 — and that laptop never sees 41 (the classic
cursor gap). Row locks on the records do not help: A and B may touch different records.

HQ therefore serialises the *writers of revisions* (a push, ``publish``, a number-block top-up,
an offline package import) with one lock held until the end of the transaction:

- PostgreSQL: ``pg_advisory_xact_lock`` on :data:`SEQUENCE_LOCK`, taken first in the transaction
  and released by COMMIT/ROLLBACK *after* the commit became visible. Revision numbers are
  HQ's highest committed number plus one, two … read under the lock (``hq.store``), so the next
  writer's numbers are all higher, and at any moment the committed revisions are exactly the
  numbers 1 … N. Re-entrant: a transaction may take it again (publish inside a push).
- SQLite: writers already run one at a time (``BEGIN IMMEDIATE`` in ``hq.database``).

The same lock makes concurrent pushes of one record by two laptops merge one after the other
(the second sees the first's revision as HQ's current state): no lost update. Pulls, status and
attachment requests never take it. ``hq.pull`` reads the high-water mark *before* the page, so a
page never skips a number below what it reports as its cursor.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

SEQUENCE_LOCK = 16_0000
"""The advisory-lock key of revision writers (``hq.number_blocks`` uses the same lock)."""


def lock_sequence(session: Session) -> None:
    """Take the revision writers' lock for the rest of ``session``'s transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEQUENCE_LOCK})
