"""Envelopes for the records HQ makes itself (org units, reference files, number blocks).

``publish`` takes the same envelope a laptop pushes, so HQ's own records travel, merge and mirror
by the same code as everything else; this module is the one place that builds them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any


def wire_now() -> str:
    """The current moment in wire encoding (ISO-8601 UTC with ``+00:00``)."""
    return dt.datetime.now(dt.UTC).isoformat()


def hq_envelope(
    table: str, entity_id: str, fields: Mapping[str, Any], *, stamped: bool = True
) -> dict[str, Any]:
    """An upsert envelope of ``table``/``entity_id`` with ``fields`` in wire encoding.

    ``stamped`` adds ``created_at``/``updated_at`` (the columns every ``SyncedRecord`` has);
    HQ assigns the version when it publishes.
    """
    stamps = {"created_at": wire_now(), "updated_at": wire_now()} if stamped else {}
    return {
        "table": table,
        "id": entity_id,
        "op": "upsert",
        "fields": {**stamps, **fields},
        "children": {},
        "base_revision": None,
        "audit_event_id": None,
    }
