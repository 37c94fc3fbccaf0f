"""文书 defects a case-file review (案卷评查) finds in a case's issued documents.

An issued document must print every field its type requires (the spec's ``required`` fields
its variant prints): a 听证会通知书 without 听证地点 fails 行政处罚法第六十四条第二项 whatever
path issued it. Issuing checks the same rule
(``services.documents.document_issue.check_complete``), so this finds documents issued before
the check, or imported, and keeps the case from closing on them until they are corrected.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fuanjian_desktop.documents.compose import value_text
from fuanjian_desktop.documents.spec import DocumentSpec, document_specs
from fuanjian_desktop.domain.documents.document_types import document_types
from fuanjian_desktop.domain.guard.case_guard import CaseFacts, Defect, ReviewItem

ISSUED = ("issued", "served")
CLOSING = frozenset({"submit_closing", "approve_closing", "archive"})


def missing_fields(
    spec: DocumentSpec, variant: str | None, values: Mapping[str, Any]
) -> dict[str, str]:
    """The required fields the variant prints that are empty, name → label (a 单位 form needs
    no 身份证号)."""
    printed = spec.printed_fields(variant)
    return {
        name: field.label
        for name, field in spec.fields.items()
        if field.required and name in printed and is_empty(values.get(name))
    }


def is_empty(value: Any) -> bool:
    """Whether a value prints nothing (an empty list, or text that is only blank)."""
    if isinstance(value, list | tuple):
        return not value
    return not value_text(value)


def missing_labels(
    type_key: str, variant: str | None, values: Mapping[str, Any]
) -> tuple[str, ...]:
    """The labels of :func:`missing_fields` for a document of ``type_key`` (none without a
    spec), as the guard's facts carry them."""
    spec = document_specs().get(type_key)
    return tuple(missing_fields(spec, variant, values).values()) if spec else ()


def document_content_defects(facts: CaseFacts) -> Iterator[Defect]:
    """An issued document of the case missing a required printed field, with what to do."""
    titles = document_types()
    for document in facts.documents:
        if document.missing and document.status in ISSUED:
            kind = titles.get(document.type_key)
            yield Defect(
                "document_incomplete",
                f"《{kind.title if kind else document.type_key}》{document.number or ''}已签发，"
                f"但缺少{'、'.join(document.missing)}。请“更正”该文书，补写后重新签发。",
                ReviewItem.DOCUMENTS,
                CLOSING,
            )
