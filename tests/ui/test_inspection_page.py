"""The 现场检查 page: opens where the inspector left off, lists their own work, switches the
checklist only when told; photos, new inspections, permissions."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from fuanjian_desktop.domain.inspection_rules import Answer, InspectionSource, SitePerson
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import evidence, hazards, inspections
from fuanjian_desktop.services.registry import registry
from tests.conftest import SMALL_TEMPLATE, team_ids
from tests.photos import make_photo
from tests.ui.conftest import MakeContext, active_main_window, type_text
from tests.ui.test_checklist_view import build_view
from tests.ui.test_start_inspection_dialog import check_inspector, choose_venue, click_start
from ui.dialogs.start_inspection_dialog import StartInspectionDialog
from ui.local_time import local_text
from ui.main_window import MainWindow
from ui.pages.inspection_page import InspectionPage


def open_page(
    qtbot: QtBot, make_context: MakeContext, actor: Actor, wait, folder: Path
) -> InspectionPage:
    page = InspectionPage(make_context(actor), folder)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    wait()
    return page


def finish(database, actor: Actor, inspection_id: str) -> None:
    for item in inspections.open_inspection(database, actor, inspection_id).items:
        inspections.answer_item(database, actor, inspection_id, item, Answer.COMPLIANT)
    ended = dt.datetime.now().astimezone()
    finished = inspections.InspectionFinish(ended, "检查完毕，未发现隐患。")
    inspections.finish_inspection(database, actor, inspection_id, finished)


def test_opens_on_the_newest_inspection_in_progress(
    qtbot, make_context, inspector, demo_database, start_inspection, checklist_folder, wait_idle
):
    """A newer but finished inspection is passed over for the newest one still in progress."""
    in_progress = start_inspection()
    finish(demo_database, inspector, start_inspection())
    page = open_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    assert page.selected_id() == in_progress
    assert page.checklist.inspection_id == in_progress
    assert page.stack.currentWidget() is page.checklist
    assert page.model.index(0, 3).data() == "检查中"


def test_status_filter_lists_completed_and_keeps_the_shown_inspection(
    qtbot, make_context, inspector, demo_database, start_inspection, checklist_folder, wait_idle
):
    """已完成 lists finished inspections; the checklist keeps showing the one being worked on."""
    in_progress = start_inspection()
    page = open_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    page.status_filter.setCurrentIndex(1)
    wait_idle()
    statuses = {page.model.index(row, 3).data() for row in range(page.model.rowCount())}
    assert statuses == {"已完成"}
    assert page.checklist.inspection_id == in_progress


def test_importing_two_identical_photos_attaches_one(
    qtbot,
    make_context,
    inspector,
    demo_database,
    start_inspection,
    checklist_folder,
    wait_idle,
    tmp_path,
):
    """The same photo twice in one import is stored once; the duplicate is reported."""
    inspection_id = start_inspection()
    page = open_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    first = make_photo(tmp_path / "IMG_0001.jpg", taken="2026:11:20 09:30:00")
    copy = tmp_path / "IMG_0001 (1).jpg"
    shutil.copy(first, copy)
    strip = page.checklist.photos
    strip.import_files([first, copy])
    wait_idle()
    assert "已添加 1 张照片，1 张此前已添加（未重复保存）" in strip.status.text()
    assert strip.thumbnails.count() == 1
    taken = dt.datetime(2026, 11, 20, 1, 30, tzinfo=dt.UTC)  # 09:30 in 深圳 (UTC+8)
    assert f"拍摄时间：{local_text(taken)}" in strip.thumbnails.item(0).toolTip()
    photos = evidence.photos_of(demo_database, inspector, inspection_id)
    assert [photo.item_id for photo in photos] == [page.checklist.current_item().id]


def test_refused_files_are_listed(
    qtbot, make_context, inspector, start_inspection, checklist_folder, wait_idle, tmp_path
):
    """A file that is not a photo is named with the reason it was refused."""
    start_inspection()
    page = open_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    fake = tmp_path / "现场.jpg"
    fake.write_text("不是照片", encoding="utf-8")
    page.checklist.photos.import_files([fake])
    wait_idle()
    text = page.checklist.photos.status.text()
    assert "1 个文件未能导入" in text and "现场.jpg（文件内容不是 JPG 或 PNG 图片" in text


def test_whole_inspection_photos_attach_to_no_item(
    qtbot,
    make_context,
    inspector,
    demo_database,
    start_inspection,
    checklist_folder,
    wait_idle,
    tmp_path,
):
    """现场照片（整次检查） attaches with item_id "" and shows in its own strip, not the item's."""
    inspection_id = start_inspection()
    page = open_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    strip = page.checklist.inspection_photos
    assert strip.caption.text() == "现场照片（整次检查）：暂无"
    strip.import_files([make_photo(tmp_path / "门头.jpg")])
    wait_idle()
    assert [
        photo.item_id for photo in evidence.photos_of(demo_database, inspector, inspection_id)
    ] == [""]
    assert strip.caption.text() == "现场照片（整次检查）：1 张"
    assert strip.thumbnails.count() == 1
    assert page.checklist.photos.thumbnails.count() == 0


def test_photos_can_be_added_to_a_completed_inspection(
    qtbot, make_context, inspector, demo_database, start_inspection, wait_idle, tmp_path
):
    """Back at the office, photos go to an item and to the whole of a completed inspection;
    its answers stay read-only."""
    inspection_id = start_inspection()
    finish(demo_database, inspector, inspection_id)
    view = build_view(qtbot, make_context, inspector, inspection_id)
    item = view.current_item()
    view.photos.import_files([make_photo(tmp_path / "灭火器.jpg", (200, 30, 30))])
    wait_idle()
    view.inspection_photos.import_files([make_photo(tmp_path / "门头.jpg", (30, 30, 200))])
    wait_idle()
    photos = evidence.photos_of(demo_database, inspector, inspection_id)
    assert sorted(photo.item_id for photo in photos) == sorted(["", item.id])
    assert view.photos.thumbnails.count() == view.inspection_photos.thumbnails.count() == 1
    assert not any(button.isEnabled() for button in view.detail.buttons.values())
    assert view.detail.note.isReadOnly()


def test_reviewer_cannot_add_photos(qtbot, make_context, sign_in, start_inspection):
    """Adding photos needs the 添加现场照片 permission, which a legal reviewer lacks."""
    view = build_view(qtbot, make_context, sign_in("chenjing"), start_inspection())
    strips = (view.photos, view.inspection_photos)
    buttons = [button for strip in strips for button in (strip.add_button, strip.folder_button)]
    assert not any(button.isEnabled() for button in buttons)


def test_ctrl_n_opens_the_start_dialog(qtbot, make_context, inspector, checklist_folder, wait_idle):
    """Ctrl+N is 新建检查 for an inspector."""
    page = open_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    with qtbot.waitActive(page):
        page.activateWindow()
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(page.dialog, StartInspectionDialog))  # an animated click
    assert "(Ctrl+N)" in page.new_button.text()
    wait_idle()
    page.dialog.reject()


def test_started_inspection_is_shown_ready_for_keys(
    qtbot, make_context, inspector, checklist_folder, wait_idle
):
    """After 开始检查 the new inspection is selected, shown, and the item list has the keyboard."""
    page = open_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    page.new_inspection()
    dialog = page.dialog
    wait_idle()
    choose_venue(qtbot, dialog, wait_idle)
    check_inspector(qtbot, dialog.inspectors, "李娜")
    type_text(qtbot, dialog.person["site_person_name"], "王经理")
    with qtbot.waitSignal(dialog.accepted):
        click_start(qtbot, dialog)
    wait_idle()
    assert page.checklist.inspection_id == dialog.inspection_id
    assert page.selected_id() == dialog.inspection_id
    assert page.focusWidget() is page.checklist.tree  # has the keys once the window is active


def test_reviewer_cannot_start_an_inspection(
    qtbot, make_context, sign_in, checklist_folder, wait_idle
):
    """Only inspectors may start one: the button is disabled for a legal reviewer."""
    page = open_page(qtbot, make_context, sign_in("chenjing"), wait_idle, checklist_folder)
    assert not page.new_button.isEnabled()
    page.new_inspection()
    assert page.dialog is None


def test_refresh_shows_a_hazard_edited_elsewhere(
    qtbot, make_context, inspector, demo_database, start_inspection, checklist_folder, wait_idle
):
    """Back from the hazard register, the open item's hazard shows the new wording."""
    inspection_id = start_inspection()
    first = inspections.open_inspection(demo_database, inspector, inspection_id).items[0]
    inspections.answer_item(demo_database, inspector, inspection_id, first, Answer.NON_COMPLIANT)
    page = open_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    qtbot.keyClick(page.checklist.tree, Qt.Key.Key_Up)
    assert page.checklist.current_item() == first
    hazard = inspections.open_inspection(demo_database, inspector, inspection_id).hazards[first.id]
    edit = hazards.HazardEdit("消防通道堆放纸箱", hazard.level, hazard.rectification, 3)
    hazards.update_hazard(demo_database, inspector, hazard.id, edit)
    page.refresh()
    wait_idle()
    assert page.checklist.current_item() == first
    assert page.checklist.hazard_form.description.toPlainText() == "消防通道堆放纸箱"


def start_by(database, actor: Actor, names: set[str], folder: Path) -> str:
    """An inspection of the first demo venue by the inspectors named."""
    venue = registry.search_enterprise_ids(database, "")[0]
    request = inspections.InspectionStart(
        enterprise_id=venue,
        source=InspectionSource.ROUTINE,
        template_id=SMALL_TEMPLATE,
        inspector_ids=team_ids(database, actor, names),
        site_person=SitePerson("李老板"),
    )
    return inspections.start_inspection(database, actor, request, folder)


def listed(page: InspectionPage) -> list[str]:
    return [page.model.inspection_id(row) for row in range(page.model.rowCount())]


def test_only_my_inspections_by_default_and_the_squads_on_request(
    qtbot, make_context, inspector, demo_database, checklist_folder, wait_idle
):
    """王芳 and 刘洋's newer inspection is not listed nor opened for 张伟 until 只看我的 is
    unticked; unticking lists it without putting it in the checklist."""
    mine = start_by(demo_database, inspector, {"张伟", "李娜"}, checklist_folder)
    theirs = start_by(demo_database, inspector, {"王芳", "刘洋"}, checklist_folder)
    page = open_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    assert page.mine_only.isChecked()
    assert mine in listed(page) and theirs not in listed(page)
    assert page.checklist.inspection_id == mine
    page.mine_only.setChecked(False)
    wait_idle()
    assert theirs in listed(page)
    assert page.checklist.inspection_id == mine


def test_moving_in_the_list_does_not_switch_the_checklist_enter_does(
    qtbot, make_context, inspector, demo_database, checklist_folder, wait_idle
):
    """Arrows and a reload leave the checklist on its inspection; Enter on a row opens that
    one with the keyboard on its items."""
    older = start_by(demo_database, inspector, {"张伟", "李娜"}, checklist_folder)
    newer = start_by(demo_database, inspector, {"张伟", "王芳"}, checklist_folder)
    page = open_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    with qtbot.waitActive(page):
        page.activateWindow()
    assert page.checklist.inspection_id == newer
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.table.currentIndex().row() == listed(page).index(older)
    assert page.checklist.inspection_id == newer
    for _ in range(3):  # Tab leaves the list (the app's rule) and switches nothing
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert page.checklist.inspection_id == newer
    page.refresh()
    wait_idle()
    assert page.checklist.inspection_id == newer
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(listed(page).index(older), 0))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert page.checklist.inspection_id == older
    assert QApplication.focusWidget() is page.checklist.tree


def test_answers_reloading_the_list_keep_the_checklist(
    qtbot, make_context, inspector, demo_database, checklist_folder, wait_idle
):
    """An answer reloads the list (hazard count); the inspection answered stays shown even
    with another row made current meanwhile."""
    older = start_by(demo_database, inspector, {"张伟", "李娜"}, checklist_folder)
    newer = start_by(demo_database, inspector, {"张伟", "王芳"}, checklist_folder)
    page = open_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    page.table.setCurrentIndex(page.model.index(listed(page).index(older), 0))
    page.checklist.answer(Answer.COMPLIANT)
    wait_idle()
    assert page.checklist.inspection_id == newer
    assert page.selected_id() == newer


def test_ctrl_2_puts_the_keys_on_the_checklist(
    qtbot, make_context, inspector, demo_database, start_inspection, wait_idle
):
    """Ctrl+2 (现场检查), first and again after another page, gives the current item the
    keyboard: 1 answers at once."""
    inspection_id = start_inspection()
    window = active_main_window(qtbot, make_context(inspector))
    wait_idle()
    for key in (Qt.Key.Key_2, Qt.Key.Key_1, Qt.Key.Key_2):
        qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.ControlModifier)
        wait_idle()
    page = window.pages["inspection"]
    assert page.checklist.inspection_id == inspection_id
    assert QApplication.focusWidget() is page.checklist.tree
    first = page.checklist.current_item()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1)
    answers = inspections.open_inspection(demo_database, inspector, inspection_id).answers
    assert answers[first.id].result is Answer.COMPLIANT


def test_show_inspection_puts_the_keys_on_its_current_item(
    qtbot, make_context, inspector, demo_database, checklist_folder, wait_idle
):
    """继续检查 on the 工作台 ends in show_inspection: its current item has the keyboard."""
    older = start_by(demo_database, inspector, {"张伟", "李娜"}, checklist_folder)
    start_by(demo_database, inspector, {"张伟", "王芳"}, checklist_folder)
    page = open_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    with qtbot.waitActive(page):
        page.activateWindow()
    page.table.setFocus()
    page.show_inspection(older)
    assert page.checklist.inspection_id == older
    assert QApplication.focusWidget() is page.checklist.tree


def test_the_hazard_editor_fits_above_a_taskbar_without_scrolling(
    qtbot, make_context, inspector, demo_database, wait_idle
):
    """On a demo 三小 inspection in the main window 728 px high, 2 shows the hazard with its
    整改期限 and due date in view, no scrolling (issue 14)."""
    window = MainWindow(make_context(inspector))
    qtbot.addWidget(window)
    window.show()
    window.resize(1366, 728)
    with qtbot.waitActive(window):
        window.activateWindow()
    wait_idle()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    wait_idle()
    checklist = window.pages["inspection"].checklist
    assert checklist.inspection_id is not None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2)
    form = checklist.hazard_form
    assert QApplication.focusWidget() is form.description
    for part in (form.description, form.days, form.deadline):
        assert part.visibleRegion().boundingRect().height() == part.height()
