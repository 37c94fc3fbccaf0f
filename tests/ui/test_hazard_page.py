"""The 隐患台账 page: filters, red overdue lines, and the actions on the selected hazard."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox

from fuanjian_desktop.domain.inspection_rules import HazardStatus
from fuanjian_desktop.services.inspections import hazards
from fuanjian_desktop.services.inspections.hazards import HazardFilter
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.registry import registry
from tests.cases import ensure_number_block
from tests.ui.conftest import type_text
from tests.ui.hazard_support import make_hazards, set_dates
from tests.ui.test_start_inspection_dialog import check_inspector
from ui.dialogs.hazard_dialog import HazardDialog
from ui.dialogs.open_case_dialog import OpenCaseDialog
from ui.models.hazard_table import OVERDUE_BACKGROUND
from ui.pages.hazard_page import HazardPage
from ui.widgets.squad_box import ALL_SQUADS

FAKE_TODAY = dt.date(2030, 1, 10)


def open_page(qtbot, make_context, actor, wait, today=local_today):
    page = HazardPage(make_context(actor), today=today)
    qtbot.addWidget(page)
    page.show()
    wait()
    return page


def shown_ids(page: HazardPage) -> set[str]:
    return {page.model.hazard(row).id for row in range(page.model.rowCount())}


def choose_status(page: HazardPage, choice: HazardFilter, wait) -> None:
    page.status.setCurrentIndex(page.status.findData(choice.value))
    wait()


def venue_name(database, enterprise_id: str) -> str:
    return registry.enterprise_rows(database, [enterprise_id])[0].name


def test_filters_by_status_venue_and_due_date_and_highlights_overdue(
    qtbot, make_context, inspector, demo_database, start_inspection, wait_idle
):
    """Only overdue, only pending, only one venue, only a due-date range; overdue is red."""
    first, second = registry.search_enterprise_ids(demo_database, "")[:2]
    _, (late, soon) = make_hazards(demo_database, inspector, start_inspection, 2, first)
    _, (elsewhere,) = make_hazards(demo_database, inspector, start_inspection, 1, second)
    set_dates(demo_database, late, FAKE_TODAY - dt.timedelta(days=5))
    set_dates(demo_database, soon, FAKE_TODAY + dt.timedelta(days=3))
    set_dates(demo_database, elsewhere, FAKE_TODAY + dt.timedelta(days=3))
    page = open_page(qtbot, make_context, inspector, wait_idle, today=lambda: FAKE_TODAY)
    assert {late, soon, elsewhere} <= shown_ids(page)
    assert "其中逾期" in page.count_label.text()

    late_row = page.model.row_of(late)
    background = page.model.index(late_row, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert background == OVERDUE_BACKGROUND
    assert page.model.index(late_row, 5).data() == "逾期 5 天"
    soon_row = page.model.row_of(soon)
    assert page.model.index(soon_row, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert page.model.index(soon_row, 5).data() == "剩 3 天"

    choose_status(page, HazardFilter.OVERDUE, wait_idle)
    assert late in shown_ids(page) and soon not in shown_ids(page)
    choose_status(page, HazardFilter.PENDING, wait_idle)
    assert soon in shown_ids(page) and late not in shown_ids(page)

    type_text(qtbot, page.venue, venue_name(demo_database, second))
    qtbot.waitUntil(lambda: soon not in shown_ids(page) and elsewhere in shown_ids(page))

    page.venue.clear()
    page.due_from.set_value(FAKE_TODAY)
    page.due_to.set_value(FAKE_TODAY + dt.timedelta(days=3))
    wait_idle()
    assert page.due_from.date.date() == QDate(FAKE_TODAY)
    assert {soon, elsewhere} <= shown_ids(page)
    assert all(
        FAKE_TODAY <= page.model.hazard(row).due_date <= FAKE_TODAY + dt.timedelta(days=3)
        for row in range(page.model.rowCount())
    )


def test_transfer_selected_overdue_hazard_after_confirming(
    qtbot, make_context, inspector, demo_database, start_inspection, wait_idle, monkeypatch
):
    """移交立案 is offered for an overdue line only, and asks before acting."""
    _, (late, soon) = make_hazards(demo_database, inspector, start_inspection, 2)
    set_dates(demo_database, late, local_today() - dt.timedelta(days=2))
    set_dates(demo_database, soon, local_today() + dt.timedelta(days=2))
    page = open_page(qtbot, make_context, inspector, wait_idle)
    page.table.selectRow(page.model.row_of(soon))
    assert page.recheck_button.isEnabled() and not page.transfer_button.isEnabled()
    page.table.selectRow(page.model.row_of(late))
    assert page.transfer_button.isEnabled()

    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *args: next(answers))
    qtbot.mouseClick(page.transfer_button, Qt.MouseButton.LeftButton)
    assert hazards.load_hazard(demo_database, inspector, late).status is HazardStatus.PENDING
    qtbot.mouseClick(page.transfer_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert hazards.load_hazard(demo_database, inspector, late).status is HazardStatus.TRANSFERRED
    assert late not in shown_ids(page)


def test_double_click_opens_the_hazard_dialog(
    qtbot, make_context, inspector, demo_database, start_inspection, wait_idle
):
    """Double-clicking a line opens that hazard with its editor and actions."""
    _, (hazard_id,) = make_hazards(demo_database, inspector, start_inspection, 1)
    page = open_page(qtbot, make_context, inspector, wait_idle)
    index = page.model.index(page.model.row_of(hazard_id), 1)
    page.table.scrollTo(index)
    position = page.table.visualRect(index).center()
    # a real double-click starts with a press; QTest's DClick alone leaves the view no index
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=position)
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=position)
    assert len(page.findChildren(HazardDialog)) == 1
    dialog = page.dialog
    assert isinstance(dialog, HazardDialog) and dialog.isVisible()
    assert dialog.hazard.id == hazard_id and dialog.recheck_button.isEnabled()
    assert dialog.form.description.isEnabled()


def test_squad_choice_depends_on_where_the_user_works(qtbot, make_context, sign_in, wait_idle):
    """A squad inspector sees only their squad; a bureau reviewer may choose any squad."""
    squad_page = open_page(qtbot, make_context, sign_in("zhangwei"), wait_idle)
    assert squad_page.squad.count() == 1 and not squad_page.squad.isEnabled()
    bureau_page = open_page(qtbot, make_context, sign_in("xulin"), wait_idle)
    assert bureau_page.squad.currentText() == ALL_SQUADS
    assert bureau_page.squad.count() > 2 and bureau_page.query().squad_id is None


def test_open_case_from_an_unrectified_hazard(
    qtbot, make_context, sign_in, inspector, demo_database, start_inspection, wait_idle
):
    """立案… is offered to officers for an overdue line only; the case opened is announced."""
    ensure_number_block(demo_database, inspector, local_today().year)
    _, (late, soon) = make_hazards(demo_database, inspector, start_inspection, 2)
    set_dates(demo_database, late, local_today() - dt.timedelta(days=2))
    set_dates(demo_database, soon, local_today() + dt.timedelta(days=2))
    reviewer_page = open_page(qtbot, make_context, sign_in("chenjing"), wait_idle)
    reviewer_page.table.selectRow(reviewer_page.model.row_of(late))
    assert not reviewer_page.case_button.isEnabled()  # 法制审核员 do not handle cases
    page = open_page(qtbot, make_context, inspector, wait_idle)
    page.table.selectRow(page.model.row_of(soon))
    assert not page.case_button.isEnabled()
    page.table.selectRow(page.model.row_of(late))
    assert page.case_button.isEnabled()

    qtbot.mouseClick(page.case_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert isinstance(dialog, OpenCaseDialog)
    wait_idle()
    assert dialog.evidence.isVisible() and "隐患：" in dialog.evidence.text()
    check_inspector(qtbot, dialog.handlers, "李娜")
    with qtbot.waitSignal(page.case_opened) as opened:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert opened.args == [dialog.case_id]
    assert hazards.load_hazard(demo_database, inspector, late).status is HazardStatus.TRANSFERRED
    assert late not in shown_ids(page)
