"""The demo's field work: enough inspections, every template, hazards in every state."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo_inspections import DemoPlan, create_demo_inspections
from fuanjian_desktop.domain.inspection_rules import HazardStatus, InspectionStatus
from fuanjian_desktop.models import Hazard, Inspection
from fuanjian_desktop.services.actor import SYSTEM, Actor
from fuanjian_desktop.services.inspections.hazards import HazardFilter, HazardQuery, hazard_rows
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.unit_of_work import user_action


def test_demo_has_inspections_across_templates_and_hazards_in_every_state(
    demo_database: Database,
    inspector: Actor,
) -> None:
    with demo_database.read() as session:
        checklist_runs = session.scalar(
            select(func.count()).where(Inspection.template_id.is_not(None))
        )
        templates = set(session.scalars(select(Inspection.template_id).distinct()))
        open_runs = session.scalar(
            select(func.count()).where(Inspection.status == InspectionStatus.IN_PROGRESS.value)
        )
        statuses = set(session.scalars(select(Hazard.status).distinct()))
    assert checklist_runs is not None and checklist_runs >= 40
    assert len(templates - {None}) >= 5
    assert open_runs is not None and open_runs >= 1
    assert statuses == {status.value for status in HazardStatus}
    today = local_today()
    for wanted in (HazardFilter.PENDING, HazardFilter.OVERDUE, HazardFilter.RECTIFIED):
        assert hazard_rows(demo_database, inspector, HazardQuery(wanted), today), wanted


def test_demo_generated_early_in_the_morning_starts_nothing_after_its_now(
    demo_database: Database,
) -> None:
    yesterday = local_today() - dt.timedelta(days=1)
    early = dt.datetime.combine(yesterday, dt.time(7, 5)).astimezone(dt.UTC)  # laptop time
    marker = dt.datetime.now(dt.UTC)
    with user_action(demo_database, SYSTEM, "生成演示数据") as scope:
        made = create_demo_inspections(scope, DemoPlan(early, seed=7))
    assert made >= 40
    with demo_database.read() as session:
        latest = session.scalar(
            select(func.max(Inspection.started_at)).where(Inspection.created_at >= marker)
        )
    assert latest is not None and latest <= early
