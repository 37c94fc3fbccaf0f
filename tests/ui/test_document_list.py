"""Documents of a case (the case page's 文书 tab) and of an inspection (its 文书 window)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from fuanjian_desktop.services.documents import documents
from tests.ui.case_support import TO_LEGAL_REVIEW, case_team, make_case
from tests.ui.conftest import type_text
from tests.ui.document_support import issued_document
from tests.ui.test_case_page import open_page, row_texts
from tests.ui.test_inspection_page import open_page as open_inspection_page
from ui.documents.document_list import DocumentList, DocumentOwner
from ui.documents.editor_dialog import DocumentEditorDialog
from ui.documents.inspection_documents_dialog import InspectionDocumentsDialog
from ui.documents.type_picker import DocumentTypePicker, document_kinds
from ui.pages.case_page import DOCUMENT_TAB


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_the_documents_tab_lists_the_documents_the_steps_issued(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """立案 and 调查终结 issued their documents: each is listed with its 文号 and status,
    and the tab counts them."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    page = open_page(qtbot, make_context, team.handler, case_id, wait_idle)
    views = documents.case_document_views(demo_database, sign_in("zhangwei"), case_id)
    assert len(views) >= 2
    assert page.tabs.tabText(DOCUMENT_TAB) == f"文书（{len(views)}）"
    rows = [row_texts(page.documents, n) for n in range(page.documents.rowCount())]
    assert [row[0] for row in rows] == [view.title for view in views]
    filing = rows[0]
    assert filing[0] == "立案审批表" and filing[1] == views[0].number and filing[2] == "已签发"
    assert page.document_list.new_buttons[0].text() == "新建文书… (Ctrl+N)"


def test_a_new_document_is_chosen_drafted_and_opened(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """新建文书 → the picker filtered by typing → the draft opens in the editor and is listed."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    page = open_page(qtbot, make_context, team.handler, case_id, wait_idle)
    before = page.documents.rowCount()
    click(qtbot, page.document_list.new_buttons[0])
    picker = page.document_list.dialog
    assert isinstance(picker, DocumentTypePicker)
    type_text(qtbot, picker.filter, "抽样")
    visible = [
        picker.list.item(n).text()
        for n in range(picker.list.count())
        if not picker.list.item(n).isHidden()
    ]
    assert visible == ["抽样取证凭证"]
    picker.accept()
    wait_idle()
    editor = page.document_list.dialog
    assert isinstance(editor, DocumentEditorDialog)
    wait_idle()
    assert editor.heading.text() == "抽样取证凭证"
    assert page.documents.rowCount() == before + 1
    assert row_texts(page.documents, before)[:3] == ["抽样取证凭证", "（无文号）", "草稿"]


def test_variants_are_offered_by_their_own_titles():
    """A type printed in variants appears once per variant (单位 / 个人)."""
    titles = [kind.title for kind in document_kinds(["penalty_decision"])]
    assert len(titles) == 2 and all(title.startswith("行政处罚决定书") for title in titles)


def test_export_writes_pdf_and_word_named_by_title_and_number(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path, monkeypatch
):
    """导出PDF / 导出Word propose 标题+文号 as the file name and write the files."""
    team = case_team(sign_in)
    document_id = issued_document(demo_database, team)
    view = documents.document_view(demo_database, sign_in("zhangwei"), document_id)
    assert view.case_id is not None
    proposed: list[str] = []

    def save_as(_parent, _caption, name, _filter):
        proposed.append(name)
        return str(tmp_path / "导出"), _filter  # no suffix typed: the format's is added

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_as))
    listing = DocumentList(make_context(team.handler), document_kinds(), True)
    qtbot.addWidget(listing)
    listing.show_owner(DocumentOwner(case_id=view.case_id))
    wait_idle()
    listing.table.selectRow(listing.model.row_of(document_id))
    click(qtbot, listing.pdf_button)
    wait_idle()
    click(qtbot, listing.word_button)
    wait_idle()
    assert Path(proposed[0]).name == f"{view.title}{view.number}.pdf"
    assert Path(proposed[1]).name == f"{view.title}{view.number}.docx"
    assert (tmp_path / "导出.pdf").read_bytes().startswith(b"%PDF")
    with zipfile.ZipFile(tmp_path / "导出.docx") as word:
        body = word.read("word/document.xml").decode("utf-8")
    assert "液化气钢瓶" in body and "eastAsia" in body
    assert listing.notice.text() == f"已导出：{tmp_path / '导出.docx'}"


def test_the_inspection_documents_window_drafts_the_site_papers(
    qtbot,
    make_context,
    inspector,
    demo_database,
    start_inspection,
    checklist_folder,
    wait_idle,
):
    """文书… beside the checklist: one button per site document; 责令限期整改指令书 drafts one
    for this inspection, opens it, and lists it."""
    inspection_id = start_inspection()
    page = open_inspection_page(qtbot, make_context, inspector, wait_idle, checklist_folder)
    page.show_inspection(inspection_id)
    click(qtbot, page.checklist.documents_button)
    window = page.checklist.dialog
    assert isinstance(window, InspectionDocumentsDialog) and window.isVisible()
    buttons = {button.text(): button for button in window.documents.new_buttons}
    assert list(buttons) == [
        "现场检查记录… (Alt+1)",
        "责令限期整改指令书… (Alt+2)",
        "现场处理措施决定书… (Alt+3)",
        "整改复查意见书… (Alt+4)",
    ]
    wait_idle()
    click(qtbot, buttons["责令限期整改指令书… (Alt+2)"])
    wait_idle()
    editor = window.documents.dialog
    assert isinstance(editor, DocumentEditorDialog)
    wait_idle()
    assert editor.heading.text() == "责令限期整改指令书"
    listed = documents.inspection_document_views(demo_database, inspector, inspection_id)
    assert [view.title for view in listed] == ["责令限期整改指令书"]
    assert window.documents.model.rowCount() == 1
