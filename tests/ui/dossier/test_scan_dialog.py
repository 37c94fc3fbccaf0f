"""附加扫描件: from the case's 文书 list, files in the order shown, replaced after asking, removed
with a reason; a bad file or an empty reason is said beside its field and nothing is stored."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox
from sqlalchemy import func, select

from fuanjian_desktop.models import Case, DocumentScan, EvidenceFile
from fuanjian_desktop.services.documents import documents
from fuanjian_desktop.services.dossiers import scans
from fuanjian_desktop.services.inspections.evidence import evidence_store
from fuanjian_desktop.services.inspections.inspections import local_today
from tests.ui.case_support import TO_LEGAL_REVIEW, case_team
from tests.ui.case_support import make_case as make_dated_case
from tests.ui.conftest import type_text
from tests.ui.dossier.dialog_support import fits_the_laptop, not_a_pdf, scanned_image, scanned_pdf
from tests.ui.test_case_page import open_page, row_texts
from ui.documents.inspection_documents_dialog import InspectionDocumentsDialog
from ui.documents.table import DOCUMENT_COLUMNS
from ui.dossier.scan_dialog import ScanDialog
from ui.pages.case_page import DOCUMENT_TAB

# a scan is dated between its document's issue and today: the test case runs a month back
TODAY = local_today()
SCAN_COLUMN = [column.header for column in DOCUMENT_COLUMNS].index("扫描件")
OPENED = TODAY - dt.timedelta(days=30)


def make_case(database, team, steps):
    return make_dated_case(database, team, steps, opened_on=OPENED)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def open_from_case_page(qtbot, make_context, team, case_id, wait_idle, title="立案审批表"):
    """The case page's 文书 tab, the row of ``title`` selected, 附加扫描件 clicked."""
    page = open_page(qtbot, make_context, team.handler, case_id, wait_idle, today=TODAY)
    page.show_tab(DOCUMENT_TAB)
    listing = page.document_list
    row = next(
        row for row in range(listing.model.rowCount()) if listing.model.row_at(row).title == title
    )
    listing.table.selectRow(row)
    assert listing.scan_button.isVisible() and listing.scan_button.isEnabled()
    click(qtbot, listing.scan_button)
    dialog = listing.dialog
    assert isinstance(dialog, ScanDialog)
    wait_idle()
    return page, dialog, listing.model.row_at(row)


def texts(dialog: ScanDialog) -> list[str]:
    return [dialog.files.item(row).text() for row in range(dialog.files.count())]


def stored_files(database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(EvidenceFile)) or 0


def test_pages_are_attached_in_the_order_shown(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """A 2-page PDF and a PNG, the PNG moved first: 3 pages, the PNG's file first."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    page, dialog, document = open_from_case_page(qtbot, make_context, team, case_id, wait_idle)
    assert document.number in dialog.heading.text()
    assert "尚未附加扫描件" in dialog.current.text()
    assert not dialog.save_button.isEnabled()  # nothing chosen yet
    signed = scanned_pdf(tmp_path / "签字页.pdf", 2)
    cover = scanned_image(tmp_path / "首页.png")
    dialog.add_files([signed, cover])
    wait_idle()
    assert texts(dialog) == ["1. 签字页.pdf（2页）", "2. 首页.png（1页）"]
    assert dialog.total.text().startswith("共2个文件，3页")
    dialog.files.setCurrentRow(1)
    click(qtbot, dialog.up_button)
    assert texts(dialog) == ["1. 首页.png（1页）", "2. 签字页.pdf（2页）"]
    type_text(qtbot, dialog.note, "当事人签名原件")
    with qtbot.waitSignal(dialog.changed):
        click(qtbot, dialog.save_button)
    wait_idle()
    assert not dialog.isVisible()
    scan = scans.scan_of(demo_database, team.handler, document.id)
    assert scan is not None and scan.page_count == 3 and scan.note == "当事人签名原件"
    with demo_database.read() as session:
        row = session.scalars(select(DocumentScan).where(DocumentScan.document_id == document.id))
        pages = row.one().pages
        first = session.get(EvidenceFile, pages[0])
    assert len(pages) == 2 and first is not None and first.extension == ".png"
    listed = page.documents.row_of(document.id)  # the 文书 list, read again, says so
    assert row_texts(page.documents, listed)[SCAN_COLUMN] == "3页"


def test_a_file_that_is_no_scan_is_named_and_nothing_is_stored(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """A damaged .pdf: its reason under the files, 附加扫描件 disabled until it is taken off."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    _page, dialog, document = open_from_case_page(qtbot, make_context, team, case_id, wait_idle)
    before = stored_files(demo_database)
    dialog.add_files([scanned_image(tmp_path / "a.jpg"), not_a_pdf(tmp_path / "坏文件.pdf")])
    wait_idle()
    assert texts(dialog)[1] == "2. 坏文件.pdf（无法使用）"
    problem = dialog.errors.labels["paths"]
    assert problem.isVisible() and "坏文件.pdf" in problem.text()
    assert not dialog.save_button.isEnabled()
    click(qtbot, dialog.save_button)
    dialog.files.setCurrentRow(1)
    click(qtbot, dialog.drop_button)
    assert texts(dialog) == ["1. a.jpg（1页）"] and not problem.isVisible()
    assert dialog.save_button.isEnabled()
    assert scans.scan_of(demo_database, team.handler, document.id) is None
    assert stored_files(demo_database) == before


def test_a_scan_is_replaced_only_when_confirmed_and_removed_with_a_reason(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """A second scan asks first (取消 keeps the first); 删除扫描件 refuses an empty reason."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    document_id = documents.case_document_views(demo_database, team.handler, case_id)[0].id
    scans.attach_scan(
        demo_database,
        team.handler,
        document_id,
        [scanned_image(tmp_path / "old.png")],
        TODAY,
    )
    _page, dialog, _view = open_from_case_page(qtbot, make_context, team, case_id, wait_idle)
    assert "已附扫描件：1页" in dialog.current.text()
    assert dialog.save_button.text() == "替换扫描件"
    dialog.add_files([scanned_pdf(tmp_path / "new.pdf", 3)])
    wait_idle()
    click(qtbot, dialog.save_button)
    question = dialog.dialog
    assert isinstance(question, QMessageBox) and "用新选的3页替换" in question.text()
    click(qtbot, question.button(QMessageBox.StandardButton.No))
    assert scans.scan_of(demo_database, team.handler, document_id).page_count == 1

    click(qtbot, dialog.save_button)
    with qtbot.waitSignal(dialog.changed):
        click(qtbot, dialog.dialog.button(QMessageBox.StandardButton.Yes))
    wait_idle()
    assert scans.scan_of(demo_database, team.handler, document_id).page_count == 3

    again = ScanDialog(make_context(team.handler), document_id, today=lambda: TODAY)
    qtbot.addWidget(again)
    again.show()
    wait_idle()
    reason_form = again.ask_removal()
    click(qtbot, reason_form.ok_button)
    wait_idle()
    assert reason_form.isVisible() and reason_form.message.text()
    assert scans.scan_of(demo_database, team.handler, document_id) is not None
    type_text(qtbot, reason_form.reason, "扫描件有误，页序错乱")
    with qtbot.waitSignal(again.changed):
        click(qtbot, reason_form.ok_button)
    wait_idle()
    assert scans.scan_of(demo_database, team.handler, document_id) is None
    assert "尚未附加扫描件" in again.current.text()


def test_a_draft_cannot_take_a_scan(qtbot, make_context, sign_in, demo_database, wait_idle):
    """Only what was issued has a paper original: on a draft the button is disabled."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    documents.create_draft(
        demo_database, team.handler, type_key="sampling_voucher", case_id=case_id
    )
    page = open_page(qtbot, make_context, team.handler, case_id, wait_idle)
    listing = page.document_list
    rows = [listing.model.row_at(row).status for row in range(listing.model.rowCount())]
    listing.table.selectRow(rows.index("draft"))
    assert not listing.scan_button.isEnabled()


def test_the_scan_is_attached_from_the_keyboard(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path, monkeypatch
):
    """On the laptop screen, the cursor in the file list: Alt+A adds files, Alt+U moves the
    current one up, Ctrl+Enter attaches."""
    team = case_team(sign_in)
    case_id = make_case(demo_database, team, TO_LEGAL_REVIEW)
    document_id = documents.case_document_views(demo_database, team.handler, case_id)[0].id
    chosen = [str(scanned_pdf(tmp_path / "p1.pdf", 1)), str(scanned_image(tmp_path / "p2.png"))]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *args: (chosen, ""))
    dialog = ScanDialog(make_context(team.handler), document_id, today=lambda: TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    wait_idle()
    assert fits_the_laptop(dialog)
    assert QApplication.focusWidget() is dialog.files
    qtbot.keyClick(dialog.files, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: dialog.files.count() == 2)  # a shortcut clicks 100 ms later
    wait_idle()
    assert texts(dialog) == ["1. p1.pdf（1页）", "2. p2.png（1页）"]
    qtbot.keyClick(dialog.files, Qt.Key.Key_U, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: texts(dialog) == ["1. p2.png（1页）", "2. p1.pdf（1页）"])
    with qtbot.waitSignal(dialog.changed):  # Ctrl+Enter: the default button, from any field
        qtbot.keyClick(dialog.files, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_idle()
    assert scans.scan_of(demo_database, team.handler, document_id).page_count == 2


def test_an_archived_case_takes_no_scan_and_stores_nothing(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path
):
    """The demo's archived case is locked: the refusal says how to reopen it; no scan, no
    stored file."""
    with demo_database.read() as session:
        case_id = session.scalars(select(Case.id).where(Case.stage == "archived")).first()
    clerk = sign_in("wangfang")
    views = documents.case_document_views(demo_database, clerk, case_id)
    document = next(
        view
        for view in views
        if view.status in ("issued", "served")
        and scans.scan_of(demo_database, clerk, view.id) is None
    )
    before = stored_files(demo_database), evidence_store(demo_database).stored()
    dialog = ScanDialog(make_context(clerk), document.id)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle()
    dialog.add_files([scanned_image(tmp_path / "late.png")])
    wait_idle()
    click(qtbot, dialog.save_button)
    wait_idle()
    assert "已归档" in dialog.errors.general.text() and "重新打开" in dialog.errors.general.text()
    assert dialog.isVisible() and scans.scan_of(demo_database, clerk, document.id) is None
    assert (stored_files(demo_database), evidence_store(demo_database).stored()) == before


def test_an_inspections_document_window_offers_no_scan(
    qtbot, make_context, inspector, start_inspection, wait_idle
):
    """On site, in the inspection's 文书 window, there is no paper original yet to scan: the
    button is the case list's only (the dossier view scans an inspection's documents)."""
    window = InspectionDocumentsDialog(make_context(inspector), start_inspection(), "万家燃气")
    qtbot.addWidget(window)
    window.show()
    wait_idle()
    assert window.documents.scan_button.isHidden()
