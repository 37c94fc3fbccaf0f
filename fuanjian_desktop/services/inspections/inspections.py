"""现场检查: start an inspection, save each answer as it is given, finish it, reopen it.

Every answer is its own transaction (answer, hazard, audit event and outbox row together), so
a laptop that dies mid-inspection loses nothing that was shown as saved, and a restart resumes
exactly where the inspectors were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fuanjian_desktop import reference
from fuanjian_desktop.checklists.model import HazardLevel, Item, Template
from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.deadlines import compute_deadline
from fuanjian_desktop.domain.inspection_rules import (
    Answer,
    HazardStatus,
    InspectionSource,
    InspectionStatus,
    Inspector,
    SitePerson,
    check_inspectors,
    check_site_person,
    check_times,
    default_description,
)
from fuanjian_desktop.domain.registry_rules import FieldIssue, InvalidFields
from fuanjian_desktop.domain.roles import Permission, Role
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import (
    ChecklistVersion,
    Enterprise,
    Hazard,
    Inspection,
    InspectionAnswer,
    InspectionInspector,
    User,
    UserRole,
)
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.inspections.checklist_versions import pin_current, pinned_template
from fuanjian_desktop.services.lookup import fetch, fetch_own, fetch_readable
from fuanjian_desktop.services.squad_scope import listed_squad, read_as
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action


class InspectionInvalid(InvalidFields):
    """A start or finish request with field issues; the dialog shows each beside its field."""

    def __init__(self, issues: Sequence[FieldIssue]) -> None:
        super().__init__("检查信息有误，请修改后再继续：", issues)


@dataclass(frozen=True)
class InspectionStart:
    """What the start dialog collects."""

    enterprise_id: str
    source: InspectionSource
    template_id: str | None
    inspector_ids: tuple[str, ...]
    site_person: SitePerson
    facts: Mapping[str, bool] = field(default_factory=dict)
    place: str = ""
    started_at: dt.datetime | None = None
    follow_up_of_id: str | None = None


@dataclass(frozen=True)
class InspectionFinish:
    """What the finish dialog collects (现场负责人 may refuse to sign: 安全生产法第六十八条)."""

    ended_at: dt.datetime
    summary: str
    refused_to_sign: bool = False
    refusal_note: str = ""
    onsite_measures: tuple[str, ...] = ()  # codes of reference.onsite_measures()
    onsite_measures_note: str = ""


@dataclass(frozen=True)
class AnswerView:
    """A saved answer."""

    result: Answer
    note: str


@dataclass(frozen=True)
class HazardView:
    """A hazard as the inspection view and the hazard editor show it."""

    id: str
    item_id: str
    description: str
    level: HazardLevel
    rectification: str
    basis_text: str
    found_on: dt.date
    days: int
    due_date: dt.date
    status: HazardStatus
    deadline_note: str


@dataclass(frozen=True)
class InspectionView:
    """Everything the inspection screen (and later the documents) need, loaded at once."""

    id: str
    enterprise_id: str
    enterprise_name: str
    address: str
    source: InspectionSource
    status: InspectionStatus
    template: Template | None
    items: tuple[Item, ...]
    facts: Mapping[str, bool]
    answers: Mapping[str, AnswerView]
    hazards: Mapping[str, HazardView]
    inspectors: tuple[Inspector, ...]
    site_person: SitePerson
    place: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    summary: str
    refused_to_sign: bool
    refusal_note: str
    onsite_measures: tuple[str, ...]
    onsite_measures_note: str
    follow_up_of_id: str | None

    @property
    def answered(self) -> int:
        """How many applicable items have an answer."""
        return sum(1 for item in self.items if item.id in self.answers)

    @property
    def unanswered(self) -> tuple[Item, ...]:
        """Applicable items still without an answer, in walking order."""
        return tuple(item for item in self.items if item.id not in self.answers)


@dataclass(frozen=True)
class InspectionRow:
    """One line of the inspection list."""

    id: str
    venue: str
    source: str
    title: str
    status: InspectionStatus
    started_at: dt.datetime
    inspectors: str
    inspector_ids: tuple[str, ...]
    hazards: int

    def has_inspector(self, user_id: str | None) -> bool:
        """Whether ``user_id`` is one of the inspectors (their own work, listed first)."""
        return user_id in self.inspector_ids


def available_inspectors(database: Database, actor: Actor, squad_id: str | None) -> list[Inspector]:
    """Active inspectors of the squad (all squads when ``None``, for a bureau viewer), by name."""
    with read_as(database, actor) as (session, reader):
        squad_id = listed_squad(reader, squad_id)
        query = (
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.INSPECTOR.value, User.active.is_(True))
            .order_by(User.full_name)
        )
        if squad_id is not None:
            query = query.where(User.squad_id == squad_id)
        return [_inspector(user) for user in session.scalars(query)]


def recent_partners(database: Database, actor: Actor) -> tuple[str, ...]:
    """The other inspectors of the actor's latest inspection. A squad's inspectors mostly go
    out in the same pairs, so the start form ticks them in advance (and may be unticked)."""
    user_id = actor.user_id
    latest = (
        select(InspectionInspector.inspection_id)
        .join(Inspection, Inspection.id == InspectionInspector.inspection_id)
        .where(InspectionInspector.user_id == user_id)
        .order_by(Inspection.started_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    query = (
        select(InspectionInspector.user_id)
        .where(InspectionInspector.inspection_id == latest)
        .where(InspectionInspector.user_id != user_id)
        .order_by(InspectionInspector.position)
    )
    with read_as(database, actor) as (session, _reader):
        return tuple(session.scalars(query))


def start_inspection(
    database: Database,
    actor: Actor,
    start: InspectionStart,
    checklist_folder: Path | None = None,
) -> str:
    """Open an inspection (status 检查中) and return its id."""
    actor.require(Permission.INSPECT)
    with user_action(database, actor, "开始现场检查") as scope:
        scope.actor.require(Permission.INSPECT)
        return create_inspection(scope, scope.actor, start, checklist_folder).id


def create_inspection(
    scope: ActionScope, actor: Actor, start: InspectionStart, checklist_folder: Path | None
) -> Inspection:
    """Validate and insert an inspection inside an open action (a 复查 shares it).

    The inspection belongs to ``actor``'s squad and is made by that squad's inspectors; the venue
    may be any in the registry (shared for reading).
    """
    session = scope.session
    now = utc_now()
    started_at = start.started_at or now
    if not start.enterprise_id:
        no_venue = FieldIssue("enterprise", "请先搜索并选择被检查单位。", field_label="被检查单位")
        raise InspectionInvalid([no_venue])
    enterprise = fetch(session, Enterprise, start.enterprise_id)
    squad_id = actor.squad_id or enterprise.squad_id
    inspectors = _chosen_inspectors(session, start.inspector_ids, squad_id)
    issues = check_inspectors(inspectors) + check_site_person(start.site_person, _local_date(now))
    issues += check_times(started_at, None, now)
    if issues:
        raise InspectionInvalid(issues)
    template = _pinned_or_none(scope, start, checklist_folder)
    inspection = _new_inspection(actor, squad_id, enterprise, start, template, started_at)
    inspection.inspector_rows = [
        InspectionInspector(position=n, user_id=i.user_id, full_name=i.full_name, cert_no=i.cert_no)
        for n, i in enumerate(inspectors, start=1)
    ]
    session.add(inspection)
    scope.record(inspection, f"开始检查“{enterprise.name}”（{start.source.label}）", None)
    return inspection


def answer_item(
    database: Database,
    actor: Actor,
    inspection_id: str,
    item: Item,
    result: Answer,
    note: str = "",
) -> None:
    """Save one answer now. 不符合 opens a hazard with the item's defaults; taking the answer
    back while still on site removes that hazard again."""
    actor.require(Permission.INSPECT)
    with user_action(database, actor, "记录检查结果") as scope:
        scope.actor.require(Permission.INSPECT)
        inspection = _open_for_answers(scope, inspection_id)
        save_answer(scope, inspection, item, result, note, utc_now())


def save_answer(
    scope: ActionScope,
    inspection: Inspection,
    item: Item,
    result: Answer,
    note: str,
    moment: dt.datetime,
) -> None:
    """Store an answer given at ``moment`` inside an open action, and keep its hazard in step."""
    answer = scope.session.scalar(
        select(InspectionAnswer).where(
            InspectionAnswer.inspection_id == inspection.id,
            InspectionAnswer.item_id == item.id,
        )
    )
    clean_note = note.strip() or None
    if answer is not None and (answer.result, answer.note) == (result.value, clean_note):
        return
    before = None if answer is None else answer.audit_snapshot()
    if answer is None:
        answer = InspectionAnswer(inspection_id=inspection.id, item_id=item.id)
        scope.session.add(answer)
    answer.result = result.value
    answer.note = clean_note
    answer.answered_at = moment
    answer.answered_by_id = scope.actor.user_id or ""
    scope.record(answer, f"检查项 {item.id} 记为{result.label}", before)
    _sync_hazard(scope, inspection, item, result, _local_date(moment))


def finish_inspection(
    database: Database, actor: Actor, inspection_id: str, finish: InspectionFinish
) -> None:
    """Close the inspection once every applicable item has an answer."""
    actor.require(Permission.INSPECT)
    view = open_inspection(database, actor, inspection_id)
    issues = check_times(view.started_at, finish.ended_at, utc_now())
    if view.unanswered:
        first = view.unanswered[0]
        issues.append(
            FieldIssue(
                "items",
                f"还有 {len(view.unanswered)} 项未检查，第一项是“{first.check}”。",
                field_label="检查项",
            )
        )
    known = {measure.code for measure in reference.onsite_measures()}
    if set(finish.onsite_measures) - known:
        issues.append(
            FieldIssue("onsite_measures", "现场处理措施不在目录中。", field_label="现场处理措施")
        )
    if finish.refused_to_sign and not finish.refusal_note.strip():
        issues.append(
            FieldIssue("refusal_note", "请写明负责人拒绝签名的情况。", field_label="拒绝签名说明")
        )
    if issues:
        raise InspectionInvalid(issues)
    with user_action(database, actor, "结束现场检查") as scope:
        scope.actor.require(Permission.INSPECT)
        complete_inspection(scope, _open_for_answers(scope, inspection_id), finish)


def complete_inspection(
    scope: ActionScope, inspection: Inspection, finish: InspectionFinish
) -> None:
    """Mark an inspection completed inside an open action (checks done by the caller)."""
    before = inspection.audit_snapshot()
    inspection.status = InspectionStatus.COMPLETED.value
    inspection.ended_at = finish.ended_at
    inspection.summary = finish.summary.strip() or None
    inspection.refused_to_sign = finish.refused_to_sign
    inspection.refusal_note = finish.refusal_note.strip() or None
    inspection.onsite_measures = list(finish.onsite_measures)
    inspection.onsite_measures_note = finish.onsite_measures_note.strip() or None
    scope.record(inspection, "结束检查", before)


def open_inspection(database: Database, actor: Actor, inspection_id: str) -> InspectionView:
    """The whole inspection: template as it ran, answers, hazards, people (its squad's users
    and bureau viewers only)."""
    with read_as(database, actor) as (session, reader):
        inspection = fetch_readable(session, reader, Inspection, inspection_id)
        enterprise = fetch(session, Enterprise, inspection.enterprise_id)
        template = None
        if inspection.template_id and inspection.template_version:
            template = pinned_template(session, inspection.template_id, inspection.template_version)
        answers = session.scalars(
            select(InspectionAnswer).where(InspectionAnswer.inspection_id == inspection_id)
        )
        hazards = session.scalars(select(Hazard).where(Hazard.inspection_id == inspection_id))
        return _view(inspection, enterprise, template, answers, hazards)


def inspection_rows(
    database: Database,
    actor: Actor,
    squad_id: str | None,
    status: InspectionStatus | None = None,
    inspector_id: str | None = None,
) -> list[InspectionRow]:
    """Inspections of a squad (all when ``None``, for a bureau viewer; else the actor's own
    squad), newest first; only those ``inspector_id`` took part in when given (an inspector's
    own work)."""
    hazard_counts = (
        select(Hazard.inspection_id, func.count().label("n"))
        .group_by(Hazard.inspection_id)
        .subquery()
    )
    title = func.json_extract(ChecklistVersion.document, "$.title")
    query = (
        select(Inspection, Enterprise.name, title, hazard_counts.c.n)
        .join(Enterprise, Enterprise.id == Inspection.enterprise_id)
        .outerjoin(hazard_counts, hazard_counts.c.inspection_id == Inspection.id)
        .outerjoin(
            ChecklistVersion,
            (ChecklistVersion.template_id == Inspection.template_id)
            & (ChecklistVersion.version == Inspection.template_version),
        )
        .order_by(Inspection.started_at.desc())
    )
    if status is not None:
        query = query.where(Inspection.status == status.value)
    if inspector_id is not None:
        taking_part = select(InspectionInspector.inspection_id).where(
            InspectionInspector.user_id == inspector_id
        )
        query = query.where(Inspection.id.in_(taking_part))
    with read_as(database, actor) as (session, reader):
        squad_id = listed_squad(reader, squad_id)
        if squad_id is not None:
            query = query.where(Inspection.squad_id == squad_id)
        return [
            _row(inspection, name, title or "复查", count or 0)
            for inspection, name, title, count in session.execute(query)
        ]


def own_first(rows: Sequence[InspectionRow], user_id: str | None) -> list[InspectionRow]:
    """``user_id``'s own inspections before the squad's others, each group in its order: what
    an inspector resumes is theirs, not a colleague's open inspection."""
    return sorted(rows, key=lambda row: not row.has_inspector(user_id))


def local_today() -> dt.date:
    """Today on this laptop's clock (deadlines count in local calendar days)."""
    return dt.datetime.now().astimezone().date()


def _local_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone().date()


def _inspector(user: User) -> Inspector:
    return Inspector(user.id, user.full_name, user.cert_no or "")


def _chosen_inspectors(session: Session, user_ids: Sequence[str], squad_id: str) -> list[Inspector]:
    chosen = []
    for user_id in dict.fromkeys(user_ids):
        user = session.get(User, user_id)
        if user is None or not user.active or Role.INSPECTOR.value not in user.roles:
            raise UserError("所选检查人员不存在、已停用或不是执法人员，请重新选择。")
        if user.squad_id != squad_id:
            raise PermissionDenied(f"所选检查人员“{user.full_name}”不属于本中队，请重新选择。")
        chosen.append(_inspector(user))
    return chosen


def _pinned_or_none(
    scope: ActionScope, start: InspectionStart, folder: Path | None
) -> Template | None:
    if start.source is InspectionSource.RECHECK:
        return None
    if not start.template_id:
        raise InspectionInvalid([FieldIssue("template", "请选择检查表。", field_label="检查表")])
    return pin_current(scope, start.template_id, folder)


def _new_inspection(
    actor: Actor,
    squad_id: str,
    enterprise: Enterprise,
    start: InspectionStart,
    template: Template | None,
    started_at: dt.datetime,
) -> Inspection:
    person = start.site_person
    known_facts = {fact.id for fact in template.facts} if template else set()
    return Inspection(
        enterprise_id=enterprise.id,
        squad_id=squad_id,
        source=start.source.value,
        status=InspectionStatus.IN_PROGRESS.value,
        template_id=template.id if template else None,
        template_version=template.version if template else None,
        follow_up_of_id=start.follow_up_of_id,
        facts={key: bool(value) for key, value in start.facts.items() if key in known_facts},
        venue_categories=list(enterprise.categories),
        place=start.place.strip() or enterprise.address,
        site_person_name=person.name.strip(),
        site_person_position=person.position.strip() or None,
        site_person_phone=person.phone.strip() or None,
        site_person_id_no=person.id_no.strip().upper() or None,
        started_at=started_at,
        created_by_id=actor.user_id or "",
    )


def _open_for_answers(scope: ActionScope, inspection_id: str) -> Inspection:
    inspection = fetch_own(scope, Inspection, inspection_id)
    if inspection.status != InspectionStatus.IN_PROGRESS.value:
        raise UserError("这次检查已经结束，检查结果不能再修改。如需补充，请另行开展复查。")
    return inspection


def _sync_hazard(
    scope: ActionScope,
    inspection: Inspection,
    item: Item,
    result: Answer,
    found_on: dt.date,
) -> None:
    hazard = scope.session.scalar(
        select(Hazard).where(Hazard.inspection_id == inspection.id, Hazard.item_id == item.id)
    )
    if result is Answer.NON_COMPLIANT and hazard is None:
        hazard = new_hazard(inspection, item, found_on)
        scope.session.add(hazard)
        scope.record(hazard, f"发现隐患：{hazard.description[:60]}", None)
    elif result is not Answer.NON_COMPLIANT and hazard is not None:
        scope.record_deletion(hazard, f"撤销隐患：{hazard.description[:60]}")


def new_hazard(inspection: Inspection, item: Item, found_on: dt.date) -> Hazard:
    """A hazard with the item's defaults: description, level, requirement and deadline.

    The description is official text that documents print (责改, 检查情况, a case's facts); the
    inspector's note on the answer (备注) stays with the answer and never enters it. The
    inspector words the description in the hazard editor.
    """
    description = default_description(item.check)
    return Hazard(
        inspection_id=inspection.id,
        item_id=item.id,
        enterprise_id=inspection.enterprise_id,
        squad_id=inspection.squad_id,
        description=description,
        level=item.hazard_level.value,
        rectification=item.rectification,
        basis_text=item.basis_text,
        violation_code=item.violation_code,
        found_on=found_on,
        days=item.days,
        due_date=compute_deadline(found_on, item.days).due,
        status=HazardStatus.PENDING.value,
    )


def hazard_view(hazard: Hazard) -> HazardView:
    """A stored hazard as plain values."""
    deadline = compute_deadline(hazard.found_on, hazard.days)
    return HazardView(
        id=hazard.id,
        item_id=hazard.item_id,
        description=hazard.description,
        level=HazardLevel(hazard.level),
        rectification=hazard.rectification,
        basis_text=hazard.basis_text,
        found_on=hazard.found_on,
        days=hazard.days,
        due_date=hazard.due_date,
        status=HazardStatus(hazard.status),
        deadline_note=deadline.explanation,
    )


def _view(
    inspection: Inspection,
    enterprise: Enterprise,
    template: Template | None,
    answers: Iterable[InspectionAnswer],
    hazards: Iterable[Hazard],
) -> InspectionView:
    facts = dict(inspection.facts or {})
    items = (
        template.applicable_items(facts, frozenset(inspection.venue_categories)) if template else ()
    )
    return InspectionView(
        id=inspection.id,
        enterprise_id=enterprise.id,
        enterprise_name=enterprise.name,
        address=enterprise.address,
        source=InspectionSource(inspection.source),
        status=InspectionStatus(inspection.status),
        template=template,
        items=items,
        facts=facts,
        answers={a.item_id: AnswerView(Answer(a.result), a.note or "") for a in answers},
        hazards={h.item_id: hazard_view(h) for h in hazards},
        inspectors=tuple(
            Inspector(row.user_id, row.full_name, row.cert_no) for row in inspection.inspector_rows
        ),
        site_person=SitePerson(
            inspection.site_person_name,
            inspection.site_person_position or "",
            inspection.site_person_phone or "",
            inspection.site_person_id_no or "",
        ),
        place=inspection.place,
        started_at=inspection.started_at,
        ended_at=inspection.ended_at,
        summary=inspection.summary or "",
        refused_to_sign=inspection.refused_to_sign,
        refusal_note=inspection.refusal_note or "",
        onsite_measures=tuple(inspection.onsite_measures or ()),
        onsite_measures_note=inspection.onsite_measures_note or "",
        follow_up_of_id=inspection.follow_up_of_id,
    )


def _row(inspection: Inspection, venue: str, title: str, hazards: int) -> InspectionRow:
    return InspectionRow(
        id=inspection.id,
        venue=venue,
        source=InspectionSource(inspection.source).label,
        title=title,
        status=InspectionStatus(inspection.status),
        started_at=inspection.started_at,
        inspectors="、".join(row.full_name for row in inspection.inspector_rows),
        inspector_ids=tuple(row.user_id for row in inspection.inspector_rows),
        hazards=hazards,
    )
