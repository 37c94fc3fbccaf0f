"""Transcripts on the case page (笔录 tab: 新建询问笔录, 打开) and from the 文书 tab."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.transcripts import transcripts
from fuanjian_desktop.services.transcripts.transcripts import Interviewee
from tests.ui.case_support import TO_INVESTIGATION, case_team, make_case
from tests.ui.conftest import type_text
from tests.ui.test_case_page import open_page, row_texts
from ui.documents.document_list import DocumentList, DocumentOwner
from ui.documents.type_picker import DocumentKind, document_kinds
from ui.pages.case_page import TRANSCRIPT_TAB
from ui.transcripts.editor_dialog import TranscriptEditorDialog
from ui.transcripts.header import GenericHeader
from ui.transcripts.new_transcript_dialog import NewTranscriptDialog


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_new_transcript_of_the_representative_is_prefilled_listed_and_opened(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """新建询问笔录 → 负责人 fills the party's representative; 开始询问 makes the transcript,
    opens it in the editor and lists it (被询问人, 身份, 状态, 问答数) with the tab counting it."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_INVESTIGATION)
    page = open_page(qtbot, make_context, team.handler, case_id, wait_idle)
    assert page.tabs.tabText(TRANSCRIPT_TAB) == "笔录（0）"
    listing = page.transcript_list
    click(qtbot, listing.new_button)
    dialog = listing.dialog
    assert isinstance(dialog, NewTranscriptDialog)
    wait_idle()
    dialog.relation.setCurrentText("负责人")
    wait_idle()
    expected = transcripts.party_interviewee(demo_database, sign_in("zhangwei"), case_id, "负责人")
    assert expected.name and dialog.lines["name"].text() == expected.name
    assert dialog.lines["unit"].text() == expected.unit
    type_text(qtbot, dialog.place, "中队询问室")
    click(qtbot, dialog.ok_button)
    wait_idle()
    editor = listing.dialog
    assert isinstance(editor, TranscriptEditorDialog)
    wait_idle()
    assert expected.name in editor.heading.text() and "负责人" in editor.heading.text()
    row = row_texts(listing.model, 0)
    assert row[:3] == ["询问笔录", expected.name, "负责人"]
    assert row[4:] == ["草稿", "0"]
    assert page.tabs.tabText(TRANSCRIPT_TAB) == "笔录（1）"


def test_a_witness_needs_a_name(qtbot, make_context, sign_in, demo_database, wait_idle):
    """证人 leaves the form blank; 开始询问 without a name is refused in the dialog."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_INVESTIGATION)
    dialog = NewTranscriptDialog(make_context(team.handler), case_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.relation.setCurrentText("证人")
    wait_idle()
    assert dialog.lines["name"].text() == ""
    click(qtbot, dialog.ok_button)
    wait_idle()
    assert "被询问人姓名" in dialog.message.text() and dialog.isVisible()
    assert transcripts.case_transcripts(demo_database, sign_in("zhangwei"), case_id) == []


def test_the_documents_tab_opens_transcripts_in_the_transcript_editor(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """In the 文书 list a 询问笔录 opens in the transcript editor, and so does a 陈述申辩笔录,
    whose header is its spec's fields and whose record is typed as pairs; 新建 of a 询问笔录
    asks first who is questioned."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_INVESTIGATION)
    inquiry = transcripts.create_transcript(
        demo_database, team.handler, case_id, relation="证人", interviewee=Interviewee("赵六")
    )
    statement = documents.create_draft(
        demo_database, team.handler, type_key="statement_record", case_id=case_id
    )
    listing = DocumentList(make_context(team.handler), document_kinds(), True)
    qtbot.addWidget(listing)
    listing.show_owner(DocumentOwner(case_id=case_id))
    wait_idle()
    listing.table.selectRow(listing.model.row_of(inquiry))
    click(qtbot, listing.open_button)
    wait_idle()
    assert isinstance(listing.dialog, TranscriptEditorDialog)
    assert listing.dialog.questions.isVisibleTo(listing.dialog)
    listing.table.selectRow(listing.model.row_of(statement))
    click(qtbot, listing.open_button)
    wait_idle()
    editor = listing.dialog
    assert isinstance(editor, TranscriptEditorDialog) and isinstance(editor.header, GenericHeader)
    assert "place" in editor.header.fields and "record" not in editor.header.fields
    assert not editor.questions.isVisibleTo(editor)
    assert "陈述申辩" in editor.notice.text() and editor.qa.count() == 1
    listing.create(DocumentKind("inquiry_record", None, "询问笔录"))
    assert isinstance(listing.dialog, NewTranscriptDialog)
    wait_idle()
