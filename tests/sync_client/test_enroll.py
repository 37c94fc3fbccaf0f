"""Joining HQ: the enrollment is stored encrypted; a second join, a bad code or a code of
another squad is refused with nothing stored; a brand-new folder becomes a laptop of the squad
whose administrator chooses its password."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Squad, SyncState
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.services.auth import unlock
from fuanjian_desktop.services.setup import AppMode, installation
from fuanjian_desktop.sync_client import state
from fuanjian_desktop.sync_client.enroll import enroll, enroll_new_folder
from fuanjian_desktop.sync_client.errors import SyncError
from fuanjian_desktop.sync_protocol.codec import iter_table
from tests.sync_client.fake_hq import BASE_URL, FakeHq

NEW_PASSWORD = "Xin-Diannao-2026!"


def stored_state(database: Database) -> dict[str, str]:
    with database.read() as session:
        return state.read_all(session)


def test_joining_stores_the_device_and_squad(database: Database) -> None:
    """A fresh laptop joins: device id = its chain's, secret and keys kept in the database."""
    hq = FakeHq(squad_id="S" * 26)
    joined = enroll(database, BASE_URL, " GOOD-CODE ", client=hq.client())
    with database.read() as session:
        peer = state.require_peer(session)
        assert joined.device_id == peer.device_id == state.chain_device(session)
    assert (peer.squad_id, peer.squad_name) == ("S" * 26, "园岭中队")
    assert stored_state(database)[state.Key.CURSOR] == "0"
    with pytest.raises(UserError) as again:
        enroll(database, BASE_URL, "GOOD-CODE", client=hq.client())
    assert "不能重复接入" in again.value.message


def test_a_bad_code_stores_nothing(database: Database) -> None:
    """HQ refuses the code: its Chinese reason, code ``enrollment``, no state."""
    with pytest.raises(SyncError) as refused:
        enroll(database, BASE_URL, "WRONG", client=FakeHq().client())
    assert refused.value.code == "enrollment"
    assert stored_state(database) == {}


def test_a_code_of_another_squad_is_refused(demo_database: Database) -> None:
    """A 园岭 laptop given a 南园 code does not become a 南园 device."""
    with demo_database.read() as session:
        other = session.scalars(select(Squad.id).where(Squad.short_name == "南园")).one()
    with pytest.raises(SyncError) as refused:
        enroll(demo_database, BASE_URL, "GOOD-CODE", client=FakeHq(squad_id=other).client())
    assert "而本机属于" in refused.value.message
    assert stored_state(demo_database) == {}


@pytest.mark.parametrize(
    ("url", "pin"),
    [("ftp://hq", None), ("hq:8765", None), ("http://hq.test", "ab" * 32)],
)
def test_a_bad_address_is_refused_before_anything_is_sent(
    database: Database, url: str, pin: str | None
) -> None:
    hq = FakeHq()
    with pytest.raises(UserError):
        enroll(database, url, "GOOD-CODE", pin=pin, client=hq.client())
    assert hq.log == []


# --- a brand-new laptop -----------------------------------------------------------------------


@dataclass
class Bureau:
    """A fake HQ publishing the demo's squads and accounts (as if pushed by the squad)."""

    hq: FakeHq
    squad_id: str


@pytest.fixture
def bureau(demo_database: Database) -> Iterator[Bureau]:
    with demo_database.read() as session:
        squad_id = session.scalars(select(Squad.id).where(Squad.short_name == "园岭")).one()
        hq = FakeHq(squad_id=squad_id)
        for table in ("squad", "app_user"):
            for envelope in iter_table(session, table):
                hq.publish(envelope)
    yield Bureau(hq, squad_id)


def test_a_new_folder_joins_and_its_administrator_opens_it(bureau: Bureau, tmp_path: Path) -> None:
    """The squad's administrator chooses this laptop's password; the data is encrypted for it."""
    folder = DataFolder(tmp_path / "new")
    made = enroll_new_folder(
        folder, BASE_URL, "GOOD-CODE", "zhaolei", NEW_PASSWORD, client=bureau.hq.client()
    )
    assert made.enrollment.squad_id == bureau.squad_id
    database, actor = unlock(folder, "zhaolei", NEW_PASSWORD)
    try:
        assert actor.squad_id == bureau.squad_id
        setup = installation(database)
        assert (setup.mode, setup.home_squad_id) == (AppMode.PRODUCTION, bureau.squad_id)
        with database.read() as session:
            assert session.scalars(select(Squad)).first() is not None
            assert session.get(SyncState, "secret_b64") is not None
    finally:
        database.close()
    assert Keyring.load(folder).unlock_with_recovery(made.recovery_code) is not None


@pytest.mark.parametrize(
    "username",
    [
        "zhangwei",  # an inspector, not the squad's administrator
        "huangmin",  # 南园's
        "nobody",
    ],
)
def test_only_the_squads_administrator_may_open_a_new_folder(
    bureau: Bureau, tmp_path: Path, username: str
) -> None:
    """Anyone else is refused, told that the code is used up and what HQ must do; nobody can
    open what was made."""
    folder = DataFolder(tmp_path / "new")
    with pytest.raises(UserError) as refused:
        enroll_new_folder(
            folder, BASE_URL, "GOOD-CODE", username, NEW_PASSWORD, client=bureau.hq.client()
        )
    assert "管理员" in refused.value.message
    assert "这个接入码已经用掉" in refused.value.message and "hq revoke" in refused.value.message
    assert Keyring.load(folder).is_empty


def test_a_weak_password_is_refused_before_hq_is_asked(bureau: Bureau, tmp_path: Path) -> None:
    """The password is checked first, so the one-time code is not spent on it."""
    folder = DataFolder(tmp_path / "new")
    with pytest.raises(UserError, match="密码"):
        enroll_new_folder(
            folder, BASE_URL, "GOOD-CODE", "zhaolei", "short", client=bureau.hq.client()
        )
    assert bureau.hq.log == [] and not folder.database.exists()
