"""The case page: facts, the procedure guard, one button per next step, and the tabs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from tests.ui.case_support import OPENED_ON, TO_INVESTIGATION, TO_LEGAL_REVIEW, case_team, make_case
from tests.ui.conftest import type_text
from ui.dialogs.case_step_dialog import CaseStepDialog
from ui.dialogs.discretion_dialog import DiscretionDialog
from ui.models.hazard_table import OVERDUE_BACKGROUND
from ui.pages.case_page import NOT_EDITABLE, CasePage
from ui.widgets.case_header import NO_DEFECTS

CASE_LIMIT_PASSED = OPENED_ON + dt.timedelta(days=120)  # the 办案期限 ends 2030-04-03


def open_page(qtbot, make_context, actor, case_id, wait, today=OPENED_ON):
    page = CasePage(make_context(actor), today=lambda: today)
    qtbot.addWidget(page)
    page.resize(1200, 720)
    page.show()
    page.show_case(case_id)
    wait()
    return page


def row_texts(model, row: int) -> list[str]:
    return [model.index(row, column).data() for column in range(model.columnCount())]


def test_a_step_for_someone_else_stays_visible_with_the_reason(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """张伟 sees 批准立案 greyed, its tooltip naming the squad leader; the guard is green."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team)
    page = open_page(qtbot, make_context, team.handler, case_id, wait_idle)
    assert page.header.case_no.text().endswith("号")
    assert page.header.stage.text() == "立案审批"
    assert "张伟、李娜" in page.header.facts["承办人"].text()
    assert NO_DEFECTS in page.guard.body.text()
    button = page.step_buttons["approve_filing"]
    assert button.isVisible() and not button.isEnabled()
    assert button.toolTip() == "“批准立案”须由中队负责人办理。"


def test_leader_approves_filing_and_the_step_joins_the_timeline(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """刘洋 clicks 批准立案 and confirms with a note: the case moves on and the row appears."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team)
    day = OPENED_ON + dt.timedelta(days=1)
    page = open_page(qtbot, make_context, team.leader, case_id, wait_idle, today=day)
    assert page.timeline.rowCount() == 0
    qtbot.mouseClick(page.step_buttons["approve_filing"], Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, CaseStepDialog) and dialog.windowTitle() == "批准立案"
    type_text(qtbot, dialog.fields["note"], "同意立案")
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert page.header.stage.text() == "调查取证"
    assert row_texts(page.timeline, 0) == [
        f"{day:%Y-%m-%d}",
        "批准立案",
        "刘洋",
        "立案审批 → 调查取证",
        "同意立案",
    ]
    assert page.tabs.tabText(0) == "时间线（1）"
    assert "立案审批表" in row_texts(page.documents, 0)


def test_a_passed_case_limit_is_red_in_the_guard_and_the_deadlines(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """Past the 办案期限 the guard lists it under 【程序】, its row is red, 调查终结 is refused."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_INVESTIGATION)
    page = open_page(qtbot, make_context, team.handler, case_id, wait_idle, today=CASE_LIMIT_PASSED)
    guard = page.guard.body.text()
    assert "【程序】" in guard and "已超过办案期限" in guard and NO_DEFECTS not in guard
    limit = page.deadlines.index(0, 0)
    assert limit.data() == "办案期限"
    assert limit.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    assert "起 90 日" in limit.data(Qt.ItemDataRole.ToolTipRole)
    assert row_texts(page.deadlines, 0)[3] == "已逾期"
    end = page.step_buttons["end_investigation"]
    assert not end.isEnabled() and "已超过办案期限" in end.toolTip()
    assert page.step_buttons["approve_extension"].toolTip().startswith("“批准案件延期”须由")


def test_violations_are_revised_only_before_the_investigation_ends(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """认定违法行为 opens the 裁量 form in 调查取证, and is greyed with the reason after it."""
    team = case_team(sign_in)
    investigating = make_case(demo_database, team, TO_INVESTIGATION)
    page = open_page(qtbot, make_context, team.handler, investigating, wait_idle)
    page.tabs.setCurrentIndex(2)
    assert page.violations.rowCount() == 1
    assert row_texts(page.violations, 0)[0] == "未按照规定对从业人员进行安全生产教育和培训"
    qtbot.mouseClick(page.discretion_button, Qt.MouseButton.LeftButton)
    assert isinstance(page.dialog, DiscretionDialog)
    page.dialog.reject()

    reviewed = make_case(demo_database, team, TO_LEGAL_REVIEW)
    page.show_case(reviewed)
    wait_idle()
    assert page.header.stage.text() == "法制审核"
    assert not page.discretion_button.isEnabled()
    assert page.discretion_button.toolTip() == NOT_EDITABLE
