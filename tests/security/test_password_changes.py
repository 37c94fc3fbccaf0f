"""Changing, resetting and recovering a password re-wraps the key: the data stays readable."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo import DEMO_PASSWORD
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import Enterprise, User
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.actor import Actor

NEW = "new-pass-2026"
T0 = dt.datetime(2026, 3, 2, 1, 30, tzinfo=dt.UTC)


def enterprises(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(Enterprise)) or 0


def reopen(folder: DataFolder, username: str, password: str) -> tuple[Database, Actor]:
    return auth.unlock(folder, username, password, now=T0)


def refused(folder: DataFolder, username: str, password: str) -> bool:
    try:
        database, _actor = reopen(folder, username, password)
    except UserError:
        return True
    database.close()
    return False


@pytest.fixture
def folder(demo_database: Database) -> DataFolder:
    return DataFolder(demo_database.folder)


def test_changing_ones_password_rewraps_the_key(
    demo_database: Database, folder: DataFolder, sign_in
) -> None:
    """After 修改密码 the new password opens the data (all of it) and the old one no longer does."""
    count = enterprises(demo_database)
    auth.change_password(demo_database, sign_in("lina"), DEMO_PASSWORD, NEW)
    demo_database.close()
    assert refused(folder, "lina", DEMO_PASSWORD)
    database, actor = reopen(folder, "lina", NEW)
    try:
        assert actor.full_name == "李娜"
        assert enterprises(database) == count > 0
    finally:
        database.close()


def test_a_wrong_old_password_changes_nothing(demo_database: Database, sign_in) -> None:
    """The old password must be right (a left-open laptop cannot be taken over)."""
    actor = sign_in("lina")
    before = (demo_database.folder / "keys.json").read_bytes()
    with pytest.raises(UserError, match="原密码不正确"):
        auth.change_password(demo_database, actor, "wrong-old-1", NEW)
    assert (demo_database.folder / "keys.json").read_bytes() == before


def test_a_weak_new_password_is_refused_before_anything_changes(
    demo_database: Database, sign_in
) -> None:
    with pytest.raises(UserError, match="至少"):
        auth.change_password(demo_database, sign_in("lina"), DEMO_PASSWORD, "short1")


def test_admin_reset_wraps_the_key_for_the_new_password(
    demo_database: Database, folder: DataFolder, sign_in
) -> None:
    """重设密码 by the squad's administrator: the user signs in with the new password."""
    admin = sign_in("zhaolei")
    with demo_database.read() as session:
        lina = session.scalar(select(User.id).where(User.username == "lina"))
    assert lina is not None
    auth.reset_password(demo_database, admin, lina, NEW)
    demo_database.close()
    assert refused(folder, "lina", DEMO_PASSWORD)
    database, actor = reopen(folder, "lina", NEW)
    database.close()
    assert actor.username == "lina"


def test_only_an_administrator_resets(demo_database: Database, sign_in) -> None:
    leader = sign_in("liuyang")
    with demo_database.read() as session:
        lina = session.scalar(select(User.id).where(User.username == "lina"))
    assert lina is not None
    with pytest.raises(PermissionDenied):
        auth.reset_password(demo_database, leader, lina, NEW)


def test_the_recovery_code_sets_a_forgotten_password(
    demo_database: Database, folder: DataFolder
) -> None:
    """忘记密码: the printed code opens the data and sets a new password that then signs in."""
    assert demo_database.key is not None
    code = Keyring.load(folder).replace_recovery(demo_database.key)
    count = enterprises(demo_database)
    demo_database.close()

    auth.recover_password(folder, code, "zhangwei", NEW)

    assert refused(folder, "zhangwei", DEMO_PASSWORD)
    database, _actor = reopen(folder, "zhangwei", NEW)
    try:
        assert enterprises(database) == count
    finally:
        database.close()
    with pytest.raises(UserError, match="恢复密钥不正确"):
        auth.recover_password(folder, "0000-0000-0000-0000-0000-0000-0000-0000", "lina", NEW)


def test_a_forgotten_account_can_no_longer_open_the_data(
    demo_database: Database, folder: DataFolder
) -> None:
    """Deactivation forgets the account's wrap: its password opens nothing any more."""
    auth.forget_account(demo_database, "lina")
    demo_database.close()
    assert refused(folder, "lina", DEMO_PASSWORD)
    database, _actor = reopen(folder, "zhangwei", DEMO_PASSWORD)
    database.close()


def test_an_administrator_makes_a_new_recovery_code(
    demo_database: Database, folder: DataFolder, sign_in
) -> None:
    """The laptop squad's administrator replaces the recovery code: the new one opens the data,
    the old one no longer does; anyone else is refused and nothing changes."""
    assert demo_database.key is not None
    old = Keyring.load(folder).replace_recovery(demo_database.key)
    for username in ("liuyang", "hejun"):  # 园岭's leader (no admin), 南园's administrator
        with pytest.raises(PermissionDenied):
            auth.new_recovery_code(demo_database, sign_in(username))
    assert Keyring.load(folder).unlock_with_recovery(old) == demo_database.key

    new = auth.new_recovery_code(demo_database, sign_in("zhaolei"))

    assert new != old
    assert Keyring.load(folder).unlock_with_recovery(new) == demo_database.key
    with pytest.raises(UserError, match="恢复密钥不正确"):
        Keyring.load(folder).unlock_with_recovery(old)
