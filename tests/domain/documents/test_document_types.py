"""Document kinds: a record without a 文号 (笔录) reads 已定稿 once issued, not 已签发."""

from __future__ import annotations

import pytest

from fuanjian_desktop.domain.documents.document_types import status_label


@pytest.mark.parametrize("type_key", ["inquiry_record", "statement_record", "hearing_record"])
def test_an_issued_record_without_a_number_reads_finalized(type_key: str) -> None:
    assert status_label(type_key, "issued") == "已定稿"
    assert status_label(type_key, "draft") == "草稿"


def test_an_issued_numbered_document_reads_issued() -> None:
    assert status_label("penalty_decision", "issued") == "已签发"
    assert status_label("penalty_decision", "served") == "已送达"
