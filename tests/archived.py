"""Archiving a case in tests without compiling its volume: the 批准归档 step taken the way the
dossier service takes it (an action with the archive lock lifted), so the lock and reopening
are tested apart from the volume."""

from __future__ import annotations

import datetime as dt

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import find_action
from fuanjian_desktop.models import Case
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_actions import StepInput, take_step
from fuanjian_desktop.services.unit_of_work import user_action


def archive(database: Database, leader: Actor, case_id: str, on: dt.date) -> None:
    """Take 批准归档 on ``case_id`` as ``leader`` on ``on`` (today in the tests)."""
    with user_action(database, leader, "批准归档") as scope:
        scope.allow_archived = True
        case = scope.session.get(Case, case_id)
        assert case is not None
        take_step(scope, case, find_action("archive"), StepInput(on=on), on)
