"""Demo inspections: two months of a squad's field work, with hazards in every state.

Built through the same service functions the screens use (inside the demo's one transaction),
with timestamps in the past, so the demo shows what real use produces: finished inspections,
a few still open, hazards rectified at a 复查, due this week, overdue, and found unrectified
(the demo cases are opened from these).
Deterministic for a seed and a date.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import select

from fuanjian_desktop.checklists.loader import Catalogue, load_catalogue
from fuanjian_desktop.checklists.model import Template
from fuanjian_desktop.domain.inspection_rules import (
    Answer,
    HazardStatus,
    InspectionSource,
    SitePerson,
)
from fuanjian_desktop.models import Enterprise, Hazard, Inspection, User
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections import hazards, inspections
from fuanjian_desktop.services.unit_of_work import ActionScope

SOURCES = (
    (InspectionSource.ROUTINE, 5),
    (InspectionSource.PLANNED, 3),
    (InspectionSource.RANDOM, 2),
    (InspectionSource.COMPLAINT, 1),
    (InspectionSource.SPECIAL, 2),
)
TEAMS = {
    "园岭": (("zhangwei", "lina"), ("wangfang", "liuyang")),
    "南园": (("huangmin", "zhoujie"),),
}
INSPECTIONS_PER_SQUAD = {"园岭": 38, "南园": 8}
IN_PROGRESS = 4  # the newest inspections of the 园岭 squad are still open
FAILURE_RATE = 0.07
FACT_RATE = 0.35
UNRECTIFIED_RATE = 0.35  # of the hazards re-checked; the demo cases are opened from these
NOTES = ("现场查看", "已拍照取证", "负责人称近期整改", "")


@dataclass(frozen=True)
class DemoPlan:
    """What to generate: how far back, and the moment the demo calls now."""

    now: dt.datetime
    seed: int
    days_back: int = 70

    @property
    def today(self) -> dt.date:
        """The local date of ``now``."""
        return self.now.astimezone().date()


def create_demo_inspections(scope: ActionScope, plan: DemoPlan) -> int:
    """Add the demo inspections to the open demo action; return how many were made."""
    rng = random.Random(plan.seed)
    catalogue = load_catalogue()
    made = 0
    for squad, count in INSPECTIONS_PER_SQUAD.items():
        venues = _venues(scope, squad, catalogue)
        rng.shuffle(venues)
        days = sorted((rng.randrange(1, plan.days_back) for _ in range(count)), reverse=True)
        for number, (venue, template) in enumerate(venues[:count]):
            still_open = squad == "园岭" and number >= count - IN_PROGRESS
            started = (
                plan.now - dt.timedelta(minutes=40 * (count - number))
                if still_open
                else _moment(plan.today - dt.timedelta(days=days[number]), rng)
            )
            team = TEAMS[squad][number % len(TEAMS[squad])]
            _inspect(scope, rng, venue, template, team, started, still_open)
            made += 1
    _follow_up(scope, rng, plan.today)
    return made


def _venues(
    scope: ActionScope, squad_short_name: str, catalogue: Catalogue
) -> list[tuple[Enterprise, Template]]:
    """The squad's venues that have a suggested template, in name order (then shuffled)."""
    found = scope.session.scalars(
        select(Enterprise)
        .join(Enterprise.category_rows)
        .where(Enterprise.street == f"{squad_short_name}街道")
        .order_by(Enterprise.name)
        .distinct()
    )
    pairs = []
    for venue in found:
        suggested = catalogue.suggested_for(frozenset(venue.categories))
        if suggested:
            pairs.append((venue, suggested[0]))
    return pairs


def _inspect(
    scope: ActionScope,
    rng: random.Random,
    venue: Enterprise,
    template: Template,
    team: tuple[str, str],
    started: dt.datetime,
    still_open: bool,
) -> None:
    lead = _actor(scope, team[0])
    as_lead = ActionScope(scope.session, lead, scope.action)
    facts = {fact.id: rng.random() < FACT_RATE for fact in template.facts}
    start = inspections.InspectionStart(
        enterprise_id=venue.id,
        source=rng.choices([s for s, _ in SOURCES], [w for _, w in SOURCES])[0],
        template_id=template.id,
        inspector_ids=tuple(_user(scope, name).id for name in team),
        site_person=SitePerson(
            venue.contact_name or venue.operator_name or "负责人",
            "负责人",
            venue.contact_phone or "",
        ),
        facts=facts,
        started_at=started,
    )
    inspection = inspections.create_inspection(as_lead, lead, start, None)
    items = template.applicable_items(facts, frozenset(venue.categories))
    answered = items[: rng.randint(len(items) // 3, len(items) * 2 // 3)] if still_open else items
    for minute, item in enumerate(answered, start=1):
        result = _answer(rng)
        note = rng.choice(NOTES) if result is Answer.NON_COMPLIANT else ""
        moment = started + dt.timedelta(minutes=minute)
        inspections.save_answer(as_lead, inspection, item, result, note, moment)
    if not still_open:
        ended = started + dt.timedelta(minutes=len(items) + 10)
        summary, found = _summary(scope, inspection)
        measures = ("rectify_within_deadline",) if found else ()
        finish = inspections.InspectionFinish(ended, summary, onsite_measures=measures)
        inspections.complete_inspection(as_lead, inspection, finish)


def _follow_up(scope: ActionScope, rng: random.Random, today: dt.date) -> None:
    """复查 about two thirds of the inspections whose hazards fell due.

    Hazards found unrectified stay so: the demo cases (``demo_cases.py``) open cases from them,
    which hands them over (移交立案) on the day each case is opened.
    """
    due = scope.session.scalars(
        select(Inspection)
        .join(Hazard, Hazard.inspection_id == Inspection.id)
        .where(Hazard.status == HazardStatus.PENDING.value, Hazard.due_date < today)
        .order_by(Inspection.started_at)
        .distinct()
    ).all()
    for number, inspection in enumerate(due):
        if number % 5 == 4:
            continue  # left overdue: the 工作台 must show these
        waiting = scope.session.scalars(
            select(Hazard)
            .where(
                Hazard.inspection_id == inspection.id,
                Hazard.status == HazardStatus.PENDING.value,  # one may have gone to a case
                Hazard.due_date < today,
            )
            .order_by(Hazard.item_id)  # the results are drawn in this order
        ).all()
        last_due = max(hazard.due_date for hazard in waiting)
        yesterday = today - dt.timedelta(days=1)
        when = _moment(min(last_due + dt.timedelta(days=rng.randint(0, 3)), yesterday), rng)
        team = [row.user_id for row in inspection.inspector_rows]
        lead = _actor_by_id(scope, team[0])
        results = {
            hazard.id: Answer.NON_COMPLIANT if rng.random() < UNRECTIFIED_RATE else Answer.COMPLIANT
            for hazard in waiting
        }
        record = hazards.RecheckRecord(
            inspection_id=inspection.id,
            inspector_ids=tuple(team),
            site_person=SitePerson(inspection.site_person_name, "负责人"),
            started_at=when,
            ended_at=when + dt.timedelta(minutes=20),
            results=results,
            notes={},
            opinion="已按要求整改的隐患予以销号；未整改的依法处理。",
        )
        hazards.add_recheck(ActionScope(scope.session, lead, scope.action), lead, record)


def _answer(rng: random.Random) -> Answer:
    roll = rng.random()
    if roll < FAILURE_RATE:
        return Answer.NON_COMPLIANT
    return Answer.NOT_APPLICABLE if roll > 0.93 else Answer.COMPLIANT


def _summary(scope: ActionScope, inspection: Inspection) -> tuple[str, int]:
    """What the inspectors add to the 检查情况 at the end (the counts, the problems and the
    measures are written from the answers and hazards), and how many hazards were found."""
    found = len(
        scope.session.scalars(select(Hazard.id).where(Hazard.inspection_id == inspection.id)).all()
    )
    if not found:
        return "现场负责人陪同检查。", 0
    return "现场负责人陪同检查，对检查发现的问题无异议。", found


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    """A working-hours moment on ``day`` in this laptop's time zone, as UTC."""
    local = dt.datetime.combine(day, dt.time(rng.randint(9, 15), rng.choice((0, 15, 30, 45))))
    return local.astimezone(dt.UTC)


def _user(scope: ActionScope, username: str) -> User:
    user = scope.session.scalar(select(User).where(User.username == username))
    assert user is not None, f"demo account {username} missing"
    return user


def _actor(scope: ActionScope, username: str) -> Actor:
    return Actor.of(_user(scope, username))


def _actor_by_id(scope: ActionScope, user_id: str) -> Actor:
    user = scope.session.get(User, user_id)
    assert user is not None
    return Actor.of(user)
