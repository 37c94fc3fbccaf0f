"""The checklist runner driven from the keyboard, as inspectors on site use it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from fuanjian_desktop.domain.inspection_rules import Answer
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import inspections
from tests.ui.conftest import MakeContext, type_text
from ui.dialogs.finish_inspection_dialog import FinishInspectionDialog
from ui.widgets.checklist_view import ChecklistView

KEYS = {
    Answer.COMPLIANT: Qt.Key.Key_1,
    Answer.NON_COMPLIANT: Qt.Key.Key_2,
    Answer.NOT_APPLICABLE: Qt.Key.Key_3,
}
# answers given in walking order: 8 符合, 2 不符合, 2 不涉及 over the 12 items
PATTERN = (Answer.COMPLIANT,) * 3 + (Answer.NON_COMPLIANT, Answer.NOT_APPLICABLE)


def build_view(
    qtbot: QtBot, make_context: MakeContext, actor: Actor, inspection_id: str
) -> ChecklistView:
    context = make_context(actor)
    view = ChecklistView(context, inspections.open_inspection(context.database, inspection_id))
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()
    with qtbot.waitActive(view):  # keyboard focus moves only inside an active window
        view.activateWindow()
    view.focus_items()
    return view


def saved(view: ChecklistView) -> inspections.InspectionView:
    return inspections.open_inspection(view._context.database, view.inspection_id)


def answer_all(database, actor: Actor, inspection_id: str) -> None:
    for item in inspections.open_inspection(database, inspection_id).items:
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
        qtbot.keyClick(view.tree, KEYS[answer])
        stored = saved(view)
        assert stored.answers[item.id].result is answer
        assert (item.id in stored.hazards) is (answer is Answer.NON_COMPLIANT)
    assert view.header.progress_label.text() == "已检查 12 / 12 项，隐患 2 处"
    assert view.model.item(0).child(3, 0).text() == "✗"  # item 4, 不符合
    assert "全部 12 项已检查" in view.status_label.text()


def test_changing_an_answer_takes_its_hazard_back(qtbot, make_context, inspector, start_inspection):
    """Up to a 不符合 item, then 1: the answer becomes 符合 and the hazard disappears."""
    view = build_view(qtbot, make_context, inspector, start_inspection())
    qtbot.keyClick(view.tree, Qt.Key.Key_2)
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
        qtbot.keyClick(view.tree, KEYS[PATTERN[position % len(PATTERN)]])
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
