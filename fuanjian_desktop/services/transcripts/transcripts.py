"""Inquiry transcripts (询问笔录) and statement records typed at speaking pace.

A transcript is a case document whose spec has a ``qa`` field: the pairs of question and answer
(``{"id", "q", "a"}``). While the inspector types, every pause lands in the draft's *journal*
(:mod:`fuanjian_desktop.models.journal`) within milliseconds; a *checkpoint* folds the journal
into the document through the audit trail. Reopening a draft resumes from the journal, so a
crash loses nothing typed.

Once the record has been read back to the person questioned (or read by them), its pairs are
what they confirmed: a change is then a 补正 row that prints with room for their signature,
never a silent edit. 定稿 issues the document: its sheet is frozen and fingerprinted.

The confirmation sentence (:data:`CONFIRMATION`) is written by the person's own hand on the
printed record; the document leaves blank ruled lines for it and never prints it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fuanjian_desktop.db.base import utc_now
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.documents.spec import document_spec
from fuanjian_desktop.domain.codes import check_resident_id
from fuanjian_desktop.domain.documents.document_text import written_period
from fuanjian_desktop.domain.documents.document_types import status_label
from fuanjian_desktop.domain.resident_ids import age_on, sex_of
from fuanjian_desktop.errors import NotFound, UserError
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import Case, CaseDocument, DraftJournal
from fuanjian_desktop.services import archive_lock
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.documents.documents import (
    DocumentView,
    create_draft,
    document_view,
    draft_of,
    issue_draft,
    save_values,
)
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.lookup import fetch_readable
from fuanjian_desktop.services.squad_scope import (
    acting_user,
    case_squad,
    read_as,
    require_changeable,
    require_readable,
    squad_of,
)
from fuanjian_desktop.services.unit_of_work import ActionScope, user_action

INQUIRY = "inquiry_record"
TRANSCRIPT_TYPES = (INQUIRY, "statement_record")
RELATIONS = ("当事人", "法定代表人", "负责人", "从业人员", "证人", "其他")
READ_BACK_WAYS = ("本人阅看", "向其宣读")
CONFIRMATION = "以上笔录我已看过（或已向我宣读过），与我说的相符"
NOTICE_ANSWER = "听清楚了。"
MOMENT_FORMAT = "%Y-%m-%d %H:%M"  # started_at / ended_at as the editor keeps them (local time)
PARTS = {"q": "问", "a": "问的回答"}


@dataclass(frozen=True)
class Interviewee:
    """The person questioned (被询问人), as the header of the transcript prints them."""

    name: str
    sex: str = ""
    age: str = ""
    id_number: str = ""
    unit: str = ""
    job: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class TranscriptState:
    """A transcript as the editor opens it: the values typed last (journal included)."""

    document: DocumentView
    values: dict[str, Any]
    resumed: bool  # the journal held typing the last audited save did not


@dataclass(frozen=True)
class TranscriptSummary:
    """One line of the case page's list of transcripts."""

    id: str
    type_key: str
    title: str
    interviewee: str
    relation: str
    started_at: str
    status_label: str
    entries: int  # answered pairs


def new_entry_id() -> str:
    """A pair's id: stable across reordering, so a 补正 names the pair it changes."""
    return new_id()


def qa_field(type_key: str) -> str:
    """The name of the ``qa`` field of a transcript type (询问记录 / 陈述申辩记录)."""
    spec = document_spec(type_key)
    names = [name for name, field in spec.fields.items() if field.kind == "qa"]
    if not names:
        raise UserError(f"《{spec.title()}》不是问答式笔录，请用文书编辑窗口编辑。")
    return names[0]


def answered(pairs: Sequence[Mapping[str, Any]]) -> int:
    """How many pairs have an answer (an unanswered trailing question is not yet a record)."""
    return sum(1 for pair in pairs if str(pair.get("a") or "").strip())


# --- the person questioned --------------------------------------------------------------------


def party_interviewee(database: Database, actor: Actor, case_id: str, relation: str) -> Interviewee:
    """The header prefilled from the case's party for the chosen relation to the case.

    A person party questioned as 当事人 is the party; a unit's 法定代表人 or 负责人 is its
    representative; anyone else is only known to work there (or not at all, for a witness).
    """
    with read_as(database, actor) as (session, reader):
        case = fetch_readable(session, reader, Case, case_id)
        if case.party_kind == "person" and relation == "当事人":
            return _person(case.party_name, case.party_id_no or "", case)
        if case.party_kind != "person" and relation in ("法定代表人", "负责人"):
            return Interviewee(
                name=case.party_representative or "",
                unit=case.party_name,
                job=relation,
                phone=case.party_phone or "",
            )
        unit = case.party_name if case.party_kind != "person" and relation == "从业人员" else ""
        return Interviewee(name="", unit=unit)


def _person(name: str, id_number: str, case: Case) -> Interviewee:
    age = age_on(id_number, local_today())
    return Interviewee(
        name=name,
        sex=sex_of(id_number),
        age=str(age) if age is not None else "",
        id_number=id_number,
        address=case.party_address or "",
        phone=case.party_phone or "",
    )


def interviewee_values(person: Interviewee) -> dict[str, str]:
    """The header values of ``person``; sex and age read from a valid ID number when blank.

    An ID number that fails the GB 11643 check is refused here, before anything is saved.
    """
    id_number = person.id_number.strip().upper()
    if id_number:
        check = check_resident_id(id_number)
        if not check.ok:
            raise UserError(f"被询问人的身份证号码有误：{check.reason}")
        id_number = check.normalized
    age = age_on(id_number, local_today()) if id_number else None
    return {
        "interviewee_name": person.name.strip(),
        "interviewee_sex": person.sex.strip() or sex_of(id_number),
        "interviewee_age": person.age.strip() or (str(age) if age is not None else ""),
        "interviewee_id_number": id_number,
        "interviewee_unit": person.unit.strip(),
        "interviewee_job": person.job.strip(),
        "interviewee_address": person.address.strip(),
        "interviewee_phone": person.phone.strip(),
    }


# --- making and typing ------------------------------------------------------------------------


def create_transcript(
    database: Database,
    actor: Actor,
    case_id: str,
    *,
    relation: str,
    interviewee: Interviewee,
    place: str = "",
    now: dt.datetime | None = None,
) -> str:
    """Start a 询问笔录 of the case, its start time stamped now; the draft's id."""
    if relation not in RELATIONS:
        raise UserError(f"请选择被询问人与案件的关系（{'、'.join(RELATIONS)}）。")
    if not interviewee.name.strip():
        raise UserError("请填写被询问人姓名。")
    started = (now or dt.datetime.now()).astimezone()
    values: dict[str, Any] = {
        **interviewee_values(interviewee),
        "relation": relation,
        "place": place.strip(),
        "started_at": started.strftime(MOMENT_FORMAT),
        "ended_at": "",
        "sequence": str(_sequence(database, case_id, interviewee.name.strip())),
        "notice_answer": NOTICE_ANSWER,
        "qa": [],
    }
    return create_draft(
        database,
        actor,
        type_key=INQUIRY,
        case_id=case_id,
        on=started.date(),
        values=with_time_range(values),
    )


def _sequence(database: Database, case_id: str, name: str) -> int:
    """第几次询问: one more than the transcripts of this person in the case not voided."""
    query = select(CaseDocument.values).where(
        CaseDocument.case_id == case_id,
        CaseDocument.type_key == INQUIRY,
        CaseDocument.status.not_in(("voided", "superseded")),
    )
    with database.read() as session:
        earlier = [v for v in session.scalars(query) if v.get("interviewee_name") == name]
    return len(earlier) + 1


def with_time_range(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with the printed 询问时间 made from ``started_at`` and ``ended_at``."""
    if "started_at" not in values:
        return dict(values)
    started = _moment(values.get("started_at"), "询问开始时间")
    ended = _moment(values.get("ended_at"), "询问结束时间")
    if started is None:
        return {**values, "time_range": ""}
    if ended is not None and ended < started:
        raise UserError("询问结束时间早于开始时间，请核对。")
    return {**values, "time_range": written_period(started, ended)}


def _moment(text: Any, label: str) -> dt.datetime | None:
    if not text:
        return None
    try:
        return dt.datetime.strptime(str(text), MOMENT_FORMAT).astimezone()
    except ValueError:
        raise UserError(f"{label}格式应为“年-月-日 时:分”，例如 2026-03-05 09:30。") from None


def autosave(database: Database, actor: Actor, document_id: str, values: Mapping[str, Any]) -> None:
    """Journal what was typed into a draft transcript (fast, neither audited nor synced).

    ``values`` may be all or some of the fields; the journal keeps the latest of each. The
    time lines are checked as they are typed, and the pairs are refused once the record has
    been read back (from then on a change is a 补正).
    """
    with database.write() as session:
        archive_lock.guard(session)  # a draft of an archived case is locked like the rest
        document = _journaled_document(session, acting_user(session, actor), document_id)
        journal = session.get(DraftJournal, document_id)
        typed = {**(journal.values if journal else {}), **values}
        _check_unknown(document, typed)
        whole = with_time_range({**document.values, **typed})
        _check_pairs_unchanged(document, whole)
        typed["time_range"] = whole.get("time_range", "")
        if journal is None:
            session.add(DraftJournal(document_id=document_id, values=typed, saved_at=utc_now()))
        else:
            journal.values, journal.saved_at = typed, utc_now()


def _journaled_document(session: Session, actor: Actor, document_id: str) -> CaseDocument:
    document = session.get(CaseDocument, document_id)
    if document is None:
        raise NotFound("该笔录不存在（可能已被删除），请刷新列表。")
    require_changeable(actor, squad_of(session, document), "笔录")
    if document.status != "draft":
        raise UserError(f"《{document.title}》已定稿，内容不能再修改。")
    return document


def _check_unknown(document: CaseDocument, values: Mapping[str, Any]) -> None:
    unknown = sorted(set(values) - set(document_spec(document.type_key).fields))
    if unknown:
        raise UserError(f"《{document.title}》没有这些栏目：{'、'.join(unknown)}，请刷新后重试。")


def _check_pairs_unchanged(document: CaseDocument, values: Mapping[str, Any]) -> None:
    """After the read-back the confirmed pairs stand; only a 补正 may change them."""
    if not document.values.get("read_back"):
        return
    field = qa_field(document.type_key)
    if values.get(field) != document.values.get(field):
        raise UserError("笔录已向被询问人核对，问答不能再直接修改；请用“补正”记录更改。")


def open_transcript(database: Database, actor: Actor, document_id: str) -> TranscriptState:
    """The transcript with what was typed since its last audited save (resuming after a crash)."""
    view = document_view(database, actor, document_id)
    qa_field(view.type_key)
    with database.read() as session:
        journal = session.get(DraftJournal, document_id)
        typed = dict(journal.values) if journal and view.editable else {}
    values = {**view.values, **typed}
    return TranscriptState(view, values, resumed=values != view.values)


def checkpoint(database: Database, actor: Actor, document_id: str) -> None:
    """Fold the journal into the draft through the audit trail (on close, and now and then)."""
    with user_action(database, actor, "保存笔录") as scope:
        _fold(scope, document_id)


def _fold(scope: ActionScope, document_id: str) -> CaseDocument:
    """The draft with its journal saved into it and the journal removed."""
    document = draft_of(scope, document_id)
    journal = scope.session.get(DraftJournal, document_id)
    if journal is not None:
        save_values(scope, document, with_time_range(journal.values))
        scope.session.delete(journal)
    return document


def _resaved(scope: ActionScope, document: CaseDocument, values: Mapping[str, Any]) -> None:
    save_values(scope, document, with_time_range({**document.values, **values}))


# --- read-back, 补正 and 定稿 -------------------------------------------------------------------


def mark_read_back(database: Database, actor: Actor, document_id: str, how: str) -> None:
    """Record that the record was read back to (or read by) the person questioned."""
    if how not in READ_BACK_WAYS:
        raise UserError(f"请选择核对方式（{'、'.join(READ_BACK_WAYS)}）。")
    with user_action(database, actor, "核对笔录") as scope:
        document = _fold(scope, document_id)
        if not answered(document.values.get(qa_field(document.type_key)) or []):
            raise UserError("笔录还没有记录任何回答，无需核对。")
        _resaved(scope, document, {"read_back": how})


def resume_questioning(database: Database, actor: Actor, document_id: str) -> None:
    """Go on asking after a read-back: the record must be read back again before 定稿."""
    with user_action(database, actor, "继续询问") as scope:
        _resaved(scope, _fold(scope, document_id), {"read_back": ""})


def record_correction(
    database: Database, actor: Actor, document_id: str, entry_id: str, part: str, new_text: str
) -> None:
    """补正: change a confirmed question or answer, recorded as a row the person signs."""
    if part not in PARTS:
        raise UserError("补正只能针对问题或回答。")
    with user_action(database, actor, "补正笔录") as scope:
        document = _fold(scope, document_id)
        if not document.values.get("read_back"):
            raise UserError("笔录尚未核对，可直接修改，不需要补正。")
        field = qa_field(document.type_key)
        pairs = [dict(pair) for pair in document.values.get(field) or []]
        index = next((i for i, p in enumerate(pairs) if p.get("id") == entry_id), None)
        if index is None:
            raise NotFound("要补正的问答不存在，请刷新后重试。")
        before, after = str(pairs[index].get(part) or ""), new_text.strip()
        if not after or after == before:
            raise UserError("请写明补正后的内容（须与原记录不同）。")
        pairs[index][part] = after
        row = {"entry": f"第{index + 1}{PARTS[part]}", "before": before, "after": after}
        corrections = [*(document.values.get("corrections") or []), row]
        _resaved(scope, document, {field: pairs, "corrections": corrections})


def finalize_transcript(
    database: Database, actor: Actor, document_id: str, *, now: dt.datetime | None = None
) -> DocumentView:
    """定稿: stamp the end time if it is still open, check the record, and issue it."""
    moment = (now or dt.datetime.now()).astimezone()
    with user_action(database, actor, "笔录定稿") as scope:
        document = _fold(scope, document_id)
        if "ended_at" in document.values and not document.values.get("ended_at"):
            _resaved(scope, document, {"ended_at": moment.strftime(MOMENT_FORMAT)})
        _check_final(document)
        return issue_draft(scope, document, moment.date())


def _check_final(document: CaseDocument) -> None:
    values = document.values
    if not answered(values.get(qa_field(document.type_key)) or []):
        raise UserError("笔录还没有记录任何回答，不能定稿。")
    if not values.get("read_back"):
        raise UserError("定稿前须将笔录交被询问人阅看或向其宣读，并在“核对”中记录核对方式。")
    if values.get("interviewee_id_number"):  # typed in the header since the draft was made
        interviewee_values(Interviewee(name="", id_number=values["interviewee_id_number"]))
    if document.type_key == INQUIRY:
        _check_officers(values)


def _check_officers(values: Mapping[str, Any]) -> None:
    """询问人 and 记录人 are the two officers whose certificates the notice shows (行政处罚法第
    四十二条: no fewer than two officers), one asking and the other recording."""
    shown = [str(values.get(key) or "") for key in ("handler1_name", "handler2_name")]
    officers = [str(values.get(key) or "") for key in ("inquirer", "recorder")]
    if officers[0] == officers[1] or not set(officers) <= set(shown):
        names = "、".join(name for name in shown if name)
        raise UserError(
            f"询问人和记录人应是告知中出示证件的两名执法人员（{names}），一人询问、一人记录，请核对。"
        )


# --- lists ------------------------------------------------------------------------------------


def case_transcripts(database: Database, actor: Actor, case_id: str) -> list[TranscriptSummary]:
    """The case's transcripts (询问笔录, 陈述申辩笔录) in the order they were made."""
    query = (
        select(CaseDocument)
        .where(CaseDocument.case_id == case_id, CaseDocument.type_key.in_(TRANSCRIPT_TYPES))
        .order_by(CaseDocument.created_at, CaseDocument.id)
    )
    with read_as(database, actor) as (session, reader):
        require_readable(reader, case_squad(session, case_id), "案件")
        return [_summary(document) for document in session.scalars(query)]


def _summary(document: CaseDocument) -> TranscriptSummary:
    values = document.values
    pairs = values.get(qa_field(document.type_key)) or []
    return TranscriptSummary(
        id=document.id,
        type_key=document.type_key,
        title=document.title,
        interviewee=values.get("interviewee_name") or values.get("party_name") or "",
        relation=values.get("relation") or ("当事人" if document.type_key != INQUIRY else ""),
        started_at=values.get("started_at") or "",
        status_label=status_label(document.type_key, document.status),
        entries=answered(pairs),
    )
