"""Inspections: two inspectors, answers saved one by one, hazards follow 不符合, versions pinned."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.synthetic import synthetic_checklist
from fuanjian_desktop.domain.inspection_rules import (
    Answer,
    HazardStatus,
    InspectionSource,
    InspectionStatus,
    SitePerson,
)
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import AuditEvent, Hazard, InspectionAnswer, OutboxEntry
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import inspections
from fuanjian_desktop.services.inspections.inspections import (
    InspectionFinish,
    InspectionInvalid,
    InspectionStart,
)
from fuanjian_desktop.services.registry import registry
from tests.conftest import SMALL_TEMPLATE, team_ids

StartInspection = Callable[..., str]


def request(
    database: Database, actor: Actor, names: set[str], **changes: object
) -> InspectionStart:
    chosen = team_ids(database, actor, names)
    values: dict[str, object] = {
        "enterprise_id": registry.search_enterprise_ids(database, "")[0],
        "source": InspectionSource.PLANNED,
        "template_id": SMALL_TEMPLATE,
        "inspector_ids": chosen,
        "site_person": SitePerson("李老板"),
    }
    values.update(changes)
    return InspectionStart(**values)  # type: ignore[arg-type]


def test_one_inspector_is_refused(
    demo_database: Database, inspector: Actor, checklist_folder: Path
) -> None:
    with pytest.raises(InspectionInvalid) as caught:
        inspections.start_inspection(
            demo_database, inspector, request(demo_database, inspector, {"张伟"}), checklist_folder
        )
    assert caught.value.issues[0].field == "inspectors"
    assert "两名以上持证执法人员" in caught.value.message


def test_site_person_phone_and_id_are_checked(
    demo_database: Database, inspector: Actor, checklist_folder: Path
) -> None:
    bad = request(
        demo_database,
        inspector,
        {"张伟", "李娜"},
        site_person=SitePerson("", phone="12345", id_no="440304199001011234"),
    )
    with pytest.raises(InspectionInvalid) as caught:
        inspections.start_inspection(demo_database, inspector, bad, checklist_folder)
    fields = {issue.field for issue in caught.value.issues}
    assert fields == {"site_person_name", "site_person_phone", "site_person_id_no"}


def test_a_clerk_cannot_inspect(
    demo_database: Database, sign_in: Callable[[str], Actor], checklist_folder: Path
) -> None:
    clerk = sign_in("wuxia")
    with pytest.raises(PermissionDenied):
        inspections.start_inspection(
            demo_database, clerk, request(demo_database, clerk, {"黄敏", "周杰"}), checklist_folder
        )


def test_started_inspection_records_inspectors_with_certificates(
    demo_database: Database, start_inspection: StartInspection, inspector: Actor
) -> None:
    view = inspections.open_inspection(demo_database, inspector, start_inspection())
    assert view.status is InspectionStatus.IN_PROGRESS
    assert {(i.full_name, i.cert_no) for i in view.inspectors} == {
        ("张伟", "44030419001"),
        ("李娜", "44030419002"),
    }
    assert view.template is not None and view.template.id == SMALL_TEMPLATE
    assert view.place == view.address


def test_non_compliant_answer_opens_a_hazard_and_taking_it_back_removes_it(
    demo_database: Database, inspector: Actor, start_inspection: StartInspection
) -> None:
    inspection_id = start_inspection()
    item = inspections.open_inspection(demo_database, inspector, inspection_id).items[4]
    inspections.answer_item(
        demo_database, inspector, inspection_id, item, Answer.NON_COMPLIANT, "杂物堆放"
    )
    view = inspections.open_inspection(demo_database, inspector, inspection_id)
    hazard = view.hazards[item.id]
    # a sentence stating the problem, for the inspector to edit; the private note stays out
    assert hazard.description == f"未做到：{item.check}"
    assert hazard.days == item.days == 5
    assert hazard.status is HazardStatus.PENDING
    assert view.answers[item.id].note == "杂物堆放"

    inspections.answer_item(demo_database, inspector, inspection_id, item, Answer.COMPLIANT)
    view = inspections.open_inspection(demo_database, inspector, inspection_id)
    assert view.hazards == {}
    assert view.answers[item.id].result is Answer.COMPLIANT
    with demo_database.read() as session:
        operations = list(
            session.scalars(
                select(OutboxEntry.operation)
                .where(OutboxEntry.entity_id == hazard.id)
                .order_by(OutboxEntry.seq)
            )
        )
    assert operations == ["insert", "delete"]


def test_each_answer_is_audited_once_and_repeating_it_changes_nothing(
    demo_database: Database, inspector: Actor, start_inspection: StartInspection
) -> None:
    inspection_id = start_inspection()
    item = inspections.open_inspection(demo_database, inspector, inspection_id).items[0]

    def answer_events() -> int:
        with demo_database.read() as session:
            query = select(func.count()).where(
                AuditEvent.entity_type == "inspection_answer",
                AuditEvent.summary.contains(item.id),
            )
            return session.scalar(query) or 0

    before = answer_events()
    inspections.answer_item(demo_database, inspector, inspection_id, item, Answer.COMPLIANT)
    inspections.answer_item(demo_database, inspector, inspection_id, item, Answer.COMPLIANT)
    assert answer_events() == before + 1
    with demo_database.read() as session:
        query = select(func.count()).where(InspectionAnswer.inspection_id == inspection_id)
        assert session.scalar(query) == 1


def test_finish_requires_every_applicable_item(
    demo_database: Database, inspector: Actor, start_inspection: StartInspection
) -> None:
    inspection_id = start_inspection(uses_gas=False)
    view = inspections.open_inspection(demo_database, inspector, inspection_id)
    for item in view.items[:-1]:
        inspections.answer_item(demo_database, inspector, inspection_id, item, Answer.COMPLIANT)
    finish = InspectionFinish(dt.datetime.now(dt.UTC), "检查完毕")
    with pytest.raises(InspectionInvalid, match="还有 1 项未检查"):
        inspections.finish_inspection(demo_database, inspector, inspection_id, finish)
    inspections.answer_item(
        demo_database, inspector, inspection_id, view.items[-1], Answer.NOT_APPLICABLE
    )
    inspections.finish_inspection(demo_database, inspector, inspection_id, finish)
    assert inspections.open_inspection(demo_database, inspector, inspection_id).status is (
        InspectionStatus.COMPLETED
    )
    with pytest.raises(UserError, match="已经结束"):
        inspections.answer_item(
            demo_database, inspector, inspection_id, view.items[0], Answer.NON_COMPLIANT
        )


def test_refusal_to_sign_needs_a_note(
    demo_database: Database, inspector: Actor, start_inspection: StartInspection
) -> None:
    inspection_id = start_inspection()
    for item in inspections.open_inspection(demo_database, inspector, inspection_id).items:
        inspections.answer_item(demo_database, inspector, inspection_id, item, Answer.COMPLIANT)
    refused = InspectionFinish(dt.datetime.now(dt.UTC), "", refused_to_sign=True)
    with pytest.raises(InspectionInvalid, match="拒绝签名"):
        inspections.finish_inspection(demo_database, inspector, inspection_id, refused)
    noted = InspectionFinish(
        dt.datetime.now(dt.UTC), "", refused_to_sign=True, refusal_note="负责人拒绝签名，已录像"
    )
    inspections.finish_inspection(demo_database, inspector, inspection_id, noted)
    view = inspections.open_inspection(demo_database, inspector, inspection_id)
    assert view.refused_to_sign and view.refusal_note == "负责人拒绝签名，已录像"


def test_a_newer_template_version_never_changes_a_past_inspection(
    demo_database: Database,
    start_inspection: StartInspection,
    checklist_folder: Path,
    inspector: Actor,
) -> None:
    old_id = start_inspection()
    newer = synthetic_checklist(SMALL_TEMPLATE, 20, ("uses_gas",))
    newer["version"] = "2026.2"
    newer["sections"][0]["items"][0]["check"] = "新版措辞"
    path = checklist_folder / f"{SMALL_TEMPLATE}.json"
    path.write_text(json.dumps(newer, ensure_ascii=False), encoding="utf-8")
    new_id = start_inspection()

    old = inspections.open_inspection(demo_database, inspector, old_id)
    new = inspections.open_inspection(demo_database, inspector, new_id)
    assert old.template is not None and new.template is not None
    assert (old.template.version, len(old.items)) == ("2026.1", 12)
    assert old.items[0].check != "新版措辞"
    assert (new.template.version, len(new.items), new.items[0].check) == ("2026.2", 20, "新版措辞")


def test_a_version_used_first_is_queued_for_hq_once(
    demo_database: Database, start_inspection: StartInspection, checklist_folder: Path
) -> None:
    """The first inspection of a template version stores it with an audit event and an outbox
    row (the squad's other laptops need it to show the inspection); the next one adds neither."""
    newer = synthetic_checklist(SMALL_TEMPLATE, 12, ("uses_gas",))
    newer["version"] = "2026.9"
    path = checklist_folder / f"{SMALL_TEMPLATE}.json"
    path.write_text(json.dumps(newer, ensure_ascii=False), encoding="utf-8")
    key = f'["{SMALL_TEMPLATE}","2026.9"]'
    start_inspection()
    start_inspection()
    with demo_database.read() as session:
        queued = session.scalars(select(OutboxEntry).where(OutboxEntry.entity_id == key)).all()
        assert [(row.entity_type, row.operation) for row in queued] == [
            ("checklist_version", "insert")
        ]
        event = session.get(AuditEvent, queued[0].audit_event_id)
    assert event is not None and event.entity_type == "checklist_version"
    assert event.after is not None and event.after["version"] == "2026.9"


def test_content_changed_without_a_new_version_is_refused(
    demo_database: Database, start_inspection: StartInspection, checklist_folder: Path
) -> None:
    start_inspection()
    edited = synthetic_checklist(SMALL_TEMPLATE, 12, ("uses_gas",))
    edited["sections"][0]["items"][0]["check"] = "悄悄改了"
    path = checklist_folder / f"{SMALL_TEMPLATE}.json"
    path.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError, match=r"版本号仍为 2026\.1"):
        start_inspection()


def test_inspection_rows_show_title_and_hazard_count(
    demo_database: Database, inspector: Actor, start_inspection: StartInspection
) -> None:
    inspection_id = start_inspection()
    items = inspections.open_inspection(demo_database, inspector, inspection_id).items
    for item in items[:2]:
        inspections.answer_item(demo_database, inspector, inspection_id, item, Answer.NON_COMPLIANT)
    rows = inspections.inspection_rows(demo_database, inspector, inspector.squad_id)
    row = next(row for row in rows if row.id == inspection_id)
    assert (row.title, row.hazards, row.inspectors) == ("测试检查表（12项）", 2, "张伟、李娜")
    with demo_database.read() as session:
        assert (
            session.scalar(
                select(func.count())
                .select_from(Hazard)
                .where(Hazard.inspection_id == inspection_id)
            )
            == 2
        )


def test_an_inspectors_own_inspections_are_listed_alone_or_first(
    demo_database: Database, inspector: Actor, checklist_folder: Path
) -> None:
    """Only those 张伟 took part in, when asked; otherwise his before 王芳 and 刘洋's."""

    def start(names: set[str]) -> str:
        chosen = request(demo_database, inspector, names)
        return inspections.start_inspection(demo_database, inspector, chosen, checklist_folder)

    mine = start({"张伟", "李娜"})
    theirs = start({"王芳", "刘洋"})  # newer, so first in the squad's list
    squad = inspections.inspection_rows(demo_database, inspector, inspector.squad_id)
    assert [row.id for row in squad[:2]] == [theirs, mine]
    own = inspections.inspection_rows(
        demo_database, inspector, inspector.squad_id, inspector_id=inspector.user_id
    )
    assert mine in {row.id for row in own} and theirs not in {row.id for row in own}
    assert all("张伟" in row.inspectors for row in own)
    ordered = inspections.own_first(squad, inspector.user_id)
    assert ordered.index(next(r for r in ordered if r.id == mine)) < ordered.index(
        next(r for r in ordered if r.id == theirs)
    )
    assert all("张伟" in row.inspectors for row in ordered[: len(own)])


def test_the_partners_of_ones_latest_inspection_are_suggested(
    demo_database: Database,
    inspector: Actor,
    sign_in: Callable[[str], Actor],
    checklist_folder: Path,
) -> None:
    """张伟 went out last with 王芳: she is suggested, he is not his own partner; 李娜, who has
    not inspected yet in this test's order, gets 张伟 and 刘洋 of her latest."""
    for names in ({"张伟", "刘洋", "李娜"}, {"张伟", "王芳"}):
        chosen = request(demo_database, inspector, names)
        inspections.start_inspection(demo_database, inspector, chosen, checklist_folder)
    wang = team_ids(demo_database, inspector, {"王芳"})
    assert inspections.recent_partners(demo_database, inspector) == wang
    lina = sign_in("lina")
    partners = inspections.recent_partners(demo_database, lina)
    assert set(partners) == set(team_ids(demo_database, inspector, {"张伟", "刘洋"}))


def test_no_venue_is_a_field_issue(
    demo_database: Database, inspector: Actor, checklist_folder: Path
) -> None:
    without = request(demo_database, inspector, {"张伟", "李娜"}, enterprise_id="")
    with pytest.raises(InspectionInvalid) as caught:
        inspections.start_inspection(demo_database, inspector, without, checklist_folder)
    assert [issue.field for issue in caught.value.issues] == ["enterprise"]


def test_onsite_measures_are_kept_and_unknown_ones_refused(
    demo_database: Database, inspector: Actor, start_inspection: StartInspection
) -> None:
    inspection_id = start_inspection()
    for item in inspections.open_inspection(demo_database, inspector, inspection_id).items:
        inspections.answer_item(demo_database, inspector, inspection_id, item, Answer.COMPLIANT)
    now = dt.datetime.now(dt.UTC)
    unknown = InspectionFinish(now, "", onsite_measures=("shoot_first",))
    with pytest.raises(InspectionInvalid, match="不在目录中"):
        inspections.finish_inspection(demo_database, inspector, inspection_id, unknown)
    measures = ("rectify_within_deadline", "stop_equipment")
    finish = InspectionFinish(now, "", onsite_measures=measures, onsite_measures_note="配电箱")
    inspections.finish_inspection(demo_database, inspector, inspection_id, finish)
    view = inspections.open_inspection(demo_database, inspector, inspection_id)
    assert (view.onsite_measures, view.onsite_measures_note) == (measures, "配电箱")
