"""The clerk's flow on a case from the keyboard alone: the step that issues and serves the
行政处罚告知书, then the 文书 tab, the preview and the print dialog.

Keys go where the focus is, as a person's; a keyed button clicks 100 ms later (animated), so
each step waits for its effect.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from fuanjian_desktop.services.cases.case_queries import case_view
from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.transcripts import transcripts
from fuanjian_desktop.services.transcripts.transcripts import Interviewee
from tests.ui.case_support import OPENED_ON, TO_INVESTIGATION, TO_NOTICE, case_team, make_case
from tests.ui.conftest import type_text
from tests.ui.document_support import pdf_pages
from tests.ui.test_case_page import open_page
from tests.ui.test_document_keyboard import (
    ALT,
    CTRL,
    answer_print_dialog,
    focused,
    press,
)
from ui.dialogs.case_step_dialog import CaseStepDialog
from ui.pages.case_page import DOCUMENT_TAB, TRANSCRIPT_TAB
from ui.transcripts.editor_dialog import TranscriptEditorDialog

SERVED_ON = OPENED_ON + dt.timedelta(days=4)
NOTICE_TITLE = "行政处罚告知书"


def test_the_notice_is_issued_served_and_printed_from_the_keyboard(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path, monkeypatch
):
    """A case at 告知: it opens on 送达行政处罚告知书; Alt+1 opens the step, the cursor is in
    签收人; Enter is refused and opens the notice on its unwritten 主要证据; typed, Esc goes
    back to the step and Enter takes it (the notice issued and served); Ctrl+D shows 文书 with
    the cursor in the list; Ctrl+End, Ctrl+P previews the notice, Ctrl+P and Enter print it."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_NOTICE)
    page = open_page(qtbot, make_context, team.handler, case_id, wait_idle, SERVED_ON)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QPushButton))
    assert focused() is page.step_buttons["serve_notice"]
    assert focused().text().endswith("(Alt+1)")
    press(qtbot, Qt.Key.Key_1, ALT)
    qtbot.waitUntil(lambda: isinstance(page.dialog, CaseStepDialog))
    step = page.dialog
    qtbot.waitUntil(lambda: step.isAncestorOf(QApplication.focusWidget()))
    assert focused() is step.fields["recipient"] and isinstance(focused(), QLineEdit)
    type_text(qtbot, focused(), "李老板")
    press(qtbot, Qt.Key.Key_Return)  # refused: the notice's 主要证据 is not written yet
    qtbot.waitUntil(lambda: step.editor is not None and step.editor.isVisible())
    editor = step.editor
    wait_idle()
    assert "主要证据" in step.message.text()
    first_missing = editor.fields[editor.missing[0]].edit
    qtbot.waitUntil(lambda: QApplication.focusWidget() is first_missing)
    type_text(qtbot, focused(), "现场检查记录、询问笔录、现场照片")
    press(qtbot, Qt.Key.Key_Escape)  # closes the editor, saving what was typed
    qtbot.waitUntil(lambda: step.isAncestorOf(QApplication.focusWidget()))
    assert step.isVisible()
    with qtbot.waitSignal(step.accepted, timeout=10_000):
        press(qtbot, Qt.Key.Key_Return)
    wait_idle()
    assert case_view(demo_database, team.handler, case_id, SERVED_ON).stage.label == "陈述申辩"
    notice = next(
        view
        for view in documents.case_document_views(demo_database, sign_in("zhangwei"), case_id)
        if view.title == NOTICE_TITLE
    )
    assert (notice.status, notice.recipient) == ("served", "李老板")

    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_D, CTRL)
    assert page.tabs.currentIndex() == DOCUMENT_TAB
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.document_list.table)
    press(qtbot, Qt.Key.Key_End, CTRL)
    assert page.document_list.current().id == notice.id
    press(qtbot, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: page.document_list.print_job is not None)
    job = page.document_list.print_job
    qtbot.waitUntil(lambda: job.preview_dialog is not None, timeout=30_000)
    seen: list[str] = []
    answer_print_dialog(qtbot, seen)
    press(qtbot, Qt.Key.Key_P, CTRL)
    assert seen and pdf_pages(Path(seen[0])) == len(job.pages) >= 1


def test_a_transcript_is_opened_and_previewed_from_the_keyboard(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """笔录 tab by Ctrl+PgDown from 文书: the cursor in the list, Enter opens the transcript (the
    tab and page stay), Ctrl+P previews it; Esc does not close a record being taken."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_INVESTIGATION)
    transcripts.create_transcript(
        demo_database,
        team.handler,
        case_id,
        relation="从业人员",
        interviewee=Interviewee(name="王小明", unit="测试厂", job="车工"),
        place="车间",
    )
    page = open_page(qtbot, make_context, team.handler, case_id, wait_idle, SERVED_ON)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_D, CTRL)
    press(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert page.tabs.currentIndex() == TRANSCRIPT_TAB
    listing = page.transcript_list
    qtbot.waitUntil(lambda: QApplication.focusWidget() is listing.table)
    qtbot.waitUntil(lambda: listing.model.rowCount() == 1)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(listing.dialog, TranscriptEditorDialog))
    editor = listing.dialog
    wait_idle()
    qtbot.waitUntil(lambda: editor.isAncestorOf(QApplication.focusWidget()))
    press(qtbot, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: editor.print_job is not None)
    job = editor.print_job
    qtbot.waitUntil(lambda: job.preview_dialog is not None, timeout=30_000)
    job.preview_dialog.close()
    editor.activateWindow()
    qtbot.waitUntil(lambda: editor.isAncestorOf(QApplication.focusWidget()))
    press(qtbot, Qt.Key.Key_Escape)  # a slip of the finger mid-interview closes nothing
    assert editor.isVisible()
