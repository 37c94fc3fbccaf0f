"""Taking 案号 and 文号 from this laptop's blocks (号段), and recording every number issued.

The rules are in ``domain/numbering.py`` and ``docs/numbering.md``; this module stores them:
the laptop's identity (a ULID made once per installation), the blocks granted to it, and one
``issued_number`` row per number, whose unique constraint makes a double issue impossible.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.numbering import (
    Block,
    Convention,
    check_block,
    format_number,
    next_serial,
)
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import IssuedNumber, LocalSetting, NumberBlock
from fuanjian_desktop.resources import load_json_resource
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.squad_scope import listed_squad, read_as, require_laptop_squad
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

DEVICE_KEY = "device_id"
PREFIX_KEY = "numbering.prefix"
CONVENTION_KEY = "numbering.convention"


@dataclass(frozen=True)
class NumberingSettings:
    """The authority's short name printed in every number, and the numbering convention."""

    prefix: str
    convention: Convention


@dataclass(frozen=True)
class NumberingState:
    """What the 文号号段 dialog shows: the settings and this laptop's blocks, newest year first."""

    settings: NumberingSettings
    blocks: list[Block]


@dataclass(frozen=True)
class Taken:
    """A number just taken: its text and serial (the case keeps the serial of its 案号)."""

    text: str
    serial: int


def device_id(session: Session) -> str:
    """This laptop's identity in number blocks; made on first use and never changed.

    Call it inside a write transaction: an identity made in a read session would be lost.
    """
    row = session.get(LocalSetting, DEVICE_KEY)
    if row is None:
        row = LocalSetting(key=DEVICE_KEY, value=new_id())
        session.add(row)
        session.flush()
    return row.value


@functools.cache
def _defaults() -> dict[str, str]:
    """The shipped prefix and convention (``resources/documents/numbering.json``), read once."""
    data: dict[str, str] = load_json_resource("documents", "numbering.json")
    return data


def numbering_settings(session: Session) -> NumberingSettings:
    """The prefix and convention: this installation's choice, else the shipped default."""
    defaults = _defaults()
    prefix = session.get(LocalSetting, PREFIX_KEY)
    convention = session.get(LocalSetting, CONVENTION_KEY)
    return NumberingSettings(
        prefix.value if prefix else defaults["prefix"],
        Convention(convention.value if convention else defaults["convention"]),
    )


def save_numbering_settings(database: Database, actor: Actor, settings: NumberingSettings) -> None:
    """Change the prefix or convention (administrators; numbers already issued stay as they are)."""
    actor.require(Permission.MANAGE_USERS)
    if not settings.prefix.strip():
        raise UserError("机关代字不能为空，请填写（如“深福”）。")
    with user_action(database, actor, "修改文号设置") as scope:
        scope.actor.require(Permission.MANAGE_USERS)
        require_laptop_squad(scope.session, scope.actor)
        scope.session.merge(LocalSetting(key=PREFIX_KEY, value=settings.prefix.strip()))
        scope.session.merge(LocalSetting(key=CONVENTION_KEY, value=str(settings.convention)))
        scope.log(f"文号设置：代字“{settings.prefix}”，{settings.convention.label}")


def numbering_state(database: Database, actor: Actor) -> NumberingState:
    """The settings and this laptop's blocks of every year, for the administrator to check
    (the blocks of the actor's squad; a bureau viewer sees every squad's)."""
    with read_as(database, actor) as (session, reader):
        squad_id = listed_squad(reader, None)
        blocks = _my_blocks(session, squad_id)
        return NumberingState(numbering_settings(session), blocks)


def add_block(database: Database, actor: Actor, year: int, first: int, last: int) -> Block:
    """Enter a block the bureau allocated to this laptop (administrators), for the actor's squad."""
    actor.require(Permission.MANAGE_USERS)
    with user_action(database, actor, "录入文号号段") as scope:
        scope.actor.require(Permission.MANAGE_USERS)
        if scope.actor.squad_id is None:
            raise UserError("当前账号不属于任何中队，不能录入文号号段。")
        require_laptop_squad(scope.session, scope.actor)
        return grant_block(scope, year, first, last, scope.actor.squad_id)


def grant_block(scope: ActionScope, year: int, first: int, last: int, squad_id: str) -> Block:
    """Record a block granted to this laptop (entered from the bureau's allocation)."""
    prefix = numbering_settings(scope.session).prefix
    block = Block(prefix, year, first, last)
    check_block(block, known_blocks(scope.session, prefix, year))
    row = NumberBlock(
        prefix=prefix,
        year=year,
        first=first,
        last=last,
        squad_id=squad_id,
        device_id=device_id(scope.session),
    )
    scope.session.add(row)
    scope.record(row, f"本机取得文号号段 {block.label}", before=None)
    return block


def known_blocks(session: Session, prefix: str, year: int, mine: bool = False) -> list[Block]:
    """The blocks of one prefix and year this database knows (only this laptop's if ``mine``)."""
    query = select(NumberBlock).where(NumberBlock.prefix == prefix, NumberBlock.year == year)
    if mine:
        own = session.get(LocalSetting, DEVICE_KEY)  # no identity yet: no block is this laptop's
        if own is None:
            return []
        query = query.where(NumberBlock.device_id == own.value)
    return [_block(row) for row in session.scalars(query.order_by(NumberBlock.first))]


def _my_blocks(session: Session, squad_id: str | None) -> list[Block]:
    device = session.get(LocalSetting, DEVICE_KEY)  # none yet: this laptop was never granted one
    if device is None:
        return []
    query = select(NumberBlock).where(NumberBlock.device_id == device.value)
    if squad_id is not None:
        query = query.where(NumberBlock.squad_id == squad_id)
    rows = session.scalars(query.order_by(NumberBlock.year.desc(), NumberBlock.first))
    return [_block(row) for row in rows]


def _block(row: NumberBlock) -> Block:
    return Block(row.prefix, row.year, row.first, row.last)


def take_number(
    scope: ActionScope, code: str, year: int, squad_id: str, entity: tuple[str, str]
) -> Taken:
    """Take the next serial of ``code`` for ``year`` from this laptop's blocks."""
    session = scope.session
    prefix = numbering_settings(session).prefix
    blocks = known_blocks(session, prefix, year, mine=True)
    used = session.scalars(
        select(IssuedNumber.serial).where(
            IssuedNumber.prefix == prefix, IssuedNumber.code == code, IssuedNumber.year == year
        )
    )
    serial = next_serial(blocks, used)
    if serial is None:
        raise UserError(_no_block_message(prefix, year, blocks))
    return _record(scope, (prefix, code, year, serial, 1), squad_id, entity)


def reuse_serial(
    scope: ActionScope, code: str, year: int, serial: int, squad_id: str, entity: tuple[str, str]
) -> Taken:
    """Number a document with its case's serial (同一案件共用编号); a repeat gets ``-2``, ``-3``."""
    prefix = numbering_settings(scope.session).prefix
    parts = scope.session.scalars(
        select(IssuedNumber.part).where(
            IssuedNumber.prefix == prefix,
            IssuedNumber.code == code,
            IssuedNumber.year == year,
            IssuedNumber.serial == serial,
        )
    )
    part = max(parts, default=0) + 1
    return _record(scope, (prefix, code, year, serial, part), squad_id, entity)


def void_number(scope: ActionScope, text: str, reason: str) -> None:
    """Mark a number voided with its reason; it stays taken and is never issued again."""
    if not reason.strip():
        raise UserError("作废文号必须填写作废原因。")
    row = scope.session.scalar(select(IssuedNumber).where(IssuedNumber.text == text))
    if row is None:
        raise UserError(f"找不到文号“{text}”。")
    before = row.audit_snapshot()
    row.status, row.void_reason = "voided", reason.strip()
    scope.record(row, f"作废文号 {text}：{reason.strip()}", before)


def _record(
    scope: ActionScope,
    key: tuple[str, str, int, int, int],
    squad_id: str,
    entity: tuple[str, str],
) -> Taken:
    prefix, code, year, serial, part = key
    text = format_number(prefix, code, year, serial, part)
    row = IssuedNumber(
        prefix=prefix,
        code=code,
        year=year,
        serial=serial,
        part=part,
        text=text,
        squad_id=squad_id,
        device_id=device_id(scope.session),
        entity_type=entity[0],
        entity_id=entity[1],
    )
    scope.session.add(row)
    scope.record(row, f"取号 {text}", before=None)
    return Taken(text, serial)


def _no_block_message(prefix: str, year: int, blocks: list[Block]) -> str:
    if blocks:
        ranges = "、".join(f"{b.first}–{b.last}" for b in blocks)
        return (
            f"本机{year}年的文号号段（{prefix}，第{ranges}号）已用完。"
            "请由管理员在“文号号段”中录入区局新分配的号段。"
        )
    return (
        f"本机还没有{year}年的文号号段（{prefix}）。"
        "请由管理员在“文号号段”中录入区局分配给本机的号段后再取号。"
    )
