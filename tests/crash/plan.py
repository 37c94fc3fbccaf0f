"""The records the crash child writes to, made once on a copy of the demo data.

Every write the child makes lands on one of these: 园岭's enterprises and pending hazards, one
inspection in progress (answers and photos), one case under investigation (documents issued on
it, a transcript typed into it) and the cases the child opens and files itself. The plan travels
to the child on its standard input, so nothing of it is stored in the data folder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.inspection_rules import InspectionSource, SitePerson
from fuanjian_desktop.models import Enterprise, Hazard, NumberBlock
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_actions import StepInput
from fuanjian_desktop.services.inspections import inspections
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.numbering import grant_block
from fuanjian_desktop.services.transcripts import transcripts
from fuanjian_desktop.services.transcripts.transcripts import Interviewee
from fuanjian_desktop.services.unit_of_work import user_action
from tests.cases import open_plain_case, perform_written
from tests.crash.actors import actor_named

TEMPLATE = "three_small.shop"
TARGETS = 6  # enterprises and hazards the child edits (few, so each is changed many times)
LAST_SERIAL = 99_999  # the largest serial a block may hold: ample for a thousand rounds


@dataclass(frozen=True)
class Plan:
    """Ids the child writes to (all of the demo's home squad 园岭)."""

    enterprises: tuple[str, ...]
    hazards: tuple[str, ...]
    inspection: str
    case: str
    transcript: str

    def to_json(self) -> dict[str, object]:
        """The plan as JSON values (for the child's standard input)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        """The plan read back from :meth:`to_json`."""
        return cls(
            enterprises=tuple(data["enterprises"]),
            hazards=tuple(data["hazards"]),
            inspection=str(data["inspection"]),
            case=str(data["case"]),
            transcript=str(data["transcript"]),
        )


def prepare(database: Database) -> Plan:
    """Choose the targets in the demo data and make the inspection, case and transcript."""
    zhang, lina = actor_named(database, "zhangwei"), actor_named(database, "lina")
    leader = actor_named(database, "liuyang")
    _grant_numbers(database, actor_named(database, "zhaolei"))
    enterprises = _home_enterprises(database, zhang)
    hazards = _pending_hazards(database, zhang)
    inspection = _start_inspection(database, zhang, lina, enterprises[-1])
    today = local_today()
    case = open_plain_case(database, zhang, lina.user_id or "", today)
    perform_written(database, leader, case, "approve_filing", StepInput(on=today), today)
    transcript = transcripts.create_transcript(
        database,
        zhang,
        case,
        relation="从业人员",
        interviewee=Interviewee(name="王小明", id_number="440304199001011233", job="车工"),
        place="园岭应急管理中队询问室",
    )
    return Plan(enterprises[:TARGETS], hazards, inspection, case, transcript)


def _grant_numbers(database: Database, admin: Actor) -> None:
    """The rest of this year's serials as one block, so the child's cases never run out."""
    year = local_today().year
    with user_action(database, admin, "录入文号号段") as scope:
        taken = scope.session.scalar(
            select(func.max(NumberBlock.last)).where(NumberBlock.year == year)
        )
        first = (taken or 0) + 1
        grant_block(scope, year, first, LAST_SERIAL, admin.squad_id or "")


def _home_enterprises(database: Database, actor: Actor) -> tuple[str, ...]:
    """The enterprises of the actor's squad, by name."""
    with database.read() as session:
        query = select(Enterprise.id).where(Enterprise.squad_id == actor.squad_id)
        return tuple(session.scalars(query.order_by(Enterprise.name)))


def _pending_hazards(database: Database, actor: Actor) -> tuple[str, ...]:
    with database.read() as session:
        query = (
            select(Hazard.id)
            .where(Hazard.squad_id == actor.squad_id, Hazard.status == "pending")
            .order_by(Hazard.found_on, Hazard.id)
        )
        found = tuple(session.scalars(query.limit(TARGETS)))
    assert found, "the demo data has no pending hazard in the home squad"
    return found


def _start_inspection(database: Database, zhang: Actor, lina: Actor, enterprise_id: str) -> str:
    request = inspections.InspectionStart(
        enterprise_id=enterprise_id,
        source=InspectionSource.ROUTINE,
        template_id=TEMPLATE,
        inspector_ids=(zhang.user_id or "", lina.user_id or ""),
        site_person=SitePerson("李老板", "店主", "13800138000"),
        facts={"uses_gas": True, "has_lodging": True},
        started_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5),
    )
    return inspections.start_inspection(database, zhang, request)
