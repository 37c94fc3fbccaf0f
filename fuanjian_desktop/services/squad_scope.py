"""Squad scope (中队隔离): a squad's users see and change only their own squad's records.

Every service checks the squad of the record it reads or changes against the squad of the
acting user, as the database knows that user at the moment of the action (not as the ``Actor``
object handed in, which may be stale or forged). The rules:

- a record is changed only by a user of its own squad, whatever their roles;
- a record is read by its own squad's users, and by users holding a bureau role
  (``Permission.VIEW_ALL_SQUADS``, read-only);
- the enterprise registry is shared for reading (a venue may be met across a boundary) and
  changed only by its squad;
- a list shows the acting user's squad only, unless a bureau role lets them see all.

HQ will hold every squad on one server, so the rule lives here, not in the UI.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.roles import BUREAU_ROLES, Permission
from fuanjian_desktop.errors import NotFound, PermissionDenied
from fuanjian_desktop.models import (
    Case,
    CaseDocument,
    CaseDossier,
    CaseEvent,
    CaseLink,
    CaseMedia,
    CasePhoto,
    CaseRemedy,
    CaseViolation,
    DocumentScan,
    Enterprise,
    Hazard,
    Inspection,
    InspectionAnswer,
    InspectionPhoto,
    IssuedNumber,
    LocalSetting,
    NumberBlock,
    RecheckFinding,
    Squad,
    User,
    UserRole,
)
from fuanjian_desktop.services.actor import SYSTEM, Actor

HOME_SQUAD_KEY = "home_squad_id"  # the ``LocalSetting`` naming the squad this laptop belongs to
OTHER_SQUAD = "该{what}不属于您所在中队，您无权{verb}。如确需办理，请联系该中队。"
NO_SQUAD = "当前账号未归属任何中队，无法{verb}。请联系管理员。"

# records that carry their squad themselves
_OWN_SQUAD = (Enterprise, Inspection, Hazard, Case, User, NumberBlock, IssuedNumber)
# records that belong to a case or to an inspection
_OF_CASE = (CaseViolation, CaseEvent, CaseLink, CaseRemedy, CaseDossier, CaseMedia, CasePhoto)
_OF_INSPECTION = (InspectionAnswer, InspectionPhoto, RecheckFinding)


def acting_user(session: Session, actor: Actor) -> Actor:
    """``actor`` as the database knows them now: roles and squad re-read from the user row.

    The system actor (set-up, demo) carries no user row and passes as it is; an anonymous one
    with no roles (a sign-in attempt before the name is known) passes with no squad either, so it
    reads and changes nothing of any squad; any other actor without a stored, active account is
    refused.
    """
    if actor.user_id is None:
        if actor is SYSTEM:
            return actor
        if not actor.roles:
            return Actor(None, actor.full_name, None, frozenset(), actor.username)
        raise PermissionDenied("无法确认当前登录的用户，请重新登录。")
    # one plain query (a row per role) rather than the ORM user with its squad and roles: every
    # action and read pays for it
    rows = session.execute(
        select(
            User.full_name, User.squad_id, User.active, User.username, User.cert_no, UserRole.role
        )
        .outerjoin(UserRole, UserRole.user_id == User.id)
        .where(User.id == actor.user_id)
    ).all()
    if not rows:
        raise PermissionDenied("当前登录的账号已不存在，请重新登录或联系管理员。")
    name, squad_id, active, username, cert_no, _role = rows[0]
    if not active:
        raise PermissionDenied("当前登录的账号已停用，不能再办理任何事项。请联系管理员。")
    roles = frozenset(row.role for row in rows if row.role is not None)
    return Actor(actor.user_id, name, squad_id, roles, username, cert_no)


@contextmanager
def read_as(database: Database, actor: Actor) -> Iterator[tuple[Session, Actor]]:
    """A read session and the acting user as re-read in it (see :func:`acting_user`)."""
    with database.read() as session:
        yield session, acting_user(session, actor)


def sees_all_squads(actor: Actor) -> bool:
    """Whether ``actor`` may read every squad's records (a bureau role, never to change them; or
    the system actor of set-up, which belongs to no squad)."""
    return actor is SYSTEM or actor.can(Permission.VIEW_ALL_SQUADS)


def listed_squad(actor: Actor, wanted: str | None) -> str | None:
    """The squad a list may show: ``wanted`` (``None`` = all) for a bureau viewer, else the
    actor's own squad; asking for another squad's list is refused."""
    if sees_all_squads(actor):
        return wanted
    if actor.squad_id is None:
        raise PermissionDenied(NO_SQUAD.format(verb="查看各中队的记录"))
    if wanted is not None and wanted != actor.squad_id:
        raise PermissionDenied("您只能查看本中队的记录，不能查看其他中队的列表。")
    return actor.squad_id


def require_readable(actor: Actor, squad_id: str | None, what: str = "记录") -> None:
    """Refuse, in Chinese, to show a record of ``squad_id`` to ``actor`` unless allowed."""
    if squad_id is not None and (squad_id == actor.squad_id or sees_all_squads(actor)):
        return
    raise PermissionDenied(OTHER_SQUAD.format(what=what, verb="查看"))


def require_changeable(actor: Actor, squad_id: str | None, what: str = "记录") -> None:
    """Refuse, in Chinese, to let ``actor`` change a record of ``squad_id`` unless it is theirs.

    The system actor (set-up and the demo, which build every squad's data) may.
    """
    if actor is SYSTEM:
        return
    if actor.squad_id is None:
        raise PermissionDenied(NO_SQUAD.format(verb="修改记录"))
    if squad_id != actor.squad_id:
        raise PermissionDenied(OTHER_SQUAD.format(what=what, verb="修改"))


def require_account_squad(
    session: Session, actor: Actor, squad_id: str, roles: Iterable[str]
) -> None:
    """Refuse an account made in another squad than the administrator's, or a bureau role for
    an account outside the 区局 (a squad's administrator cannot make anyone a bureau viewer)."""
    require_changeable(actor, squad_id, "中队")
    squad = session.get(Squad, squad_id)
    if set(roles) & BUREAU_ROLES and (squad is None or not squad.is_bureau):
        raise PermissionDenied("“区局查看”等区局角色只能授予区局的账号，请取消该角色。")


def require_laptop_squad(session: Session, actor: Actor) -> None:
    """Refuse to let a user of another squad change this laptop's settings (文号, 程序, 文书):
    they belong to the squad the laptop was set up for. Before set-up no squad owns them."""
    home = session.get(LocalSetting, HOME_SQUAD_KEY)
    if home is not None:
        require_changeable(actor, home.value, "本机设置")


def squad_of(session: Session, record: object) -> str | None:
    """The squad a record belongs to: its own, or its case's or inspection's."""
    if isinstance(record, _OWN_SQUAD):
        return record.squad_id
    if isinstance(record, CaseDocument):
        if record.case_id is not None:
            return _squad_of_case(session, record.case_id)
        return _squad_of_inspection(session, record.inspection_id)
    if isinstance(record, DocumentScan):  # the scanned document's squad (case or inspection)
        return squad_of(session, session.get(CaseDocument, record.document_id))
    if isinstance(record, _OF_CASE):
        return _squad_of_case(session, record.case_id)
    if isinstance(record, _OF_INSPECTION):
        return _squad_of_inspection(session, record.inspection_id)
    raise TypeError(f"no squad rule for {type(record).__name__}")


def case_squad(session: Session, case_id: str) -> str:
    """The squad of case ``case_id`` (:class:`NotFound` if there is none)."""
    squad_id = _squad_of_case(session, case_id)
    if squad_id is None:
        raise NotFound("该案件不存在，请刷新列表。")
    return squad_id


def inspection_squad(session: Session, inspection_id: str) -> str:
    """The squad of inspection ``inspection_id`` (:class:`NotFound` if there is none)."""
    squad_id = _squad_of_inspection(session, inspection_id)
    if squad_id is None:
        raise NotFound("该检查记录不存在，请刷新列表。")
    return squad_id


def _squad_of_case(session: Session, case_id: str | None) -> str | None:
    case = session.get(Case, case_id) if case_id else None
    return case.squad_id if case else None


def _squad_of_inspection(session: Session, inspection_id: str | None) -> str | None:
    inspection = session.get(Inspection, inspection_id) if inspection_id else None
    return inspection.squad_id if inspection else None
