"""docs/sync-protocol.md names every policy decision the code makes (so neither drifts alone)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fuanjian_desktop.sync_protocol import escrow, policy, signing, version

DOC = (Path(__file__).parents[2] / "docs" / "sync-protocol.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name",
    sorted(
        {
            *policy.NOT_SYNCED,
            *policy.SCOPES,
            *policy.HQ_OWNED,
            *policy.APPEND_ONLY,
            *(column for columns in policy.LOCAL_COLUMNS.values() for column in columns),
            *(column for columns in policy.DERIVED_COLUMNS.values() for column in columns),
            *(column for columns in policy.QUIET_FIELDS.values() for column in columns),
            *policy.ISSUED_DOCUMENT_FIELDS,
            *policy.ISSUED_NUMBER_FIELDS,
            *policy.sync_model().children,
        }
    ),
)
def test_every_policy_name_is_documented(name: str) -> None:
    """Each table and column the policy singles out appears quoted (`x` or `table.x`) in the
    protocol doc."""
    assert re.search(rf"[`.]{re.escape(name)}`", DOC), name


def test_documented_constants_are_the_code_s() -> None:
    """Version, headers, clock window, nonce memory and the escrow algorithm as coded."""
    assert f"PROTOCOL_VERSION = {version.PROTOCOL_VERSION}" in DOC
    for header in (
        version.HEADER_PROTOCOL,
        version.HEADER_DEVICE,
        version.HEADER_TIMESTAMP,
        version.HEADER_NONCE,
        version.HEADER_SIGNATURE,
    ):
        assert f"`{header}`" in DOC
    assert f"≤ {signing.MAX_SKEW_SECONDS} s" in DOC
    assert f"last {signing.NONCE_TTL_SECONDS} s" in DOC
    assert escrow.ALGORITHM in DOC and escrow.INFO.decode() in DOC
