"""数据恢复密钥: shown once, at 正式启用, for the squad leader to print or write down.

The recovery key is the only way back into the encrypted data when every password is lost, and
it is never stored readable on the laptop: this dialog is the one moment a person sees it. So it
cannot be closed (Esc, the window's ×) until the leader confirms the key was printed or written
down and put away; 打印 (Ctrl+P) prints one A4 sheet with room for the keeper's signature.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtGui import QCloseEvent, QFont, QFontDatabase, QPageLayout, QPageSize, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop import APP_NAME
from ui.file_dialogs import in_documents
from ui.shortcuts import PRINT, keyed
from ui.widgets.form_parts import error_label

EXPLANATION = (
    "本机数据已加密。所有密码都遗失时，只有这个恢复密钥能重设密码、打开数据；"
    "在另一台电脑上恢复备份也可以用它。"
    "<br><b>恢复密钥只显示这一次，本机不保存。</b>请中队负责人现在打印或抄写下来，"
    "密封后妥善保管，不要与笔记本电脑放在一起：拿到它和这台电脑的人能读取全部数据。"
)
CONFIRM = "我已将恢复密钥打印或抄写下来，交中队负责人妥善保管(&K)"
NOT_CONFIRMED = "请先打印或抄写恢复密钥，并勾选上面的确认，再继续。"
PAGE_MARGIN_MM = 20.0
SHEET_FILE = "福安监恢复密钥-{day:%Y%m%d}.pdf"


class RecoveryKeyDialog(QDialog):
    """Shows ``code`` for ``squad_name``; accepted only after the keeping is confirmed."""

    def __init__(self, code: str, squad_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} — 数据恢复密钥")
        self.setMinimumWidth(640)
        self._code = code
        self._squad_name = squad_name
        self.code_label = QLabel(code)
        self.code_label.setObjectName("recoveryCode")
        self.code_label.setFont(code_font(18, bold=True))
        self.code_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code_label.setStyleSheet(
            "#recoveryCode { border: 2px solid #5d4037; background: #fffde7; padding: 12px; }"
        )
        self.print_button = keyed(QPushButton("打印恢复密钥…"), PRINT)
        self.print_button.clicked.connect(self.print_sheet)
        self.kept = QCheckBox(CONFIRM)
        self.done_button = QPushButton("完成")
        self.done_button.setEnabled(False)
        self.done_button.clicked.connect(self.accept)
        self.kept.toggled.connect(self._confirmed)
        self.error = error_label()
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addStretch()
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<h2>数据恢复密钥</h2><p>{html.escape(squad_name)}</p>"))
        layout.addWidget(explanation)
        layout.addWidget(self.code_label)
        layout.addWidget(self.kept)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.print_button.setFocus()  # the first thing to do; Tab reaches the confirmation

    def _confirmed(self, kept: bool) -> None:
        self.done_button.setEnabled(kept)
        self.done_button.setDefault(kept)  # Enter then finishes
        if kept:
            self.error.clear()

    def reject(self) -> None:
        """Esc does not close the dialog before the key was kept: it says what is missing."""
        if not self.kept.isChecked():
            self.error.setText(NOT_CONFIRMED)
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's × likewise waits for the confirmation."""
        if self.kept.isChecked():
            event.accept()
            return
        self.error.setText(NOT_CONFIRMED)
        event.ignore()

    def print_sheet(self) -> QPrintDialog:
        """Qt's print dialog (Chinese); its 打印 prints the sheet. Without a printer Qt prints
        to a PDF file: one is proposed in the user's 文档 folder, so Enter writes it."""
        printer = sheet_printer()
        propose_sheet_file(printer, dt.date.today())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印恢复密钥")
        dialog.accepted.connect(lambda: self.paint_sheet(printer))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.show()  # (QPrintDialog.open wants a receiver and slot)
        self.print_dialog = dialog  # kept alive while shown
        return dialog

    def paint_sheet(self, printer: QPrinter) -> None:
        """Print the sheet onto ``printer`` (the print dialog's, or a PDF printer in tests)."""
        sheet_document(self._code, self._squad_name, dt.date.today()).print_(printer)


def sheet_printer() -> QPrinter:
    """An A4 printer with 20 mm margins."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    margins = QMarginsF(*(PAGE_MARGIN_MM,) * 4)
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            margins,
            QPageLayout.Unit.Millimeter,
        )
    )
    return printer


def propose_sheet_file(printer: QPrinter, day: dt.date) -> None:
    """Name the PDF file a printer without a real printer would write (in 文档)."""
    if printer.outputFormat() != QPrinter.OutputFormat.PdfFormat:
        return
    place = Path(in_documents())
    place.mkdir(parents=True, exist_ok=True)  # the print dialog refuses a missing folder
    printer.setOutputFileName(str(place / SHEET_FILE.format(day=day)))


def sheet_document(code: str, squad_name: str, day: dt.date) -> QTextDocument:
    """The printed sheet: what the key is, the key in large type, and who keeps it."""
    document = QTextDocument()
    document.setDefaultFont(QFont(QFont().families(), 12))
    rows = (
        f"<h1 style='text-align:center'>{APP_NAME} 数据恢复密钥</h1>",
        f"<p>中队：{html.escape(squad_name)}</p>",
        f"<p>生成日期：{day:%Y年%m月%d日}</p>",
        # 15 pt keeps the 39 characters on one line of the A4 page (a break inside it misleads)
        "<p style='font-size:15pt; font-family:monospace; text-align:center;"
        f" white-space:nowrap'><b>{html.escape(code)}</b></p>",
        f"<p>{EXPLANATION}</p>",
        "<p>忘记密码时：在登录窗口选择“忘记密码”，输入用户名、此恢复密钥和新密码。</p>",
        "<p>如果打印成了 PDF 文件，请打印到纸上后删除该文件，不要留在电脑上。</p>",
        "<p><br>保管人（签名）：____________________　　日期：________________</p>",
    )
    document.setHtml("".join(rows))
    return document


def code_font(point_size: int, bold: bool = False) -> QFont:
    """A fixed-width face, so 0/O and 1/l are told apart when copied by hand."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSize(point_size)
    font.setBold(bold)
    return font
