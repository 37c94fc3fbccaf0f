"""The result of an Excel import: how many rows went in, and each rejected row with its reason."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.services.registry.registry_import import ImportReport
from ui.errors import show_failure
from ui.file_dialogs import in_documents


class ImportReportDialog(QDialog):
    """Summary line plus a table of 行号 / 列 / 原因 the clerk can save and fix from."""

    def __init__(self, parent: QWidget | None, report: ImportReport) -> None:
        super().__init__(parent)
        self.setWindowTitle("Excel导入结果")
        self.resize(760, 480)
        self._report = report
        self.summary = QLabel(
            f"共读取 {report.total_rows} 行：成功导入 {report.imported} 家，"
            f"{report.rejected_rows} 行未导入（原因见下表，修改后可再次导入这些行）。"
        )
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(report.problems), 3)
        self.table.setHorizontalHeaderLabels(["行号", "列", "原因"])
        for row, problem in enumerate(report.problems):
            for column, text in enumerate((str(problem.row), problem.column, problem.reason)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setColumnWidth(0, 60)
        self.table.setColumnWidth(1, 140)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        if report.problems:
            save = QPushButton("保存问题清单…")
            save.clicked.connect(self._save_problems)
            buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def _save_problems(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "保存问题清单", in_documents("导入问题清单.xlsx"), "Excel 文件 (*.xlsx)"
        )
        if path:
            try:
                self._report.write_report(Path(path))
            except UserError as error:
                show_failure(self, error, "问题清单未保存")
