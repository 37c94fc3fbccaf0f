"""开始现场检查: the core's refusals shown beside the fields, and a good start accepted."""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fuanjian_desktop.checklists.loader import load_catalogue
from fuanjian_desktop.services.inspections import inspections
from tests.conftest import SMALL_TEMPLATE
from tests.ui.conftest import type_text
from tests.ui.test_registry_page import GOOD_USCC, fill_required
from ui.dialogs import start_inspection_dialog
from ui.dialogs.enterprise_dialog import EnterpriseDialog
from ui.dialogs.start_inspection_dialog import StartInspectionDialog
from ui.widgets.inspector_list import InspectorList


def open_dialog(qtbot: QtBot, make_context, actor, checklist_folder, wait_idle):
    dialog = StartInspectionDialog(make_context(actor), None, checklist_folder)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle()  # the templates, the inspectors and the first venues
    return dialog


def choose_venue(qtbot: QtBot, dialog: StartInspectionDialog, wait_idle) -> None:
    """Search for a demo venue by name and take the first match with Enter."""
    type_text(qtbot, dialog.venue.search, "燃气")
    qtbot.keyClick(dialog.venue.search, Qt.Key.Key_Return)
    wait_idle()
    assert dialog.venue.selected_id()


def press(qtbot: QtBot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the keyboard is."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def row_of(people: InspectorList, name: str) -> int:
    return next(r for r in range(people.count()) if people.item(r).text().startswith(name))


def ticked(people: InspectorList) -> list[str]:
    """The names ticked, e.g. ["张伟", "李娜"] in list order."""
    items = [people.item(row) for row in range(people.count())]
    return [i.text().split("（")[0] for i in items if i.checkState() == Qt.CheckState.Checked]


def check_inspector(qtbot: QtBot, people: InspectorList, name: str, tick: bool = True) -> None:
    """Select the inspector's row and tick (or untick) it with the space bar if needed; the
    partner of one's last inspection is ticked to start with."""
    row = row_of(people, name)
    people.setCurrentRow(row)
    if (name in ticked(people)) != tick:
        qtbot.keyClick(people, Qt.Key.Key_Space)
    assert (name in ticked(people)) == tick


def click_start(qtbot: QtBot, dialog: StartInspectionDialog) -> None:
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)


def test_one_inspector_is_refused_beside_the_field(
    qtbot, make_context, inspector, checklist_folder, wait_idle
):
    """Only the signed-in inspector ticked: the two-officer rule is explained, nothing starts."""
    dialog = open_dialog(qtbot, make_context, inspector, checklist_folder, wait_idle)
    database = dialog._context.database
    before = len(inspections.inspection_rows(database, inspector, inspector.squad_id))
    choose_venue(qtbot, dialog, wait_idle)
    check_inspector(qtbot, dialog.inspectors, "李娜", tick=False)  # his partner last time
    assert ticked(dialog.inspectors) == ["张伟"]
    type_text(qtbot, dialog.person["site_person_name"], "李老板")
    click_start(qtbot, dialog)
    message = dialog.errors.labels["inspectors"]
    assert "两名以上持证执法人员" in message.text()
    assert message.isVisible()
    assert dialog.isVisible() and dialog.inspection_id is None
    assert len(inspections.inspection_rows(database, inspector, inspector.squad_id)) == before


def test_two_inspectors_start_the_inspection(
    qtbot, make_context, inspector, checklist_folder, wait_idle
):
    """Venue, template with its fact, two inspectors and a name: the inspection is open."""
    dialog = open_dialog(qtbot, make_context, inspector, checklist_folder, wait_idle)
    choose_venue(qtbot, dialog, wait_idle)
    assert dialog.template.currentData() == SMALL_TEMPLATE
    # the test template's title says 12项; without gas, 8 of its items apply (tests/conftest)
    assert dialog.template.currentText() == "8项 · 测试检查表（12项）"
    assert dialog.place.text()  # the venue's address
    gas = dialog.fact_boxes["uses_gas"]
    qtbot.mouseClick(gas, Qt.MouseButton.LeftButton, pos=QPoint(8, gas.height() // 2))
    assert dialog.template.currentText() == "12项 · 测试检查表（12项）"
    check_inspector(qtbot, dialog.inspectors, "李娜")
    name = dialog.person["site_person_name"]
    assert name.text()  # suggested from the venue's registered contact
    name.clear()
    type_text(qtbot, name, "李老板")
    with qtbot.waitSignal(dialog.accepted):
        click_start(qtbot, dialog)
    view = inspections.open_inspection(dialog._context.database, inspector, dialog.inspection_id)
    assert [person.full_name for person in view.inspectors] == ["张伟", "李娜"]
    assert view.facts == {"uses_gas": True}
    assert len(view.items) == 12
    assert view.site_person.name == "李老板"


def test_bad_phone_and_missing_name_are_shown_per_field(
    qtbot, make_context, inspector, checklist_folder, wait_idle
):
    """A five-digit phone and no 现场负责人 name each get their own red message."""
    dialog = open_dialog(qtbot, make_context, inspector, checklist_folder, wait_idle)
    choose_venue(qtbot, dialog, wait_idle)
    check_inspector(qtbot, dialog.inspectors, "李娜")
    dialog.person["site_person_name"].clear()
    dialog.person["site_person_phone"].clear()
    qtbot.keyClicks(dialog.person["site_person_phone"], "12345")
    click_start(qtbot, dialog)
    assert "手机号应为以1开头的11位数字" in dialog.errors.labels["site_person_phone"].text()
    assert "请填写现场负责人姓名" in dialog.errors.labels["site_person_name"].text()
    assert dialog.errors.labels["inspectors"].isHidden()
    assert "有2处需要修改" in dialog.errors.general.text()


def test_no_venue_chosen_is_explained(qtbot, make_context, inspector, checklist_folder, wait_idle):
    """Starting before a venue is chosen asks for one beside the venue search."""
    dialog = open_dialog(qtbot, make_context, inspector, checklist_folder, wait_idle)
    click_start(qtbot, dialog)
    assert "请先搜索并选择被检查单位" in dialog.errors.labels["enterprise"].text()


def test_broken_template_is_reported_and_not_offered(
    qtbot, make_context, inspector, checklist_folder, wait_idle
):
    """A template file that fails validation is named in the warning, not in the combo box."""
    (checklist_folder / "broken.json").write_text("{", encoding="utf-8")
    dialog = open_dialog(qtbot, make_context, inspector, checklist_folder, wait_idle)
    assert "broken.json" in dialog.template_warning.text()
    assert dialog.template_warning.isVisible()
    offered = [dialog.template.itemData(i) for i in range(dialog.template.count())]
    assert offered == [SMALL_TEMPLATE]


def test_new_venue_on_site_is_created_and_chosen(
    qtbot, make_context, inspector, checklist_folder, wait_idle
):
    """现场新建场所 saves the venue to the registry and makes it the one inspected."""
    dialog = open_dialog(qtbot, make_context, inspector, checklist_folder, wait_idle)
    qtbot.mouseClick(dialog.new_venue_button, Qt.MouseButton.LeftButton)
    form = dialog.dialog
    assert isinstance(form, EnterpriseDialog)
    fill_required(qtbot, form, GOOD_USCC)
    with qtbot.waitSignal(form.accepted):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert dialog.venue_label.text() == "已选：深圳市福田区园岭测试五金店"
    assert dialog.place.text() == "深圳市福田区园岭街道红荔路1号"
    assert dialog.template.currentData() == SMALL_TEMPLATE  # suggested for a 小档口


def test_keyboard_only_start_with_last_times_partner(
    qtbot, make_context, inspector, start_inspection, checklist_folder, wait_idle
):
    """Part of the name, Enter, Enter, Enter: the venue is inspected by 张伟 and 李娜, his
    partner last time, on the suggested template, with the registered contact on site."""
    start_inspection()  # 张伟 and 李娜, the latest for both
    dialog = open_dialog(qtbot, make_context, inspector, checklist_folder, wait_idle)
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    assert QApplication.focusWidget() is dialog.venue.search
    type_text(qtbot, QApplication.focusWidget(), "佳美精密")
    press(qtbot, Qt.Key.Key_Return)
    wait_idle()
    assert QApplication.focusWidget() is dialog.venue.results
    assert dialog.venue.selected_name() == "深圳市佳美精密五金有限公司"  # the one match
    chosen = dialog.venue.selected_id()
    press(qtbot, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is dialog.start_button
    assert dialog.start_button.isDefault()
    with qtbot.waitSignal(dialog.accepted):
        press(qtbot, Qt.Key.Key_Return)
    view = inspections.open_inspection(dialog._context.database, inspector, dialog.inspection_id)
    assert view.enterprise_id == chosen
    assert [person.full_name for person in view.inspectors] == ["张伟", "李娜"]
    assert view.template is not None and view.template.id == SMALL_TEMPLATE
    assert view.site_person.name  # the venue's registered contact
    assert dialog.sizeHint().height() <= 728  # fits above a taskbar at 1366×768


def test_with_one_inspector_ticked_the_keyboard_goes_to_the_list(
    qtbot, make_context, inspector, checklist_folder, wait_idle
):
    """With only oneself ticked, confirming the venue puts the keyboard on the first one not
    ticked: Space ticks them and Ctrl+Enter starts."""
    dialog = open_dialog(qtbot, make_context, inspector, checklist_folder, wait_idle)
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    for name in ticked(dialog.inspectors):
        check_inspector(qtbot, dialog.inspectors, name, tick=name == "张伟")
    type_text(qtbot, dialog.venue.search, "燃气")
    press(qtbot, Qt.Key.Key_Return)
    wait_idle()
    press(qtbot, Qt.Key.Key_Return)
    people = dialog.inspectors
    assert QApplication.focusWidget() is people
    assert people.currentRow() == row_of(people, "刘洋")  # the first, by name, not ticked
    press(qtbot, Qt.Key.Key_Space)
    assert ticked(people) == ["刘洋", "张伟"]
    with qtbot.waitSignal(dialog.accepted):
        press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_a_venue_chosen_before_the_people_load_still_lands_on_start(
    qtbot, make_context, inspector, start_inspection, checklist_folder, wait_idle, monkeypatch
):
    """检查此场所 chooses the venue at once; when the inspectors arrive later with last
    time's partner ticked, the keyboard goes on to 开始检查."""

    def slow_catalogue(folder):  # a busy laptop: the templates come after the venue
        time.sleep(0.5)
        return load_catalogue(folder)

    monkeypatch.setattr(start_inspection_dialog, "load_catalogue", slow_catalogue)
    start_inspection()
    dialog = StartInspectionDialog(make_context(inspector), None, checklist_folder)
    qtbot.addWidget(dialog)
    venue = inspections.open_inspection(dialog._context.database, inspector, start_inspection())
    dialog.venue.choose(venue.enterprise_id, venue.enterprise_name)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    wait_idle()
    assert dialog.venue.selected_id() == venue.enterprise_id
    assert QApplication.focusWidget() is dialog.start_button
