"""演示模式: the demo database a newcomer or a trainer starts with.

The demo laptop belongs to the 园岭 squad. Every squad role has accounts in both 园岭 and 南园
(and a legal reviewer with the read-only 区局查看 role sits at the bureau, seeing every squad's
records); all share one password, printed by ``main.py demo`` and shown on
the sign-in screen while the app is in demo mode.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo_cases import create_demo_cases
from fuanjian_desktop.demo.demo_coercion import grant_demo_powers, issue_appraisal
from fuanjian_desktop.demo.demo_documents import issue_remaining_documents
from fuanjian_desktop.demo.demo_dossiers import create_demo_dossiers
from fuanjian_desktop.demo.demo_inspections import DemoPlan, create_demo_inspections
from fuanjian_desktop.demo.demo_transcripts import issue_demo_transcripts
from fuanjian_desktop.demo.synthetic import EnterpriseFactory
from fuanjian_desktop.domain.roles import Role, role_labels
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Case, User
from fuanjian_desktop.security.keyring import Keyring
from fuanjian_desktop.services.actor import SYSTEM
from fuanjian_desktop.services.registry import registry
from fuanjian_desktop.services.setup import (
    AppMode,
    ensure_org_units,
    installation,
    save_installation,
)
from fuanjian_desktop.services.unit_of_work import user_action
from fuanjian_desktop.services.users import NewUser, add_user

DEMO_PASSWORD = "demo1234"
DEMO_HOME_SQUAD = "园岭"
DEMO_SEED = 2019
DEMO_ENTERPRISES = {"园岭街道": 48, "南园街道": 16, "福田街道": 8}


@dataclass(frozen=True)
class DemoAccount:
    """A demo sign-in shown to the user: username, name, squad and roles."""

    username: str
    full_name: str
    squad: str
    roles: tuple[Role, ...]
    cert_no: str = ""

    @property
    def role_labels(self) -> str:
        """Roles as Chinese text, e.g. 执法人员、内勤."""
        return role_labels(self.roles)


DEMO_ACCOUNTS = (
    DemoAccount("zhangwei", "张伟", "园岭", (Role.INSPECTOR,), "44030419001"),
    DemoAccount("lina", "李娜", "园岭", (Role.INSPECTOR,), "44030419002"),
    DemoAccount("wangfang", "王芳", "园岭", (Role.CLERK, Role.INSPECTOR), "44030419003"),
    DemoAccount("chenjing", "陈静", "园岭", (Role.LEGAL_REVIEWER,)),
    DemoAccount("liuyang", "刘洋", "园岭", (Role.SQUAD_LEADER, Role.INSPECTOR), "44030419005"),
    DemoAccount("zhaolei", "赵磊", "园岭", (Role.ADMIN,)),
    DemoAccount("huangmin", "黄敏", "南园", (Role.INSPECTOR,), "44030419011"),
    DemoAccount("zhoujie", "周杰", "南园", (Role.INSPECTOR,), "44030419012"),
    DemoAccount("wuxia", "吴霞", "南园", (Role.CLERK,)),
    DemoAccount("sunhao", "孙浩", "南园", (Role.SQUAD_LEADER,), "44030419014"),
    DemoAccount("majing", "马晶", "南园", (Role.LEGAL_REVIEWER,)),
    DemoAccount("hejun", "何军", "南园", (Role.ADMIN,)),
    DemoAccount("xulin", "徐琳", "区局", (Role.LEGAL_REVIEWER, Role.BUREAU_VIEWER)),
)


def create_demo(database: Database, now: dt.datetime | None = None) -> bool:
    """Fill an empty database with the demo data; ``False`` if it already holds the demo.

    Idempotent: running it again changes nothing. A database set up for real use is refused.
    The data is dated back from ``now`` (default: this moment); tests pass a fixed moment.
    The case files (scans, photos, the archived case) follow the demo's transaction, each
    through its own service call as a clerk's click would, since archiving freezes a volume
    compiled from committed records.
    ``database`` is encrypted (``setup.create_encrypted_database``); every demo account gets the
    key wrapped for the published demo password, and the keyring is marked as the demo's.
    """
    current = installation(database)
    if current.mode is AppMode.DEMO:
        return False
    if current.mode is AppMode.PRODUCTION or _has_users(database):
        raise UserError("该数据库已正式启用，不能再写入演示数据。请为演示另选一个空的数据文件夹。")
    Keyring.load(database.folder).mark_demo()
    with user_action(database, SYSTEM, "生成演示数据") as scope:
        units = ensure_org_units(scope)
        for account in DEMO_ACCOUNTS:
            add_user(scope, _new_user(account, units[account.squad].id), database)
        factory = EnterpriseFactory(DEMO_SEED, tuple(DEMO_ENTERPRISES))
        for street, count in DEMO_ENTERPRISES.items():
            squad = next(unit for unit in units.values() if unit.street == street)
            factory.streets = (street,)
            for draft in factory.drafts(count):
                registry.add_enterprise(scope, registry.check_draft(draft), squad.id)
        plan = DemoPlan(now or utc_now(), DEMO_SEED)
        create_demo_inspections(scope, plan)
        grant_demo_powers(scope)
        stories = create_demo_cases(scope, plan, units[DEMO_HOME_SQUAD].id)
        issue_remaining_documents(scope, units[DEMO_HOME_SQUAD].id)
        issue_appraisal(scope, units[DEMO_HOME_SQUAD].id)
        issue_demo_transcripts(scope, units[DEMO_HOME_SQUAD].id)
        save_installation(scope.session, AppMode.DEMO, units[DEMO_HOME_SQUAD].id)
    create_demo_dossiers(database, stories, DEMO_SEED)
    return True


def demo_case_count(database: Database) -> int:
    """How many cases the database holds (``main.py demo`` reports it)."""
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(Case)) or 0


def _new_user(account: DemoAccount, squad_id: str) -> NewUser:
    return NewUser(
        username=account.username,
        full_name=account.full_name,
        squad_id=squad_id,
        roles=account.roles,
        password=DEMO_PASSWORD,
        cert_no=account.cert_no,
    )


def _has_users(database: Database) -> bool:
    with database.read() as session:
        return session.scalar(select(User.id).limit(1)) is not None
