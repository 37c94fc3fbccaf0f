"""Qt's own dialogs speak Chinese once the app is made (issue 14: print, file, message dialogs)."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QWidget,
)

from ui.app import make_application
from ui.translations import qt_chinese_loaded

ENGLISH = re.compile("[A-Za-z]{3,}")  # a word of three letters or more, not an accelerator
CHINESE = re.compile("[\u4e00-\u9fff]")


def test_print_preview_and_print_dialog_strings_are_chinese(qapp):
    """The print preview's tooltips and the print dialog's title come out in Chinese."""
    make_application()
    assert QCoreApplication.translate("QPrintPreviewDialog", "Print") == "打印"
    assert QCoreApplication.translate("QPrintPreviewDialog", "Next page") == "下一页"
    assert QCoreApplication.translate("QPrintDialog", "Print") == "打印"


def test_message_box_buttons_are_chinese(qtbot, qapp):
    """A QMessageBox's standard buttons read 确定 and 取消, not OK and Cancel."""
    make_application()
    box = QMessageBox(QMessageBox.Icon.Question, "福安监", "继续吗？")
    box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    ok = box.button(QMessageBox.StandardButton.Ok).text()
    cancel = box.button(QMessageBox.StandardButton.Cancel).text()
    assert (ok.replace("&", ""), cancel.replace("&", "")) == ("确定", "取消")


def test_qt_file_dialog_is_chinese(qtbot, qapp):
    """Where Qt draws the file dialog itself (offscreen, no native one) it is Chinese too."""
    make_application()
    dialog = QFileDialog(None, "导出PDF")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    buttons = dialog.findChild(QDialogButtonBox)
    texts = {button.text().replace("&", "") for button in buttons.buttons()}
    assert texts == {"保存(S)", "取消"}


def english_only(dialog: QWidget) -> set[str]:
    """The labels and button texts of ``dialog`` with an English word and no Chinese."""
    shown = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)]
    return {text for text in shown if ENGLISH.search(text) and not CHINESE.search(text)}


def test_no_label_of_qts_file_and_print_dialogs_is_left_in_english(qtbot, qapp):
    """Every label and button of Qt's own file and print dialogs reads Chinese, including the
    few Qt's translation file lacks (查找范围, 文件类型, 打印页面)."""
    make_application()
    printer = QPrinter()
    file_dialog = QFileDialog(None, "选择照片")
    file_dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    for dialog in (file_dialog, QPrintDialog(printer)):
        qtbot.addWidget(dialog)
        assert english_only(dialog) == set()


def test_locale_is_simplified_chinese_and_the_translation_is_known_loaded(qapp):
    """The default locale is zh_CN whatever the laptop's, and the app knows the .qm is loaded
    (the About dialog reports it)."""
    make_application()
    assert QLocale().name() == "zh_CN"
    assert qt_chinese_loaded(qapp)
