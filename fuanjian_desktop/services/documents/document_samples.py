"""One sample of every document type, from the documents the database really holds.

``main.py documents samples`` writes, for every type and printed variant, the newest issued
document of that kind as PDF and Word, named by its Chinese title, so a reviewer can put each
beside the national template. The demo issues one of every kind, so a demo database has them
all; a type nobody has issued yet is reported, never invented.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.documents.output import FORMATS, write_document
from fuanjian_desktop.documents.sheet import Sheet
from fuanjian_desktop.documents.spec import document_specs
from fuanjian_desktop.domain.documents.document_types import IN_FORCE
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import CaseDocument
from fuanjian_desktop.services.documents.documents import sheet_of


@dataclass(frozen=True)
class Sample:
    """The document chosen to show one type and variant."""

    title: str
    document_id: str


def sample_documents(database: Database) -> tuple[list[Sample], list[str]]:
    """The newest issued document of every type and variant, and the titles without one."""
    query = (
        select(CaseDocument.type_key, CaseDocument.variant, CaseDocument.id)
        .where(CaseDocument.status.in_(IN_FORCE), CaseDocument.sheet.is_not(None))
        .order_by(CaseDocument.issued_at)
    )
    with database.read() as session:
        newest = {(key, variant or ""): id_ for key, variant, id_ in session.execute(query)}
    samples: list[Sample] = []
    missing: list[str] = []
    for key, spec in document_specs().items():
        for title in dict.fromkeys(variant.title for variant in spec.variants):
            # variants printed under one title (结案审批表 of a unit or a person) share a sample
            keys = [variant.key for variant in spec.variants if variant.title == title]
            found = [newest[(key, variant)] for variant in keys if (key, variant) in newest]
            if found:
                samples.append(Sample(title, found[0]))
            else:
                missing.append(title)
    return samples, missing


def write_samples(
    database: Database, out: Path, on_file: Callable[[Path], None] = lambda _path: None
) -> list[Path]:
    """Write every sample as PDF and DOCX into ``out``; refuse when a type has none."""
    samples, missing = sample_documents(database)
    if missing:
        raise UserError(
            f"以下文书还没有签发过，无法生成样本：{'、'.join(missing)}。"
            "请在演示数据文件夹中运行（main.py demo --data-dir 文件夹）。"
        )
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for sample in samples:
        sheet, qr = _sample_sheet(database, sample.document_id)
        for suffix in FORMATS:
            path = out / f"{sample.title}{suffix}"
            write_document(sheet, path, qr=qr)
            on_file(path)
            written.append(path)
    return written


def _sample_sheet(database: Database, document_id: str) -> tuple[Sheet, str | None]:
    """A sample's sheet. Samples are printed by ``main.py samples`` from every squad's issued
    documents of the (demo) folder the command was signed into, so no squad is chosen here."""
    with database.read() as session:
        document = session.get(CaseDocument, document_id)
        if document is None:
            raise UserError("样本文书已不存在，请重新生成样本。")
        return sheet_of(session, document)
