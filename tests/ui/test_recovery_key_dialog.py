"""数据恢复密钥 at 正式启用: shown once, printed, and not closed before it was kept."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication

from ui.dialogs.recovery_key_dialog import RecoveryKeyDialog, sheet_printer

CODE = "7K3M-Q9XA-0B1C-DEFG-HJKM-NPQR-STVW-XYZ2"  # a made-up code in the keyring's format
SQUAD = "园岭街道应急管理执法中队"


def shown(qtbot) -> RecoveryKeyDialog:
    dialog = RecoveryKeyDialog(CODE, SQUAD)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_the_code_is_shown_whole_and_the_keyboard_starts_on_print(qtbot):
    dialog = shown(qtbot)
    assert dialog.code_label.text() == CODE
    assert dialog.code_label.sizeHint().width() <= dialog.code_label.width()  # not cut off
    assert QApplication.focusWidget() is dialog.print_button
    assert "Ctrl+P" in dialog.print_button.text()


def test_esc_does_not_close_before_the_key_was_kept(qtbot):
    """Esc and the window's × are refused with what is missing; 完成 is disabled."""
    dialog = shown(qtbot)
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_Escape)
    assert dialog.isVisible() and "请先打印或抄写恢复密钥" in dialog.error.text()
    assert not dialog.close() and dialog.isVisible()
    assert not dialog.done_button.isEnabled()


def test_confirming_by_keyboard_then_enter_finishes(qtbot):
    """Tab to the confirmation, Space ticks it, Enter presses 完成."""
    dialog = shown(qtbot)
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.kept
    qtbot.keyClick(dialog.kept, Qt.Key.Key_Space)
    assert dialog.done_button.isEnabled() and dialog.error.text() == ""
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.kept, Qt.Key.Key_Return)


def test_the_printed_sheet_holds_the_code_and_the_squad(qtbot, tmp_path: Path):
    """Printed to a PDF file, the one A4 page carries the code as typed text and the squad."""
    dialog = shown(qtbot)
    printer = sheet_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "recovery.pdf"
    printer.setOutputFileName(str(target))
    dialog.paint_sheet(printer)
    document = pdfium.PdfDocument(str(target))
    try:
        assert len(document) == 1
        page = document[0]
        text_page = page.get_textpage()
        text = text_page.get_text_range()
        assert CODE in text and SQUAD in text and "保管人" in text  # the code on one line
        start = text.index(CODE)
        code_right = text_page.get_charbox(start + len(CODE) - 1)[2]
        column_right = max(  # where the wrapped explanation's lines end
            text_page.get_charbox(index)[2]
            for index in range(start + len(CODE), text.index("保管人"))
            if not text[index].isspace()  # a line break's box lies beyond the line
        )
    finally:
        document.close()
    assert code_right <= column_right  # the code stays inside the column the text uses


def test_ctrl_p_opens_the_print_dialog_whose_print_prints_the_sheet(
    qtbot, tmp_path: Path, monkeypatch
):
    """Ctrl+P (the button's key) opens Qt's print dialog; its 打印 prints the sheet (here to a
    PDF file, as on a laptop without a printer)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    documents = Path(QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation))
    assert documents.is_relative_to(tmp_path)
    dialog = shown(qtbot)
    qtbot.keyClick(dialog.print_button, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: getattr(dialog, "print_dialog", None) is not None)
    printing = dialog.print_dialog
    qtbot.waitUntil(printing.isVisible)
    assert isinstance(printing, QPrintDialog) and printing.windowTitle() == "打印恢复密钥"
    printed: list[QPrinter] = []
    dialog.paint_sheet = printed.append  # what 打印 prints on; the sheet's own test above
    printing.accept()
    assert printed == [printing.printer()]
    if printing.printer().outputFormat() == QPrinter.OutputFormat.PdfFormat:  # no printer
        written = Path(printing.printer().outputFileName())
        assert written.parent == documents and written.name.startswith("福安监恢复密钥-")
