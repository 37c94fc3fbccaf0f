"""Audio-video records of a case (执法记录仪, recorder): import them into the case's evidence and
list them for the 音像资料目录.

A recording is stored as it came off the device, of any size, streamed and sealed (the store
hashes it on the way and keeps it once by SHA-256); the dossier lists it, never embeds it. Each
is described by its title, the device, the officer who wore it, when it started and ended,
the step of the procedure it records and, when the recording of a step is cut, why. The
device file is validated before the (possibly long) copy starts, and the copy before the row
is written; a refusal or failure leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.procedure import ACTIONS_BY_CODE
from fuanjian_desktop.domain.registry_rules import FieldIssue, InvalidFields
from fuanjian_desktop.domain.roles import Permission
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.evidence.photo_check import CHINA_TIME
from fuanjian_desktop.evidence.store import EvidenceStore, MediaRejected, Progress, StoredFile
from fuanjian_desktop.models import Case, CaseEvent, CaseMedia, EvidenceFile, User
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.archive_lock import require_open
from fuanjian_desktop.services.dossiers.evidence_files import (
    discard_new,
    evidence_file,
    require_stored,
)
from fuanjian_desktop.services.inspections.evidence import evidence_store
from fuanjian_desktop.services.lookup import fetch, fetch_own, fetch_readable
from fuanjian_desktop.services.squad_scope import read_as, require_changeable
from fuanjian_desktop.services.unit_of_work import user_action

INSPECTION_STEP = "inspection"
INSPECTION_LABEL = "现场检查"
KIND_LABELS = {"video": "视频", "audio": "音频"}
SHA_PREFIX = 16  # hex digits printed in the 目录 (the full hash is in the record)
# the columns' widths (models/dossier.py CaseMedia)
LIMITS = {"title": 200, "device": 100, "step_label": 60}
FIELD_LABELS = {
    "title": "名称",
    "kind": "类型",
    "device": "执法记录仪编号",
    "officer_id": "执法人员",
    "started_at": "开始时间",
    "ended_at": "结束时间",
    "step": "执法环节",
    "step_label": "执法环节名称",
    "gap_reason": "间断说明",
    "path": "文件",
}


class MediaInvalid(InvalidFields):
    """A recording that cannot be imported as described; each issue names its field."""

    def __init__(self, issues: list[FieldIssue]) -> None:
        super().__init__("音像资料有以下问题，请修改后再导入：", issues)


@dataclass(frozen=True)
class MediaInput:
    """What a person says about a recording. Times are aware datetimes; ``step`` is a procedure
    action code or ``inspection``; ``step_label`` "" takes the step's own name."""

    title: str
    kind: str
    device: str
    officer_id: str | None
    started_at: dt.datetime
    ended_at: dt.datetime
    step: str
    step_label: str = ""
    gap_reason: str = ""


@dataclass(frozen=True)
class MediaChoices:
    """What the import form offers: the officers (handlers first, then the squad) and the
    steps (the case's steps so far, then 现场检查), each as (value, label)."""

    officers: tuple[tuple[str, str], ...]
    steps: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MediaRow:
    """One line of the 音像资料目录 (times aware, UTC)."""

    number: int  # 序号, from 1
    media_id: str
    title: str
    kind: str
    kind_label: str
    device: str
    officer_name: str
    started_at: dt.datetime
    ended_at: dt.datetime
    step: str | None
    step_label: str
    sha256: str
    gap_reason: str | None

    @property
    def duration(self) -> dt.timedelta:
        """How long the recording runs."""
        return self.ended_at - self.started_at

    @property
    def sha256_prefix(self) -> str:
        """The first hex digits of the SHA-256, as the 目录 prints them."""
        return self.sha256[:SHA_PREFIX]

    @property
    def duration_text(self) -> str:
        """The duration in Chinese, e.g. ``1小时02分03秒`` or ``12分03秒``."""
        seconds = int(self.duration.total_seconds())
        hours, rest = divmod(seconds, 3600)
        minutes, seconds = divmod(rest, 60)
        if hours:
            return f"{hours}小时{minutes:02d}分{seconds:02d}秒"
        return f"{minutes}分{seconds:02d}秒" if minutes else f"{seconds}秒"

    @property
    def period_text(self) -> str:
        """Start and end in China time; the end's date only when it is another day."""
        start, end = self.started_at.astimezone(CHINA_TIME), self.ended_at.astimezone(CHINA_TIME)
        end_format = "%H:%M:%S" if end.date() == start.date() else "%Y-%m-%d %H:%M:%S"
        return f"{start:%Y-%m-%d %H:%M:%S}–{end.strftime(end_format)}"


def media_rows(session: Session, case_id: str) -> list[MediaRow]:
    """The case's recordings by start time, numbered for the 音像资料目录."""
    query = (
        select(CaseMedia, EvidenceFile.sha256)
        .join(EvidenceFile, EvidenceFile.id == CaseMedia.evidence_id)
        .where(CaseMedia.case_id == case_id)
        .order_by(CaseMedia.started_at, CaseMedia.created_at, CaseMedia.id)
    )
    return [
        MediaRow(
            number=number,
            media_id=media.id,
            title=media.title,
            kind=media.kind,
            kind_label=KIND_LABELS.get(media.kind, media.kind),
            device=media.device,
            officer_name=media.officer_name,
            started_at=media.started_at,
            ended_at=media.ended_at,
            step=media.step,
            step_label=media.step_label,
            sha256=sha256,
            gap_reason=media.gap_reason,
        )
        for number, (media, sha256) in enumerate(session.execute(query), start=1)
    ]


def case_media(database: Database, actor: Actor, case_id: str) -> list[MediaRow]:
    """The case's recordings for the screen (the case must be readable by ``actor``)."""
    with read_as(database, actor) as (session, reader):
        fetch_readable(session, reader, Case, case_id)
        return media_rows(session, case_id)


def media_choices(database: Database, actor: Actor, case_id: str) -> MediaChoices:
    """The officers and steps the import form offers for the case."""
    with read_as(database, actor) as (session, reader):
        case = fetch_readable(session, reader, Case, case_id)
        officers = dict(_officers(session, case))
        taken = session.scalars(
            select(CaseEvent.action)
            .where(CaseEvent.case_id == case.id)
            .order_by(CaseEvent.occurred_on, CaseEvent.created_at)
        )
        steps = dict.fromkeys(code for code in taken if code in ACTIONS_BY_CODE)
    return MediaChoices(
        tuple(officers.items()),
        (
            *((code, ACTIONS_BY_CODE[code].label) for code in steps),
            (INSPECTION_STEP, INSPECTION_LABEL),
        ),
    )


def import_media(
    database: Database,
    actor: Actor,
    case_id: str,
    path: Path,
    media: MediaInput,
    progress: Progress | None = None,
) -> str:
    """Stream the recording at ``path`` into the case's evidence as ``media`` describes it;
    ``progress(done, total)`` follows the bytes copied. Returns the record's id."""
    actor.require(Permission.KEEP_CASE_RECORDS)
    clean = _clean(media)
    with read_as(database, actor) as (session, reader):  # refused before the copy starts
        case = fetch(session, Case, case_id)
        require_changeable(reader, case.squad_id, "案件")
        require_open(session, case.id)
        _officer_name(session, case, clean.officer_id)
    store = evidence_store(database)
    stored = _store(store, path, progress)
    try:
        with user_action(database, actor, "导入音像资料") as scope:
            scope.actor.require(Permission.KEEP_CASE_RECORDS)
            case = fetch_own(scope, Case, case_id)
            require_stored(store, stored, path.name, lambda: store.add_media_file(path))
            evidence = evidence_file(
                scope,
                sha256=stored.sha256,
                extension=stored.extension,
                size_bytes=stored.size_bytes,
                name=path.name,
            )
            _refuse_repeat(scope.session, case.id, evidence.id, path)
            row = CaseMedia(
                case_id=case.id,
                evidence_id=evidence.id,
                kind=clean.kind,
                title=clean.title,
                device=clean.device,
                officer_id=clean.officer_id,
                officer_name=_officer_name(scope.session, case, clean.officer_id),
                started_at=clean.started_at,
                ended_at=clean.ended_at,
                step=clean.step,
                step_label=clean.step_label,
                gap_reason=clean.gap_reason or None,
            )
            scope.session.add(row)
            scope.record(row, f"{case.case_no} 导入音像资料：{clean.title}", None)
            return row.id
    except BaseException:
        if stored.created:
            discard_new(database, store, [stored])
        raise


def _store(store: EvidenceStore, path: Path, progress: Progress | None) -> StoredFile:
    """The recording copied into the store, or a refusal naming the file."""
    try:
        return store.add_media_file(path, progress)
    except MediaRejected as rejected:
        raise MediaInvalid([_issue("path", f"“{path.name}”：{rejected.reason}")]) from rejected
    except OSError as error:  # writing into the data folder: a full disk, most likely
        raise UserError(
            f"保存“{path.name}”时出错（{error.strerror or error}），"
            "请确认本机磁盘有足够的空间后重新导入"
        ) from error


def _refuse_repeat(session: Session, case_id: str, evidence_id: str, path: Path) -> None:
    earlier = session.scalar(
        select(CaseMedia.title).where(
            CaseMedia.case_id == case_id, CaseMedia.evidence_id == evidence_id
        )
    )
    if earlier is not None:
        raise MediaInvalid(
            [_issue("path", f"“{path.name}”已作为“{earlier}”导入本案，不必重复导入")]
        )


def _officers(session: Session, case: Case) -> list[tuple[str, str]]:
    """(user id, name) of the case's handlers, then of the squad's other active users."""
    handlers = [(row.user_id, row.full_name) for row in case.handler_rows]
    squad = session.execute(
        select(User.id, User.full_name)
        .where(User.squad_id == case.squad_id, User.active.is_(True))
        .order_by(User.full_name)
    )
    known = {user_id for user_id, _ in handlers}
    return handlers + [(user_id, name) for user_id, name in squad if user_id not in known]


def _officer_name(session: Session, case: Case, officer_id: str | None) -> str:
    """The officer's name, if they handle the case or belong to its squad."""
    for user_id, name in _officers(session, case):
        if user_id == officer_id:
            return name
    raise MediaInvalid([_issue("officer_id", "请选择本案承办人或本中队的执法人员")])


def _clean(media: MediaInput) -> MediaInput:
    """The input trimmed and checked field by field (:class:`MediaInvalid` lists each)."""
    action = ACTIONS_BY_CODE.get(media.step)
    default_label = INSPECTION_LABEL if media.step == INSPECTION_STEP else ""
    clean = MediaInput(
        title=media.title.strip(),
        kind=media.kind,
        device=media.device.strip(),
        officer_id=media.officer_id or None,
        started_at=media.started_at,
        ended_at=media.ended_at,
        step=media.step,
        step_label=media.step_label.strip()
        or (action.label if action is not None else default_label),
        gap_reason=media.gap_reason.strip(),
    )
    issues = [
        _issue(name, f"不能超过 {limit} 个字")
        for name, limit in LIMITS.items()
        if len(getattr(clean, name)) > limit
    ]
    for name, missing in (
        ("title", "请填写名称（录的是什么）"),
        ("device", "请填写执法记录仪编号"),
    ):
        if not getattr(clean, name):
            issues.append(_issue(name, missing))
    if clean.kind not in KIND_LABELS:
        issues.append(_issue("kind", "请选择视频或音频"))
    if clean.officer_id is None:
        issues.append(_issue("officer_id", "请选择佩戴执法记录仪的执法人员"))
    if action is None and clean.step != INSPECTION_STEP:
        issues.append(_issue("step", "请选择这段音像资料记录的执法环节"))
    issues.extend(_time_issues(clean.started_at, clean.ended_at))
    if issues:
        raise MediaInvalid(issues)
    return clean


def _time_issues(started: dt.datetime, ended: dt.datetime) -> list[FieldIssue]:
    naive = [
        _issue(name, "时间缺少时区，无法确定是哪一刻（程序错误，请联系管理员）")
        for name, moment in (("started_at", started), ("ended_at", ended))
        if moment.tzinfo is None
    ]
    if naive:
        return naive
    if ended <= started:
        return [_issue("ended_at", "结束时间应晚于开始时间")]
    return []


def _issue(field: str, message: str) -> FieldIssue:
    return FieldIssue(field, message, field_label=FIELD_LABELS[field])
