"""The kinds of enforcement document a case produces (立案审批表, 行政处罚决定书 …).

Data in ``resources/documents/types.json``: the title, the 文号 code (应急立, 应急罚 …), whether
the document carries a 文号 and whether it must be served on the party. The procedure names
the documents each step issues; the documents issue renders them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.resources import load_json_resource

# the life of a document: 草稿 → 已签发 → 已送达, or 已作废 / 已更正 (replaced by a new edition)
DOCUMENT_STATUS_LABELS = {
    "draft": "草稿",
    "issued": "已签发",
    "served": "已送达",
    "voided": "已作废",
    "superseded": "已更正",
}

# the statuses of a document that stands (not a draft, not voided, not replaced by a correction)
IN_FORCE = ("issued", "served")


@dataclass(frozen=True)
class DocumentType:
    """One kind of document: ``code`` is the 文号 stem, ``None`` for unnumbered records."""

    key: str
    title: str
    code: str | None
    numbered: bool
    served: bool


@functools.cache
def document_types() -> dict[str, DocumentType]:
    """Every document kind by key, in the order of the data file."""
    data: dict[str, Any] = load_json_resource("documents", "types.json")
    return {
        row["key"]: DocumentType(
            row["key"], row["title"], row["code"], bool(row["numbered"]), bool(row["served"])
        )
        for row in data["types"]
    }


def document_type(key: str) -> DocumentType:
    """The document kind ``key``; a Chinese error names an unknown one."""
    try:
        return document_types()[key]
    except KeyError:
        raise UserError(f"未知的文书种类“{key}”，请检查 resources/documents/types.json。") from None


def status_label(type_key: str, status: str) -> str:
    """The status in Chinese. A record without a 文号 (a 笔录) is not signed off by the
    authority but closed by the signatures on it, so once issued it reads 已定稿."""
    kind = document_types().get(type_key)
    if status == "issued" and kind is not None and not kind.numbered:
        return "已定稿"
    return DOCUMENT_STATUS_LABELS[status]
