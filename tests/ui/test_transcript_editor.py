"""The transcript editor: typed at speaking pace with the keyboard, templates, autosave through
the journal and resuming after a crash, the read-back with 补正, and 定稿."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import DraftJournal
from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.transcripts import transcripts
from fuanjian_desktop.services.transcripts.transcripts import Interviewee
from tests.ui.case_support import TO_INVESTIGATION, CaseTeam, case_team, make_case
from tests.ui.conftest import type_text
from ui.transcripts.closing import CorrectionDialog
from ui.transcripts.editor_dialog import TranscriptEditorDialog
from ui.transcripts.inquiry_header import InquiryHeader
from ui.transcripts.qa_pair import Mode, PairSketch, QaPair

WORKER = Interviewee(name="王小明", unit="测试厂", job="车工")
VALID_ID = "440304199001011233"  # born 1990-01-01, a man (the 17th digit is odd)
PAIRS = [
    {"id": "p1", "q": "你在本单位做什么工作？", "a": "我是车工。"},
    {"id": "p2", "q": "入职时是否接受过安全生产教育和培训？", "a": "没有培训过。"},
    {"id": "p3", "q": "单位有没有培训记录？", "a": "没有。"},
]
SAVED = "已保存"
NOW = dt.datetime(2026, 11, 10, 10, 45)


@pytest.fixture
def team(sign_in) -> CaseTeam:
    return case_team(sign_in)


@pytest.fixture
def draft(demo_database: Database, team: CaseTeam) -> str:
    """A 询问笔录 of an employee, in a case under investigation (违法行为 AQ-97-3, 未培训)."""
    case_id = make_case(demo_database, team, TO_INVESTIGATION)
    return transcripts.create_transcript(
        demo_database, team.handler, case_id, relation="从业人员", interviewee=WORKER, place="车间"
    )


def with_pairs(database: Database, team: CaseTeam, document_id: str) -> None:
    """The draft with three pairs stored in the document (not only in the journal)."""
    transcripts.autosave(database, team.handler, document_id, {"qa": PAIRS})
    transcripts.checkpoint(database, team.handler, document_id)


def open_editor(qtbot, make_context, actor, document_id, wait) -> TranscriptEditorDialog:
    dialog = TranscriptEditorDialog(make_context(actor), document_id, now=lambda: NOW)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 800)
    dialog.show()
    wait()
    return dialog


def focused(dialog: TranscriptEditorDialog):
    return dialog.focusWidget()


def press(qtbot, dialog, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key where the focus is, as the user presses it."""
    qtbot.keyClick(focused(dialog), key, modifier)


def type_here(qtbot, dialog, text: str) -> None:
    type_text(qtbot, focused(dialog), text)


def wait_saved(qtbot, dialog: TranscriptEditorDialog, wait) -> None:
    qtbot.waitUntil(lambda: dialog.status.text().startswith(SAVED), timeout=5_000)
    wait()


def journal_values(database: Database, document_id: str) -> dict | None:
    with database.read() as session:
        journal = session.get(DraftJournal, document_id)
        return dict(journal.values) if journal is not None else None


def test_enter_runs_from_question_to_answer_to_the_next_question(
    qtbot, make_context, demo_database, team, draft, wait_idle
):
    """A new transcript waits in its first question; Enter goes to the answer, Enter again
    makes question 2 and goes there; Shift+Enter breaks a line inside an answer."""
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    first = dialog.qa.pair(0)
    assert focused(dialog) is first.question
    type_here(qtbot, dialog, "你在本单位做什么工作？")
    press(qtbot, dialog, Qt.Key.Key_Return)
    assert focused(dialog) is first.answer
    assert first.question.text() == "你在本单位做什么工作？"  # Enter did not enter a line
    type_here(qtbot, dialog, "我是车工，")
    press(qtbot, dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    type_here(qtbot, dialog, "在二车间。")
    assert focused(dialog) is first.answer
    press(qtbot, dialog, Qt.Key.Key_Return)
    assert dialog.qa.count() == 2
    assert focused(dialog) is dialog.qa.pair(1).question
    assert [dialog.qa.pair(n).number.text() for n in range(dialog.qa.count())] == ["1.", "2."]
    type_here(qtbot, dialog, "你入职多久了？")
    press(qtbot, dialog, Qt.Key.Key_Return)
    type_here(qtbot, dialog, "两年。")
    assert [(e["q"], e["a"]) for e in dialog.qa.entries()] == [
        ("你在本单位做什么工作？", "我是车工，\n在二车间。"),
        ("你入职多久了？", "两年。"),
    ]


def test_escape_while_typing_does_not_close_the_record(
    qtbot, make_context, demo_database, team, draft, wait_idle
):
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    type_here(qtbot, dialog, "你在本单位做什么工作？")
    press(qtbot, dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert focused(dialog) is dialog.qa.pair(0).question


def test_ctrl_up_moves_the_pair_and_backspace_drops_a_blank_one(
    qtbot, make_context, demo_database, team, draft, wait_idle
):
    """Ctrl+Up in question 3 makes it question 2 (renumbered, the focus stays in it); an
    Enter too many at the end leaves a blank pair that Backspace removes."""
    with_pairs(demo_database, team, draft)
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    third = dialog.qa.pair(2)
    third.question.focus_at(True)
    press(qtbot, dialog, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [e["id"] for e in dialog.qa.entries()] == ["p1", "p3", "p2"]
    assert third.number.text() == "2." and focused(dialog) is third.question
    dialog.qa.pair(-1).answer.focus_at(True)
    press(qtbot, dialog, Qt.Key.Key_Return)
    assert dialog.qa.count() == 4 and focused(dialog) is dialog.qa.pair(3).question
    press(qtbot, dialog, Qt.Key.Key_Backspace)
    assert dialog.qa.count() == 3
    assert focused(dialog) is dialog.qa.pair(2).answer
    wait_saved(qtbot, dialog, wait_idle)
    assert [e["id"] for e in journal_values(demo_database, draft)["qa"]] == ["p1", "p3", "p2"]


def test_removing_a_filled_pair_asks_first(
    qtbot, make_context, demo_database, team, draft, wait_idle
):
    """× on a pair with text asks; 取消 keeps it, 删除 removes it and renumbers the rest."""
    with_pairs(demo_database, team, draft)
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    second = dialog.qa.pair(1)
    qtbot.mouseClick(second.remove_button, Qt.MouseButton.LeftButton)
    box = dialog.qa.confirmation
    assert box is not None and "第2问" in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    assert dialog.qa.count() == 3
    qtbot.mouseClick(second.remove_button, Qt.MouseButton.LeftButton)
    box = dialog.qa.confirmation
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert [e["id"] for e in dialog.qa.entries()] == ["p1", "p3"]
    assert dialog.qa.pair(1).number.text() == "2."


def test_a_template_question_fills_an_empty_question_or_follows_the_current_pair(
    qtbot, make_context, demo_database, team, draft, wait_idle
):
    """The panel offers the opening, the employee's and the untrained-staff (AQ-97-3) sets;
    a double click fills the empty first question and puts the cursor in its answer; Enter on
    another question while pair 1 is current inserts it as pair 2."""
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    tree = dialog.questions.tree
    titles = [tree.topLevelItem(n).text(0) for n in range(tree.topLevelItemCount())]
    assert titles[0] == "基本情况" and len(titles) >= 4  # opening, role, violation, closing
    items = dialog.questions.questions()
    first, other = items[0], items[1]
    tree.scrollToItem(first)
    rect = tree.visualItemRect(first)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    pair = dialog.qa.pair(0)
    assert pair.question.text() == first.text(0)
    assert focused(dialog) is pair.answer
    type_here(qtbot, dialog, "王小明。")
    tree.setCurrentItem(other)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert [e["q"] for e in dialog.qa.entries()] == [first.text(0), other.text(0)]
    assert focused(dialog) is dialog.qa.pair(1).answer
    assert first.foreground(0).color().name() != items[2].foreground(0).color().name()


def test_typing_reaches_the_journal_after_the_pause_and_a_crash_resumes_it(
    qtbot, make_context, demo_database, team, draft, wait_idle, inspector
):
    """Nothing is written while the keys are still coming; after the pause the journal holds
    the typing (the audited document does not yet). A second editor on the same database,
    the first never closed, shows the same values and says it resumed."""
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    type_here(qtbot, dialog, "你在本单位做什么工作？")
    press(qtbot, dialog, Qt.Key.Key_Return)
    type_here(qtbot, dialog, "我是车工。")
    assert journal_values(demo_database, draft) is None  # the debounce has not run yet
    wait_saved(qtbot, dialog, wait_idle)
    typed = journal_values(demo_database, draft)
    assert typed is not None
    assert [(e["q"], e["a"]) for e in typed["qa"]] == [("你在本单位做什么工作？", "我是车工。")]
    stored = documents.document_view(demo_database, inspector, draft).values
    assert stored["qa"] == []
    dialog.hide()  # "crashed": neither closed nor checkpointed
    again = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    assert again.info.isVisible() and "已恢复" in again.info.text()
    assert again.qa.entries() == dialog.qa.entries()
    assert again.header is not None and again.header.values() == dialog.header.values()


def test_closing_folds_the_journal_into_the_document(
    qtbot, make_context, demo_database, team, draft, wait_idle, inspector
):
    """关闭 stores the last keystrokes in the document itself; reopening is not a resume."""
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    type_here(qtbot, dialog, "你入职多久了？")
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert journal_values(demo_database, draft) is None
    assert (
        documents.document_view(demo_database, inspector, draft).values["qa"][0]["q"]
        == "你入职多久了？"
    )
    again = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    assert not again.info.isVisible()


def test_long_typing_is_checkpointed_into_the_document(
    qtbot, make_context, demo_database, team, draft, wait_idle
):
    """Typing starts the periodic checkpoint (five minutes; shortened here): when it runs, the
    journal is folded into the audited document without the editor being closed."""
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    dialog.saver.checkpoint_timer.setInterval(400)
    type_here(qtbot, dialog, "你入职多久了？")
    assert dialog.saver.checkpoint_timer.isActive()

    def stored() -> list:
        return documents.document_view(demo_database, team.handler, draft).values["qa"]

    qtbot.waitUntil(lambda: bool(stored()), timeout=5_000)
    wait_idle()
    assert stored()[0]["q"] == "你入职多久了？" and journal_values(demo_database, draft) is None
    assert dialog.isVisible()


def test_the_header_checks_the_id_number_and_reads_sex_and_age_from_it(
    qtbot, make_context, demo_database, team, draft, wait_idle
):
    """A wrong check digit is named under the field; the right number fills 性别 and 年龄;
    结束询问 stamps the end time, which reaches the journal with the printed 询问时间."""
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    header = dialog.header
    assert isinstance(header, InquiryHeader)
    id_line = header.lines["interviewee_id_number"]
    type_text(qtbot, id_line, VALID_ID[:-1] + "5")
    assert header.id_error.isVisibleTo(dialog) and "校验位" in header.id_error.text()
    id_line.clear()
    type_text(qtbot, id_line, VALID_ID)
    assert not header.id_error.isVisibleTo(dialog)
    assert header.sex.currentText() == "男"
    assert header.lines["interviewee_age"].text().isdigit()
    qtbot.mouseClick(header.end_button, Qt.MouseButton.LeftButton)
    assert header.times["ended_at"].text() == "2026-11-10 10:45"
    header.times["started_at"].setText("2026-11-10 09")
    assert "格式" in header.time_error.text() and "started_at" not in header.values()
    header.times["started_at"].setText("2026-11-10 09:30")
    wait_saved(qtbot, dialog, wait_idle)
    typed = journal_values(demo_database, draft)
    assert typed["interviewee_id_number"] == VALID_ID and typed["interviewee_sex"] == "男"
    assert typed["time_range"] == "2026年11月10日9时30分至11月10日10时45分"


def test_after_the_read_back_a_change_is_a_correction(
    qtbot, make_context, demo_database, team, draft, wait_idle, inspector
):
    """记录核对 locks the pairs (补正… instead of ×); a 补正 of answer 2 changes it, is listed
    in the closing panel and stored as a correction row."""
    with_pairs(demo_database, team, draft)
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    dialog.closing.way.setCurrentText("向其宣读")
    qtbot.mouseClick(dialog.closing.read_back_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert dialog.qa.mode is Mode.CORRECTING
    second = dialog.qa.pair(1)
    assert second.answer.isReadOnly() and not second.remove_button.isVisibleTo(dialog)
    assert "向其宣读" in dialog.closing.state.text()
    qtbot.mouseClick(second.correct_button, Qt.MouseButton.LeftButton)
    form = dialog.dialog
    assert isinstance(form, CorrectionDialog) and form.before.text() == "没有培训过。"
    form.after.clear()
    type_text(qtbot, form.after, "入职时车间主任讲过一次，没有书面记录。")
    qtbot.mouseClick(form.ok_button, Qt.MouseButton.LeftButton)
    wait_idle()
    assert second.answer.text() == "入职时车间主任讲过一次，没有书面记录。"
    table = dialog.closing.corrections
    assert table.rowCount() == 1 and table.item(0, 0).text().startswith("第2问")
    assert table.item(0, 2).text() == "入职时车间主任讲过一次，没有书面记录。"
    stored = documents.document_view(demo_database, inspector, draft).values
    assert stored["corrections"][0]["before"] == "没有培训过。"


def test_finalize_issues_the_transcript_and_stamps_the_end(
    qtbot, make_context, demo_database, team, draft, wait_idle, inspector
):
    """定稿 before the read-back is refused with the core's reason; after it, the transcript
    is issued, its end time stamped, and the editor is read-only."""
    with_pairs(demo_database, team, draft)
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)

    def finalize() -> None:
        qtbot.mouseClick(dialog.finalize_button, Qt.MouseButton.LeftButton)
        yes = dialog.confirmation.button(QMessageBox.StandardButton.Yes)
        qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)
        wait_idle()

    finalize()
    assert "核对" in dialog.message.text()
    qtbot.mouseClick(dialog.closing.read_back_button, Qt.MouseButton.LeftButton)
    wait_idle()
    finalize()
    view = documents.document_view(demo_database, inspector, draft)
    assert view.status == "issued" and view.values["ended_at"]
    assert dialog.qa.mode is Mode.READ_ONLY and not dialog.finalize_button.isVisibleTo(dialog)
    assert dialog.header is not None and isinstance(dialog.header, InquiryHeader)
    assert dialog.header.lines["place"].isReadOnly()
    assert "已定稿" in dialog.status.text()


def test_a_stored_pair_is_built_for_editing_when_clicked_or_reached(
    qtbot, make_context, demo_database, team, draft, wait_idle
):
    """Stored pairs are drawn, not built; a click on the answer of pair 2 builds it with the
    cursor in that answer, and Up from the question of pair 3 reaches it too."""
    with_pairs(demo_database, team, draft)
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    sketch = dialog.qa.slots[1]
    assert isinstance(sketch, PairSketch) and sketch.height() > 40
    answer_spot = sketch.rect().bottomLeft() + QPoint(200, -12)
    qtbot.mouseClick(sketch, Qt.MouseButton.LeftButton, pos=answer_spot)
    built = dialog.qa.slots[1]
    assert isinstance(built, QaPair) and focused(dialog) is built.answer
    assert built.answer.text() == "没有培训过。" and built.number.text() == "2."
    third = dialog.qa.pair(2)
    third.question.focus_at(False)
    press(qtbot, dialog, Qt.Key.Key_Up)
    assert focused(dialog) is built.answer
    assert dialog.qa.entries() == PAIRS


def test_the_preview_prints_what_was_just_typed(
    qtbot, make_context, demo_database, team, draft, wait_idle, inspector
):
    """预览/打印 folds the journal into the document first, so the pages rendered hold the
    last keystrokes."""
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    type_here(qtbot, dialog, "你在本单位做什么工作？")
    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.print_job is not None and bool(dialog.print_job.pages), timeout=20_000
    )
    wait_idle()
    assert (
        documents.document_view(demo_database, inspector, draft).values["qa"][0]["q"]
        == "你在本单位做什么工作？"
    )
    assert journal_values(demo_database, draft) is None
    preview = dialog.print_job.preview_dialog
    assert preview is not None and preview.isVisible()
    preview.close()
