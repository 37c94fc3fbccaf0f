"""The execution documents as the services issue them: 加处罚款 derived from the records, the
references of the 催告书 and the 强制执行申请书 read from the issued documents, and a step whose
document would cite a record wrongly refused with nothing written.

Expected values are worked out here from the law and the stored dates (15 days to pay, 3% a day,
at most the fine), not read from the code under test.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo_documents import prepare_step_drafts
from fuanjian_desktop.domain.deadlines import is_working_day
from fuanjian_desktop.domain.documents.document_text import written_date
from fuanjian_desktop.domain.procedure import find_action
from fuanjian_desktop.models import Case, CaseDocument, User
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_actions import ProcedureRefused, StepInput, take_step
from fuanjian_desktop.services.cases.case_money_values import surcharge_preview
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.lookup import fetch
from fuanjian_desktop.services.unit_of_work import user_action

IN_FORCE = ("issued", "served")
NUMBER = re.compile(r"（深福）[^（）《》]*?〔\d{4}〕\d+号")


def payment_deadline(served: dt.date) -> dt.date:
    """15 days after service (行政处罚法第六十七条), moved off a rest day."""
    due = served + dt.timedelta(days=15)
    while not is_working_day(due):
        due += dt.timedelta(days=1)
    return due


def documents_of(database: Database, case_id: str) -> list[CaseDocument]:
    with database.read() as session:
        query = select(CaseDocument).where(CaseDocument.case_id == case_id)
        return list(session.scalars(query.order_by(CaseDocument.created_at)))


def cases_with(database: Database, type_key: str) -> list[Case]:
    """The demo cases holding a document of ``type_key`` in force."""
    with database.read() as session:
        ids = select(CaseDocument.case_id).where(
            CaseDocument.type_key == type_key, CaseDocument.status.in_(IN_FORCE)
        )
        return list(session.scalars(select(Case).where(Case.id.in_(ids))))


def one(documents: list[CaseDocument], type_key: str) -> CaseDocument:
    found = [d for d in documents if d.type_key == type_key and d.status in IN_FORCE]
    assert len(found) == 1, type_key
    return found[0]


def test_every_demo_surcharge_is_the_article_on_its_date(demo_database: Database) -> None:
    """Each issued 加处罚款决定书: days late since 15 days after service × fine × 3%, capped at
    the fine, printed with those days."""
    cases = cases_with(demo_database, "surcharge_decision")
    assert len(cases) == 2  # the two enforcement stories of the demo
    for case in cases:
        documents = documents_of(demo_database, case.id)
        decision, surcharge = (
            one(documents, "penalty_decision"),
            one(documents, "surcharge_decision"),
        )
        assert decision.served_on and surcharge.issued_on and case.paid_amount == 0
        due = payment_deadline(decision.served_on)
        days = (surcharge.issued_on - due).days
        expected = min(case.total_fine * 3 * days // 100, case.total_fine)
        assert days > 0
        assert surcharge.values["surcharge"] == str(expected)
        first = written_date(due + dt.timedelta(days=1))
        assert surcharge.values["surcharge_derivation"].startswith(
            f"自{first}起至{written_date(surcharge.issued_on)}共{days}日，"
            f"按未缴纳的罚款{case.total_fine}元每日3%计"
        )
        assert surcharge.values["payment_due"] == written_date(due)
        assert surcharge.values["decision_no"] == decision.number


def test_the_court_application_cites_only_issued_documents(demo_database: Database) -> None:
    """附有关材料 names the decision, the 催告书s and the 加处罚款决定书 by their 文号 and dates,
    nothing that was not issued; 合计 is 罚款 + 加处罚款 as printed; the 文号 in the body is the
    decision's."""
    (case,) = cases_with(demo_database, "court_enforcement_application")
    documents = documents_of(demo_database, case.id)
    application = one(documents, "court_enforcement_application")
    decision = one(documents, "penalty_decision")
    values = application.values
    issued_before = {
        d.number
        for d in documents
        if d.status in IN_FORCE
        and d.number
        and d.issued_on
        and d.issued_on <= application.issued_on
    }
    cited = {n for line in values["attachments"] for n in NUMBER.findall(line)}
    assert cited <= issued_before
    for type_key in ("penalty_decision", "payment_reminder", "surcharge_decision"):
        assert one(documents, type_key).number in cited
    assert one(documents, "enforcement_reminder").number in cited
    assert values["decision_no"] == decision.number
    assert values["decided_on"] == written_date(decision.issued_on)
    surcharge = one(documents, "surcharge_decision").values["surcharge"]
    assert values["surcharge"] == surcharge
    assert int(values["amount_due"]) == int(values["unpaid"]) + int(surcharge)
    assert values["unpaid"] == str(case.total_fine)


def test_the_step_dialog_preview_is_the_article(
    demo_database: Database, sign_in: Callable[[str], Actor]
) -> None:
    """What the leader sees before 决定加处罚款: the amount for the chosen date and its days."""
    case = next(c for c in cases_with(demo_database, "enforcement_reminder") if c.closed_on is None)
    decision = one(documents_of(demo_database, case.id), "penalty_decision")
    assert decision.served_on is not None
    due = payment_deadline(decision.served_on)
    on = due + dt.timedelta(days=3)
    expected = min(case.total_fine * 9 // 100, case.total_fine)
    assert surcharge_preview(demo_database, sign_in("zhangwei"), case.id, on) == (
        f"加处罚款{expected}元：自{written_date(due + dt.timedelta(days=1))}起至{written_date(on)}"
        f"共3日，按未缴纳的罚款{case.total_fine}元每日3%计{expected}元。"
    )
    assert surcharge_preview(demo_database, sign_in("zhangwei"), case.id, due).endswith(
        "无应加处罚款的日数，不能加处罚款。"
    )


def test_a_reminder_drafted_with_another_decision_number_is_refused(
    demo_database: Database, sign_in: Callable[[str], Actor]
) -> None:
    """A 执行催告书 prepared by hand citing 12号 while the decision is another: the step that would
    issue it is refused, naming the right 文号, and nothing is written."""
    case = next(c for c in cases_with(demo_database, "enforcement_reminder") if c.closed_on is None)
    decision = one(documents_of(demo_database, case.id), "penalty_decision")
    before = len(documents_of(demo_database, case.id))
    handler = sign_in(lead_handler(demo_database, case.id))
    action = find_action("serve_enforcement_reminder")
    today = local_today()
    refusal = pytest.raises(ProcedureRefused)
    with refusal as refused, user_action(demo_database, handler, action.label) as scope:
        row = fetch(scope.session, Case, case.id)
        prepare_step_drafts(scope, row, ("enforcement_reminder",), today)
        draft = scope.session.scalars(
            select(CaseDocument).where(
                CaseDocument.case_id == case.id, CaseDocument.status == "draft"
            )
        ).one()
        draft.values = {**draft.values, "decision_no": "（深福）应急罚〔2026〕12号"}
        take_step(scope, row, action, StepInput(on=today, served_method="直接送达"), today)
    assert [d.code for d in refused.value.defects] == ["reference_mismatch"]
    assert f"应为“{decision.number}”" in str(refused.value)
    assert len(documents_of(demo_database, case.id)) == before


def lead_handler(database: Database, case_id: str) -> str:
    """The username of the case's first handler."""
    with database.read() as session:
        case = fetch(session, Case, case_id)
        user = fetch(session, User, case.handler_rows[0].user_id)
        return user.username
