"""导出PDF / 导出Word: the document written to a file the user names.

The save dialog proposes the title and 文号 as the name; rendering runs on the workers, and the
result (where the file went, or why it did not) comes back through ``done`` / ``failed``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from fuanjian_desktop.documents.docx import render_docx
from fuanjian_desktop.documents.pdf import render_pdf
from fuanjian_desktop.services.documents.documents import DocumentView
from ui.context import AppContext
from ui.documents.rendering import Renderer, default_file_name, render_document
from ui.file_dialogs import in_documents


@dataclass(frozen=True)
class ExportFormat:
    """A file format a document can be exported as."""

    name: str
    suffix: str
    file_filter: str
    renderer: Renderer


PDF = ExportFormat("PDF", ".pdf", "PDF 文件 (*.pdf)", render_pdf)
WORD = ExportFormat("Word", ".docx", "Word 文档 (*.docx)", render_docx)


def ask_path(parent: QWidget, view: DocumentView, form: ExportFormat) -> Path | None:
    """The file the user names (the title and 文号 proposed), or ``None`` if cancelled."""
    proposed = in_documents(default_file_name(view.title, view.number, form.suffix))
    path, _filter = QFileDialog.getSaveFileName(
        parent, f"导出{form.name}", proposed, form.file_filter
    )
    if not path:
        return None
    chosen = Path(path)
    return (
        chosen
        if chosen.suffix.lower() == form.suffix
        else chosen.with_name(chosen.name + form.suffix)
    )


def export_document(
    context: AppContext,
    view: DocumentView,
    form: ExportFormat,
    path: Path,
    done: Callable[[Path], None],
    failed: Callable[[Exception], None],
) -> None:
    """Write ``view``'s document as ``form`` to ``path`` in the background."""
    database, document_id, actor = context.database, view.id, context.actor

    def write() -> Path:
        render_document(database, actor, document_id, form.renderer, path)
        return path

    context.workers.run(write, done, failed)
