"""Records as envelopes and back: one encoding for every synced table, on SQLite and PostgreSQL.

An envelope is plain JSON (``docs/sync-protocol.md``, "Record envelope")::

    {"table", "id", "version", "op": "upsert"|"delete", "fields": {column: value},
     "children": {child_table: [row without the parent key]}, "base_revision", "audit_event_id"}

Values are encoded by column type, never by the Python type of the value: a date as
``YYYY-MM-DD``, a moment as ISO-8601 UTC with ``+00:00``, a decimal as text at the column's
scale, JSON, booleans, integers, text and null as they are. So a record encoded on the laptop,
written at HQ on PostgreSQL and encoded there again gives the same envelope.

Writing is Core-level and dialect-aware (``INSERT … ON CONFLICT``), so it needs no ORM object,
fires no audit hook and adds nothing to the outbox: a pulled record is HQ's history, not a new
action on this laptop.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache, partial
from itertools import groupby
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    and_,
    delete,
    or_,
    select,
    text,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from fuanjian_desktop.db.base import Base, UtcDateTime
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.security.canonical_json import canonical_text
from fuanjian_desktop.sync_protocol.policy import (
    DERIVED_COLUMNS,
    TablePolicy,
    child_table,
    policy_of,
)

RecordEnvelope = dict[str, Any]
UPSERT = "upsert"
DELETE = "delete"
IMMUTABLE_VERSION = 1  # the version of records of a table without a version column
_IN_BATCH = 500  # keys per IN (…) query: well under SQLite's bound-parameter limit


class InvalidRecord(UserError):
    """An envelope that does not fit the table it names (422 ``invalid`` at HQ)."""


def table_of(name: str) -> Table:
    """The SQLAlchemy table of a synced or owned child table."""
    return Base.metadata.tables[name]


# --- values ------------------------------------------------------------------------------------


def encode_value(column: Column[Any], value: Any) -> Any:
    """A column value in its wire form (see the module docstring)."""
    encode = encoder(column.type)
    return value if value is None or encode is None else encode(value)


def encoder(kind: Any) -> Callable[[Any], Any] | None:
    """The function giving a (non-null) value of a column of type ``kind`` its wire form;
    ``None`` where the value travels as it is (text, integers, booleans, JSON)."""
    if isinstance(kind, UtcDateTime):
        return _utc_text
    if isinstance(kind, DateTime | Date):
        return _iso_text
    if isinstance(kind, Numeric) and not isinstance(kind, Float):
        return partial(_decimal_text, kind)
    return None


def _utc_text(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def _iso_text(value: dt.date) -> str:
    return value.isoformat()


def _decimal_text(kind: Numeric[Any], value: Any) -> str:
    """Decimal text at the column's scale, so SQLite's and PostgreSQL's readings agree."""
    value = Decimal(value)
    if kind.scale is not None:
        value = value.quantize(Decimal(1).scaleb(-kind.scale))
    return str(value)


def decode_value(table: str, column: Column[Any], value: Any) -> Any:
    """A wire value as the Python value the column takes; a wrong type is :class:`InvalidRecord`."""
    return _decoded(table, column.name, decoder(column.type), value)


def _decoded(table: str, name: str, decode: Callable[[Any], Any], value: Any) -> Any:
    if value is None:
        return None
    try:
        return decode(value)
    except (TypeError, ValueError, InvalidOperation) as error:
        raise InvalidRecord(
            f"数据表 {table} 的字段 {name} 的值无效（{str(value)[:40]}）。"
        ) from error


def decoder(kind: Any) -> Callable[[Any], Any]:
    """The function turning a (non-null) wire value into the value a column of type ``kind``
    takes, chosen once per column: a page decodes hundreds of thousands of values."""
    if isinstance(kind, String):
        return partial(_string, kind.length)
    if isinstance(kind, Integer):
        return _integer
    if isinstance(kind, JSON):
        return _as_is
    if isinstance(kind, Boolean):
        return partial(_typed, kind=bool)
    if isinstance(kind, UtcDateTime):
        return _moment
    if isinstance(kind, DateTime):
        return lambda value: dt.datetime.fromisoformat(_text(value))
    if isinstance(kind, Date):
        return lambda value: dt.date.fromisoformat(_text(value))
    if isinstance(kind, Numeric) and not isinstance(kind, Float):
        return lambda value: Decimal(_text(value))
    raise TypeError(f"no wire form for {kind!r}")


def _string(length: int | None, value: Any) -> str:
    string = _typed(value, str)
    if length is not None and len(string) > length:
        raise ValueError("too long")
    return str(string)


def _integer(value: Any) -> int:
    if isinstance(value, bool):
        raise TypeError("a boolean for an integer")
    return int(_typed(value, int))


def _as_is(value: Any) -> Any:
    return value


def _moment(value: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(_text(value))
    if moment.tzinfo is None:
        raise ValueError("a moment without its zone")
    return moment.astimezone(dt.UTC)


def _text(value: Any) -> str:
    return str(_typed(value, str))


def _typed(value: Any, kind: type) -> Any:
    if not isinstance(value, kind):
        raise TypeError(f"expected {kind.__name__}")
    return value


# --- keys --------------------------------------------------------------------------------------


def entity_key(policy: TablePolicy, row: Mapping[str, Any]) -> str:
    """The envelope ``id`` of a row: its ULID, or for a composite key the canonical JSON array
    of the key's wire values (``checklist_version``: ``["template", "1.0"]``)."""
    table = table_of(policy.table)
    values = [encode_value(table.columns[name], row[name]) for name in policy.key_columns]
    return str(values[0]) if len(values) == 1 else canonical_text(values)


def key_values(policy: TablePolicy, entity_id: str) -> dict[str, Any]:
    """The key columns' Python values named by an envelope ``id`` (inverse of entity_key)."""
    if len(policy.key_columns) == 1:
        wire: list[Any] = [entity_id]
    else:
        try:
            wire = json.loads(entity_id)
        except ValueError as error:
            raise InvalidRecord(
                f"数据表 {policy.table} 的记录标识无效：{entity_id[:60]}"
            ) from error
        if not isinstance(wire, list) or len(wire) != len(policy.key_columns):
            raise InvalidRecord(f"数据表 {policy.table} 的记录标识无效：{entity_id[:60]}")
    table = table_of(policy.table)
    return {
        name: decode_value(policy.table, table.columns[name], value)
        for name, value in zip(policy.key_columns, wire, strict=True)
    }


def _key_clause(policy: TablePolicy, entity_ids: Sequence[str]) -> ColumnElement[bool]:
    table = table_of(policy.table)
    if len(policy.key_columns) == 1:
        return table.columns[policy.key_columns[0]].in_(entity_ids)
    columns = [table.columns[name] for name in policy.key_columns]
    rows = [tuple(key_values(policy, entity_id).values()) for entity_id in entity_ids]
    return tuple_(*columns).in_(rows)


# --- encoding ----------------------------------------------------------------------------------


def encode_row(
    table: str, row: Mapping[str, Any], children: Mapping[str, list[Mapping[str, Any]]]
) -> RecordEnvelope:
    """The upsert envelope of a stored row (every column) and its owned children's rows."""
    policy = policy_of(table)
    version = row[policy.version_column] if policy.version_column else IMMUTABLE_VERSION
    return {
        "table": table,
        "id": entity_key(policy, row),
        "version": version,
        "op": UPSERT,
        "fields": {
            name: row[name] if encode is None or row[name] is None else encode(row[name])
            for name, encode in _field_encoders(table)
        },
        "children": {
            name: _encode_children(name, children.get(name, [])) for name in policy.children
        },
        "base_revision": None,
        "audit_event_id": None,
    }


@cache
def _field_encoders(table: str) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """(column, encoder) of every travelling column of ``table``, in column order."""
    policy = policy_of(table)
    return tuple(
        (column.name, encoder(column.type))
        for column in table_of(table).columns
        if column.name not in policy.untravelled
    )


def _encode_children(name: str, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    link = child_table(name)
    columns = [column for column in table_of(name).columns if column.name != link.parent_column]
    encoded = [
        {column.name: encode_value(column, row[column.name]) for column in columns} for row in rows
    ]
    # the rest of the child's primary key: never null, one type per column
    return sorted(encoded, key=lambda item: tuple(item[key] for key in link.order_by))


def encode_audit_event(row: Mapping[str, Any]) -> RecordEnvelope:
    """The envelope of one audit event (a stored row), as PushBatch.audit_events carries it."""
    return encode_row("audit_event", row, {})


def encode_records(session: Session, table: str, entity_ids: Sequence[str]) -> list[RecordEnvelope]:
    """The envelopes of the stored records among ``entity_ids`` (missing ones left out), in the
    order of ``entity_ids``; a few queries per 500 records, not one per record."""
    policy = policy_of(table)
    found: dict[str, RecordEnvelope] = {}
    for start in range(0, len(entity_ids), _IN_BATCH):
        chunk = entity_ids[start : start + _IN_BATCH]
        rows = session.execute(select(table_of(table)).where(_key_clause(policy, chunk)))
        found.update(_encode_rows(session, policy, [dict(row._mapping) for row in rows]))
    return [found[entity_id] for entity_id in entity_ids if entity_id in found]


def encode_record(session: Session, table: str, entity_id: str) -> RecordEnvelope | None:
    """The envelope of one stored record, or ``None`` when it is not (or no longer) stored."""
    found = encode_records(session, table, [entity_id])
    return found[0] if found else None


def iter_table(session: Session, table: str, batch: int = _IN_BATCH) -> Iterator[RecordEnvelope]:
    """Every stored record of ``table`` as envelopes, in key order, ``batch`` rows at a time
    (keyset pages: each page starts after the last key of the one before)."""
    policy = policy_of(table)
    stored = table_of(table)
    key = tuple_(*(stored.columns[name] for name in policy.key_columns))
    query = select(stored).order_by(*(stored.columns[name] for name in policy.key_columns))
    after: tuple[Any, ...] | None = None
    while True:
        page_query = query if after is None else query.where(key > tuple_(*after))
        page = [dict(row._mapping) for row in session.execute(page_query.limit(batch))]
        yield from _encode_rows(session, policy, page).values()
        if len(page) < batch:
            return
        after = tuple(page[-1][name] for name in policy.key_columns)


def defer_foreign_keys(session: Session) -> None:
    """Check the laptop's foreign keys at commit, not per statement, in this transaction.

    A page of pulled records may name a parent written later in the same page (a document
    correcting a later one, a follow-up inspection); the whole page is consistent at commit.
    HQ's mirror has no foreign keys, so on PostgreSQL this does nothing.
    """
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA defer_foreign_keys = ON"))


def _encode_rows(
    session: Session, policy: TablePolicy, rows: list[dict[str, Any]]
) -> dict[str, RecordEnvelope]:
    children = _children_of(session, policy, [row["id"] for row in rows]) if policy.children else {}
    envelopes = (
        encode_row(
            policy.table,
            row,
            {name: by_parent.get(row["id"], []) for name, by_parent in children.items()},
        )
        for row in rows
    )
    return {envelope["id"]: envelope for envelope in envelopes}


def _children_of(
    session: Session, policy: TablePolicy, parent_ids: list[str]
) -> dict[str, dict[str, list[Mapping[str, Any]]]]:
    """Owned children rows of ``parent_ids``, by child table and parent id."""
    result: dict[str, dict[str, list[Mapping[str, Any]]]] = {}
    for name in policy.children:
        link = child_table(name)
        stored = table_of(name)
        by_parent: dict[str, list[Mapping[str, Any]]] = {}
        for row in session.execute(
            select(stored).where(stored.columns[link.parent_column].in_(parent_ids))
        ):
            by_parent.setdefault(row._mapping[link.parent_column], []).append(dict(row._mapping))
        result[name] = by_parent
    return result


# --- decoding and writing ----------------------------------------------------------------------


def decode_fields(table: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """An envelope's ``fields`` as Python column values; a column that does not travel in this
    table (unknown, key, version, local or derived) is :class:`InvalidRecord`."""
    decoders = _field_decoders(table)
    unknown = sorted(name for name in fields if name not in decoders)
    if unknown:
        raise InvalidRecord(f"数据表 {table} 没有可同步的字段：{'、'.join(unknown)}")
    return {name: _decoded(table, name, decoders[name], value) for name, value in fields.items()}


@cache
def _field_decoders(table: str) -> dict[str, Callable[[Any], Any]]:
    """The decoder of every travelling column of ``table``."""
    policy = policy_of(table)
    return {
        column.name: decoder(column.type)
        for column in table_of(table).columns
        if column.name not in policy.untravelled
    }


def decode_children(table: str, children: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """An envelope's ``children`` as Python rows (without the parent key) by child table."""
    policy = policy_of(table)
    unknown = sorted(name for name in children if name not in policy.children)
    if unknown:
        raise InvalidRecord(f"数据表 {table} 没有附属表：{'、'.join(unknown)}")
    decoded: dict[str, list[dict[str, Any]]] = {}
    for name, rows in children.items():
        link = child_table(name)
        columns = table_of(name).columns
        if not isinstance(rows, list):
            raise InvalidRecord(f"附属表 {name} 的内容无效。")
        decoded[name] = [_decode_child(name, link.parent_column, columns, row) for row in rows]
    return decoded


def _decode_child(name: str, parent_column: str, columns: Any, row: Any) -> dict[str, Any]:
    if not isinstance(row, dict) or parent_column in row or not set(row) <= set(columns.keys()):
        raise InvalidRecord(f"附属表 {name} 的一行无效。")
    return {key: decode_value(name, columns[key], value) for key, value in row.items()}


def envelope_values(envelope: Mapping[str, Any]) -> dict[str, Any]:
    """The column values an upsert envelope writes: key, version, fields and derived columns."""
    table = _envelope_table(envelope)
    policy = policy_of(table)
    values = {
        **key_values(policy, _envelope_id(envelope)),
        **decode_fields(table, envelope.get("fields") or {}),
    }
    if policy.version_column:
        values[policy.version_column] = decode_value(
            table, table_of(table).columns[policy.version_column], envelope.get("version")
        )
    for name, derive in DERIVED_COLUMNS.get(table, {}).items():
        values[name] = derive(values)
    return values


def _envelope_table(envelope: Mapping[str, Any]) -> str:
    table = envelope.get("table")
    if not isinstance(table, str):
        raise InvalidRecord("同步记录缺少数据表名称。")
    return table


def _envelope_id(envelope: Mapping[str, Any]) -> str:
    entity_id = envelope.get("id")
    if not isinstance(entity_id, str) or not entity_id:
        raise InvalidRecord("同步记录缺少记录标识。")
    return entity_id


def write_record(session: Session, envelope: Mapping[str, Any], *, keep_local: bool = True) -> None:
    """Store an envelope as the current state of its record (insert or update), children
    replaced as a set; a ``delete`` envelope deletes.

    Local columns keep this database's value on update (``keep_local``; otherwise they return
    to their defaults) and take their defaults on insert; derived columns are recomputed. An
    append-only record already stored is left as it is. Unique collisions with *another*
    record raise the database's IntegrityError: check :func:`colliding_uniques` first.
    """
    write_records(session, [envelope], keep_local=keep_local)


def write_records(
    session: Session, envelopes: Iterable[Mapping[str, Any]], *, keep_local: bool = True
) -> None:
    """:func:`write_record` for many envelopes, in their order, with one statement per run.

    Consecutive envelopes of one table and operation are written together (one ``executemany``
    for the rows, one for their children): a first sync of 100,000 enterprises costs a few
    statements per page, not per record. Within a run a record named twice ends as its last
    envelope says, as writing them one by one would.
    """
    for (table, operation), run in groupby(envelopes, key=_run_key):
        batch = list(run)
        if operation == DELETE:
            delete_records(session, table, [_envelope_id(envelope) for envelope in batch])
        elif operation == UPSERT:
            _upsert_run(session, policy_of(table), batch, keep_local)
        else:
            raise InvalidRecord(f"同步记录的操作无效：{operation}")


def _run_key(envelope: Mapping[str, Any]) -> tuple[str, Any]:
    return _envelope_table(envelope), envelope.get("op")


def _upsert_run(
    session: Session, policy: TablePolicy, batch: list[Mapping[str, Any]], keep_local: bool
) -> None:
    latest: dict[str, tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]] = {}
    for envelope in batch:
        children = decode_children(policy.table, envelope.get("children") or {})
        latest[_envelope_id(envelope)] = (envelope_values(envelope), children)
    by_columns: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for values, _children in latest.values():
        by_columns.setdefault(tuple(sorted(values)), []).append(values)
    dialect = session.get_bind().dialect.name
    for columns, rows in by_columns.items():
        session.execute(_upsert(dialect, policy.table, columns, keep_local), rows)
    for name in policy.children:
        owned = {
            str(values["id"]): children[name]
            for values, children in latest.values()
            if name in children
        }
        _replace_children(session, name, owned)


@cache
def _upsert(dialect: str, table: str, columns: tuple[str, ...], keep_local: bool) -> Any:
    """``INSERT … ON CONFLICT`` of ``columns`` into ``table``, made once per shape."""
    policy = policy_of(table)
    stored = table_of(table)
    if dialect == "sqlite":
        statement: Any = sqlite.insert(stored)
    elif dialect == "postgresql":
        statement = postgresql.insert(stored)
    else:
        raise UserError(f"不支持的数据库类型：{dialect}")
    if policy.append_only:
        return statement.on_conflict_do_nothing(index_elements=list(policy.key_columns))
    changes: dict[str, Any] = {
        name: statement.excluded[name] for name in columns if name not in policy.key_columns
    }
    if not keep_local:
        changes.update({name: _default(stored.columns[name]) for name in policy.local_columns})
    return statement.on_conflict_do_update(index_elements=list(policy.key_columns), set_=changes)


def _default(column: Column[Any]) -> Any:
    default = column.default
    arg = getattr(default, "arg", None)
    return None if default is None or callable(arg) else arg


def _replace_children(
    session: Session, name: str, owned: Mapping[str, list[dict[str, Any]]]
) -> None:
    """Replace the ``name`` rows of each parent in ``owned`` by the rows given for it."""
    if not owned:
        return
    link = child_table(name)
    stored = table_of(name)
    parents = list(owned)
    for start in range(0, len(parents), _IN_BATCH):
        chunk = parents[start : start + _IN_BATCH]
        session.execute(delete(stored).where(stored.columns[link.parent_column].in_(chunk)))
    rows = [{**row, link.parent_column: parent} for parent in parents for row in owned[parent]]
    if rows:
        session.execute(stored.insert(), rows)


def delete_record(session: Session, table: str, entity_id: str) -> None:
    """Delete a record and its owned children (a tombstone arrived); absent is fine.

    The children go explicitly: HQ's mirror has no foreign keys to cascade. Append-only
    records are never deleted (:class:`InvalidRecord`).
    """
    delete_records(session, table, [entity_id])


def delete_records(session: Session, table: str, entity_ids: Sequence[str]) -> None:
    """:func:`delete_record` for many records of one table."""
    policy = policy_of(table)
    if policy.append_only:
        raise InvalidRecord(f"数据表 {table} 的记录只能追加，不能删除。")
    for start in range(0, len(entity_ids), _IN_BATCH):
        chunk = entity_ids[start : start + _IN_BATCH]
        for name in policy.children:
            link = child_table(name)
            stored = table_of(name)
            session.execute(delete(stored).where(stored.columns[link.parent_column].in_(chunk)))
        session.execute(delete(table_of(table)).where(_key_clause(policy, chunk)))


def colliding_uniques(session: Session, envelope: Mapping[str, Any]) -> list[tuple[str, ...]]:
    """The unique column sets on which *another* stored record already has this envelope's
    values (``issued_number``'s number, ``enforcement_case.case_no`` …): what HQ turns into a
    ``number`` or ``unique`` conflict instead of writing. NULLs never collide."""
    table = _envelope_table(envelope)
    policy = policy_of(table)
    stored = table_of(table)
    values = envelope_values(envelope)
    own = [stored.columns[name] != values[name] for name in policy.key_columns]
    clashes = []
    for names in unique_sets(stored):
        if any(values.get(name) is None for name in names):
            continue
        same = and_(*(stored.columns[name] == values[name] for name in names))
        hit = session.execute(
            select(stored.columns[policy.key_columns[0]]).where(same, or_(*own)).limit(1)
        )
        if hit.first() is not None:
            clashes.append(names)
    return clashes


def unique_sets(stored: Table) -> list[tuple[str, ...]]:
    """The column sets of ``stored``'s unique constraints and unique columns (not its key)."""
    sets = {
        tuple(column.name for column in constraint.columns)
        for constraint in stored.constraints
        if isinstance(constraint, UniqueConstraint)
    }
    sets |= {(column.name,) for column in stored.columns if column.unique}
    sets |= {
        tuple(column.name for column in index.columns) for index in stored.indexes if index.unique
    }
    return sorted(sets)
