"""The one step dialog: widgets from the step's fields, the guard's refusal shown in place."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from fuanjian_desktop.domain.deadlines import is_working_day
from fuanjian_desktop.domain.procedure import SERVED_METHODS
from fuanjian_desktop.models import Case, CaseDocument
from fuanjian_desktop.services.cases.case_actions import REMEDY_RESULTS
from fuanjian_desktop.services.cases.case_queries import ActionChoice, case_view
from tests.ui.case_support import OPENED_ON, TO_NOTICE, case_team, make_case
from tests.ui.conftest import type_text
from ui.dialogs.case_step_dialog import CaseStepDialog

IN_STATEMENT = (*TO_NOTICE, "serve_notice")  # notice served on day 4; the window ends 01-11
LATER = OPENED_ON + dt.timedelta(days=30)


def open_dialog(qtbot, make_context, actor, case_id, code, today):
    """The dialog for ``code`` as the case page would open it for ``actor`` on ``today``."""
    context = make_context(actor)
    view = case_view(context.database, actor, case_id, today)
    choice = next(choice for choice in view.actions if choice.code == code)
    dialog = CaseStepDialog(context, case_id, choice, today)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_serving_asks_for_the_method_and_the_recipient(qtbot, make_context, sign_in, demo_database):
    """送达行政处罚告知书: a date up to today, the five 送达方式, a 签收人 box."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_NOTICE)
    today = OPENED_ON + dt.timedelta(days=4)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, "serve_notice", today)
    assert dialog.windowTitle() == "送达行政处罚告知书"
    assert list(dialog.fields) == ["served_method", "recipient"]
    methods = dialog.fields["served_method"]
    assert [methods.itemText(i) for i in range(methods.count())] == list(SERVED_METHODS)
    assert dialog.date.date() == QDate(today) and dialog.date.maximumDate() == QDate(today)
    assert dialog.ok_button.text() == "送达行政处罚告知书"


def test_the_guards_refusal_is_shown_and_nothing_typed_is_lost(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """Dated inside the 陈述申辩期, 提请作出处罚决定 is refused in place; dated later it goes."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, IN_STATEMENT)
    dialog = open_dialog(qtbot, make_context, team.handler, case_id, "submit_decision", LATER)
    type_text(qtbot, dialog.fields["note"], "拟罚款")
    dialog.date.setDate(QDate(OPENED_ON + dt.timedelta(days=5)))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert "不能“提请作出处罚决定”" in dialog.message.text()
    assert "【程序】陈述申辩期至2030年01月11日届满" in dialog.message.text()
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    assert dialog.fields["note"].toPlainText() == "拟罚款"

    dialog.date.setDate(QDate(LATER))
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    view = case_view(demo_database, team.handler, case_id, LATER)
    assert view.stage.label == "决定审批"
    assert view.timeline[-1][1:] == ("提请作出处罚决定", "张伟", "陈述申辩 → 决定审批", "拟罚款")


def test_the_remedy_route_decides_the_results_offered(qtbot, make_context, inspector):
    """行政诉讼 offers 胜诉/败诉 where 行政复议 offered 维持/撤销; the input carries both."""
    choice = ActionChoice(
        "record_remedy", "登记复议或诉讼", ("remedy_kind", "remedy_result"), False, None
    )
    dialog = CaseStepDialog(make_context(inspector), "no-case", choice, LATER)
    qtbot.addWidget(dialog)
    dialog.show()
    kind, result = dialog.fields["remedy_kind"], dialog.fields["remedy_result"]
    assert kind.currentText() == "行政复议"
    assert [result.itemText(i) for i in range(result.count())] == list(
        REMEDY_RESULTS["reconsideration"]
    )
    qtbot.keyClick(kind, Qt.Key.Key_Down)
    assert kind.currentText() == "行政诉讼"
    assert [result.itemText(i) for i in range(result.count())] == list(REMEDY_RESULTS["litigation"])
    qtbot.keyClick(result, Qt.Key.Key_Down)
    step = dialog.step_input()
    assert (step.remedy_kind, step.remedy_result, step.on) == ("litigation", "胜诉", LATER)


def test_a_payment_is_typed_in_yuan(qtbot, make_context, inspector):
    """登记缴纳罚款 has a 金额 box in 元; the typed amount reaches the step input."""
    choice = ActionChoice("record_payment", "登记缴纳罚款", ("amount",), False, None)
    dialog = CaseStepDialog(make_context(inspector), "no-case", choice, LATER)
    qtbot.addWidget(dialog)
    dialog.show()
    amount = dialog.fields["amount"]
    assert amount.suffix() == " 元"
    amount.lineEdit().selectAll()
    qtbot.keyClicks(amount, "20000")
    assert dialog.step_input().amount == 20000


def test_the_surcharge_is_shown_derived_never_typed(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """决定加处罚款 has no amount box: the amount the law fixes for the chosen date is shown with
    its days, and follows the date (3 days late: 9% of the fine; on the deadline: none)."""
    case_id, fine, due = _demo_surcharge_case(demo_database)
    leader = sign_in("liuyang")
    choice = ActionChoice("impose_surcharge", "决定加处罚款", ("note",), True, None)
    on = due + dt.timedelta(days=3)
    dialog = CaseStepDialog(make_context(leader), case_id, choice, on)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle()
    assert "amount" not in dialog.fields
    expected = min(fine * 9 // 100, fine)
    assert dialog.derived.text().startswith(f"加处罚款{expected}元：自")
    assert "共3日" in dialog.derived.text()
    dialog.date.setDate(QDate(due))
    wait_idle()
    assert dialog.derived.text().endswith("不能加处罚款。")


def _demo_surcharge_case(database):
    """The open demo case with a 加处罚款决定书: its id, fine and payment deadline (15 days after
    the decision was served, moved off a rest day)."""
    with database.read() as session:
        case = session.scalars(
            select(Case)
            .join(CaseDocument, CaseDocument.case_id == Case.id)
            .where(CaseDocument.type_key == "surcharge_decision", Case.closed_on.is_(None))
        ).one()
        served = session.scalars(
            select(CaseDocument.served_on).where(
                CaseDocument.case_id == case.id, CaseDocument.type_key == "penalty_decision"
            )
        ).one()
    due = served + dt.timedelta(days=15)
    while not is_working_day(due):
        due += dt.timedelta(days=1)
    return case.id, case.total_fine, due
