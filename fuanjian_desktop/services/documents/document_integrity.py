"""An issued document's frozen content must still be what was signed, before any output.

Issuing stores the composed sheet and its SHA-256 (``document_issue.freeze``); the audit event of
that change, a link of the hash chain, stores the same SHA-256 in its ``after`` values. Before a
document is rendered, printed or exported, the stored sheet is hashed again and compared with the
stored SHA-256, and that with the one the audit trail recorded, so an altered document is refused
(named by title and 文号) instead of printed under the old fingerprint's QR code.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import AuditEvent, CaseDocument

CHECK_HINT = "请不要使用这份文书，并请管理员运行 python main.py audit verify 核查操作日志。"


class DocumentTampered(UserError):
    """An issued document whose stored content no longer matches its fingerprint."""

    def __init__(self, document: CaseDocument, what: str) -> None:
        self.finding = f"{document_name(document)}{what}"
        super().__init__(f"{self.finding}，已拒绝预览、打印和导出。{CHECK_HINT}")
        self.document_id = document.id


def document_name(document: CaseDocument) -> str:
    """《标题》and the 文号 (or 无文号), as messages name a document."""
    return f"《{document.title}》（{document.number or '无文号'}）"


def frozen_fingerprint(sheet: dict[str, Any]) -> str:
    """SHA-256 of a stored sheet, computed as ``documents.sheet.fingerprint`` did at issue.

    The stored JSON itself is hashed (not the sheet rebuilt from it), so no key can be added,
    changed or dropped unseen, and a sheet frozen by an older version hashes as it did then.
    """
    canonical = json.dumps(sheet, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def check_frozen(session: Session, document: CaseDocument) -> None:
    """Raise :class:`DocumentTampered` unless the issued ``document`` is as it was signed.

    Its stored sheet must hash to its stored SHA-256, and that must be the SHA-256 the audit
    trail recorded for it last (a document row written or re-hashed outside the app has none or
    another). A draft (no fingerprint) passes: it is composed afresh and printed without QR code.
    """
    if document.sha256 is None:
        return
    if document.sheet is None:
        raise DocumentTampered(document, "已签发，但签发时冻结的内容不见了")
    if frozen_fingerprint(document.sheet) != document.sha256:
        raise DocumentTampered(document, "的内容与签发时记录的指纹不符，签发后被改动过")
    recorded = recorded_fingerprint(session, document.id)
    if recorded is None:
        raise DocumentTampered(document, "在操作日志中没有签发记录，不是经本系统签发的")
    if recorded != document.sha256:
        raise DocumentTampered(document, "的指纹与操作日志中记录的不符，签发后被改动过")


def recorded_fingerprint(session: Session, document_id: str) -> str | None:
    """The document's SHA-256 in the newest audit event that recorded one (``None``: none did)."""
    query = (
        select(AuditEvent.after)
        .where(AuditEvent.entity_type == CaseDocument.__tablename__)
        .where(AuditEvent.entity_id == document_id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.device_seq.desc())
    )
    for after in session.scalars(query):
        if after is not None and after.get("sha256"):
            return str(after["sha256"])
    return None
