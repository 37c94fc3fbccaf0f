"""The list of a case's or an inspection's documents: one row per document and edition.

A voided or corrected (superseded) document stays listed, in grey, because its 文号 was used and
the paper may be in someone's hands; the version column tells editions apart, the 扫描件 column
which signed originals are scanned for the 案卷 (their pages).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from fuanjian_desktop.services.documents.documents import DocumentView
from ui.models.column_table import Column, RowListModel

INACTIVE = ("voided", "superseded")
INACTIVE_FOREGROUND = QBrush(QColor("#8a93a0"))
DOCUMENT_COLUMNS: tuple[Column[DocumentView], ...] = (
    Column("文书", lambda row: row.title),
    Column("文号", lambda row: row.number or "（无文号）"),
    Column("状态", lambda row: row.status_label),
    Column("版本", lambda row: f"第{row.edition}版"),
    Column("签发日期", lambda row: f"{row.issued_on:%Y-%m-%d}" if row.issued_on else ""),
    Column("扫描件", lambda row: f"{row.scan_pages}页" if row.scan_pages else ""),
    Column("送达", lambda row: _served(row)),
)
COLUMN_WIDTHS = (220, 250, 70, 60, 90, 60)


class DocumentTableModel(RowListModel):
    """Documents as :class:`DocumentView` rows; voided and superseded ones greyed."""

    def __init__(self) -> None:
        super().__init__(DOCUMENT_COLUMNS)

    def style(self, row: DocumentView, column: int, role: int) -> Any:
        """Grey text for a document no longer in force."""
        if role == Qt.ItemDataRole.ForegroundRole and row.status in INACTIVE:
            return INACTIVE_FOREGROUND
        return None


def _served(row: DocumentView) -> str:
    if not row.served_on:
        return ""
    return f"{row.served_on:%Y-%m-%d} {row.served_method or ''}".strip()
