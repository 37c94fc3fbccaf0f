"""立案: a case from a hazard filled in for the user, the core's refusals beside the fields."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt

from fuanjian_desktop.domain.inspection_rules import HazardStatus
from fuanjian_desktop.services.cases import case_queries
from fuanjian_desktop.services.inspections import hazards
from fuanjian_desktop.services.inspections.inspections import local_today
from tests.cases import aq_hazard_id, ensure_number_block
from tests.ui.conftest import type_text
from tests.ui.test_start_inspection_dialog import check_inspector
from ui.dialogs.open_case_dialog import OpenCaseDialog
from ui.pages.case_page import CasePage


def show(qtbot, dialog: OpenCaseDialog, wait_idle) -> OpenCaseDialog:
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle()  # the inspectors, the catalogue, the first venues and any hazard's draft
    return dialog


def listed(widget) -> list[str]:
    return [widget.item(row).text() for row in range(widget.count())]


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_hazard_case_is_filled_in_and_opened(
    qtbot, make_context, inspector, demo_database, wait_idle
):
    """From an overdue hazard: party, 案由, violation, facts and evidence filled; 立案 opens it."""
    today = local_today()
    ensure_number_block(demo_database, inspector, today.year)
    hazard_id = aq_hazard_id(demo_database, inspector.squad_id, today)
    context = make_context(inspector)
    dialog = show(qtbot, OpenCaseDialog.from_hazard(context, hazard_id), wait_idle)
    prefill = dialog._prefill
    assert prefill is not None
    assert dialog.venue_label.text() == f"已选：{prefill.party_label}"
    assert dialog.cause.text() == prefill.draft.cause
    assert dialog.violation_codes() == [prefill.draft.violations[0].code]
    assert dialog.facts.toPlainText().endswith("逾期未整改。")
    assert dialog.evidence.isVisible() and "· 隐患：" in dialog.evidence.text()
    check_inspector(qtbot, dialog.handlers, "李娜")
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.save_button)
    view = case_queries.case_view(demo_database, inspector, dialog.case_id, today)
    assert view.party_name == prefill.party_label and view.stage.label == "立案审批"
    assert view.handlers == "张伟、李娜"
    assert any(line.startswith("隐患：") for line in view.evidence)
    status = hazards.load_hazard(demo_database, inspector, hazard_id).status
    assert status is HazardStatus.TRANSFERRED


def test_a_person_without_id_or_second_handler_is_refused_beside_the_fields(
    qtbot, make_context, inspector, wait_idle
):
    """个人 with a short ID number and only the signed-in handler: three red messages."""
    dialog = show(qtbot, OpenCaseDialog(make_context(inspector)), wait_idle)
    person = dialog.person_choice
    qtbot.mouseClick(person, Qt.MouseButton.LeftButton, pos=QPoint(8, person.height() // 2))
    assert dialog.party_pages.currentIndex() == 1
    qtbot.keyClicks(dialog.person["party_id_no"], "12345")
    type_text(qtbot, dialog.cause, "未按规定进行安全培训")
    click(qtbot, dialog.save_button)
    wait_idle()
    assert dialog.errors.labels["party_name"].text() == "请填写当事人姓名。"
    assert dialog.errors.labels["party_id_no"].isVisible()
    assert "至少两名持有执法证的承办人" in dialog.errors.labels["handlers"].text()
    assert dialog.errors.labels["cause"].isHidden()
    assert "有3处需要修改" in dialog.errors.general.text()
    assert dialog.isVisible() and dialog.case_id is None


def test_violations_are_searched_among_the_laws_in_force(qtbot, make_context, inspector, wait_idle):
    """The repealed 2013 危化品条例 is not offered; a code typed and Enter adds it, once."""
    dialog = show(qtbot, OpenCaseDialog(make_context(inspector)), wait_idle)
    combo = dialog.violation_picker.combo
    offered = [combo.itemData(i) for i in range(combo.count())]
    assert "AQ-97-3" in offered and "WHTL-75" not in offered
    for _ in range(2):
        qtbot.keyClicks(combo.lineEdit(), "AQ-97-3")
        qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    type_text(qtbot, combo.lineEdit(), "如实记录安全生产教育")
    click(qtbot, dialog.violation_picker.add_button)
    assert dialog.violation_codes() == ["AQ-97-3", "AQ-97-4"]
    assert listed(dialog.violations)[0].startswith("AQ-97-3　未按照规定")
    dialog.violations.setCurrentRow(0)
    click(qtbot, dialog.remove_button)
    assert dialog.violation_codes() == ["AQ-97-4"]


def test_a_new_case_from_the_case_page_is_shown_once_opened(
    qtbot, make_context, inspector, demo_database, wait_idle
):
    """立案 on the case page: venue, 案由 and a second handler; the page then shows the case."""
    ensure_number_block(demo_database, inspector, local_today().year)
    page = CasePage(make_context(inspector))
    qtbot.addWidget(page)
    page.show()
    click(qtbot, page.new_button)
    dialog = page.dialog
    assert isinstance(dialog, OpenCaseDialog)
    wait_idle()
    type_text(qtbot, dialog.venue.search, "燃气")
    qtbot.keyClick(dialog.venue.search, Qt.Key.Key_Return)
    wait_idle()
    type_text(qtbot, dialog.cause, "未安装可燃气体报警装置")
    check_inspector(qtbot, dialog.handlers, "李娜")
    with qtbot.waitSignal(page.changed):
        click(qtbot, dialog.save_button)
    wait_idle()
    assert page.case_id == dialog.case_id
    assert page.header.stage.text() == "立案审批"
    assert page.header.facts["案由"].text() == "未安装可燃气体报警装置"
    assert dialog.venue.selected_name() in page.header.facts["当事人"].text()
