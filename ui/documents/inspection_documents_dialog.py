"""文书 of one inspection: the four papers of a site visit, drafted from what was recorded.

现场检查记录, 责令限期整改指令书, 现场处理措施决定书 and 整改复查意见书 each get a button that
drafts the document filled from the inspection (problems, measures, the inspectors' 证号 …)
and opens it in the editor (Alt+1…4); below, the inspection's documents with print and export.
The window opens with the cursor in the list, so Enter, Ctrl+A and the print keys act at once.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from fuanjian_desktop.domain.roles import Permission
from ui.context import AppContext
from ui.documents.document_list import DocumentList, DocumentOwner
from ui.documents.type_picker import document_kinds

INSPECTION_TYPES = (
    "inspection_record",
    "rectification_order",
    "onsite_measures_decision",
    "recheck_opinion",
)


class InspectionDocumentsDialog(QDialog):
    """A window beside the checklist runner (not modal: the checklist stays at hand)."""

    def __init__(
        self, context: AppContext, inspection_id: str, venue: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"文书 — {venue}")
        self.resize(980, 460)
        can_create = context.actor.can(Permission.INSPECT)
        self.documents = DocumentList(context, document_kinds(INSPECTION_TYPES), can_create)
        self.documents.show_owner(DocumentOwner(inspection_id=inspection_id))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close_button = close.button(QDialogButtonBox.StandardButton.Close)
        close_button.setText("关闭 (Esc)")
        close_button.setAutoDefault(False)  # Enter on a focused button must not close the window
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.documents, 1)
        layout.addWidget(close)
        self.documents.table.setFocus()
