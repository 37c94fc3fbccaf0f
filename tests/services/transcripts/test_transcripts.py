"""询问笔录: made from the case, typed through the journal, read back, 补正, 定稿."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.documents.sheet import sheet_from_json, sheet_text
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import AuditEvent, Case, CaseDocument, DraftJournal
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases.case_document_values import case_values
from fuanjian_desktop.services.cases.case_file import read_case_file
from fuanjian_desktop.services.cases.case_queries import case_view
from fuanjian_desktop.services.documents.documents import discard_draft
from fuanjian_desktop.services.transcripts import transcripts
from fuanjian_desktop.services.transcripts.transcripts import Interviewee
from tests.cases import open_plain_case

SignIn = Callable[[str], Actor]
STARTED = dt.datetime(2026, 11, 10, 9, 30)
WORKER = Interviewee(name="王小明", id_number="440304199001011233", unit="测试厂", job="车工")
PAIRS = [
    {"id": "a", "q": "你在本单位做什么工作？", "a": "我是车工，在车间操作车床。"},
    {"id": "b", "q": "入职时单位是否对你进行过安全生产教育和培训？", "a": "没有培训过。"},
]


@pytest.fixture
def case_id(demo_database: Database, sign_in: SignIn) -> str:
    zhang, li = sign_in("zhangwei"), sign_in("lina")
    return open_plain_case(demo_database, zhang, li.user_id or "", dt.date(2026, 11, 2))


@pytest.fixture
def zhang(sign_in: SignIn) -> Actor:
    return sign_in("zhangwei")


@pytest.fixture
def draft(demo_database: Database, zhang: Actor, case_id: str) -> str:
    return transcripts.create_transcript(
        demo_database,
        zhang,
        case_id,
        relation="从业人员",
        interviewee=WORKER,
        place="园岭应急管理中队询问室",
        now=STARTED,
    )


def audit_count(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_a_new_transcript_is_prefilled_from_the_case_and_the_person(
    demo_database: Database, draft: str, inspector: Actor
) -> None:
    values = transcripts.open_transcript(demo_database, inspector, draft).values
    assert values["interviewee_sex"] == "男"  # read from the ID number
    assert values["interviewee_age"].isdigit()
    assert values["started_at"] == "2026-11-10 09:30"
    assert values["time_range"].startswith("2026年11月10日9时30分至")
    assert values["sequence"] == "1"
    assert values["inquirer"] == "张伟" and values["handler1_cert"]
    assert values["subject"].endswith("案")
    assert values["notice_answer"] == "听清楚了。"


def test_the_same_person_questioned_again_is_the_second_inquiry(
    demo_database: Database, zhang: Actor, case_id: str, draft: str
) -> None:
    again = transcripts.create_transcript(
        demo_database, zhang, case_id, relation="从业人员", interviewee=WORKER, now=STARTED
    )
    assert transcripts.open_transcript(demo_database, zhang, again).values["sequence"] == "2"


def test_a_wrong_id_number_is_refused_and_nothing_is_made(
    demo_database: Database, zhang: Actor, case_id: str
) -> None:
    wrong = Interviewee(name="王小明", id_number="440304199001011235")
    with pytest.raises(UserError, match="身份证号码有误"):
        transcripts.create_transcript(
            demo_database, zhang, case_id, relation="证人", interviewee=wrong
        )
    assert transcripts.case_transcripts(demo_database, zhang, case_id) == []


def test_typing_goes_to_the_journal_without_audit_and_resumes(
    demo_database: Database, draft: str, inspector: Actor
) -> None:
    before = audit_count(demo_database)
    for length in range(1, 8):
        pair = {**PAIRS[0], "a": PAIRS[0]["a"][:length]}
        transcripts.autosave(demo_database, inspector, draft, {"qa": [pair]})
    assert audit_count(demo_database) == before
    state = transcripts.open_transcript(demo_database, inspector, draft)
    assert state.resumed
    assert state.values["qa"][0]["a"] == PAIRS[0]["a"][:7]
    assert state.document.values["qa"] == []  # the audited record is not yet changed


def test_a_checkpoint_folds_the_journal_into_one_audited_save(
    demo_database: Database, zhang: Actor, draft: str
) -> None:
    transcripts.autosave(demo_database, zhang, draft, {"qa": PAIRS})
    before = audit_count(demo_database)
    transcripts.checkpoint(demo_database, zhang, draft)
    assert audit_count(demo_database) == before + 1
    state = transcripts.open_transcript(demo_database, zhang, draft)
    assert not state.resumed
    assert state.document.values["qa"] == PAIRS
    with demo_database.read() as session:
        assert session.get(DraftJournal, draft) is None


def test_a_bad_end_time_is_refused_and_the_journal_keeps_the_last_good_typing(
    demo_database: Database, draft: str, inspector: Actor
) -> None:
    transcripts.autosave(demo_database, inspector, draft, {"qa": PAIRS})
    with pytest.raises(UserError, match="结束时间早于开始时间"):
        transcripts.autosave(demo_database, inspector, draft, {"ended_at": "2026-11-10 08:00"})
    with pytest.raises(UserError, match="格式"):
        transcripts.autosave(demo_database, inspector, draft, {"ended_at": "十点"})
    values = transcripts.open_transcript(demo_database, inspector, draft).values
    assert values["qa"] == PAIRS and values["ended_at"] == ""


def test_after_the_read_back_a_change_is_a_correction_the_person_signs(
    demo_database: Database, zhang: Actor, draft: str
) -> None:
    transcripts.autosave(demo_database, zhang, draft, {"qa": PAIRS})
    transcripts.mark_read_back(demo_database, zhang, draft, "向其宣读")
    edited = [PAIRS[0], {**PAIRS[1], "a": "培训过一次。"}]
    with pytest.raises(UserError, match="补正"):
        transcripts.autosave(demo_database, zhang, draft, {"qa": edited})
    transcripts.record_correction(demo_database, zhang, draft, "b", "a", "只看过一次消防视频。")
    values = transcripts.open_transcript(demo_database, zhang, draft).values
    assert values["qa"][1]["a"] == "只看过一次消防视频。"
    assert values["corrections"] == [
        {"entry": "第2问的回答", "before": "没有培训过。", "after": "只看过一次消防视频。"}
    ]
    assert values["read_back"] == "向其宣读"


def test_a_correction_needs_a_read_back_and_a_real_change(
    demo_database: Database, zhang: Actor, draft: str
) -> None:
    transcripts.autosave(demo_database, zhang, draft, {"qa": PAIRS})
    with pytest.raises(UserError, match="尚未核对"):
        transcripts.record_correction(demo_database, zhang, draft, "b", "a", "改")
    transcripts.mark_read_back(demo_database, zhang, draft, "本人阅看")
    with pytest.raises(UserError, match="须与原记录不同"):
        transcripts.record_correction(demo_database, zhang, draft, "b", "a", "没有培训过。")


def test_finalizing_needs_answers_and_a_read_back(
    demo_database: Database, zhang: Actor, draft: str
) -> None:
    with pytest.raises(UserError, match="没有记录任何回答"):
        transcripts.finalize_transcript(demo_database, zhang, draft)
    transcripts.autosave(demo_database, zhang, draft, {"qa": PAIRS})
    with pytest.raises(UserError, match="阅看或向其宣读"):
        transcripts.finalize_transcript(demo_database, zhang, draft)


def test_finalizing_stamps_the_end_and_freezes_the_record(
    demo_database: Database, zhang: Actor, draft: str, case_id: str
) -> None:
    transcripts.autosave(demo_database, zhang, draft, {"qa": PAIRS})
    transcripts.mark_read_back(demo_database, zhang, draft, "本人阅看")
    ended = dt.datetime(2026, 11, 10, 10, 45)
    view = transcripts.finalize_transcript(demo_database, zhang, draft, now=ended)
    assert view.status == "issued" and view.number is None and view.sha256
    assert view.values["ended_at"] == "2026-11-10 10:45"
    text = sheet_text(sheet_from_json(view.sheet or {}))
    assert "2026年11月10日9时30分至11月10日10时45分" in text
    assert "问：入职时单位是否对你进行过安全生产教育和培训？" in text
    assert transcripts.CONFIRMATION not in text  # written by the person's own hand
    with pytest.raises(UserError, match="已定稿"):
        transcripts.autosave(demo_database, zhang, draft, {"place": "别处"})
    [summary] = transcripts.case_transcripts(demo_database, zhang, case_id)
    assert (summary.interviewee, summary.relation, summary.entries) == ("王小明", "从业人员", 2)
    assert summary.status_label == "已定稿"


def test_a_finalized_transcript_is_evidence_of_the_case(
    demo_database: Database, zhang: Actor, draft: str, case_id: str
) -> None:
    line = "询问笔录（被询问人王小明，从业人员，2026年11月10日）"
    today = dt.date(2026, 11, 26)
    assert line not in case_view(demo_database, zhang, case_id, today).evidence
    transcripts.autosave(demo_database, zhang, draft, {"qa": PAIRS})
    transcripts.mark_read_back(demo_database, zhang, draft, "本人阅看")
    transcripts.finalize_transcript(demo_database, zhang, draft, now=dt.datetime(2026, 11, 10, 11))
    assert line in case_view(demo_database, zhang, case_id, today).evidence
    with demo_database.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert line in case_values(read_case_file(session, case))["case.evidence"]  # type: ignore[operator]


def test_discarding_a_draft_removes_its_journal(
    demo_database: Database, zhang: Actor, draft: str
) -> None:
    transcripts.autosave(demo_database, zhang, draft, {"qa": PAIRS})
    discard_draft(demo_database, zhang, draft)
    with demo_database.read() as session:
        assert session.get(CaseDocument, draft) is None
        assert session.get(DraftJournal, draft) is None


def test_the_party_prefills_the_person_questioned(
    demo_database: Database, case_id: str, inspector: Actor
) -> None:
    boss = transcripts.party_interviewee(demo_database, inspector, case_id, "法定代表人")
    assert boss.job == "法定代表人" and boss.unit and boss.name
    worker = transcripts.party_interviewee(demo_database, inspector, case_id, "从业人员")
    assert worker.name == "" and worker.unit == boss.unit
    assert transcripts.party_interviewee(demo_database, inspector, case_id, "证人") == Interviewee(
        name=""
    )


def test_the_inquirer_and_the_recorder_are_the_two_officers_of_the_notice(
    demo_database: Database, zhang: Actor, draft: str
) -> None:
    transcripts.autosave(demo_database, zhang, draft, {"qa": PAIRS, "recorder": "张伟"})
    transcripts.mark_read_back(demo_database, zhang, draft, "本人阅看")
    with pytest.raises(UserError, match="一人询问、一人记录"):
        transcripts.finalize_transcript(demo_database, zhang, draft)
    transcripts.autosave(demo_database, zhang, draft, {"recorder": "王五"})
    with pytest.raises(UserError, match="张伟、李娜"):
        transcripts.finalize_transcript(demo_database, zhang, draft)
    transcripts.autosave(demo_database, zhang, draft, {"inquirer": "李娜", "recorder": "张伟"})
    assert transcripts.finalize_transcript(demo_database, zhang, draft).status == "issued"
