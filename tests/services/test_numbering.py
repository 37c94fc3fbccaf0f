"""Numbers taken from this laptop's blocks: unique across laptops offline, never reused."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import IssuedNumber, LocalSetting, NumberBlock
from fuanjian_desktop.services.actor import SYSTEM, Actor
from fuanjian_desktop.services.numbering import (
    DEVICE_KEY,
    add_block,
    device_id,
    grant_block,
    numbering_state,
    take_number,
    void_number,
)
from fuanjian_desktop.services.setup import create_encrypted_database, ensure_org_units
from fuanjian_desktop.services.unit_of_work import user_action

YEAR = 2026


def laptop(root: Path, first: int, last: int) -> tuple[Database, str]:
    """A laptop's own database with its squad and one block of 2026."""
    folder = DataFolder(root)
    folder.root.mkdir()
    database = create_encrypted_database(folder)
    with user_action(database, SYSTEM, "准备") as scope:
        squad_id = ensure_org_units(scope)["园岭"].id
        grant_block(scope, YEAR, first, last, squad_id)
    return database, squad_id


def take(database: Database, squad_id: str, code: str = "应急责改") -> str:
    """Take one number in its own transaction, as issuing a document does."""
    with user_action(database, SYSTEM, "取号") as scope:
        return take_number(scope, code, YEAR, squad_id, ("test", "x")).text


def test_two_laptops_issuing_at_once_offline_never_collide(tmp_path: Path) -> None:
    """Two laptops with disjoint blocks issue 40 numbers each concurrently: 80 distinct."""
    laptops = [laptop(tmp_path / "a", 1, 300), laptop(tmp_path / "b", 301, 600)]
    issued: list[list[str]] = [[], []]

    def issue(index: int) -> None:
        database, squad_id = laptops[index]
        issued[index].extend(take(database, squad_id) for _ in range(40))

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = issued[0] + issued[1]
    assert len(set(everything)) == 80
    assert issued[0][:2] == ["（深福）应急责改〔2026〕1号", "（深福）应急责改〔2026〕2号"]
    assert issued[1][0] == "（深福）应急责改〔2026〕301号"
    for database, _ in laptops:
        database.close()


def test_one_laptop_issuing_from_two_threads_stays_unique(tmp_path: Path) -> None:
    """Two windows of one laptop taking numbers at once get distinct consecutive serials."""
    database, squad_id = laptop(tmp_path / "a", 1, 300)
    issued: list[str] = []
    threads = [
        threading.Thread(target=lambda: issued.extend(take(database, squad_id) for _ in range(25)))
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(issued) == sorted({f"（深福）应急责改〔2026〕{n}号" for n in range(1, 51)})
    database.close()


def test_voided_number_stays_recorded_and_is_not_reused(tmp_path: Path) -> None:
    """A voided number keeps its row and reason; the next number is the one after it."""
    database, squad_id = laptop(tmp_path / "a", 1, 300)
    first = take(database, squad_id)
    with user_action(database, SYSTEM, "作废") as scope:
        with pytest.raises(Exception, match="作废原因"):
            void_number(scope, first, " ")
        void_number(scope, first, "打印错误")
    assert take(database, squad_id) == "（深福）应急责改〔2026〕2号"
    with database.read() as session:
        row = session.scalar(select(IssuedNumber).where(IssuedNumber.text == first))
        assert row is not None and row.status == "voided" and row.void_reason == "打印错误"
    database.close()


def test_codes_count_separately_within_the_block(tmp_path: Path) -> None:
    """Each document code starts at the block's first serial."""
    database, squad_id = laptop(tmp_path / "a", 101, 200)
    assert take(database, squad_id, "应急立") == "（深福）应急立〔2026〕101号"
    assert take(database, squad_id, "应急罚") == "（深福）应急罚〔2026〕101号"
    database.close()


def test_no_block_or_used_up_block_is_a_chinese_error(tmp_path: Path) -> None:
    """Without a block for the year, or with it used up, the user is told to enter one."""
    database, squad_id = laptop(tmp_path / "a", 1, 1)
    take(database, squad_id)
    with pytest.raises(Exception, match="已用完"):
        take(database, squad_id)
    with user_action(database, SYSTEM, "取号") as scope, pytest.raises(Exception, match="还没有"):
        take_number(scope, "应急罚", 2027, squad_id, ("test", "x"))
    database.close()


def test_device_identity_is_made_once(tmp_path: Path) -> None:
    """The laptop's identity is stable across sessions."""
    database, _ = laptop(tmp_path / "a", 1, 10)
    with database.read() as session:
        first = device_id(session)
    with database.read() as session:
        assert device_id(session) == first
    database.close()


def test_administrator_adds_blocks_listed_newest_year_first(
    demo_database: Database, sign_in: Callable[[str], Actor]
) -> None:
    """添加号段 records the block for the admin's squad; the state lists this laptop's blocks."""
    admin = sign_in("zhaolei")
    add_block(demo_database, admin, 2031, 1, 300)
    add_block(demo_database, admin, 2032, 501, 900)
    state = numbering_state(demo_database, admin)
    labels = [block.label for block in state.blocks]
    assert labels.index("深福 2032年 第501–900号") < labels.index("深福 2031年 第1–300号")
    assert state.settings.prefix == "深福"
    with demo_database.read() as session:
        row = session.scalar(select(NumberBlock).where(NumberBlock.year == 2032))
        assert row is not None and row.squad_id == admin.squad_id
    with pytest.raises(UserError, match="重叠"):
        add_block(demo_database, admin, 2031, 300, 400)


def test_only_administrators_add_blocks(
    demo_database: Database, sign_in: Callable[[str], Actor]
) -> None:
    """An inspector may not enter a block (管理用户 is required)."""
    with pytest.raises(PermissionDenied):
        add_block(demo_database, sign_in("zhangwei"), 2031, 1, 300)


def test_a_laptop_without_blocks_has_none_listed(tmp_path: Path) -> None:
    """A fresh installation lists no blocks; its identity, made once when the database was
    created (migration 0008, shared with the audit chain), is not changed by reading."""
    folder = DataFolder(tmp_path / "a")
    folder.root.mkdir()
    database = create_encrypted_database(folder)
    with database.read() as session:
        made = session.get(LocalSetting, DEVICE_KEY)
    assert made is not None
    assert numbering_state(database, SYSTEM).blocks == []
    with database.read() as session:
        again = session.get(LocalSetting, DEVICE_KEY)
    assert again is not None and again.value == made.value
    database.close()
