"""Helpers for tests that need cases: a number block for the laptop, and a case from a hazard."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import Procedure
from fuanjian_desktop.models import Enterprise, Hazard, NumberBlock
from fuanjian_desktop.services import cases
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.numbering import device_id, grant_block
from fuanjian_desktop.services.unit_of_work import user_action


def ensure_number_block(database: Database, actor: Actor, year: int) -> None:
    """Give this laptop a block for ``year`` unless it already holds one (the demo grants some)."""
    with user_action(database, actor, "号段") as scope:
        mine = select(NumberBlock.id).where(
            NumberBlock.year == year, NumberBlock.device_id == device_id(scope.session)
        )
        if scope.session.scalar(mine) is None:
            taken = scope.session.scalars(select(NumberBlock.last).where(NumberBlock.year == year))
            first = max(taken, default=0) + 1
            grant_block(scope, year, first, first + 499, actor.squad_id or "")


def aq_hazard_id(database: Database, squad_id: str | None, on: dt.date) -> str:
    """A demo hazard of the squad, overdue on ``on``, whose violation is the 应急 bureau's (AQ-)."""
    with database.read() as session:
        query = select(Hazard.id).where(
            Hazard.violation_code.like("AQ-%"),
            Hazard.status.in_(("transferred", "not_rectified", "pending")),
            Hazard.due_date < on,
            Hazard.squad_id == squad_id,
        )
        hazard_id = session.scalars(query.order_by(Hazard.found_on)).first()
    assert hazard_id is not None
    return hazard_id


def open_hazard_case(
    database: Database, handler: Actor, partner_id: str, opened_on: dt.date
) -> str:
    """Open a general-procedure case from a demo hazard, handled by ``handler`` and a partner."""
    ensure_number_block(database, handler, opened_on.year)
    prefill = cases.prefill_from_hazard(
        database, aq_hazard_id(database, handler.squad_id, opened_on)
    )
    draft = cases.with_handlers(prefill.draft, [handler.user_id or "", partner_id])
    return cases.open_case(database, handler, replace(draft, opened_on=opened_on))


def open_plain_case(database: Database, handler: Actor, partner_id: str, opened_on: dt.date) -> str:
    """Open a general-procedure case (投诉举报, 未按规定培训) against an enterprise of the squad."""
    ensure_number_block(database, handler, opened_on.year)
    with database.read() as session:
        query = select(Enterprise.id).where(
            Enterprise.squad_id == handler.squad_id, Enterprise.uscc.is_not(None)
        )
        enterprise_id = session.scalars(query.order_by(Enterprise.name)).first()
    assert enterprise_id is not None
    draft = cases.NewCase(
        procedure=Procedure.GENERAL,
        source="complaint",
        party=cases.Party("enterprise", enterprise_id),
        cause="未按规定对从业人员进行安全生产教育和培训",
        handler_ids=(handler.user_id or "", partner_id),
        violations=(cases.ViolationChoice("AQ-97-3"),),
        opened_on=opened_on,
    )
    return cases.open_case(database, handler, draft)
