"""Write a sheet to a file in the format its name asks for (.pdf or .docx)."""

from __future__ import annotations

from pathlib import Path

from fuanjian_desktop.documents.docx import render_docx
from fuanjian_desktop.documents.pdf import render_pdf
from fuanjian_desktop.documents.sheet import Sheet
from fuanjian_desktop.errors import UserError

FORMATS = (".pdf", ".docx")


def write_document(sheet: Sheet, path: Path, *, qr: str | None = None, draft: bool = False) -> None:
    """Render ``sheet`` to ``path``; the suffix chooses PDF or Word."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        render_pdf(sheet, path, qr=qr, draft=draft)
    elif suffix == ".docx":
        render_docx(sheet, path, qr=qr, draft=draft)
    else:
        raise UserError(f"不支持的文件类型“{path.suffix}”：请保存为 .pdf 或 .docx。")
