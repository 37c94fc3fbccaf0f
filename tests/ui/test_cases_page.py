"""The 案件管理 page: filters with their counts, deadline colours, opening and starting cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from fuanjian_desktop.domain.procedure import Stage
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.models import Case
from fuanjian_desktop.services.cases.case_queries import DUE_SOON, OVERDUE
from tests.conftest import team_ids
from tests.ui.case_support import (
    TO_INVESTIGATION,
    TO_LEGAL_REVIEW,
    case_team,
    make_case,
    set_next_due,
)
from tests.ui.conftest import type_text
from ui.models.case_table import DUE_SOON_BACKGROUND
from ui.models.hazard_table import OVERDUE_BACKGROUND
from ui.pages.cases_page import CasesPage
from ui.widgets.squad_box import ALL_SQUADS

FAKE_TODAY = dt.date(2030, 3, 1)


def open_page(qtbot, make_context, actor, wait) -> CasesPage:
    page = CasesPage(make_context(actor), today=lambda: FAKE_TODAY)
    qtbot.addWidget(page)
    page.show()
    wait()
    return page


def shown_ids(page: CasesPage) -> set[str]:
    return {page.model.id_at(row) for row in range(page.model.rowCount())}


def choose(box: QComboBox, data: object, wait) -> None:
    box.setCurrentIndex(box.findData(data))
    wait()


def item_text(box: QComboBox, data: object) -> str:
    return box.itemText(box.findData(data))


def count_of(box: QComboBox, data: object) -> int:
    """The n of a choice reading e.g. 调查取证（n）."""
    return int(item_text(box, data).split("（")[1].rstrip("）"))


def click_row(qtbot, page: CasesPage, case_id: str, double: bool = False) -> None:
    index = page.model.index(page.model.row_of(case_id), 1)
    position = page.table.visualRect(index).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=position)
    if double:
        qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=position)


def test_stage_and_handler_filters_carry_counts_with_the_other_filters_applied(
    qtbot, make_context, demo_database, sign_in, wait_idle
):
    """Each count beside a stage or handler is what choosing it shows, the other filter applied."""
    team = case_team(sign_in)
    (wangfang,) = team_ids(demo_database, team.handler, {"王芳"})
    filing = make_case(demo_database, team)
    investigating = make_case(demo_database, team, TO_INVESTIGATION)
    reviewed = make_case(demo_database, replace(team, partner_id=wangfang), TO_LEGAL_REVIEW)
    page = open_page(qtbot, make_context, team.handler, wait_idle)
    assert {filing, investigating, reviewed} <= shown_ids(page)
    assert page.count_label.text() == f"共 {page.model.rowCount()} 件"

    choose(page.stage, Stage.INVESTIGATION.value, wait_idle)
    assert investigating in shown_ids(page) and not {filing, reviewed} & shown_ids(page)
    assert count_of(page.stage, Stage.INVESTIGATION.value) == page.model.rowCount()
    wangfang_investigating = count_of(page.handler, wangfang)
    choose(page.handler, wangfang, wait_idle)
    assert page.model.rowCount() == wangfang_investigating
    assert page.handler.currentText() == f"王芳（{wangfang_investigating}）"

    choose(page.stage, Stage.LEGAL_REVIEW.value, wait_idle)
    assert reviewed in shown_ids(page) and investigating not in shown_ids(page)
    assert count_of(page.stage, Stage.LEGAL_REVIEW.value) == page.model.rowCount()
    assert count_of(page.handler, wangfang) == page.model.rowCount()


def test_deadline_filter_counts_and_colours_overdue_and_due_soon_cases(
    qtbot, make_context, demo_database, sign_in, wait_idle
):
    """已逾期（n） lists red lines, 即将到期（n） amber ones; a later deadline is in neither."""
    team = case_team(sign_in)
    late, soon, later = (make_case(demo_database, team, TO_INVESTIGATION) for _ in range(3))
    set_next_due(demo_database, late, FAKE_TODAY - dt.timedelta(days=1))
    set_next_due(demo_database, soon, FAKE_TODAY + dt.timedelta(days=2))
    set_next_due(demo_database, later, FAKE_TODAY + dt.timedelta(days=30))
    page = open_page(qtbot, make_context, team.handler, wait_idle)
    background = Qt.ItemDataRole.BackgroundRole
    assert page.model.index(page.model.row_of(late), 0).data(background) == OVERDUE_BACKGROUND
    assert page.model.index(page.model.row_of(soon), 0).data(background) == DUE_SOON_BACKGROUND
    assert page.model.index(page.model.row_of(later), 0).data(background) is None
    due_column = [column.header for column in page.model.columns].index("下一期限")
    due_text = page.model.index(page.model.row_of(soon), due_column).data()
    assert due_text == f"办案期限 {FAKE_TODAY + dt.timedelta(days=2):%Y-%m-%d}"

    choose(page.due, OVERDUE, wait_idle)
    assert late in shown_ids(page) and not {soon, later} & shown_ids(page)
    assert item_text(page.due, OVERDUE) == f"已逾期（{page.model.rowCount()}）"
    choose(page.due, DUE_SOON, wait_idle)
    assert soon in shown_ids(page) and not {late, later} & shown_ids(page)
    assert item_text(page.due, DUE_SOON) == f"即将到期（{page.model.rowCount()}）"


def test_a_case_opens_on_double_click_or_with_the_button(
    qtbot, make_context, demo_database, sign_in, wait_idle
):
    """Double-click and 打开案件 ask for the case page; 新建案件 asks for the 立案 form."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team)
    page = open_page(qtbot, make_context, team.handler, wait_idle)
    assert not page.open_button.isEnabled()
    with qtbot.waitSignal(page.open_case, timeout=1_000) as signal:
        click_row(qtbot, page, case_id, double=True)
    assert signal.args == [case_id]
    assert page.open_button.isEnabled()
    with qtbot.waitSignal(page.open_case, timeout=1_000) as signal:
        qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert signal.args == [case_id]
    with qtbot.waitSignal(page.new_case, timeout=1_000):
        qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)

    clerk = sign_in("wuxia")  # 内勤: keeps the records but opens no case
    assert not clerk.can(Permission.HANDLE_CASES)
    assert not open_page(qtbot, make_context, clerk, wait_idle).new_button.isEnabled()


def test_a_bureau_viewer_chooses_a_squad_and_its_handlers(
    qtbot, make_context, demo_database, sign_in, wait_idle
):
    """For the 区局查看 role, 全部中队 shows 园岭's case; choosing 南园 hides it and lists 南园's
    inspectors instead. A squad's administrator sees only the squad's own list."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team)
    admin_page = open_page(qtbot, make_context, sign_in("hejun"), wait_idle)
    assert admin_page.squad.count() == 1 and admin_page.squad.currentText() == "南园"
    assert case_id not in shown_ids(admin_page)
    page = open_page(qtbot, make_context, sign_in("xulin"), wait_idle)
    page.squad.setCurrentIndex(page.squad.findText(ALL_SQUADS))
    wait_idle()
    assert case_id in shown_ids(page)
    assert page.handler.findText("张伟", Qt.MatchFlag.MatchStartsWith) > 0

    page.squad.setCurrentIndex(page.squad.findText("南园"))
    wait_idle()
    assert case_id not in shown_ids(page)
    assert page.handler.findText("张伟", Qt.MatchFlag.MatchStartsWith) < 0
    assert page.handler.findText("黄敏", Qt.MatchFlag.MatchStartsWith) > 0


def test_an_inspector_sees_the_cases_they_handle_and_the_squads_on_request(
    qtbot, make_context, demo_database, sign_in, wait_idle
):
    """张伟's list starts on his own cases (承办人：张伟); 王芳's case shows under 全部."""
    team = case_team(sign_in)
    his = make_case(demo_database, team)
    hers = make_case(demo_database, replace(team, handler=sign_in("wangfang")))
    page = open_page(qtbot, make_context, team.handler, wait_idle)
    assert page.handler.currentData() == team.handler.user_id
    assert page.handler.currentText().startswith("张伟（")
    assert his in shown_ids(page) and hers not in shown_ids(page)
    choose(page.handler, None, wait_idle)
    assert {his, hers} <= shown_ids(page)


@pytest.mark.parametrize(
    "member",
    [
        "reviewer",  # 法制审核 陈静, who handles no case
        "leader",  # 刘洋 leads the squad (and may handle cases too)
    ],
)
def test_a_reviewer_or_a_squad_leader_starts_on_the_squads_cases(
    qtbot, make_context, demo_database, sign_in, wait_idle, member
):
    """Those who oversee the squad's cases start on 全部."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team)
    page = open_page(qtbot, make_context, getattr(team, member), wait_idle)
    assert page.handler.currentData() is None
    assert case_id in shown_ids(page)


def test_a_case_is_found_by_words_of_its_number_and_opened_with_enter(
    qtbot, make_context, demo_database, sign_in, wait_idle
):
    """Ctrl+F, part of the 案号, Enter: the list holds that case, on it; Enter opens it."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team)
    page = open_page(qtbot, make_context, team.handler, wait_idle)
    page.activateWindow()
    page.table.setFocus()
    number = case_number(demo_database, case_id)
    year = number[number.index("〔") : number.index("〕") + 1]  # 〔2030〕
    serial = number[number.index("〕") + 1 :]  # e.g. 1号, as a clerk says it
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.focusWidget() is page.search
    type_text(qtbot, page.search, f"{year} {serial}")
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    wait_idle()
    assert shown_ids(page) == {case_id}
    assert page.focusWidget() is page.table and page.table.selected_id() == case_id
    with qtbot.waitSignal(page.open_case) as opened:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert opened.args == [case_id]


def case_number(database, case_id: str) -> str:
    with database.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case.case_no
