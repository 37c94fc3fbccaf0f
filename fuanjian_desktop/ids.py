"""Record identity: ULIDs made where a record is created, so laptops never ask a server."""

from __future__ import annotations

from ulid import ULID


def new_id() -> str:
    """A new 26-character ULID; sortable by creation time, unique across laptops."""
    return str(ULID())
