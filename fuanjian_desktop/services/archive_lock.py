"""The archive lock: once a case is archived (归档), nothing of it changes.

归档 freezes the case file (案卷): its volume is compiled, stored and hashed, and every later
print reads those bytes. So the case and every record that belongs to it (its timeline,
documents, violations, links, remedies, handlers, deadlines, 案卷, scans, audio-video and
photos: any row with its ``case_id``, a scan through its document, and the papers of its
linked inspections that the volume prints: their issued documents and their photos) must stay
as they were, whichever service tries to change them. The lock therefore sits where the
services write: :func:`guard` is called by ``unit_of_work.user_action`` (and by the one service
writing outside an action, the transcript journal) and checks every flush of the session: what
``ActionScope.record`` and ``record_deletion`` flush and any row a service adds, changes or
deletes directly. The change is refused with :class:`ArchivedCaseLocked` and, the exception
ending the ``with`` block, the whole action is rolled back: nothing half-written.

Only the two steps that move a case into and out of 已归档 pass (their services set
``ActionScope.allow_archived``): the leader's 批准归档 and 重新打开案卷. The lock also refuses
moving a case to 已归档 any other way. Other writes outside a user action (sync pull, set-up,
migrations) are not a user's changes and are not checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeGuard

from sqlalchemy import event as orm_events
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from fuanjian_desktop.domain.procedure import Stage
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Case, CaseDocument, CaseLink, Inspection, InspectionPhoto

ARCHIVED = str(Stage.ARCHIVED)
# a linked inspection's papers printed in a case's volume: its documents in these statuses
# (superseded: corrected, still served) and its photos, reached by these CaseLink kinds
VOLUME_STATUSES = frozenset({"issued", "served", "superseded"})
VOLUME_LINKS = ("inspection", "photo")
_LIFTED = "archive_lock.lifted"  # session.info key


class ArchivedCaseLocked(UserError):
    """A change to an archived case or to one of its records: refused, nothing written."""

    def __init__(self, case_no: str) -> None:
        super().__init__(
            f"案件{case_no}已归档，案卷已封存，不能再修改其中的任何内容。"
            "如确需修改，请由中队负责人在“案卷”页批准重新打开案卷，修改后重新归档。"
        )
        self.case_no = case_no


def guard(session: Session) -> None:
    """Check every flush of ``session`` (one user action, or a write outside one such as the
    transcript journal) unless the lock is :func:`lift`-ed for it."""

    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        if not lifted(session):
            check_pending(session)

    orm_events.listen(session, "before_flush", before_flush)


def lift(session: Session, lifted: bool = True) -> None:
    """Lift the lock for ``session`` (the archive or reopen step's action), or put it back.

    Kept on the session, not on one ``ActionScope``: every scope sharing the transaction sees
    the same lock.
    """
    session.info[_LIFTED] = lifted


def lifted(session: Session) -> bool:
    """Whether the lock is lifted for ``session``."""
    return bool(session.info.get(_LIFTED, False))


def require_open(session: Session, case_id: str | None) -> None:
    """Refuse early, before slow work (storing a scan, compiling), a change to an archived
    case; the flush check stays the rule, this only saves the work."""
    case = session.get(Case, case_id) if case_id else None
    if case is not None and case.stage == ARCHIVED and not lifted(session):
        raise ArchivedCaseLocked(case.case_no)


def check_pending(session: Session) -> None:
    """Raise :class:`ArchivedCaseLocked` if a pending change touches an archived case."""
    with session.no_autoflush:
        for record in (*session.new, *session.deleted, *session.dirty):
            if record in session.dirty and not session.is_modified(record):
                continue
            for case in _cases_of(session, record):
                if ARCHIVED in _stages(case):
                    raise ArchivedCaseLocked(case.case_no)


def _cases_of(session: Session, record: object) -> Iterator[Case]:
    """The cases ``record`` belongs to, as stored and as changed (a row moved between cases
    belongs to both)."""
    if isinstance(record, Case):
        yield record
        return
    for case_id in _values(record, "case_id"):
        case = session.get(Case, case_id)
        if case is not None:
            yield case
    # a scan of the case's document, or a correction of it (a new edition of a locked paper)
    for document_id in _values(record, "document_id") | _values(record, "corrects_id"):
        document = session.get(CaseDocument, document_id)
        if document is not None:
            yield from _cases_of(session, document)
    if _in_volumes(record, session):
        yield from _linking_cases(session, record)


def _in_volumes(record: object, session: Session) -> TypeGuard[CaseDocument | InspectionPhoto]:
    """Whether ``record`` is a paper of a linked inspection that a case's volume prints: an
    inspection photo, or an inspection's document as issued, served or corrected (stored so
    before this change). New records and drafts are not: the inspection's own work goes on."""
    if record in session.new:
        return False
    if isinstance(record, InspectionPhoto):
        return True
    return isinstance(record, CaseDocument) and bool(_stored(record, "status") & VOLUME_STATUSES)


def _linking_cases(session: Session, record: CaseDocument | InspectionPhoto) -> Iterator[Case]:
    """The cases linking the record's inspection (or one it re-checks), or the photo itself."""
    targets: set[str] = set()
    for inspection_id in _values(record, "inspection_id"):
        while inspection_id and inspection_id not in targets:  # up the 复查 chain
            targets.add(inspection_id)
            inspection_id = session.scalar(
                select(Inspection.follow_up_of_id).where(Inspection.id == inspection_id)
            )
    if isinstance(record, InspectionPhoto):
        targets.add(record.id)
    links = select(CaseLink.case_id).where(
        CaseLink.kind.in_(VOLUME_LINKS), CaseLink.target_id.in_(targets)
    )
    yield from session.scalars(select(Case).where(Case.id.in_(links)))


def _stages(case: Case) -> set[str]:
    """The case's stage as stored and as changed: leaving 已归档 is a change to a locked case,
    and entering it is the archive step's alone."""
    return {str(value) for value in _values(case, "stage")}


def _stored(record: object, name: str) -> set[Any]:
    """The value of attribute ``name`` as stored before this change."""
    history = inspect(record).attrs[name].load_history()
    return {value for value in (*history.unchanged, *history.deleted) if value}


def _values(record: object, name: str) -> set[Any]:
    """Every value of attribute ``name`` pending in ``record``: the new one and the stored one
    it replaces (none if the record has no such attribute)."""
    attribute = inspect(record).attrs.get(name)
    if attribute is None:
        return set()
    history = attribute.load_history()
    return {value for value in (*history.added, *history.unchanged, *history.deleted) if value}
