"""Hazards: deadlines in working days, 复查 settles them, only overdue ones go to a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import update

from fuanjian_desktop.checklists.model import HazardLevel
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.inspection_rules import Answer, HazardStatus, SitePerson
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Hazard
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import hazards, inspections
from fuanjian_desktop.services.inspections.hazards import (
    HazardEdit,
    HazardFilter,
    HazardQuery,
    RecheckRecord,
)
from fuanjian_desktop.services.inspections.inspections import InspectionInvalid
from tests.conftest import team_ids

D = dt.date


def failed_items(
    database: Database, actor: Actor, start: Callable[..., str], count: int
) -> tuple[str, list[str]]:
    """An inspection with ``count`` failed items; returns its id and the hazard ids."""
    inspection_id = start()
    for item in inspections.open_inspection(database, actor, inspection_id).items[:count]:
        inspections.answer_item(database, actor, inspection_id, item, Answer.NON_COMPLIANT)
    found = inspections.open_inspection(database, actor, inspection_id).hazards.values()
    return inspection_id, [hazard.id for hazard in found]


def set_hazard(database: Database, hazard_id: str, **values: object) -> None:
    with database.write() as session:
        session.execute(update(Hazard).where(Hazard.id == hazard_id).values(**values))


def test_editing_the_period_recomputes_the_due_date_across_national_day(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str]
) -> None:
    _, (hazard_id, *_) = failed_items(demo_database, inspector, start_inspection, 1)
    set_hazard(demo_database, hazard_id, found_on=D(2026, 9, 24))
    edit = HazardEdit("消防通道堆放纸箱", HazardLevel.GENERAL, "立即清理", 10)
    hazards.update_hazard(demo_database, inspector, hazard_id, edit)
    view = hazards.load_hazard(demo_database, inspector, hazard_id)
    assert (view.description, view.due_date) == ("消防通道堆放纸箱", D(2026, 10, 15))
    assert "跳过 11 天节假日和周末" in view.deadline_note


def test_an_empty_description_is_refused(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str]
) -> None:
    _, (hazard_id, *_) = failed_items(demo_database, inspector, start_inspection, 1)
    with pytest.raises(InspectionInvalid, match="请填写隐患描述"):
        hazards.update_hazard(
            demo_database, inspector, hazard_id, HazardEdit(" ", HazardLevel.MAJOR, "整改", 3)
        )


def test_register_filters_and_overdue_status(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str]
) -> None:
    inspection_id, ids = failed_items(demo_database, inspector, start_inspection, 3)
    today = D(2026, 11, 26)
    set_hazard(demo_database, ids[0], due_date=D(2026, 11, 20))
    set_hazard(demo_database, ids[1], due_date=D(2026, 11, 30))
    set_hazard(demo_database, ids[2], due_date=D(2026, 12, 31))

    def ids_for(query: HazardQuery) -> set[str]:
        rows = hazards.hazard_rows(demo_database, inspector, query, today)
        return {row.id for row in rows if row.inspection_id == inspection_id}

    assert ids_for(HazardQuery(HazardFilter.OVERDUE)) == {ids[0]}
    assert ids_for(HazardQuery(HazardFilter.PENDING)) == {ids[1], ids[2]}
    assert ids_for(HazardQuery(HazardFilter.OPEN, due_to=D(2026, 12, 1))) == {ids[0], ids[1]}
    overdue = next(
        row
        for row in hazards.hazard_rows(demo_database, inspector, HazardQuery(), today)
        if row.id == ids[0]
    )
    assert (overdue.status_label, overdue.overdue, overdue.days_left) == ("逾期未整改", True, -6)
    venue = inspections.open_inspection(demo_database, inspector, inspection_id).enterprise_name
    assert ids_for(HazardQuery(venue_text=venue[2:6])) == set(ids)
    assert ids_for(HazardQuery(venue_text="不存在的场所")) == set()

    due_soon, overdue_rows = hazards.workbench_hazards(
        demo_database, inspector, inspector.squad_id, today
    )
    assert ids[1] in {row.id for row in due_soon} and ids[2] not in {row.id for row in due_soon}
    assert ids[0] in {row.id for row in overdue_rows}


def test_recheck_settles_each_hazard_and_is_an_inspection_of_its_own(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str]
) -> None:
    inspection_id, ids = failed_items(demo_database, inspector, start_inspection, 3)
    team = team_ids(demo_database, inspector, {"张伟", "王芳"})
    now = dt.datetime.now(dt.UTC)
    record = RecheckRecord(
        inspection_id=inspection_id,
        inspector_ids=team,
        site_person=SitePerson("李老板"),
        started_at=now - dt.timedelta(minutes=20),
        ended_at=now,
        results={ids[0]: Answer.COMPLIANT, ids[1]: Answer.NON_COMPLIANT},
        notes={ids[1]: "仍有杂物"},
        opinion="第1项已整改，第2项未整改",
    )
    recheck_id = hazards.record_recheck(demo_database, inspector, record)
    statuses = {
        h.id: h.status
        for h in inspections.open_inspection(
            demo_database, inspector, inspection_id
        ).hazards.values()
    }
    assert statuses == {
        ids[0]: HazardStatus.RECTIFIED,
        ids[1]: HazardStatus.NOT_RECTIFIED,
        ids[2]: HazardStatus.PENDING,
    }
    recheck = inspections.open_inspection(demo_database, inspector, recheck_id)
    assert recheck.follow_up_of_id == inspection_id
    assert recheck.summary == "第1项已整改，第2项未整改"
    waiting = hazards.hazards_to_recheck(demo_database, inspector, inspection_id)
    assert {hazard.id for hazard in waiting} == {ids[1], ids[2]}

    hazards.transfer_hazard(demo_database, inspector, ids[1])
    assert hazards.load_hazard(demo_database, inspector, ids[1]).status is HazardStatus.TRANSFERRED
    with pytest.raises(UserError, match="只有逾期未整改的隐患才能移交立案"):
        hazards.transfer_hazard(demo_database, inspector, ids[2])
    with pytest.raises(UserError, match="不能再修改"):
        hazards.update_hazard(
            demo_database, inspector, ids[0], HazardEdit("x", HazardLevel.GENERAL, "y", 1)
        )


def test_a_recheck_needs_two_inspectors(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str]
) -> None:
    inspection_id, ids = failed_items(demo_database, inspector, start_inspection, 1)
    now = dt.datetime.now(dt.UTC)
    alone = RecheckRecord(
        inspection_id,
        (inspector.user_id or "",),
        SitePerson("李老板"),
        now,
        now,
        {ids[0]: Answer.COMPLIANT},
        {},
        "",
    )
    with pytest.raises(InspectionInvalid, match="两名以上"):
        hazards.record_recheck(demo_database, inspector, alone)
    assert hazards.load_hazard(demo_database, inspector, ids[0]).status is HazardStatus.PENDING


def test_hazard_row_and_a_recheck_ending_before_it_started(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str]
) -> None:
    inspection_id, ids = failed_items(demo_database, inspector, start_inspection, 1)
    row = hazards.hazard_row(demo_database, inspector, ids[0], D(2030, 1, 1))
    assert (row.id, row.squad, row.overdue, row.status_label) == (
        ids[0],
        "园岭",
        True,
        "逾期未整改",
    )
    team = team_ids(demo_database, inspector, {"张伟", "李娜"})
    now = dt.datetime.now(dt.UTC)
    backwards = RecheckRecord(
        inspection_id,
        team,
        SitePerson("李老板"),
        now,
        now - dt.timedelta(hours=1),
        {ids[0]: Answer.COMPLIANT},
        {},
        "",
    )
    with pytest.raises(InspectionInvalid, match="结束时间早于开始时间"):
        hazards.record_recheck(demo_database, inspector, backwards)
