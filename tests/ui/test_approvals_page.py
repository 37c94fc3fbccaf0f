"""The 待我审批 page: the leader's and the reviewer's inbox, its empty state, opening a case."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from fuanjian_desktop.services.cases import case_actions
from fuanjian_desktop.services.cases.case_actions import StepInput
from tests.ui.case_support import TO_INVESTIGATION, TO_LEGAL_REVIEW, case_team, make_case
from ui.pages.approvals_page import EMPTY_TEXT, ApprovalsPage

FAKE_TODAY = dt.date(2030, 3, 1)


def open_page(qtbot, make_context, actor, wait) -> ApprovalsPage:
    page = ApprovalsPage(make_context(actor), today=lambda: FAKE_TODAY)
    qtbot.addWidget(page)
    page.show()
    wait()
    return page


def shown_ids(page: ApprovalsPage) -> set[str]:
    return {page.model.id_at(row) for row in range(page.model.rowCount())}


def test_leader_and_reviewer_each_see_what_waits_for_them(
    qtbot, make_context, demo_database, sign_in, wait_idle
):
    """立案审批 waits for the leader, 法制审核 for the reviewer; 调查取证 for neither."""
    team = case_team(sign_in)
    filing = make_case(demo_database, team)
    investigating = make_case(demo_database, team, TO_INVESTIGATION)
    review = make_case(demo_database, team, TO_LEGAL_REVIEW)

    leader_page = open_page(qtbot, make_context, team.leader, wait_idle)
    assert filing in shown_ids(leader_page)
    assert not {investigating, review} & shown_ids(leader_page)
    assert leader_page.heading.text() == f"等待您审批或审核的案件（{leader_page.model.rowCount()}）"
    reviewer_page = open_page(qtbot, make_context, team.reviewer, wait_idle)
    assert review in shown_ids(reviewer_page)
    assert not {filing, investigating} & shown_ids(reviewer_page)


def test_an_approved_case_leaves_the_inbox_on_refresh(
    qtbot, make_context, demo_database, sign_in, wait_idle
):
    """Once 批准立案 is given the case is no longer waiting for the leader."""
    team = case_team(sign_in)
    filing = make_case(demo_database, team)
    page = open_page(qtbot, make_context, team.leader, wait_idle)
    assert filing in shown_ids(page)
    step = StepInput(on=FAKE_TODAY)
    case_actions.perform(demo_database, team.leader, filing, "approve_filing", step, FAKE_TODAY)
    page.refresh()
    wait_idle()
    assert filing not in shown_ids(page)


def test_double_click_opens_the_case(qtbot, make_context, demo_database, sign_in, wait_idle):
    """Double-clicking a waiting case asks the window to open it."""
    team = case_team(sign_in)
    filing = make_case(demo_database, team)
    page = open_page(qtbot, make_context, team.leader, wait_idle)
    index = page.model.index(page.model.row_of(filing), 1)
    position = page.table.visualRect(index).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=position)
    with qtbot.waitSignal(page.open_case, timeout=1_000) as signal:
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=position)
    assert signal.args == [filing]


def test_nothing_waiting_shows_the_empty_line(qtbot, make_context, inspector, wait_idle):
    """A user with nothing to approve sees 暂无待审批的案件。 instead of an empty table."""
    page = open_page(qtbot, make_context, inspector, wait_idle)
    assert page.empty.isVisible() and page.empty.text() == EMPTY_TEXT == "暂无待审批的案件。"
    assert not page.table.isVisible()
    assert page.heading.text() == "等待您审批或审核的案件（0）"
