"""The main window: pages by role, the demo banner, the status bar, cross-page actions."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from fuanjian_desktop.domain.procedure import Stage
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.models import Case
from fuanjian_desktop.services.cases import case_actions
from fuanjian_desktop.services.cases.case_actions import StepInput
from fuanjian_desktop.services.inspections.inspections import local_today
from tests.ui.case_support import case_team, make_case
from ui.main_window import MainWindow


def make_window(qtbot, make_context, actor, wait_idle) -> MainWindow:
    window = MainWindow(make_context(actor))
    qtbot.addWidget(window)
    window.show()
    wait_idle()
    return window


def nav_titles(window: MainWindow) -> list[str]:
    return [
        window.navigation.item(row).text().split()[0] for row in range(window.navigation.count())
    ]


def click_row(qtbot, window: MainWindow, row: int) -> None:
    navigation = window.navigation
    position = navigation.visualItemRect(navigation.item(row)).center()
    qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton, pos=position)


def test_inspector_sees_only_pages_they_may_use(qtbot, make_context, inspector, wait_idle):
    """An inspector gets field work, cases and the registry, not the audit log or users."""
    window = make_window(qtbot, make_context, inspector, wait_idle)
    assert nav_titles(window) == [
        "工作台",
        "现场检查",
        "隐患台账",
        "案件管理",
        "案卷",
        "企业台账",
        "同步",
    ]
    assert window.stack.currentWidget() is window.pages["workbench"]
    with pytest.raises(KeyError):
        window.show_page("users")


def test_admin_sees_audit_and_users(qtbot, make_context, sign_in, wait_idle):
    """The administrator also gets 操作日志 and 用户管理, reachable by name."""
    window = make_window(qtbot, make_context, sign_in("zhaolei"), wait_idle)
    assert nav_titles(window) == [
        "工作台",
        "现场检查",
        "隐患台账",
        "案件管理",
        "企业台账",
        "操作日志",
        "用户管理",
        "同步",
    ]
    window.show_page("audit")
    wait_idle()
    assert window.stack.currentWidget() is window.pages["audit"]
    assert window.pages["audit"].model.rowCount() > 0


def test_a_tenth_page_is_reached_with_ctrl_0(qtbot, make_context, sign_in, wait_idle):
    """A leader who is also the administrator has ten pages: Ctrl+1 … Ctrl+9, then Ctrl+0."""
    leader = sign_in("liuyang")
    both = replace(leader, roles=leader.roles | {Role.ADMIN.value})
    window = make_window(qtbot, make_context, both, wait_idle)
    rows = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    assert [row.split()[-1] for row in rows] == [*(f"Ctrl+{n}" for n in range(1, 10)), "Ctrl+0"]
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    wait_idle()
    assert window.stack.currentWidget() is window.pages["sync"]


def test_status_bar_and_demo_banner(qtbot, make_context, inspector, wait_idle):
    """User, squad and sync state are in the status bar; demo data carries the banner."""
    window = make_window(qtbot, make_context, inspector, wait_idle)
    assert "张伟" in window.user_label.text() and "执法人员" in window.user_label.text()
    assert "园岭测试中队" in window.squad_label.text()
    assert window.sync_bar.line.full_text() == "同步：未接入区局"
    assert "演示数据" in window.banner.text() and window.banner.isVisible()


def test_workbench_resumes_an_unfinished_inspection(
    qtbot, make_context, inspector, wait_idle, start_inspection
):
    """继续检查 on the 工作台 switches to 现场检查 with that inspection open."""
    inspection_id = start_inspection()
    window = make_window(qtbot, make_context, inspector, wait_idle)
    window.pages["workbench"].open_inspection.emit(inspection_id)
    wait_idle()
    assert window.stack.currentWidget() is window.pages["inspection"]
    assert window.pages["inspection"].checklist.inspection_id == inspection_id


def test_inspect_this_venue_from_the_registry(qtbot, make_context, inspector, wait_idle):
    """检查此场所 opens 新建检查 on the 现场检查 page with that venue already chosen."""
    window = make_window(qtbot, make_context, inspector, wait_idle)
    window.show_page("registry")
    wait_idle()
    registry_page = window.pages["registry"]
    venue_id = registry_page.selected_id()
    assert venue_id and registry_page.inspect_button.isEnabled()
    registry_page.inspect_button.click()
    wait_idle()
    dialog = window.pages["inspection"].dialog
    assert window.stack.currentWidget() is window.pages["inspection"]
    assert dialog is not None and dialog.isVisible()
    assert dialog.venue.selected_id() == venue_id
    dialog.reject()


@pytest.mark.parametrize("username", ["liuyang", "chenjing"])
def test_approvers_and_reviewers_get_the_inbox(qtbot, make_context, sign_in, wait_idle, username):
    """待我审批 follows 案件管理 for the leader and the reviewer; the case page has no row."""
    window = make_window(qtbot, make_context, sign_in(username), wait_idle)
    titles = nav_titles(window)
    assert titles.index("待我审批") == titles.index("案件管理") + 1
    assert "案件" not in titles
    window.show_page("case")
    assert window.stack.currentWidget() is window.pages["case"]


def test_a_case_opened_from_a_list_shows_on_the_case_page(
    qtbot, make_context, demo_database, sign_in, wait_idle
):
    """打开案件 shows the case page under the list's row; clicking that row leads back."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, opened_on=local_today())
    window = make_window(qtbot, make_context, team.handler, wait_idle)
    window.show_page("cases")
    wait_idle()
    window.pages["cases"].open_case.emit(case_id)
    wait_idle()
    assert window.stack.currentWidget() is window.pages["case"]
    assert window.pages["case"].case_id == case_id
    cases_row = nav_titles(window).index("案件管理")
    assert window.navigation.currentRow() == cases_row

    click_row(qtbot, window, cases_row)
    assert window.stack.currentWidget() is window.pages["cases"]
    window.pages["workbench"].open_case.emit(case_id)
    assert window.stack.currentWidget() is window.pages["case"]
    window.navigation.setFocus()  # focus on the list must not move to another page
    assert window.stack.currentWidget() is window.pages["case"]


def test_a_step_on_the_case_page_refreshes_the_lists(
    qtbot, make_context, demo_database, sign_in, wait_idle
):
    """After 批准立案 on the case page the leader's inbox and case list are up to date."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, opened_on=local_today())
    window = make_window(qtbot, make_context, team.leader, wait_idle)
    for key in ("cases", "approvals"):
        window.show_page(key)
        wait_idle()
    approvals, cases = window.pages["approvals"], window.pages["cases"]
    assert approvals.model.row_of(case_id) >= 0
    approvals.open_case.emit(case_id)
    wait_idle()
    step = StepInput(on=local_today())
    case_actions.perform(demo_database, team.leader, case_id, "approve_filing", step)
    window.pages["case"].changed.emit()
    wait_idle()
    assert approvals.model.row_of(case_id) == -1
    row = cases.model.row_of(case_id)
    assert cases.model.row_at(row).stage == Stage.INVESTIGATION.label


def test_new_case_on_the_case_list_opens_the_filing_form(qtbot, make_context, inspector, wait_idle):
    """新建案件 switches to the case page with its 立案 form open."""
    window = make_window(qtbot, make_context, inspector, wait_idle)
    window.show_page("cases")
    wait_idle()
    window.pages["cases"].new_button.click()
    wait_idle()
    case_page = window.pages["case"]
    assert window.stack.currentWidget() is case_page
    assert case_page.dialog is not None and case_page.dialog.isVisible()
    case_page.dialog.reject()


@pytest.mark.parametrize(
    ("keys", "page", "widget"),
    [
        (Qt.Key.Key_4, "cases", "table"),  # 案件管理: its case list
        (Qt.Key.Key_3, "hazards", "table"),  # 隐患台账: its hazard list
    ],
)
def test_a_page_chosen_with_its_keys_takes_the_keyboard_into_its_list(
    qtbot, make_context, inspector, wait_idle, keys, page, widget
):
    """Ctrl+n: the next arrow or Enter acts on the page's list, not on the navigation."""
    window = make_window(qtbot, make_context, inspector, wait_idle)
    window.activateWindow()
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, keys, Qt.KeyboardModifier.ControlModifier)
    assert window.focusWidget() is getattr(window.pages[page], widget)


def test_the_case_pages_dossier_button_opens_the_closed_cases_volume(
    qtbot, make_context, demo_database, sign_in, wait_idle
):
    """案卷… on a closed case's page shows its volume on the 案卷 page; an open case has none."""
    with demo_database.read() as session:
        closed = session.scalar(select(Case.id).where(Case.stage == Stage.CLOSED.value))
        open_case = session.scalar(select(Case.id).where(Case.stage == Stage.INVESTIGATION.value))
    window = make_window(qtbot, make_context, sign_in("wangfang"), wait_idle)
    case_page = window._on_case_page()
    case_page.show_case(open_case)
    wait_idle()
    assert not case_page.dossier_button.isEnabled()
    case_page.show_case(closed)
    wait_idle()
    assert case_page.dossier_button.isEnabled()
    qtbot.mouseClick(case_page.dossier_button, Qt.MouseButton.LeftButton)
    wait_idle()
    dossiers = window.pages["dossiers"]
    assert window.stack.currentWidget() is dossiers
    assert dossiers.view.case_id == closed


def test_the_leaders_archive_step_opens_the_volume(
    qtbot, make_context, demo_database, sign_in, wait_idle
):
    """批准归档 on a closed case's page is the leader's to take, on the 案卷 page it opens."""
    with demo_database.read() as session:
        closed = session.scalar(select(Case.id).where(Case.stage == Stage.CLOSED.value))
    window = make_window(qtbot, make_context, sign_in("liuyang"), wait_idle)
    case_page = window._on_case_page()
    case_page.show_case(closed)
    wait_idle()
    archive = case_page.step_buttons["archive"]
    assert archive.isEnabled() and "案卷" in archive.toolTip()
    qtbot.mouseClick(archive, Qt.MouseButton.LeftButton)
    wait_idle()
    assert window.stack.currentWidget() is window.pages["dossiers"]
    assert window.pages["dossiers"].view.case_id == closed
    assert case_page.dialog is None  # no step dialog: the step is taken with the volume in view
