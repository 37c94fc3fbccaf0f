"""HQ's three-way merge of a pushed record with its current state, field by field.

HQ is the merge point: the laptop says which HQ revision its copy started from (``base``), HQ
holds the current revision (``current``), and the laptop pushes its copy (``pushed``). For each
field — and each owned child table, compared as one list named ``children.<table>`` — the side
that changed it since the base wins; a field both sides changed to different values keeps HQ's
value and becomes a :class:`FieldConflict` for a person to settle. Without a base (the record
is new on the laptop but HQ already has one) no change is common, so every difference is one.

Exceptions, all data in ``policy``:

- frozen fields (an issued document's signed content, a taken number, all of an archived case
  or of an append-only record) never change: a different pushed value is kind ``immutable``;
- ``updated_at`` changed on both sides takes the later moment, quietly;
- fields both sides *compute* (a case's next deadline) keep HQ's value quietly: the laptop
  recomputes them when it pulls the merged record.

Deletions are tombstones: a delete of a record HQ changed since the base, or a change to a
record HQ deleted, is kind ``delete``; HQ's side stays until a person decides.

Values are compared in their wire encoding, so both sides' readings of a value agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fuanjian_desktop.sync_protocol.policy import QUIET_FIELDS, STAMP_FIELD, frozen_fields

Envelope = Mapping[str, Any]
UPSERT = "upsert"
DELETE = "delete"
FIELD = "field"
IMMUTABLE = "immutable"
DELETED = "delete"
CHILDREN = "children."
_ABSENT = object()


@dataclass
class FieldConflict:
    """One field on which HQ kept its value over the device's (``field`` None: the whole record)."""

    field: str | None
    hq_value: Any
    device_value: Any
    kind: str  # field | immutable | delete


@dataclass
class MergeResult:
    """What HQ stores as the record's new current state.

    ``merged``: the result is not exactly what the device pushed (HQ kept something of its
    own), so the pushing device must pull it back.
    """

    fields: dict[str, Any]
    children: dict[str, list[Any]]
    conflicts: list[FieldConflict] = field(default_factory=list)
    op: str = UPSERT
    merged: bool = False


def three_way(
    table: str, base: Envelope | None, current: Envelope | None, pushed: Envelope
) -> MergeResult:
    """Merge ``pushed`` into ``current`` given their common ``base`` (see the module docstring).

    ``current`` is None when HQ has no record of this id; an envelope with op ``delete`` is a
    tombstone.
    """
    if current is None:
        return _as_pushed(pushed)
    if _is_delete(pushed):
        return _merge_delete(table, base, current, pushed)
    if _is_delete(current):
        return _merge_into_tombstone(base, current, pushed)
    return _merge_values(table, base, current, pushed)


def _is_delete(envelope: Envelope) -> bool:
    return envelope.get("op") == DELETE


def _as_pushed(pushed: Envelope) -> MergeResult:
    return MergeResult(
        dict(pushed.get("fields") or {}),
        dict(pushed.get("children") or {}),
        op=DELETE if _is_delete(pushed) else UPSERT,
    )


def _kept(current: Envelope, conflict: FieldConflict) -> MergeResult:
    """HQ's current state unchanged, with one whole-record conflict."""
    result = _as_pushed(current)
    result.conflicts.append(conflict)
    result.merged = True
    return result


def _merge_delete(
    table: str, base: Envelope | None, current: Envelope, pushed: Envelope
) -> MergeResult:
    if _is_delete(current):
        return _as_pushed(pushed)
    values = _values(current)
    if frozen_fields(table, current.get("fields") or {}):
        return _kept(current, FieldConflict(None, values, None, IMMUTABLE))
    if base is not None and not _is_delete(base) and _values(base) == values:
        return _as_pushed(pushed)
    return _kept(current, FieldConflict(None, values, None, DELETED))


def _merge_into_tombstone(
    base: Envelope | None, current: Envelope, pushed: Envelope
) -> MergeResult:
    if base is not None and not _is_delete(base) and _values(base) == _values(pushed):
        result = _as_pushed(current)  # the device changed nothing HQ deleted: stays deleted
        result.merged = True
        return result
    return _kept(current, FieldConflict(None, None, _values(pushed), DELETED))


def _values(envelope: Envelope) -> dict[str, Any]:
    """Fields and children of an envelope as one mapping (children as ``children.<table>``)."""
    children = envelope.get("children") or {}
    return {
        **(envelope.get("fields") or {}),
        **{CHILDREN + name: rows for name, rows in children.items()},
    }


def _merge_values(
    table: str, base: Envelope | None, current: Envelope, pushed: Envelope
) -> MergeResult:
    frozen = frozen_fields(table, current.get("fields") or {})
    quiet = QUIET_FIELDS.get(table, frozenset())
    base_values = _values(base) if base is not None and not _is_delete(base) else None
    hq, device = _values(current), _values(pushed)
    merged: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for name in [*hq, *(name for name in device if name not in hq)]:
        h, d = hq.get(name, _ABSENT), device.get(name, _ABSENT)
        b = _ABSENT if base_values is None else base_values.get(name, _ABSENT)
        merged[name], conflict = _merge_field(name, b, h, d, frozen, quiet)
        if conflict is not None:
            conflicts.append(conflict)
    fields = {name: value for name, value in merged.items() if not name.startswith(CHILDREN)}
    children = {
        name.removeprefix(CHILDREN): value
        for name, value in merged.items()
        if name.startswith(CHILDREN)
    }
    return MergeResult(fields, children, conflicts, UPSERT, merged != device)


def _merge_field(
    name: str, base: Any, hq: Any, device: Any, frozen: frozenset[str], quiet: frozenset[str]
) -> tuple[Any, FieldConflict | None]:
    """(the merged value, the conflict if HQ's value was kept over a different device value)."""
    if device is _ABSENT or device == hq:
        return hq, None
    if hq is _ABSENT:
        return device, None
    if name in frozen:
        return hq, FieldConflict(name, hq, device, IMMUTABLE)
    if base is not _ABSENT and base == hq:
        return device, None
    if base is not _ABSENT and base == device:
        return hq, None
    if name == STAMP_FIELD:
        return max(hq, device, key=_moment), None
    if name in quiet:
        return hq, None
    return hq, FieldConflict(name, hq, device, FIELD)


def _moment(value: Any) -> dt.datetime:
    """A stamp as a moment; an unreadable one counts as the earliest (the codec refuses it)."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
