"""Two tabs of the dossier view that only show what was read: the 自查 with its score, and the
cover's fields with the 备考表 (the one text of the volume a person writes)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.dossier.self_check import SelfCheck
from fuanjian_desktop.services.dossiers.volume import DossierView
from ui.dossier.dossier_tables import FINDING_WIDTHS, FindingModel
from ui.shortcuts import SAVE, keyed

TEXT_COLUMN = 1  # 文件名称及编号, 问题: the wide text of a row


def table(model: QAbstractItemModel, widths: Sequence[int]) -> QTableView:
    """A read-mostly table: whole rows, one at a time, the wide text column taking the room
    the others leave."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().hide()
    for column, width in enumerate(widths):
        view.setColumnWidth(column, width)
    view.horizontalHeader().setSectionResizeMode(TEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
    return view


class SelfCheckTab(QWidget):
    """自查: the score out of 100 (or 不合格 on a veto) and each finding with its 评查 item."""

    def __init__(self) -> None:
        super().__init__()
        self.score = QLabel()
        self.score.setWordWrap(True)
        self.findings = FindingModel()
        self.table = table(self.findings, FINDING_WIDTHS)
        self.table.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(self.score)
        column.addWidget(self.table, 1)

    def show_check(self, check: SelfCheck) -> None:
        """Show ``check``."""
        verdict = "不合格（一票否决）" if check.vetoed else f"{check.score} 分（满分 100 分）"
        blocking = "；有须先解决的问题，解决后才能归档" if check.blocking else ""
        problems = f"{len(check.findings)} 项问题" if check.findings else "未发现问题"
        self.score.setText(f"自查得分：{verdict}，{problems}{blocking}。")
        self.findings.set_rows(list(check.findings))
        self.table.resizeRowsToContents()


class CoverTab(QWidget):
    """The cover's fields as compiled, and the 备考表; ``save_requested`` carries its three
    texts (本卷情况说明, 立卷人, 检查人) when 保存备考表 is pressed."""

    save_requested = Signal(str, str, str)

    def __init__(self) -> None:
        super().__init__()
        self.cover = QFormLayout()
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(90)
        self.filed_by = QLineEdit()
        self.checked_by = QLineEdit()
        self.save_button = keyed(QPushButton("保存备考表"), SAVE)
        self.save_button.clicked.connect(self._save)
        backnotes = QFormLayout()
        backnotes.addRow("本卷情况说明：", self.notes)
        backnotes.addRow("立卷人：", self.filed_by)
        backnotes.addRow("检查人：", self.checked_by)
        backnotes.addRow("", self.save_button)
        title = QLabel("备考表")
        title.setStyleSheet("font-weight: bold;")
        column = QVBoxLayout(self)
        column.addLayout(self.cover)
        column.addWidget(title)
        column.addLayout(backnotes)
        column.addStretch()

    def show_dossier(self, view: DossierView, editable: bool) -> None:
        """Show ``view``'s cover and 备考表; the 备考表 is read-only unless ``editable``."""
        while self.cover.rowCount():
            self.cover.removeRow(0)
        for label, value in view.cover_lines:
            shown = QLabel(value or "—")
            shown.setWordWrap(True)
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.cover.addRow(f"{label}：", shown)
        self.notes.setPlainText(view.notes or "")
        self.filed_by.setText(view.filed_by or "")
        self.checked_by.setText(view.checked_by or "")
        for field in (self.notes, self.filed_by, self.checked_by):
            field.setReadOnly(not editable)
        self.save_button.setEnabled(editable)

    def _save(self) -> None:
        texts = (self.notes.toPlainText(), self.filed_by.text(), self.checked_by.text())
        self.save_requested.emit(*(text.strip() for text in texts))
