"""The checklist runner driven from the keyboard, as inspectors on site use it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from fuanjian_desktop.domain.inspection_rules import Answer
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import evidence, inspections
from tests.photos import make_photo
from tests.ui.conftest import MakeContext, type_text
from ui.dialogs.finish_inspection_dialog import FinishInspectionDialog
from ui.documents.inspection_documents_dialog import InspectionDocumentsDialog
from ui.widgets.checklist_view import ChecklistView

KEYS = {
    Answer.COMPLIANT: Qt.Key.Key_1,
    Answer.NON_COMPLIANT: Qt.Key.Key_2,
    Answer.NOT_APPLICABLE: Qt.Key.Key_3,
}
# answers given in walking order: 8 符合, 2 不符合, 2 不涉及 over the 12 items
PATTERN = (Answer.COMPLIANT,) * 3 + (Answer.NON_COMPLIANT, Answer.NOT_APPLICABLE)
USABLE_HEIGHT = 728  # 1366×768 minus a 40 px taskbar (issue 14)


def build_view(
    qtbot: QtBot, make_context: MakeContext, actor: Actor, inspection_id: str
) -> ChecklistView:
    context = make_context(actor)
    view = ChecklistView(
        context, inspections.open_inspection(context.database, actor, inspection_id)
    )
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()
    with qtbot.waitActive(view):  # keyboard focus moves only inside an active window
        view.activateWindow()
    view.focus_items()
    return view


def press(qtbot: QtBot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the keyboard is, as a person would."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def answer_by_keys(qtbot: QtBot, answer: Answer) -> None:
    """The answer's key; a 不符合 then accepts its hazard's suggested description (Enter)."""
    press(qtbot, KEYS[answer])
    if answer is Answer.NON_COMPLIANT:
        press(qtbot, Qt.Key.Key_Return)


def saved(view: ChecklistView) -> inspections.InspectionView:
    context = view._context
    return inspections.open_inspection(context.database, context.actor, view.inspection_id)


def answer_all(database, actor: Actor, inspection_id: str) -> None:
    for item in inspections.open_inspection(database, actor, inspection_id).items:
        inspections.answer_item(database, actor, inspection_id, item, Answer.COMPLIANT)


def test_keys_answer_every_item_and_save_each_at_once(
    qtbot, make_context, inspector, start_inspection
):
    """1/2/3 on the list answer the current item, save it, and move on to the next one."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    items = saved(view).items
    assert len(items) == 12
    for position, item in enumerate(items):
        answer = PATTERN[position % len(PATTERN)]
        assert view.current_item() == item
        answer_by_keys(qtbot, answer)
        stored = saved(view)
        assert stored.answers[item.id].result is answer
        assert (item.id in stored.hazards) is (answer is Answer.NON_COMPLIANT)
    assert view.header.progress_label.text() == "已检查 12 / 12 项，隐患 2 处"
    assert view.model.item(0).child(3, 0).text() == "✗"  # item 4, 不符合
    assert "全部 12 项已检查" in view.status_label.text()
    assert QApplication.focusWidget() is view.tree


def test_changing_an_answer_takes_its_hazard_back(qtbot, make_context, inspector, start_inspection):
    """Back to a 不符合 item, then 1: the answer becomes 符合 and the hazard disappears."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    answer_by_keys(qtbot, Answer.NON_COMPLIANT)
    first = saved(view).items[0]
    assert view.hazard_box.isVisibleTo(view) is False  # the view moved on to item 2
    qtbot.keyClick(view.tree, Qt.Key.Key_Up)
    assert view.current_item() == first
    assert view.hazard_box.isVisibleTo(view)
    assert view.detail.level.text() == "隐患等级：一般事故隐患"
    qtbot.keyClick(view.tree, Qt.Key.Key_1)
    stored = saved(view)
    assert stored.answers[first.id].result is Answer.COMPLIANT
    assert stored.hazards == {}
    assert view.header.progress_label.text() == "已检查 1 / 12 项，隐患 0 处"


def test_enter_types_a_note_and_enter_saves_it(qtbot, make_context, inspector, start_inspection):
    """Enter moves to the note, Enter there saves it with the answer and returns to the list."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    qtbot.keyClick(view.tree, Qt.Key.Key_3)
    qtbot.keyClick(view.tree, Qt.Key.Key_Up)
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    assert view.detail.note.hasFocus()
    type_text(qtbot, view.detail.note, "该店无燃气设施")
    qtbot.keyClick(view.detail.note, Qt.Key.Key_Return)
    first = saved(view).items[0]
    assert saved(view).answers[first.id].note == "该店无燃气设施"
    assert saved(view).answers[first.id].result is Answer.NOT_APPLICABLE
    assert view.tree.hasFocus()
    assert "备注已保存" in view.status_label.text()


def test_note_without_answer_asks_for_one(qtbot, make_context, inspector, start_inspection):
    """A note on an unanswered item is kept in the field and saved with the answer (only: the
    hazard's description, which documents print, is not the inspector's note)."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    type_text(qtbot, view.detail.note, "灭火器过期")
    qtbot.keyClick(view.detail.note, Qt.Key.Key_Return)
    assert "请先选择检查结果" in view.status_label.text()
    assert saved(view).answers == {}
    qtbot.keyClick(view.tree, Qt.Key.Key_2)
    first = saved(view).items[0]
    assert saved(view).answers[first.id].note == "灭火器过期"
    assert "灭火器过期" not in saved(view).hazards[first.id].description  # a note stays private


def test_mouse_answers_too(qtbot, make_context, inspector, start_inspection):
    """Clicking 不涉及(3) answers like the key and leaves the keyboard on the list."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    first = view.current_item()
    qtbot.mouseClick(view.detail.buttons[Answer.NOT_APPLICABLE], Qt.MouseButton.LeftButton)
    assert saved(view).answers[first.id].result is Answer.NOT_APPLICABLE
    assert view.tree.hasFocus()


def test_finish_dialog_ends_the_inspection(qtbot, make_context, inspector, start_inspection):
    """结束检查 completes it with what the inspectors add (the counts and problems are written
    into the record from the answers, not typed here); the view turns read-only."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    for _ in range(12):
        qtbot.keyClick(view.tree, Qt.Key.Key_1)
    qtbot.mouseClick(view.finish_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, FinishInspectionDialog)
    assert dialog.summary.toPlainText() == ""
    expected = "现场负责人陪同检查"
    type_text(qtbot, dialog.summary, expected)
    assert dialog.checked_measures() == ()  # no hazard, no measure ticked in advance
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    assert saved(view).summary == expected
    assert view.read_only
    assert view.current_item() == saved(view).items[-1]  # reloaded where the team stopped
    assert view.header.status_tag.text() == "已完成"
    assert not view.finish_button.isEnabled()


def test_finish_records_the_onsite_measures(qtbot, make_context, inspector, start_inspection):
    """With hazards 责令限期改正 is ticked already; the measures ticked and their note are
    stored, and the completed inspection shows them."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    for position in range(12):
        answer_by_keys(qtbot, PATTERN[position % len(PATTERN)])
    qtbot.mouseClick(view.finish_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert dialog.checked_measures() == ("rectify_within_deadline",)
    dialog.measures["stop_equipment"].click()
    type_text(qtbot, dialog.measures_note, "二楼配电箱")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    stored = saved(view)
    assert stored.onsite_measures == ("rectify_within_deadline", "stop_equipment")
    assert stored.onsite_measures_note == "二楼配电箱"
    shown = view.header.facts["现场处理措施"]
    assert shown.isVisibleTo(view)
    assert shown.text() == "责令限期改正；责令停止使用相关设施、设备　说明：二楼配电箱"


def test_finish_refused_while_items_are_unanswered(
    qtbot, make_context, inspector, start_inspection
):
    """The core's reason (items left) and a missing refusal note are shown in the dialog."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    qtbot.mouseClick(view.finish_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    dialog.refused.setChecked(True)
    qtbot.mouseClick(dialog.finish_button, Qt.MouseButton.LeftButton)
    assert "还有 12 项未检查" in dialog.errors.general.text()
    assert "拒绝签名" in dialog.errors.labels["refusal_note"].text()
    assert dialog.isVisible()
    assert not view.read_only


def test_completed_inspection_is_read_only(qtbot, make_context, inspector, start_inspection):
    """A finished inspection shows 已完成, its end and summary, and ignores the answer keys."""
    inspection_id = start_inspection()
    database = make_context(inspector).database
    answer_all(database, inspector, inspection_id)
    ended = dt.datetime.now().astimezone()
    finish = inspections.InspectionFinish(ended, "检查完毕。", True, "负责人拒绝签名，两人见证")
    inspections.finish_inspection(database, inspector, inspection_id, finish)
    view = build_view(qtbot, make_context, inspector, inspection_id)
    assert view.header.status_tag.text() == "已完成"
    assert "结束" in view.header.facts["检查时间"].text()
    outcome = view.header.facts["检查情况"].text()
    assert "检查完毕。" in outcome and "负责人拒绝签名：负责人拒绝签名，两人见证" in outcome
    assert not any(button.isEnabled() for button in view.detail.buttons.values())
    assert view.photos.add_button.isEnabled()  # photos may still be added afterwards
    assert view.detail.note.isReadOnly()
    qtbot.keyClick(view.tree, Qt.Key.Key_2)
    assert saved(view).hazards == {}


def test_facts_hide_items(qtbot, make_context, inspector, start_inspection):
    """Without gas (uses_gas=False) the four gas items are not listed: 8 items remain."""
    view = build_view(qtbot, make_context, inspector, start_inspection(uses_gas=False))
    shown = sum(view.model.item(row).rowCount() for row in range(view.model.rowCount()))
    assert shown == 8
    assert view.header.progress_label.text() == "已检查 0 / 8 项，隐患 0 处"


def test_non_compliant_stays_with_its_hazard_and_enter_accepts_the_typed_wording(
    qtbot, make_context, inspector, start_inspection
):
    """2 keeps the item, puts the keyboard in its hazard's description, all selected and
    suggesting 未做到：+ the requirement; typing replaces it, Enter saves it and moves on."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    first, second = saved(view).items[:2]
    press(qtbot, Qt.Key.Key_2)
    description = view.hazard_form.description
    assert view.current_item() == first
    assert view.hazard_box.isVisibleTo(view)
    assert QApplication.focusWidget() is description
    assert description.toPlainText() == f"未做到：{first.check}"
    assert description.textCursor().selectedText() == f"未做到：{first.check}"
    type_text(qtbot, description, "二楼消防通道堆放纸箱")
    press(qtbot, Qt.Key.Key_Return)
    assert saved(view).hazards[first.id].description == "二楼消防通道堆放纸箱"
    assert view.current_item() == second
    assert QApplication.focusWidget() is view.tree


def test_end_adds_to_the_suggested_wording(qtbot, make_context, inspector, start_inspection):
    """End keeps the suggested sentence and adds the place after it."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    first = view.current_item()
    press(qtbot, Qt.Key.Key_2)
    press(qtbot, Qt.Key.Key_End)
    type_text(qtbot, QApplication.focusWidget(), "（二楼仓库）")
    press(qtbot, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert saved(view).hazards[first.id].description == f"未做到：{first.check}（二楼仓库）"


def test_escape_returns_to_the_list_keeping_the_wording(
    qtbot, make_context, inspector, start_inspection
):
    """Esc in the description goes back to the item list, on the same item; nothing typed is
    lost."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    first = view.current_item()
    press(qtbot, Qt.Key.Key_2)
    type_text(qtbot, QApplication.focusWidget(), "灭火器压力不足")
    press(qtbot, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is view.tree
    assert view.current_item() == first
    assert saved(view).hazards[first.id].description == "灭火器压力不足"
    assert view.hazard_form.description.toPlainText() == "灭火器压力不足"


def test_an_empty_description_is_refused_and_keeps_the_keyboard(
    qtbot, make_context, inspector, start_inspection
):
    """Enter on an emptied description shows why and stays, instead of moving on."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    first = view.current_item()
    press(qtbot, Qt.Key.Key_2)
    press(qtbot, Qt.Key.Key_Delete)
    press(qtbot, Qt.Key.Key_Return)
    assert view.current_item() == first
    assert QApplication.focusWidget() is view.hazard_form.description
    assert view.hazard_form.error.isVisibleTo(view)
    assert saved(view).hazards[first.id].description == f"未做到：{first.check}"


def test_tab_walks_the_hazard_form_in_order(qtbot, make_context, inspector, start_inspection):
    """From the description Tab reaches 隐患等级, 整改要求 and 整改期限, in that order."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    press(qtbot, Qt.Key.Key_2)
    form = view.hazard_form
    reached = []
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached == [form.level, form.rectification, form.days]
    assert form.days.visibleRegion().boundingRect().height() == form.days.height()  # on screen


def test_ctrl_i_adds_photos_to_the_hazards_item(
    qtbot, make_context, inspector, start_inspection, wait_idle, tmp_path, monkeypatch
):
    """Ctrl+I, from the hazard's description, opens the photo picker for the current item."""
    photo = make_photo(tmp_path / "纸箱.jpg")
    asked = []

    def choose(*_args: object) -> tuple[list[str], str]:
        asked.append(True)
        return [str(photo)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(choose))
    view = build_view(qtbot, make_context, inspector, start_inspection())
    first = view.current_item()
    press(qtbot, Qt.Key.Key_2)
    assert "(Ctrl+I)" in view.photos.add_button.text()
    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(asked))
    wait_idle()
    photos = evidence.photos_of(view._context.database, inspector, view.inspection_id)
    assert [p.item_id for p in photos] == [first.id]


def test_finish_by_keys_focuses_the_summary_and_ends_with_the_list_focused(
    qtbot, make_context, inspector, start_inspection
):
    """Ctrl+E opens 结束检查 on 检查情况 with 结束检查 the default button; once finished the
    list has the keyboard and the status line no longer offers to finish."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    for _ in range(12):
        press(qtbot, Qt.Key.Key_1)
    assert "可以结束检查" in view.status_label.text()
    assert "(Ctrl+E)" in view.finish_button.text()
    view.finish_button.setFocus()  # e.g. clicked: closing the dialog still returns to the list
    press(qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(view.dialog, FinishInspectionDialog))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.dialog.summary)
    press(qtbot, Qt.Key.Key_Escape)  # not yet: back to the list
    assert not view.dialog.isVisible() and view.focusWidget() is view.tree
    view.finish_button.setFocus()
    view.finish()
    dialog = view.dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.summary)
    assert dialog.finish_button.isDefault()
    assert dialog.sizeHint().height() <= USABLE_HEIGHT  # no scrolling, nothing cut off
    with qtbot.waitSignal(dialog.accepted):
        press(qtbot, Qt.Key.Key_Tab)  # leaves 检查情况: the lead's rule, or the form's own
        dialog.finish_button.click()
    assert view.read_only
    assert "可以结束检查" not in view.status_label.text()
    assert "检查已结束" in view.status_label.text()
    # the offscreen platform does not give the window back its activation after a dialog,
    # so what is checked is the widget the window will give the keyboard to
    assert view.focusWidget() is view.tree


def test_ctrl_d_opens_the_documents_of_the_inspection(
    qtbot, make_context, inspector, start_inspection, wait_idle
):
    """文书… (Ctrl+D) opens the documents window of the inspection shown."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    assert "(Ctrl+D)" in view.documents_button.text()
    press(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(view.dialog, InspectionDocumentsDialog))
    wait_idle()
    view.dialog.close()


def test_status_line_matches_the_state_when_an_inspection_is_opened(
    qtbot, make_context, inspector, start_inspection
):
    """Opened with every item answered it offers 结束检查; opened completed it says so."""
    inspection_id = start_inspection()
    database = make_context(inspector).database
    answer_all(database, inspector, inspection_id)
    view = build_view(qtbot, make_context, inspector, inspection_id)
    assert view.status_label.text() == "全部 12 项已检查，可以结束检查（Ctrl+E）。"
    ended = dt.datetime.now().astimezone()
    inspections.finish_inspection(
        database, inspector, inspection_id, inspections.InspectionFinish(ended, "")
    )
    view.reload()
    assert "可以结束检查" not in view.status_label.text()
    assert view.status_label.text() == "本次检查已结束，检查结果不能再修改；照片仍可添加。"
