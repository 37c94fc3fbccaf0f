"""The 工作台: unfinished inspections, case deadlines, hazards due within 7 days, overdue ones."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fuanjian_desktop.domain.inspection_rules import Answer
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.services.inspections import inspections
from tests.ui.case_support import TO_INVESTIGATION, case_team, make_case, set_next_due
from tests.ui.conftest import active_main_window
from tests.ui.hazard_support import make_hazards, set_dates
from tests.ui.test_inspection_page import start_by
from ui.dialogs.hazard_dialog import HazardDialog
from ui.models.case_table import DUE_SOON_BACKGROUND
from ui.models.hazard_table import OVERDUE_BACKGROUND
from ui.pages.workbench_page import WorkbenchPage, date_text

FAKE_TODAY = dt.date(2030, 1, 10)  # a Thursday, past every demo hazard's due date


def open_page(qtbot, make_context, actor, wait):
    page = WorkbenchPage(make_context(actor), today=lambda: FAKE_TODAY)
    qtbot.addWidget(page)
    page.show()
    wait()
    return page


def ids(model) -> list[str]:
    return [model.hazard(row).id for row in range(model.rowCount())]


def test_lists_due_soon_and_overdue_hazards_with_counts(
    qtbot, make_context, inspector, demo_database, start_inspection, wait_idle
):
    """A hazard due in 3 days is under 7日内到期, one 2 days late is red under 已逾期."""
    _, (soon, late, later) = make_hazards(demo_database, inspector, start_inspection, 3)
    set_dates(demo_database, soon, FAKE_TODAY + dt.timedelta(days=3))
    set_dates(demo_database, late, FAKE_TODAY - dt.timedelta(days=2))
    set_dates(demo_database, later, FAKE_TODAY + dt.timedelta(days=30))
    page = open_page(qtbot, make_context, inspector, wait_idle)

    assert ids(page.due_soon) == [soon]
    assert late in ids(page.overdue) and later not in ids(page.overdue)
    assert page.soon.title() == "7日内到期待复查（1）"
    assert page.late.title() == f"已逾期（{page.overdue.rowCount()}）"
    row = ids(page.overdue).index(late)
    index = page.overdue.index(row, 0)
    assert index.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    greeting = page.greeting.text()
    assert date_text(FAKE_TODAY) == "2030年1月10日 星期四"
    assert date_text(FAKE_TODAY) in greeting and inspector.full_name in greeting


def test_continue_emits_the_unfinished_inspection(
    qtbot, make_context, inspector, start_inspection, wait_idle
):
    """继续检查 on a selected unfinished inspection asks the window to open it."""
    inspection_id = start_inspection()
    page = open_page(qtbot, make_context, inspector, wait_idle)
    row = page.inspections.row_of(inspection_id)
    assert row >= 0 and page.unfinished.title().startswith("未完成的检查（")
    page.unfinished.table.selectRow(row)
    with qtbot.waitSignal(page.open_inspection, timeout=1_000) as signal:
        qtbot.mouseClick(page.continue_button, Qt.MouseButton.LeftButton)
    assert signal.args == [inspection_id]
    with qtbot.waitSignal(page.new_inspection, timeout=1_000):
        qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)


def test_empty_sections_say_so_and_hazards_open_on_double_click(
    qtbot, make_context, inspector, demo_database, start_inspection, wait_idle, sign_in
):
    """An empty section reads 暂无…; 新建检查 needs an inspector; a hazard opens on double-click."""
    clerk = sign_in("wuxia")  # 南园 clerk: may not inspect
    assert not clerk.can(Permission.INSPECT)
    assert not open_page(qtbot, make_context, clerk, wait_idle).new_button.isEnabled()

    _, (late,) = make_hazards(demo_database, inspector, start_inspection, 1)
    set_dates(demo_database, late, FAKE_TODAY - dt.timedelta(days=1))
    page = open_page(qtbot, make_context, inspector, wait_idle)
    assert page.soon.title() == "7日内到期待复查（0）"
    assert page.soon.empty.isVisible() and page.soon.empty.text() == "暂无7日内到期的隐患。"
    index = page.overdue.index(ids(page.overdue).index(late), 1)
    table = page.late.table
    table.scrollTo(index)
    position = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=position)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=position)
    assert len(page.findChildren(HazardDialog)) == 1
    assert isinstance(page.dialog, HazardDialog) and page.dialog.hazard.id == late


def test_case_deadlines_list_late_and_due_soon_cases_and_open_on_double_click(
    qtbot, make_context, inspector, demo_database, sign_in, wait_idle
):
    """A case 1 day late and one due in 2 days are listed, late first; one due later is not."""
    team = case_team(sign_in)
    late, soon, later = (make_case(demo_database, team, TO_INVESTIGATION) for _ in range(3))
    set_next_due(demo_database, late, FAKE_TODAY - dt.timedelta(days=1))
    set_next_due(demo_database, soon, FAKE_TODAY + dt.timedelta(days=2))
    set_next_due(demo_database, later, FAKE_TODAY + dt.timedelta(days=30))
    page = open_page(qtbot, make_context, inspector, wait_idle)
    model = page.case_deadlines
    shown = [model.id_at(row) for row in range(model.rowCount())]
    assert later not in shown and shown.index(late) < shown.index(soon)
    assert page.cases.title() == f"案件期限提醒（{model.rowCount()}）"
    assert [column.header for column in model.columns] == [
        "案号",
        "当事人",
        "期限",
        "到期日",
        "法律依据",
    ]
    soon_row = model.row_of(soon)
    assert model.index(soon_row, 2).data() == "办案期限"
    assert model.index(soon_row, 4).data() == "《中华人民共和国行政处罚法》第六十条"
    assert model.index(soon_row, 0).data(Qt.ItemDataRole.BackgroundRole) == DUE_SOON_BACKGROUND

    table = page.cases.table
    position = table.visualRect(model.index(soon_row, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=position)
    with qtbot.waitSignal(page.open_case, timeout=1_000) as signal:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=position)
    assert signal.args == [soon]


def test_my_unfinished_inspections_come_first_and_continue_takes_mine(
    qtbot, make_context, inspector, demo_database, checklist_folder, wait_idle
):
    """王芳 and 刘洋's newer inspection is listed after 张伟's own; 继续检查 with nothing
    selected resumes his newest, not theirs."""
    mine = start_by(demo_database, inspector, {"张伟", "李娜"}, checklist_folder)
    start_by(demo_database, inspector, {"王芳", "刘洋"}, checklist_folder)
    page = open_page(qtbot, make_context, inspector, wait_idle)
    shown = [page.inspections.row_at(row) for row in range(page.inspections.rowCount())]
    own = [row for row in shown if "张伟" in row.inspectors]
    assert shown[: len(own)] == own and len(own) < len(shown)
    assert shown[0].id == mine
    with qtbot.waitSignal(page.open_inspection, timeout=1_000) as signal:
        page.continue_selected()
    assert signal.args == [mine]


def test_venue_names_show_their_distinct_ends_and_the_whole_name_in_the_tooltip(
    qtbot, make_context, inspector, start_inspection, wait_idle
):
    """Names cut in the middle (深圳市福田…加工场), never to the same 深圳市福田区园岭…."""
    start_inspection()
    page = open_page(qtbot, make_context, inspector, wait_idle)
    for section in (page.unfinished, page.soon, page.late):
        assert section.table.textElideMode() == Qt.TextElideMode.ElideMiddle
    venue = page.inspections.row_at(0).venue
    assert page.inspections.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == venue


def test_enter_on_an_unfinished_inspection_opens_it_ready_for_answers(
    qtbot, make_context, inspector, demo_database, start_inspection, wait_idle
):
    """In the main window, Enter on the row (继续检查) shows the checklist with its current
    item holding the keyboard: 1 answers it."""
    inspection_id = start_inspection()
    window = active_main_window(qtbot, make_context(inspector))
    wait_idle()
    workbench = window.pages["workbench"]
    table = workbench.unfinished.table
    table.setFocus()
    table.setCurrentIndex(workbench.inspections.index(0, 0))
    assert workbench.inspections.inspection_id(0) == inspection_id  # his own, first
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    wait_idle()
    checklist = window.pages["inspection"].checklist
    assert checklist.inspection_id == inspection_id
    assert QApplication.focusWidget() is checklist.tree
    first = checklist.current_item()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    answers = inspections.open_inspection(demo_database, inspector, inspection_id).answers
    assert answers[first.id].result is Answer.COMPLIANT
