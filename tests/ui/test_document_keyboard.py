"""Documents from the keyboard alone: the 文书 window, the editor and the print preview.

Every key goes to the widget that has the focus, as a person's would, so a test fails when
focus is not where the next keystroke belongs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from fuanjian_desktop.services.documents import documents
from tests.ui.case_support import case_team
from tests.ui.conftest import type_text
from tests.ui.document_support import FILLED, case_draft, pdf_pages
from ui.documents.editor_dialog import DocumentEditorDialog
from ui.documents.fields import ListField
from ui.documents.inspection_documents_dialog import InspectionDocumentsDialog

CTRL, SHIFT, ALT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
    Qt.KeyboardModifier.AltModifier,
)
FIVE_PROBLEMS = [
    "厨房液化气钢瓶未设置独立气瓶间",
    "燃气管道未安装可燃气体报警装置",
    "安全出口被杂物堵塞",
    "灭火器压力不足",
    "员工未经安全培训上岗",
]


def press(qtbot, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """One key press delivered where the focus is, as a person's (a button's shortcut clicks
    it 100 ms later, animated, so callers wait for the click's effect)."""
    focused = QApplication.focusWidget()
    assert focused is not None, "no widget has the focus"
    qtbot.keyClick(focused, key, modifiers)


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def in_field(qtbot, editor: DocumentEditorDialog) -> None:
    """Wait until the cursor is in one of the editor's fields (built once the document is
    read, after the window is shown)."""
    qtbot.waitUntil(
        lambda: any(
            field.isAncestorOf(QApplication.focusWidget()) for field in editor.fields.values()
        )
    )


def field_label(editor: DocumentEditorDialog, widget: QWidget) -> str:
    """The form label of the field ``widget`` types into."""
    form = editor.scroll.widget().findChild(QFormLayout)
    for name, field in editor.fields.items():
        if field.isAncestorOf(widget):
            label = form.labelForField(editor.fields[name])
            assert isinstance(label, QLabel)
            return label.text().split("</span>")[-1]
    raise AssertionError(f"{widget!r} is not a field of the editor")


def open_window(qtbot, make_context, inspector, inspection_id, wait) -> InspectionDocumentsDialog:
    window = InspectionDocumentsDialog(make_context(inspector), inspection_id, "万家燃气")
    qtbot.addWidget(window)
    window.show()
    wait()
    return window


def test_a_draft_is_made_edited_and_left_from_the_keyboard(
    qtbot, make_context, inspector, demo_database, start_inspection, wait_idle
):
    """文书 window: Alt+2 drafts a 责令限期整改指令书 and opens it on its first empty field
    (存在的问题); Esc closes only the editor and the cursor is on the new row; Enter on the row
    opens it again instead of closing the window."""
    window = open_window(qtbot, make_context, inspector, start_inspection(), wait_idle)
    assert focused() is window.documents.table
    press(qtbot, Qt.Key.Key_2, ALT)
    qtbot.waitUntil(lambda: window.documents.dialog is not None)
    wait_idle()
    editor = window.documents.dialog
    assert isinstance(editor, DocumentEditorDialog) and editor.isVisible()
    in_field(qtbot, editor)
    assert isinstance(focused(), QPlainTextEdit)
    assert field_label(editor, focused()) == "存在的问题："
    draft_id = editor.document_id
    press(qtbot, Qt.Key.Key_Escape)
    wait_idle()
    assert not editor.isVisible() and window.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.documents.table)
    assert window.documents.current().id == draft_id
    press(qtbot, Qt.Key.Key_Return)
    wait_idle()
    reopened = window.documents.dialog
    assert isinstance(reopened, DocumentEditorDialog) and reopened is not editor
    assert reopened.isVisible() and window.isVisible()
    assert reopened.document_id == draft_id


def test_the_editor_saves_and_issues_from_the_keyboard(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """The editor opens on its first empty field (现场负责人 of a filled 抽样取证凭证); Ctrl+S
    stores the typing at once; Ctrl+Shift+I asks, and Enter answers 签发."""
    team = case_team(sign_in)
    draft = case_draft(demo_database, team, FILLED)
    editor = DocumentEditorDialog(make_context(team.handler), draft)
    qtbot.addWidget(editor)
    editor.show()
    wait_idle()
    in_field(qtbot, editor)
    assert isinstance(focused(), QLineEdit)
    assert field_label(editor, focused()) == "现场负责人："
    type_text(qtbot, focused(), "李老板")
    press(qtbot, Qt.Key.Key_S, CTRL)
    wait_idle()  # no 400 ms autosave wait: Ctrl+S saved already
    assert (
        documents.document_view(demo_database, sign_in("zhangwei"), draft).values["site_person"]
        == "李老板"
    )
    press(qtbot, Qt.Key.Key_I, CTRL | SHIFT)
    qtbot.waitUntil(lambda: editor.confirmation is not None)  # a keyed button clicks animated
    box = editor.confirmation
    assert isinstance(box, QMessageBox) and box.isVisible()
    qtbot.waitUntil(lambda: box.isAncestorOf(focused()))
    press(qtbot, Qt.Key.Key_Return)
    wait_idle()
    assert documents.document_view(demo_database, sign_in("zhangwei"), draft).status == "issued"


def test_paragraphs_grow_with_their_lines(
    qtbot, make_context, inspector, demo_database, start_inspection, wait_idle
):
    """存在的问题 with five problems shows the five lines without scrolling, in an editor that
    fits the 728 px above a taskbar."""
    inspection_id = start_inspection()
    draft = documents.create_draft(
        demo_database, inspector, type_key="rectification_order", inspection_id=inspection_id
    )
    documents.save_draft(demo_database, inspector, draft, {"problems": FIVE_PROBLEMS})
    editor = DocumentEditorDialog(make_context(inspector), draft)
    qtbot.addWidget(editor)
    editor.show()
    wait_idle()
    problems = editor.fields["problems"]
    assert isinstance(problems, ListField)
    box = problems.edit
    qtbot.waitUntil(lambda: box.toPlainText().count("\n") == 4)
    lines = box.viewport().height() // box.fontMetrics().lineSpacing()
    assert lines >= 5
    assert box.verticalScrollBar().maximum() == 0
    assert editor.frameGeometry().height() <= 728


def answer_print_dialog(qtbot, seen: list[str]) -> None:
    """When Qt's print dialog is up, note its printer and press Enter in it (it is modal and
    blocks until answered, so the answer is scheduled before the key that opens it)."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QPrintDialog):
            QTimer.singleShot(50, answer)
            return
        seen.append(dialog.printer().outputFileName())
        QTimer.singleShot(500, close_what_is_left)  # before the key: a refusal blocks in it
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Return)

    def close_what_is_left() -> None:
        """A refusal (no file named …) leaves the dialog and a message open: close them, so
        the test fails instead of waiting forever."""
        left = QApplication.activeModalWidget()
        if isinstance(left, QMessageBox | QPrintDialog):
            left.reject()
            QTimer.singleShot(100, close_what_is_left)

    QTimer.singleShot(50, answer)


def test_batch_print_to_a_pdf_file_from_the_keyboard(
    qtbot,
    make_context,
    inspector,
    demo_database,
    start_inspection,
    wait_idle,
    tmp_path,
    monkeypatch,
):
    """Ctrl+A, Ctrl+Shift+P: both documents in one preview, maximised on the screen's free area;
    Ctrl+P there opens the print dialog, which (no printer installed) prints to a PDF file in
    the 文档 folder, and Enter writes it with every page."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    inspection_id = start_inspection()
    for type_key in ("inspection_record", "rectification_order"):
        documents.create_draft(
            demo_database, inspector, type_key=type_key, inspection_id=inspection_id
        )
    window = open_window(qtbot, make_context, inspector, inspection_id, wait_idle)
    press(qtbot, Qt.Key.Key_A, CTRL)
    assert len(window.documents.selected()) == 2
    press(qtbot, Qt.Key.Key_P, CTRL | SHIFT)
    qtbot.waitUntil(lambda: window.documents.print_job is not None)
    job = window.documents.print_job
    qtbot.waitUntil(lambda: job.preview_dialog is not None, timeout=30_000)
    preview = job.preview_dialog
    free = preview.screen().availableGeometry()
    qtbot.waitUntil(lambda: preview.frameGeometry() == free)
    seen: list[str] = []
    answer_print_dialog(qtbot, seen)
    press(qtbot, Qt.Key.Key_P, CTRL)
    assert seen and Path(seen[0]).parent == tmp_path / "Documents"
    assert Path(seen[0]).name.startswith("福安监打印-")
    assert pdf_pages(Path(seen[0])) == len(job.pages) >= 2
