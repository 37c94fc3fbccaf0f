"""An issued document is re-hashed before every output: altered content is refused by name, so
its QR code never vouches for what was not signed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.documents.document_integrity import DocumentTampered
from fuanjian_desktop.services.documents.document_samples import write_samples
from fuanjian_desktop.services.documents.documents import document_sheet
from tests.attacker import alter_issued_decision, altered_sheet, issued_decision, raw_connection

REFUSED = "已拒绝预览、打印和导出。请不要使用这份文书，并请管理员运行 python main.py audit verify"


def reader(sign_in: Callable[[str], Actor]) -> Actor:
    """The demo's squad leader, who may read every document of the squad."""
    return sign_in("liuyang")


def test_an_intact_issued_document_prints_with_its_fingerprint(
    demo_database: Database, sign_in: Callable[[str], Actor]
) -> None:
    """Unaltered: the sheet comes back with the QR text ``文号|first 12 hex of the SHA-256``."""
    document = issued_decision(demo_database)
    _sheet, qr = document_sheet(demo_database, reader(sign_in), document.id)
    assert qr == f"{document.number}|{document.sha256[:12] if document.sha256 else ''}"


def test_altered_content_is_refused_by_name(
    demo_database: Database, sign_in: Callable[[str], Actor]
) -> None:
    """An edited frozen sheet is refused before anything is drawn, naming title and 文号."""
    document = alter_issued_decision(demo_database)

    with pytest.raises(DocumentTampered) as refused:
        document_sheet(demo_database, reader(sign_in), document.id)
    assert refused.value.message.startswith(
        f"《{document.title}》（{document.number}）的内容与签发时记录的指纹不符，签发后被改动过，"
    )
    assert REFUSED in refused.value.message


def test_content_and_fingerprint_replaced_together_are_refused(
    demo_database: Database, sign_in: Callable[[str], Actor]
) -> None:
    """A re-hashed document would print a consistent QR code: the trail's fingerprint stops it."""
    document = issued_decision(demo_database)
    assert document.sheet is not None
    sheet = altered_sheet(document.sheet)
    canonical = json.dumps(sheet, ensure_ascii=False, sort_keys=True)
    with raw_connection(demo_database) as connection:
        connection.execute(
            "UPDATE case_document SET sheet = ?, sha256 = ? WHERE id = ?",
            (json.dumps(sheet), hashlib.sha256(canonical.encode()).hexdigest(), document.id),
        )

    with pytest.raises(DocumentTampered, match="的指纹与操作日志中记录的不符"):
        document_sheet(demo_database, reader(sign_in), document.id)


def test_samples_refuse_an_altered_document(demo_database: Database, tmp_path: Path) -> None:
    """``documents samples`` (every type from the stored documents) refuses an altered one too."""
    document = issued_decision(demo_database)
    assert document.sheet is not None
    with raw_connection(demo_database) as connection:
        connection.execute(
            "UPDATE case_document SET sheet = ? WHERE type_key = ? AND sheet IS NOT NULL",
            (json.dumps(altered_sheet(document.sheet)), document.type_key),
        )

    with pytest.raises(DocumentTampered, match="签发后被改动过"):
        write_samples(demo_database, tmp_path, on_file=lambda _path: None)
