"""Pull: what HQ holds for this laptop's squad, page by page from the laptop's cursor.

Each page is written in one transaction together with the new cursor, so a cut round resumes
at the first page not stored. Pulled records are written as they are (``codec.write_record``),
never through a user action, so they never enter the outbox; a record this laptop changed and
has not pushed yet is skipped (the next push merges it at HQ, whose answer comes back in a later
pull). Audit events are insert-only. Each written record's HQ revision becomes its base for the
next push. Foreign keys are checked at commit: when a page names a parent that only a later
page brings, the pages are written together. The cases touched are remembered with each page
and their derived deadlines recomputed once at the end (:func:`refresh_stale_cases`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import Case, OutboxEntry
from fuanjian_desktop.services.cases.cases import refresh_case
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_client.progress import PULLING, REFRESHING, Progress, RoundProgress
from fuanjian_desktop.sync_client.state import Key
from fuanjian_desktop.sync_client.transport import Transport
from fuanjian_desktop.sync_protocol.codec import DELETE, colliding_uniques, write_records
from fuanjian_desktop.sync_protocol.policy import policy_of, synced_tables

REFRESH_CHUNK = 200
PAGE_SIZE = 2000  # HQ caps a page at its own limit (5,000 by default)
AUDIT_TABLE = "audit_event"
CASE_TABLE = "enforcement_case"


@dataclass
class PullTally:
    """What a pull wrote and skipped, and the open conflicts it brought."""

    written: int = 0
    skipped: int = 0
    conflict_ids: set[str] = field(default_factory=set)

    def add(self, other: PullTally) -> None:
        """Count ``other`` (one page) in."""
        self.written += other.written
        self.skipped += other.skipped
        self.conflict_ids |= other.conflict_ids


def pull_all(database: Database, transport: Transport, progress: Progress) -> PullTally:
    """Pull every page after the stored cursor."""
    tally = PullTally()
    with database.read() as session:
        cursor = state.get_int(session, Key.CURSOR)
    waiting: list[dict[str, Any]] = []
    while True:
        page = transport.json("GET", "/pull", params={"cursor": cursor, "limit": PAGE_SIZE})
        waiting += _records_of(page)
        cursor, more = int(page["cursor"]), bool(page.get("more"))
        try:
            apply_page(database, waiting, tally, cursor=cursor)
        except IntegrityError as error:
            if not more:
                raise SyncError(
                    "从区局收到的记录引用了本机没有的记录，本次未写入。请联系区局管理员。",
                    "integrity",
                ) from error
        else:
            waiting = []
        progress(RoundProgress(PULLING, tally.written + tally.skipped, 0))
        if not more:
            return tally


def _records_of(page: Any) -> list[dict[str, Any]]:
    records = page.get("records") if isinstance(page, dict) else None
    if not isinstance(records, list) or "cursor" not in page:
        raise SyncError(
            "区局服务器的答复缺少记录或游标，本次同步未完成，请稍后重试。", "bad_answer"
        )
    return records


def apply_page(
    database: Database, records: Sequence[dict[str, Any]], tally: PullTally, *, cursor: int | None
) -> None:
    """Write ``records`` (and the new ``cursor``, if any) in one transaction."""
    with database.write() as session:
        page = apply_records(session, records)
        if cursor is not None:
            state.put(session, Key.CURSOR, cursor)
    tally.add(page)


def apply_records(session: Session, records: Sequence[dict[str, Any]]) -> PullTally:
    """Write pulled envelopes inside the caller's transaction; what was written and skipped.

    Parents go before children; foreign keys are checked at commit; the derived deadlines of
    every case touched are recomputed.
    """
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    order = {policy.table: index for index, policy in enumerate(synced_tables())}
    ordered = sorted(records, key=lambda envelope: order.get(envelope.get("table", ""), -1))
    unsent = _unsent_entities(session, ordered)
    tally = PullTally()
    kept: list[dict[str, Any]] = []
    for envelope in ordered:
        policy_of(str(envelope.get("table")))  # an unknown table is refused before any write
        if (envelope.get("table"), envelope.get("id")) in unsent:
            tally.skipped += 1
        else:
            kept.append(envelope)
    written = _write_all(session, kept)
    tally.skipped += len(kept) - len(written)
    tally.written += len(written)
    tally.conflict_ids |= {str(e["id"]) for e in written if _open_conflict(e)}
    state.set_bases(
        session,
        (
            (str(e["table"]), str(e["id"]), int(e["revision"]))
            for e in written
            if e.get("table") != AUDIT_TABLE and e.get("revision") is not None
        ),
    )
    _mark_stale(session, _cases_touched(written))
    return tally


def _write_all(session: Session, kept: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Write ``kept`` with one statement per table run; what was written.

    A pulled record whose unique value (a 文号, a credit code) another record here already holds
    cannot be stored: the whole run fails, and the records are written again without the
    colliding ones. HQ holds each such collision as a ``number``/``unique`` conflict for a person
    (the laptop's own record went up first in the same round), so the rest of the data flows.
    """
    try:
        with session.begin_nested():
            write_records(session, kept)
        return kept
    except IntegrityError:
        clear = [e for e in kept if e.get("op") == DELETE or not colliding_uniques(session, e)]
        write_records(session, clear)
        return clear


def _unsent_entities(session: Session, records: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """(table, id) of the pulled records this laptop still has unsent changes of."""
    wanted = {(r.get("table"), r.get("id")) for r in records if r.get("table") != AUDIT_TABLE}
    ids = sorted({str(entity_id) for _table, entity_id in wanted})
    found: set[tuple[str, str]] = set()
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(OutboxEntry.entity_type, OutboxEntry.entity_id)
            .where(
                OutboxEntry.sent_at.is_(None), OutboxEntry.entity_id.in_(ids[start : start + 500])
            )
            .distinct()
        )
        found |= {(table, entity_id) for table, entity_id in rows if (table, entity_id) in wanted}
    return found


def _open_conflict(envelope: dict[str, Any]) -> bool:
    if envelope.get("table") != "sync_conflict" or envelope.get("op") == "delete":
        return False
    return not (envelope.get("fields") or {}).get("resolved_at")


def _cases_touched(records: Iterable[dict[str, Any]]) -> set[str]:
    """Cases whose own row or a record of theirs was written (their deadlines are derived)."""
    touched = set()
    for envelope in records:
        if envelope.get("table") == CASE_TABLE:
            touched.add(str(envelope["id"]))
        elif envelope.get("table") != AUDIT_TABLE:
            case_id = (envelope.get("fields") or {}).get("case_id")
            if case_id:
                touched.add(str(case_id))
    return touched


def _mark_stale(session: Session, case_ids: set[str]) -> None:
    """Remember (with the page) the cases whose derived deadlines must be recomputed."""
    if case_ids:
        stale = set(json.loads(state.get(session, Key.STALE_CASES) or "[]")) | case_ids
        state.put(session, Key.STALE_CASES, json.dumps(sorted(stale)))


def refresh_stale_cases(database: Database, progress: Progress) -> int:
    """Recompute the stored deadlines (``case_deadline``: derived, not synced) of every case a
    pull touched, once each however many pages named it, a few hundred per transaction; the
    list shrinks as it goes, so a cut round finishes the rest next time. How many were done."""
    with database.read() as session:
        stale = json.loads(state.get(session, Key.STALE_CASES) or "[]")
    today = dt.datetime.now().astimezone().date()
    for start in range(0, len(stale), REFRESH_CHUNK):
        chunk = stale[start : start + REFRESH_CHUNK]
        with database.write() as session:
            for case in session.scalars(select(Case).where(Case.id.in_(chunk))):
                refresh_case(session, case, today)
            rest = stale[start + REFRESH_CHUNK :]
            state.put(session, Key.STALE_CASES, json.dumps(rest) if rest else None)
        progress(RoundProgress(REFRESHING, min(start + REFRESH_CHUNK, len(stale)), len(stale)))
    return len(stale)
