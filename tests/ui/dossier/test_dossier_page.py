"""The 案卷 page: closed cases waiting, archived ones with their 归档号, several volumes chosen
and printed as one job or exported one file each, Enter opening a volume."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog

from fuanjian_desktop.domain.procedure import Stage
from tests.ui.conftest import active_main_window, type_text
from tests.ui.dossier.dossier_support import (
    dossier_of,
    open_page,
    pdf_pages,
    print_to_pdf,
    squad_case_ids,
)
from ui.dossier import volume_output
from ui.dossier.dossier_page import ARCHIVED, EVERY, WAITING

ARCHIVE_NO = re.compile(r"^20\d{2}\d{4}$")  # §4.3: the year, then the year's 4-digit serial


def listed(page) -> set[str]:
    return {row.case_id for row in page.model_rows()}


def choose(page, value, wait) -> None:
    page.filter.setCurrentIndex(page.filter.findData(value))
    wait()


def test_waiting_lists_the_closed_cases_and_archived_the_archived_ones_with_their_number(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """待归档 = the squad's closed cases, 已归档 = its archived ones (归档号 and date shown);
    each filter says how many it holds."""
    closed = squad_case_ids(demo_database, Stage.CLOSED)
    archived = squad_case_ids(demo_database, Stage.ARCHIVED)
    assert closed and archived  # the demo has both
    page = open_page(qtbot, make_context(sign_in("wangfang")), wait_idle)

    assert listed(page) == closed
    assert page.filter.currentText() == f"待归档（{len(closed)}）"
    assert all(page.model.index(n, 5).data() == "" for n in range(page.model.rowCount()))
    choose(page, ARCHIVED, wait_idle)
    assert listed(page) == archived
    for n, row in enumerate(page.model_rows()):
        stored = dossier_of(demo_database, row.case_id)
        assert stored is not None and ARCHIVE_NO.match(stored.archive_no or "")
        assert page.model.index(n, 5).data() == stored.archive_no
        assert page.model.index(n, 6).data() == str(stored.archived_on)
        assert page.model.index(n, 4).data() == "已归档"
    choose(page, EVERY, wait_idle)
    assert listed(page) == closed | archived


def test_several_volumes_print_as_one_job_holding_every_page_of_each(
    qtbot, make_context, sign_in, demo_database, wait_idle, workers, tmp_path
):
    """Two volumes chosen from the keyboard go to the printer as one job: one output, the pages
    of the first volume then those of the second."""
    page = open_page(qtbot, make_context(sign_in("wangfang")), wait_idle)
    choose(page, EVERY, wait_idle)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Home)
    qtbot.keyClick(page.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert len(page.selected_ids()) == 2
    volumes = page._volumes()
    expected = [pdf_pages(volume.build()) for volume in volumes]

    page.print_selected()
    assert isinstance(page.dialog, QPrintDialog)
    assert page.dialog.windowTitle() == "打印案卷（2 卷）"
    out = print_to_pdf(page.dialog, tmp_path / "job.pdf", qtbot, workers)
    assert pdf_pages(out) == sum(expected)


def test_export_writes_one_pdf_per_chosen_volume_named_by_its_case_number(
    qtbot, make_context, sign_in, demo_database, wait_idle, tmp_path, monkeypatch
):
    page = open_page(qtbot, make_context(sign_in("wangfang")), wait_idle)
    choose(page, EVERY, wait_idle)
    page.table.selectAll()
    rows = page.model_rows()
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(volume_output.QFileDialog, "getExistingDirectory", lambda *args: str(out))
    page.export_selected()
    qtbot.waitUntil(lambda: page.count_label.text().startswith("已导出"), timeout=120_000)

    written = sorted(path.name for path in out.iterdir())
    assert written == sorted(f"案卷{row.case_no}.pdf" for row in rows)
    assert all(pdf_pages(str(path)) > 3 for path in out.iterdir())  # cover, 目录, 备考表 +


def test_enter_opens_the_chosen_volume_and_back_returns_to_it(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    page = open_page(qtbot, make_context(sign_in("wangfang")), wait_idle)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_End)
    chosen = page.selected_ids()[0]
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.view
    assert page.view.case_id == chosen
    wait_idle()
    assert page.view.index.rowCount() > 0

    page.view.back_button.click()  # 返回列表 (Alt+B)
    assert page.stack.currentIndex() == 0
    assert page.selected_ids() == [chosen]
    assert page.filter.currentData() == WAITING


def test_a_clerk_reaches_a_volume_and_types_a_remark_from_the_keyboard(
    qtbot, make_context, sign_in, demo_database, wait_idle
):
    """In the main window at 1366×768: the 案卷 row of the navigation, Down into the list,
    Enter opens the volume with the cursor in the 目录, Down and Enter edit the first 备注."""
    window = active_main_window(qtbot, make_context(sign_in("wangfang")))
    window.resize(1366, 768)
    row = window._keys.index("dossiers")
    qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + row), Qt.KeyboardModifier.ControlModifier)
    page = window.pages["dossiers"]
    wait_idle()
    for _stop in range(8):  # Tab: the filter, the buttons, then the list
        if window.focusWidget() is page.table:
            break
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    assert window.focusWidget() is page.table
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.stack.currentWidget() is page.view
    qtbot.waitUntil(lambda: page.view.first_page_seconds is not None, timeout=60_000)
    wait_idle()
    assert window.focusWidget() is page.view.index_table
    qtbot.keyClick(page.view.index_table, Qt.Key.Key_Down)  # the first item
    qtbot.keyClick(page.view.index_table, Qt.Key.Key_Return)
    editor = window.focusWidget()
    type_text(qtbot, editor, "见附件")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_idle()
    stored = dossier_of(demo_database, page.view.case_id)
    assert stored is not None and "见附件" in stored.remarks.values()
    assert page.view.width() <= 1366 - 170  # the page fits beside the navigation
