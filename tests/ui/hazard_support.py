"""Making hazards for the UI tests: answer items 不符合, then move dates where a test needs it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.inspection_rules import Answer
from fuanjian_desktop.models import Hazard
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import inspections


def make_hazards(
    database: Database,
    actor: Actor,
    start_inspection: Callable[..., str],
    count: int,
    enterprise_id: str | None = None,
) -> tuple[str, list[str]]:
    """Start an inspection and answer its first ``count`` items 不符合; (inspection, hazard ids)."""
    inspection_id = start_inspection(enterprise_id=enterprise_id)
    items = inspections.open_inspection(database, actor, inspection_id).items[:count]
    for item in items:
        inspections.answer_item(database, actor, inspection_id, item, Answer.NON_COMPLIANT)
    hazards = inspections.open_inspection(database, actor, inspection_id).hazards
    return inspection_id, [hazards[item.id].id for item in items]


def set_dates(
    database: Database, hazard_id: str, due_date: dt.date, found_on: dt.date | None = None
) -> None:
    """Move a hazard's dates directly in the database (tests only: the UI never does this)."""
    with database.write() as session:
        hazard = session.get(Hazard, hazard_id)
        assert hazard is not None
        hazard.due_date = due_date
        if found_on is not None:
            hazard.found_on = found_on
