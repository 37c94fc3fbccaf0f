"""A step whose document lacks what a person writes opens the editor on it, fields marked."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from fuanjian_desktop.documents.sheet import sheet_from_json, sheet_text
from fuanjian_desktop.models import CaseDocument
from fuanjian_desktop.services.cases.case_queries import case_view
from tests.cases import case_at_hearing
from tests.ui.conftest import type_text
from ui.dialogs.case_step_dialog import CaseStepDialog
from ui.documents.editor_dialog import MISSING_STYLE

ON = dt.date(2030, 1, 13)
WRITTEN = {
    "hearing_clock": "9时30分",
    "hearing_place": "本局三楼听证室",
    "publicity": "公开",
    "presider": "林国栋",
    "clerk": "陈思远",
}


def test_the_step_opens_the_editor_on_the_missing_fields_and_then_issues_that_draft(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """发出听证会通知 without a written notice: refused in place, the editor opens on the draft
    with 听证地点 … marked and the cursor in the first; once typed, the step issues it."""
    handler = sign_in("zhangwei")
    case_id = case_at_hearing(demo_database, sign_in)
    context = make_context(handler)
    view = case_view(demo_database, handler, case_id, ON)
    choice = next(choice for choice in view.actions if choice.code == "schedule_hearing")
    dialog = CaseStepDialog(context, case_id, choice, ON)
    qtbot.addWidget(dialog)
    dialog.show()

    with qtbot.waitSignal(dialog.drafted):  # the case page lists the draft then
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.editor is not None and dialog.editor.isVisible())
    wait_idle()
    editor = dialog.editor
    assert "听证地点" in dialog.message.text() and dialog.isVisible()
    assert set(editor.missing) == set(WRITTEN)
    assert editor.labels["hearing_place"].styleSheet() == MISSING_STYLE
    assert editor.labels["member1"].styleSheet() == ""  # not required: not marked
    assert "请填写标红的栏目" in editor.message.text() and "听证地点" in editor.message.text()
    first_missing = editor.fields[editor.missing[0]].edit
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first_missing)  # once it is active
    assert editor.buttons["issue"].isHidden()  # the step issues it, not the editor

    for name, text in WRITTEN.items():
        type_text(qtbot, editor.fields[name].edit, text)
    editor.reject()  # 关闭 saves what was typed
    wait_idle()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert dialog.result() == dialog.DialogCode.Accepted
    with demo_database.read() as session:
        notice = session.get(CaseDocument, editor.document_id)
        assert notice is not None and notice.status == "served" and notice.sheet is not None
        text = sheet_text(sheet_from_json(notice.sheet))
    assert "9时30分在本局三楼听证室公开举行听证会议" in text
