"""The document editor: a form made from the spec, autosaved as typed, issued, then served."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QMessageBox, QTableWidgetItem

from fuanjian_desktop.documents.spec import document_spec
from fuanjian_desktop.services.documents import documents
from tests.ui.case_support import case_team
from tests.ui.conftest import type_text
from tests.ui.document_support import FILLED, SAMPLING, case_draft
from ui.documents.editor_dialog import DocumentEditorDialog
from ui.documents.fields import LineField, RowsField
from ui.documents.lifecycle_dialogs import ReasonDialog, ServeDialog

SAVED = "已自动保存"


def open_editor(qtbot, make_context, actor, document_id, wait) -> DocumentEditorDialog:
    dialog = DocumentEditorDialog(make_context(actor), document_id)
    qtbot.addWidget(dialog)
    dialog.show()
    wait()
    return dialog


def label_of(dialog: DocumentEditorDialog, name: str) -> str:
    form = dialog.scroll.widget().findChild(QFormLayout)
    label = form.labelForField(dialog.fields[name])
    assert isinstance(label, QLabel)
    return label.text()


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def confirm_issue(qtbot, dialog: DocumentEditorDialog, wait) -> None:
    click(qtbot, dialog.buttons["issue"])
    assert "签发后内容不可修改" in dialog.confirmation.text()
    click(qtbot, dialog.confirmation.button(QMessageBox.StandardButton.Yes))
    wait()


def test_the_form_follows_the_spec_and_typing_reaches_the_database(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """One editor per spec field (prefilled, required starred, the table's columns); a typed
    value and a table row are autosaved and read back from the database."""
    team = case_team(sign_in)
    draft = case_draft(demo_database, team)
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    spec = document_spec(SAMPLING)
    assert list(dialog.fields) == list(spec.fields)
    assert dialog.heading.text() == "抽样取证凭证"
    assert "*" in label_of(dialog, "place") and "*" not in label_of(dialog, "site_person")
    party = dialog.fields["party_name"]
    assert isinstance(party, LineField) and party.edit.text()  # from the case's party
    items = dialog.fields["items"]
    assert isinstance(items, RowsField)
    headers = [items.table.horizontalHeaderItem(n).text() for n in range(3)]
    assert headers == ["证据物品名称", "规格及批号", "数量"]
    place = dialog.fields["place"]
    assert isinstance(place, LineField)
    type_text(qtbot, place.edit, "仓库二楼")
    click(qtbot, items.add_button)
    items.table.setItem(0, 0, QTableWidgetItem("液化气钢瓶"))
    qtbot.waitUntil(lambda: dialog.status.text().startswith(SAVED), timeout=5_000)
    wait_idle()
    values = documents.document_view(demo_database, sign_in("zhangwei"), draft).values
    assert values["place"] == "仓库二楼"
    assert values["items"] == [{"name": "液化气钢瓶", "spec": "", "quantity": ""}]


def test_issuing_with_required_fields_empty_names_them(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """签发 asks first; the core's refusal lists the empty required fields, the draft stays."""
    team = case_team(sign_in)
    draft = case_draft(demo_database, team)
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    confirm_issue(qtbot, dialog, wait_idle)
    assert "请先填写" in dialog.message.text() and "抽样地点" in dialog.message.text()
    assert documents.document_view(demo_database, sign_in("zhangwei"), draft).status == "draft"
    assert dialog.buttons["issue"].isEnabled()


def test_issue_then_serve_from_the_editor(qtbot, make_context, sign_in, demo_database, wait_idle):
    """The last keystroke is saved before issuing; the issued document is read-only with its
    文号, offers 送达 / 更正 / 作废, and once served no longer offers 作废."""
    team = case_team(sign_in)
    draft = case_draft(demo_database, team, {**FILLED, "place": ""})
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    place = dialog.fields["place"]
    assert isinstance(place, LineField)
    type_text(qtbot, place.edit, "仓库二楼")
    confirm_issue(qtbot, dialog, wait_idle)
    view = documents.document_view(demo_database, sign_in("zhangwei"), draft)
    assert view.status == "issued" and view.values["place"] == "仓库二楼"
    assert view.number and view.number in dialog.facts.text()
    assert place.edit.isReadOnly()
    shown = {key for key, button in dialog.buttons.items() if button.isVisibleTo(dialog)}
    assert shown == {"preview", "serve", "correct", "void"}
    click(qtbot, dialog.buttons["serve"])
    serve = dialog.dialog
    assert isinstance(serve, ServeDialog)
    type_text(qtbot, serve.recipient, "李老板")
    click(qtbot, serve.ok_button)
    wait_idle()
    view = documents.document_view(demo_database, sign_in("zhangwei"), draft)
    assert (view.status, view.recipient) == ("served", "李老板")
    assert "已送达" in dialog.facts.text()
    assert not dialog.buttons["void"].isVisibleTo(dialog)


def test_a_correction_is_a_new_draft_naming_the_reason(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """更正 asks for the reason; the editor moves to the new edition, editable again."""
    team = case_team(sign_in)
    draft = case_draft(demo_database, team, FILLED)
    dialog = open_editor(qtbot, make_context, team.handler, draft, wait_idle)
    confirm_issue(qtbot, dialog, wait_idle)
    click(qtbot, dialog.buttons["correct"])
    reason = dialog.dialog
    assert isinstance(reason, ReasonDialog)
    click(qtbot, reason.ok_button)  # no reason yet: refused, the form stays open
    wait_idle()
    assert "更正原因" in reason.message.text() and reason.isVisible()
    type_text(qtbot, reason.reason, "数量写错")
    click(qtbot, reason.ok_button)
    wait_idle()
    assert dialog.document_id != draft
    view = documents.document_view(demo_database, sign_in("zhangwei"), dialog.document_id)
    assert (view.status, view.edition, view.corrects_id) == ("draft", 2, draft)
    assert "第2版" in dialog.facts.text() and "数量写错" in dialog.facts.text()
    place = dialog.fields["place"]
    assert isinstance(place, LineField) and not place.edit.isReadOnly()
