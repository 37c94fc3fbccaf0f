"""First start: demo mode (演示模式) or going live (正式启用), and this laptop's settings."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop import reference
from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import PLAINTEXT_MESSAGE, Database, is_plaintext_file
from fuanjian_desktop.db.startup import open_database
from fuanjian_desktop.domain.roles import Role
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import LocalSetting, Squad
from fuanjian_desktop.security.data_key import DataKey
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.security.private_files import make_private_folder
from fuanjian_desktop.services.actor import SYSTEM
from fuanjian_desktop.services.squad_scope import HOME_SQUAD_KEY
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action
from fuanjian_desktop.services.users import NewUser, add_user

MODE_KEY = "mode"


class AppMode(StrEnum):
    """How this installation was started."""

    DEMO = "demo"
    PRODUCTION = "production"


@dataclass(frozen=True)
class Installation:
    """This laptop's mode and the squad it belongs to (``None`` before the first start)."""

    mode: AppMode | None
    home_squad_id: str | None

    @property
    def is_demo(self) -> bool:
        """Whether everything shown is demo data (the UI then shows the 演示数据 banner)."""
        return self.mode is AppMode.DEMO


def installation(database: Database) -> Installation:
    """Read the mode and home squad of this installation."""
    with database.read() as session:
        mode = _setting(session, MODE_KEY)
        return Installation(AppMode(mode) if mode else None, _setting(session, HOME_SQUAD_KEY))


def create_encrypted_database(folder: DataFolder) -> Database:
    """首次启动: a new data key, its ``keys.json`` and an empty encrypted database in ``folder``.

    No account holds the key yet: :func:`go_live` or ``demo.create_demo`` adds the first ones.
    A start that stopped before any account was added left nothing anyone could open; it is
    cleared and begun again, as is a plaintext database an older version left before its first
    start finished (no mode, no account). A folder that already holds data is refused.
    """
    if is_plaintext_file(folder.database):
        if plaintext_holds_data(folder.database):
            raise UserError(PLAINTEXT_MESSAGE)
        _discard_unfinished_start(folder)
    elif Keyring.exists(folder):
        if not Keyring.load(folder).is_empty:
            raise UserError(f"数据文件夹“{folder.root}”已经启用，不能重新生成密钥。")
        _discard_unfinished_start(folder)
    elif folder.database.exists() and folder.database.stat().st_size > 0:
        raise UserError(
            f"数据文件夹“{folder.root}”中已有数据库，不能重新生成。"
            "请另选一个空的数据文件夹，或先登录以打开已有的数据。"
        )
    make_private_folder(folder.root)
    key = DataKey.generate()
    Keyring.create(folder, key, demo=False)
    return open_database(folder, key)


def plaintext_holds_data(path: Path) -> bool:
    """Whether a plaintext (legacy) database has been set up: a mode or any account."""
    connection = sqlcipher.connect(str(path))
    try:
        for query in (
            "SELECT 1 FROM local_setting WHERE key = 'mode'",
            "SELECT 1 FROM app_user LIMIT 1",
        ):
            try:
                if connection.execute(query).fetchone() is not None:
                    return True
            except sqlcipher.OperationalError:  # the table does not exist yet
                continue
        return False
    finally:
        connection.close()


def _discard_unfinished_start(folder: DataFolder) -> None:
    """Remove the key file and database of a start that no account can ever open."""
    for path in (
        folder.database,
        folder.database.with_name(folder.database.name + "-wal"),
        folder.database.with_name(folder.database.name + "-shm"),
        Keyring.path_of(folder),
    ):
        path.unlink(missing_ok=True)


def list_squads(database: Database) -> list[Squad]:
    """Every org unit, bureau first (for choosing a squad)."""
    with database.read() as session:
        return list(session.scalars(select(Squad).order_by(Squad.is_bureau.desc(), Squad.name)))


def find_squad(database: Database, name: str) -> Squad:
    """The org unit called ``name``, by short name (园岭) or full name, for commands and filters."""
    wanted = name.strip()
    squads = list_squads(database)
    for squad in squads:
        if wanted in (squad.short_name, squad.name):
            return squad
    known = "、".join(squad.short_name for squad in squads)
    raise UserError(f"没有名为“{wanted}”的中队。请填写中队简称或全称，如：{known}。")


def ensure_org_units(scope: ActionScope) -> dict[str, Squad]:
    """Create the bureau and its squads from ``resources/org`` if missing; short name → squad."""
    existing = {squad.short_name: squad for squad in scope.session.scalars(select(Squad))}
    bureau_spec, *squad_specs = reference.org_units()
    if bureau_spec.short_name not in existing:
        existing[bureau_spec.short_name] = _add_unit(scope, bureau_spec, None)
    bureau_id = existing[bureau_spec.short_name].id
    for spec in squad_specs:
        if spec.short_name not in existing:
            existing[spec.short_name] = _add_unit(scope, spec, bureau_id)
    return existing


def _add_unit(scope: ActionScope, spec: reference.SquadSpec, parent_id: str | None) -> Squad:
    squad = Squad(
        id=spec.id,
        name=spec.name,
        short_name=spec.short_name,
        is_bureau=parent_id is None,
        street=spec.street or None,
        parent_id=parent_id,
    )
    scope.session.add(squad)
    scope.record(squad, f"建立机构“{spec.name}”", before=None)
    return squad


def go_live(database: Database, squad_short_name: str, admin: NewUser) -> str:
    """正式启用: create the org units, the first administrator and this laptop's squad.

    ``database`` comes from :func:`create_encrypted_database`. Returns the recovery code, made
    now, for the UI to show and print for the squad leader (it is never shown again).
    """
    with user_action(database, SYSTEM, "正式启用") as scope:
        _refuse_second_start(scope.session)
        units = ensure_org_units(scope)
        squad = units.get(squad_short_name)
        if squad is None:
            raise UserError(f"找不到中队“{squad_short_name}”，请从列表中选择。")
        roles = tuple(dict.fromkeys((Role.ADMIN, *admin.roles)))
        add_user(scope, replace(admin, squad_id=squad.id, roles=roles), database)
        save_installation(scope.session, AppMode.PRODUCTION, squad.id)
    assert database.key is not None, "a new installation is always encrypted"
    return Keyring.load(database.folder).replace_recovery(database.key)


def save_installation(session: Session, mode: AppMode, home_squad_id: str) -> None:
    """Store the mode and home squad (inside the caller's transaction)."""
    session.merge(LocalSetting(key=MODE_KEY, value=str(mode)))
    session.merge(LocalSetting(key=HOME_SQUAD_KEY, value=home_squad_id))


def _refuse_second_start(session: Session) -> None:
    if _setting(session, MODE_KEY):
        raise UserError("本机已经完成首次启用，不能重复设置。")


def _setting(session: Session, key: str) -> str | None:
    row = session.get(LocalSetting, key)
    return row.value if row else None
