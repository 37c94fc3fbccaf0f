"""One issuing path: a document a procedure step issues passes the editor's completeness check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo.demo_documents import demo_values
from fuanjian_desktop.documents.sheet import sheet_from_json, sheet_text
from fuanjian_desktop.models import CaseDocument, CaseEvent
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_actions import StepDocumentIncomplete, StepInput, perform
from fuanjian_desktop.services.documents.documents import create_draft, save_draft
from tests.cases import SERVED, case_at_hearing

SignIn = Callable[[str], Actor]
D = dt.date


def _count(db: Database, model: type[CaseDocument] | type[CaseEvent], case_id: str) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).where(model.case_id == case_id)) or 0


def test_a_hearing_notice_without_a_place_is_refused_and_issues_once_written(
    demo_database: Database, sign_in: SignIn
) -> None:
    """发出听证会通知 with a draft lacking 听证地点 is refused naming it, writing nothing; once
    the place is written the step issues that very draft, place printed (行政处罚法第六十四条)
    and dated the day of the step."""
    db, zhang = demo_database, sign_in("zhangwei")
    case_id = case_at_hearing(db, sign_in)
    typed = {
        k: v for k, v in demo_values()["hearing_meeting_notice"].items() if k != "hearing_place"
    }
    draft_id = create_draft(
        db, zhang, type_key="hearing_meeting_notice", case_id=case_id, values=typed
    )
    before = (_count(db, CaseDocument, case_id), _count(db, CaseEvent, case_id))
    step = StepInput(on=D(2030, 1, 13), hearing_date=D(2030, 1, 24), **SERVED)  # type: ignore[arg-type]
    with pytest.raises(StepDocumentIncomplete) as refused:
        perform(db, zhang, case_id, "schedule_hearing", step, today=D(2030, 1, 13))
    assert refused.value.message == (
        "不能“发出听证会通知”：《行政处罚听证会通知书》尚未填写听证地点。请在文书中填写后再办理“发出听证会通知”。"
    )
    assert (refused.value.type_key, refused.value.fields) == (
        "hearing_meeting_notice",
        ("hearing_place",),
    )
    assert (_count(db, CaseDocument, case_id), _count(db, CaseEvent, case_id)) == before

    save_draft(db, zhang, draft_id, {"hearing_place": "本局三楼听证室"})
    perform(db, zhang, case_id, "schedule_hearing", step, today=D(2030, 1, 13))
    with db.read() as session:
        notice = session.get(CaseDocument, draft_id)
        assert notice is not None and notice.status == "served" and notice.sheet is not None
        text = sheet_text(sheet_from_json(notice.sheet))
    assert "在本局三楼听证室公开举行听证会议" in text
    assert notice.values["issued_on"] == "2030年1月13日"  # the step's day, not the draft's
