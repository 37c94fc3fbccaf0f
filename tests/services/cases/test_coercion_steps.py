"""查封扣押 and 停止供电 taken as steps of a case, and the documents they issue.

The period printed and stored is counted by hand here from 行政强制法第二十五条: thirty natural
days after the day the decision was served (the start day not counted, 民法典第二百零一条), the
last day never rolled; the one extension adds thirty natural days after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo_documents import prepare_step_drafts
from fuanjian_desktop.domain.procedure import find_action
from fuanjian_desktop.models import Case, CaseDeadlineRow, CaseDocument, CaseLink, Inspection
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_actions import ProcedureRefused, StepInput, take_step
from fuanjian_desktop.services.cases.case_queries import case_view
from fuanjian_desktop.services.documents.documents import create_draft, document_view
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.lookup import fetch
from fuanjian_desktop.services.procedure_settings import save_settings
from fuanjian_desktop.services.unit_of_work import user_action
from tests.cases import open_plain_case

TODAY = local_today()
OPENED, SEIZED, EXTENDED = (TODAY - dt.timedelta(days=n) for n in (6, 5, 3))
SignIn = Callable[[str], Actor]


def take(db: Database, actor: Actor, case_id: str, code: str, on: dt.date, **fields: str) -> None:
    """Take a step as its performer does, its documents drafted with the demo story's values."""
    action = find_action(code)
    with user_action(db, actor, action.label) as scope:
        case = fetch(scope.session, Case, case_id)
        prepare_step_drafts(scope, case, action.documents, on)
        take_step(scope, case, action, StepInput(on=on, **fields), TODAY)


def issued(db: Database, case_id: str, type_key: str) -> CaseDocument:
    """The case's document of ``type_key`` in force."""
    with db.read() as session:
        query = select(CaseDocument).where(
            CaseDocument.case_id == case_id,
            CaseDocument.type_key == type_key,
            CaseDocument.status.in_(("issued", "served")),
        )
        found = session.scalars(query).one()
        session.expunge(found)
        return found


def seizure_deadline(db: Database, case_id: str) -> CaseDeadlineRow:
    """The stored 查封扣押期限 of the case."""
    with db.read() as session:
        query = select(CaseDeadlineRow).where(
            CaseDeadlineRow.case_id == case_id, CaseDeadlineRow.rule_id == "seizure_limit"
        )
        found = session.scalars(query).one()
        session.expunge(found)
        return found


def written(day: dt.date) -> str:
    """A date as the documents write it."""
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture
def seized(demo_database: Database, sign_in: SignIn) -> tuple[Database, str, Actor, Actor]:
    """A case filed six days ago whose seizure was approved and served five days ago."""
    zhang, li, liu = (sign_in(name) for name in ("zhangwei", "lina", "liuyang"))
    case_id = open_plain_case(demo_database, zhang, li.user_id or "", OPENED)
    take(demo_database, liu, case_id, "approve_filing", OPENED, note="同意立案。")
    take(demo_database, liu, case_id, "approve_seizure", SEIZED, note="设备存在重大隐患。")
    take(
        demo_database, zhang, case_id, "decide_seizure", SEIZED,
        served_method="直接送达", recipient="当事人",
    )  # fmt: skip
    return demo_database, case_id, zhang, liu


def test_the_decision_is_approved_served_with_its_list_and_prints_thirty_days(
    seized: tuple[Database, str, Actor, Actor],
) -> None:
    """行政强制审批表 issued, the 决定书 served on the day with its 清单, the period to day 30,
    and the same last day stored as the case's open deadline (工作台, case page)."""
    db, case_id, _, _ = seized
    assert issued(db, case_id, "coercion_approval").status == "issued"
    decision = issued(db, case_id, "seizure_decision")
    assert (decision.status, decision.served_on) == ("served", SEIZED)
    assert decision.values["period_from"] == written(SEIZED)
    assert decision.values["period_until"] == written(SEIZED + dt.timedelta(days=30))
    assert decision.values["items"][0]["name"] == "电动葫芦"
    limit = seizure_deadline(db, case_id)
    assert (limit.due, limit.state) == (SEIZED + dt.timedelta(days=30), "open")
    assert "第二十五条" in limit.source
    with db.read() as session:  # the 工作台's 案件期限提醒 reads the case's next due date
        case = fetch(session, Case, case_id)
        assert (case.next_due_on, case.next_due_label) == (limit.due, "查封扣押期限")


def test_the_extension_prints_and_stores_sixty_days_and_a_second_is_refused(
    seized: tuple[Database, str, Actor, Actor],
) -> None:
    """延长 by approval: the decision says 延长至 day 60; a second extension is refused."""
    db, case_id, _, liu = seized
    take(
        db, liu, case_id, "extend_seizure", EXTENDED, note="检验尚未完成", served_method="直接送达"
    )
    extension = issued(db, case_id, "seizure_extension_decision")
    assert extension.status == "served"
    assert extension.values["extended_until"] == written(SEIZED + dt.timedelta(days=60))
    assert extension.values["reason"] == "检验尚未完成"
    assert extension.values["decision_no"] == issued(db, case_id, "seizure_decision").number
    assert seizure_deadline(db, case_id).due == SEIZED + dt.timedelta(days=60)
    with pytest.raises(ProcedureRefused, match="不得再次延长"):
        take(db, liu, case_id, "extend_seizure", TODAY, note="再延长", served_method="直接送达")


def test_the_disposal_ends_the_seizure_and_cites_its_basis(
    seized: tuple[Database, str, Actor, Actor],
) -> None:
    """解除 cites 行政强制法第二十八条 and meets the deadline."""
    db, case_id, _, liu = seized
    take(
        db, liu, case_id, "dispose_seizure", TODAY,
        note="解除查封、扣押，退还当事人。", served_method="直接送达",
    )  # fmt: skip
    disposal = issued(db, case_id, "seizure_disposal")
    assert disposal.values["basis"] == "《中华人民共和国行政强制法》第二十八条"
    assert "电动葫芦1台" in disposal.values["items"]
    assert seizure_deadline(db, case_id).state == "met"


def test_the_appraisal_is_drafted_from_the_seized_items(
    seized: tuple[Database, str, Actor, Actor],
    inspector: Actor,
) -> None:
    """A 鉴定委托书 new from the 文书 tab lists what the 清单 holds."""
    db, case_id, zhang, _ = seized
    draft_id = create_draft(db, zhang, type_key="appraisal_commission", case_id=case_id)
    rows = document_view(db, inspector, draft_id).values["items"]
    assert [row["name"] for row in rows] == ["电动葫芦", "电动葫芦控制手柄", "起重钢丝绳"]
    assert rows[2]["quantity"] == "30米"


def test_power_cut_needs_the_delegated_power(
    seized: tuple[Database, str, Actor, Actor], sign_in: SignIn
) -> None:
    """Off: 停止供电 refused citing 安全生产法第七十条; on: decision served, notice issued."""
    db, case_id, _, liu = seized
    admin = sign_in("zhaolei")
    save_settings(db, admin, {"power_cut_delegated": 0})
    with pytest.raises(ProcedureRefused, match="第七十条"):
        take(db, liu, case_id, "cut_power", TODAY, note="拒不执行", served_method="直接送达")
    save_settings(db, admin, {"power_cut_delegated": 1})
    take(db, liu, case_id, "cut_power", TODAY, note="拒不执行", served_method="直接送达")
    assert issued(db, case_id, "power_cut_decision").status == "served"
    assert issued(db, case_id, "power_cut_notice").status == "issued"


def test_an_onsite_seizure_comes_first_in_the_case_opened_from_that_inspection(
    demo_database: Database, sign_in: SignIn
) -> None:
    """The inspection a case awaiting 立案 was opened from took 查封、扣押 on site: 立案 is refused
    until the approval and the 决定书 with its 清单 are recorded; then it passes, and the late
    approval (after 24 hours, 行政强制法第十九条) stays on the case page."""
    db, zhang, liu = demo_database, sign_in("zhangwei"), sign_in("liuyang")
    with user_action(db, liu, "现场查封、扣押") as scope:  # the inspection as finished on site
        case = scope.session.scalars(select(Case).where(Case.stage == "filing_approval")).one()
        link = select(CaseLink.target_id).where(
            CaseLink.case_id == case.id, CaseLink.kind == "inspection"
        )
        inspection = scope.session.scalars(select(Inspection).where(Inspection.id.in_(link))).one()
        inspection.onsite_measures = [*inspection.onsite_measures, "seal_or_seize"]
        case_id, handlers = case.id, {row.user_id for row in case.handler_rows}
    with pytest.raises(ProcedureRefused, match="第十九条"):
        take(db, liu, case_id, "approve_filing", TODAY, note="同意立案。")
    handler = zhang if zhang.user_id in handlers else sign_in("lina")
    take(db, liu, case_id, "approve_seizure", TODAY, note="现场已查封。")
    take(
        db, handler, case_id, "decide_seizure", TODAY, served_method="直接送达", recipient="当事人"
    )
    take(db, liu, case_id, "approve_filing", TODAY, note="同意立案。")
    codes = [defect.code for defect in case_view(db, liu, case_id, TODAY).defects]
    assert codes == ["onsite_seizure_approved_late"]


def test_an_approval_form_drafted_ahead_asks_for_its_own_step(
    seized: tuple[Database, str, Actor, Actor],
    inspector: Actor,
) -> None:
    """A 行政强制审批表 drafted from the 文书 tab after the seizure was approved does not repeat
    that request; the extension step issues it asking for the extension to day 60."""
    db, case_id, zhang, liu = seized
    draft_id = create_draft(db, zhang, type_key="coercion_approval", case_id=case_id)
    assert document_view(db, inspector, draft_id).values["request"] == ""
    take(
        db, liu, case_id, "extend_seizure", EXTENDED, note="检验尚未完成", served_method="直接送达"
    )
    request = document_view(db, inspector, draft_id).values["request"]
    assert f"延长至{written(SEIZED + dt.timedelta(days=60))}" in request
    assert "理由：检验尚未完成。" in request
