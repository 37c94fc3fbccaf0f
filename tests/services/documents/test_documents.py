"""The life of a document: draft, issue, serve, correct, void; numbers unique and never reused."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.documents.sheet import fingerprint, sheet_from_json
from fuanjian_desktop.domain.numbering import Convention
from fuanjian_desktop.domain.penalties.discretion import Tier
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.ids import new_id
from fuanjian_desktop.models import (
    Case,
    CaseDeadlineRow,
    CaseDocument,
    CaseViolation,
    IssuedNumber,
    LocalSetting,
)
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases import cases
from fuanjian_desktop.services.cases.case_actions import StepInput
from fuanjian_desktop.services.documents.documents import (
    DocumentView,
    case_document_views,
    correct_document,
    create_draft,
    discard_draft,
    document_sheet,
    document_view,
    inspection_document_views,
    issue_document,
    save_draft,
    serve_document,
    void_document,
)
from fuanjian_desktop.services.numbering import (
    DEVICE_KEY,
    NumberingSettings,
    save_numbering_settings,
)
from tests.cases import ensure_number_block, open_plain_case, perform_written
from tests.conftest import DemoTemplate

D = dt.date
TODAY = D(2026, 11, 26)
SignIn = Callable[[str], Actor]
INQUIRY = {"inquiry_at": "2026年11月10日9时", "inquiry_place": "园岭应急管理中队"}
ISSUE_DAY = D(2026, 11, 5)
ORDER = {"rectify_items": "1", "rectify_due": "2026年12月10日", "problems": ["消防通道堵塞"]}


@pytest.fixture
def case_id(demo_database: Database, sign_in: SignIn) -> str:
    """A complaint case against a unit, handled by 张伟 and 李娜, opened 2026-11-02."""
    zhang, li = sign_in("zhangwei"), sign_in("lina")
    return open_plain_case(demo_database, zhang, li.user_id or "", D(2026, 11, 2))


def issued(db: Database, actor: Actor, case_id: str, on: D = ISSUE_DAY) -> DocumentView:
    """A 询问通知书 of the case, filled in and issued on ``on``."""
    draft = create_draft(db, actor, type_key="inquiry_notice", case_id=case_id, on=on)
    save_draft(db, actor, draft, INQUIRY)
    return issue_document(db, actor, draft, on)


def frozen(view: DocumentView) -> tuple[object, ...]:
    """What issuing froze: values, sheet, fingerprint, number and date."""
    return view.values, view.sheet, view.sha256, view.number, view.issued_on, view.issued_at


def test_draft_issue_serve_correct_and_supersede(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """A prefilled draft is issued with 文号 and fingerprint, served, then corrected (edition 2)."""
    db, zhang = demo_database, sign_in("zhangwei")
    draft_id = create_draft(db, zhang, type_key="inquiry_notice", case_id=case_id)
    draft = document_view(db, zhang, draft_id)
    with db.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        party = case.party_name
    assert (draft.status_label, draft.number, draft.sheet) == ("草稿", None, None)
    assert draft.values["addressee"] == party and draft.values["contact"] == "张伟"
    with pytest.raises(UserError, match=r"^请先填写：询问时间、询问地点。$"):
        issue_document(db, zhang, draft_id, D(2026, 11, 5))
    save_draft(db, zhang, draft_id, INQUIRY)
    first = issue_document(db, zhang, draft_id, D(2026, 11, 5))
    assert first.status_label == "已签发" and first.issued_at is not None
    assert re.fullmatch(r"（深福）应急询〔2026〕\d+号", first.number or "")
    assert first.values["issued_on"] == "2026年11月5日"
    assert first.sheet is not None and first.sheet["number"] == first.number
    serve_document(
        db, zhang, first.id, method="直接送达", on=D(2026, 11, 6), recipient="李经理", today=TODAY
    )
    served = document_view(db, zhang, first.id)
    assert (served.status_label, served.served_on, served.recipient) == (
        "已送达",
        D(2026, 11, 6),
        "李经理",
    )
    second_id = correct_document(db, zhang, first.id, "询问地点写错")
    second = document_view(db, zhang, second_id)
    assert (second.edition, second.corrects_id, second.status) == (2, first.id, "draft")
    assert second.values == first.values and second.correction_reason == "询问地点写错"
    assert (
        document_view(db, zhang, first.id).status == "served"
    )  # in force until the correction is issued
    save_draft(db, zhang, second_id, {"inquiry_place": "园岭街道办事处"})
    second = issue_document(db, zhang, second_id, D(2026, 11, 9))
    old = document_view(db, zhang, first.id)
    assert old.status_label == "已更正" and frozen(old) == frozen(served)
    assert second.number != first.number and second.status == "issued"
    assert [view.edition for view in case_document_views(db, zhang, case_id)][-2:] == [1, 2]


def test_the_fingerprint_is_that_of_the_stored_sheet(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """sha256 equals fingerprint(sheet_from_json(stored)); the QR text is 文号|prefix."""
    view = issued(demo_database, sign_in("zhangwei"), case_id)
    assert view.sheet is not None and view.sha256 is not None
    assert view.sha256 == fingerprint(sheet_from_json(view.sheet))
    sheet, qr = document_sheet(demo_database, sign_in("zhangwei"), view.id)
    assert sheet == sheet_from_json(view.sheet)
    assert qr == f"{view.number}|{view.sha256[:12]}"


def test_a_draft_prints_live_without_number_or_qr(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """A draft's sheet is composed from its current values and vouched for by nothing."""
    zhang = sign_in("zhangwei")
    draft_id = create_draft(demo_database, zhang, type_key="inquiry_notice", case_id=case_id)
    save_draft(demo_database, zhang, draft_id, {"inquiry_place": "园岭应急管理中队"})
    sheet, qr = document_sheet(demo_database, zhang, draft_id)
    assert sheet.number is None and qr is None
    assert "园岭应急管理中队" in str(sheet.blocks)


def test_issued_content_cannot_be_changed_by_any_service(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """save, issue, discard, void after service, serve twice: refused; the content stays."""
    db, zhang = demo_database, sign_in("zhangwei")
    view = issued(db, zhang, case_id)
    snapshot = frozen(view)
    with pytest.raises(UserError, match="内容不能再修改"):
        save_draft(db, zhang, view.id, {"inquiry_place": "别处"})
    with pytest.raises(UserError, match="内容不能再修改"):
        issue_document(db, zhang, view.id, D(2026, 11, 6))
    with pytest.raises(UserError, match="内容不能再修改"):
        discard_draft(db, zhang, view.id)
    serve_document(db, zhang, view.id, method="邮寄送达", on=D(2026, 11, 7), today=TODAY)
    with pytest.raises(UserError, match="尚未送达"):
        serve_document(db, zhang, view.id, method="直接送达", on=D(2026, 11, 8), today=TODAY)
    with pytest.raises(UserError, match="已送达，不能作废"):
        void_document(db, zhang, view.id, "写错了")
    correct_document(db, zhang, view.id, "写错了")
    after = document_view(db, zhang, view.id)
    assert frozen(after) == snapshot and after.served_method == "邮寄送达"


def test_serving_is_checked(demo_database: Database, sign_in: SignIn, case_id: str) -> None:
    """A service needs a known method and a date between the issue and today."""
    db, zhang = demo_database, sign_in("zhangwei")
    view = issued(db, zhang, case_id)
    with pytest.raises(UserError, match="请选择送达方式"):
        serve_document(db, zhang, view.id, method="托人带去", on=D(2026, 11, 6), today=TODAY)
    with pytest.raises(UserError, match="送达日期应在签发日期"):
        serve_document(db, zhang, view.id, method="直接送达", on=D(2026, 11, 4), today=TODAY)
    assert document_view(db, zhang, view.id).status == "issued"


def test_voiding_records_the_number_voided_and_it_is_never_reused(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """作废 keeps the number recorded as voided with its reason; the next document gets another."""
    db, zhang = demo_database, sign_in("zhangwei")
    view = issued(db, zhang, case_id)
    with pytest.raises(UserError, match="作废原因"):
        void_document(db, zhang, view.id, " ")
    void_document(db, zhang, view.id, "当事人名称打印错误")
    voided = document_view(db, zhang, view.id)
    assert (voided.status_label, voided.void_reason) == ("已作废", "当事人名称打印错误")
    assert frozen(voided) == frozen(view)
    with db.read() as session:
        row = session.scalar(select(IssuedNumber).where(IssuedNumber.text == view.number))
        assert row is not None
        assert (row.status, row.void_reason) == ("voided", "当事人名称打印错误")
    assert document_sheet(db, zhang, view.id)[1] is None  # a voided paper is not vouched for
    later = issued(db, zhang, case_id, D(2026, 11, 6))
    assert later.number != view.number
    assert _serial(later.number) == _serial(view.number) + 1


def _serial(number: str | None) -> int:
    match = re.search(r"〕(\d+)", number or "")
    assert match is not None
    return int(match.group(1))


def test_voiding_a_correction_puts_the_corrected_edition_back_in_force(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """The superseded edition is in force again (as served) once its correction is voided."""
    db, zhang = demo_database, sign_in("zhangwei")
    first = issued(db, zhang, case_id)
    serve_document(db, zhang, first.id, method="直接送达", on=D(2026, 11, 6), today=TODAY)
    second = correct_document(db, zhang, first.id, "补正")
    issue_document(db, zhang, second, D(2026, 11, 7))
    assert document_view(db, zhang, first.id).status == "superseded"
    void_document(db, zhang, second, "更正有误")
    assert document_view(db, zhang, first.id).status == "served"


def test_drafts_are_discarded_and_corrections_are_one_at_a_time(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """A draft is deleted outright; a second correction waits for the first draft to go."""
    db, zhang = demo_database, sign_in("zhangwei")
    view = issued(db, zhang, case_id)
    pending = correct_document(db, zhang, view.id, "补正")
    with pytest.raises(UserError, match="已有一份更正稿"):
        correct_document(db, zhang, view.id, "再补正")
    with pytest.raises(UserError, match="草稿尚未签发"):
        void_document(db, zhang, pending, "不要了")
    discard_draft(db, zhang, pending)
    with db.read() as session:
        assert session.get(CaseDocument, pending) is None
    correct_document(db, zhang, view.id, "再补正")


def test_drafts_refuse_unknown_fields_and_wrong_owners(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """Unknown fields, no owner or two owners, and readers without the right role are refused."""
    db, zhang = demo_database, sign_in("zhangwei")
    draft_id = create_draft(db, zhang, type_key="inquiry_notice", case_id=case_id)
    with pytest.raises(UserError, match="没有这些栏目：whatever"):
        save_draft(db, zhang, draft_id, {"whatever": "x"})
    with pytest.raises(UserError, match="二者选一"):
        create_draft(db, zhang, type_key="inquiry_notice")
    with pytest.raises(UserError, match="二者选一"):
        create_draft(db, zhang, type_key="inquiry_notice", case_id=case_id, inspection_id="x")
    with pytest.raises(PermissionDenied):
        save_draft(db, sign_in("chenjing"), draft_id, INQUIRY)


def test_the_variant_follows_the_party(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """A type printed for 单位 or 个人 takes the party's kind unless one is asked for."""
    db, zhang = demo_database, sign_in("zhangwei")
    chosen = create_draft(db, zhang, type_key="onsite_penalty_decision", case_id=case_id)
    assert document_view(db, zhang, chosen).variant == "unit"
    asked = create_draft(
        db, zhang, type_key="onsite_penalty_decision", case_id=case_id, variant="person"
    )
    assert document_view(db, zhang, asked).title.endswith("（个人）")
    with pytest.raises(UserError, match="没有“robot”式样"):
        create_draft(
            db, zhang, type_key="onsite_penalty_decision", case_id=case_id, variant="robot"
        )


def test_inspection_documents_are_numbered_for_the_inspection_squad(
    demo_database: Database, sign_in: SignIn, start_inspection: Callable[..., str]
) -> None:
    """A 责令限期整改指令书 of an inspection is prefilled from the visit and numbered per type."""
    db, zhang = demo_database, sign_in("zhangwei")
    ensure_number_block(db, zhang, 2026)
    inspection_id = start_inspection()
    draft_id = create_draft(db, zhang, type_key="rectification_order", inspection_id=inspection_id)
    with pytest.raises(PermissionDenied):
        save_draft(db, sign_in("chenjing"), draft_id, ORDER)
    save_draft(db, zhang, draft_id, ORDER)
    view = issue_document(db, zhang, draft_id, TODAY)
    assert re.fullmatch(r"（深福）应急责改〔2026〕\d+号", view.number or "")
    assert view.values["inspector1_cert"] and view.inspection_id == inspection_id
    assert [v.id for v in inspection_document_views(db, zhang, inspection_id)] == [draft_id]


def test_per_case_convention_shares_the_case_serial(
    demo_database: Database, sign_in: SignIn, case_id: str
) -> None:
    """同一案件共用编号: the case's serial under each code, a repeat numbered -2."""
    db, zhang = demo_database, sign_in("zhangwei")
    save_numbering_settings(db, sign_in("zhaolei"), NumberingSettings("深福", Convention.PER_CASE))
    with db.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        year, serial = case.year, case.serial
    first, second = issued(db, zhang, case_id), issued(db, zhang, case_id)
    assert first.number == f"（深福）应急询〔{year}〕{serial}号"
    assert second.number == f"（深福）应急询〔{year}〕{serial}-2号"


def laptop_copy(template: DemoTemplate, root: Path, own_identity: bool) -> Database:
    """A laptop whose database started as a copy of the demo; optionally with its own identity."""
    folder = DataFolder(root)
    folder.root.mkdir()
    database = template.copy_to(folder)
    if own_identity:
        with database.write() as session:
            session.merge(LocalSetting(key=DEVICE_KEY, value=new_id()))
    return database


def test_two_laptops_issuing_at_once_offline_never_share_a_number(
    demo_template: DemoTemplate, tmp_path: Path
) -> None:
    """Two laptops with their own blocks issue 15 documents each concurrently: 30 numbers."""
    laptops = [laptop_copy(demo_template, tmp_path / name, name == "b") for name in "ab"]
    numbers: list[list[str]] = [[], []]
    prepared = [_laptop_case(database) for database in laptops]

    def issue_many(index: int) -> None:
        database, (actor, case_id) = laptops[index], prepared[index]
        for _ in range(15):
            numbers[index].append(issued(database, actor, case_id, TODAY).number or "")

    threads = [threading.Thread(target=issue_many, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(numbers[0]) == len(numbers[1]) == 15
    assert len(set(numbers[0] + numbers[1])) == 30
    for database in laptops:
        database.close()


def _laptop_case(database: Database) -> tuple[Actor, str]:
    """张伟 on this laptop, with a block of its own and a case to write documents for."""
    zhang = auth.sign_in(database, "zhangwei", demo.DEMO_PASSWORD)
    li = auth.sign_in(database, "lina", demo.DEMO_PASSWORD)
    ensure_number_block(database, zhang, 2026)
    return zhang, open_plain_case(database, zhang, li.user_id or "", D(2026, 11, 2))


def _to_notice(db: Database, sign_in: SignIn) -> str:
    """A complaint case taken to 待告知 (立案, 调查终结, 法制审核) with a 20,000 yuan fine (a
    first finding: a hazard case would be at the 逾期未改正 stage and its range)."""
    zhang, leader = sign_in("zhangwei"), sign_in("liuyang")
    case_id = open_plain_case(db, zhang, sign_in("lina").user_id or "", D(2026, 11, 2))
    perform_written(
        db, leader, case_id, "approve_filing", StepInput(on=D(2026, 11, 2)), today=TODAY
    )
    with db.read() as session:
        query = select(CaseViolation.code).where(CaseViolation.case_id == case_id)
        first = session.scalars(query).first()
    assert first is not None
    choice = cases.ViolationChoice(first, Tier.ORDINARY, 20000)
    cases.set_violations(db, zhang, case_id, [choice])
    perform_written(
        db, zhang, case_id, "end_investigation", StepInput(on=D(2026, 11, 10)), today=TODAY
    )
    perform_written(
        db, sign_in("chenjing"), case_id, "pass_review", StepInput(on=D(2026, 11, 11)), today=TODAY
    )
    return case_id


def test_documents_issued_by_steps_have_their_content(
    demo_database: Database, sign_in: SignIn
) -> None:
    """立案 issues the 立案审批表 with the case's 案号, its frozen sheet and its fingerprint."""
    case_id = _to_notice(demo_database, sign_in)
    views = case_document_views(demo_database, sign_in("zhangwei"), case_id)
    filing = next(view for view in views if view.type_key == "filing_approval")
    with demo_database.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert filing.number == case.case_no and filing.values["party_name"] == case.party_name
    assert filing.sheet is not None and filing.sheet["number"] == case.case_no
    assert filing.sha256 == fingerprint(sheet_from_json(filing.sheet))
    assert all(view.sheet is not None for view in views)


def test_a_notice_is_first_served_by_its_step(demo_database: Database, sign_in: SignIn) -> None:
    """A 告知书 prepared by hand cannot be served outside “送达行政处罚告知书”."""
    db, zhang = demo_database, sign_in("zhangwei")
    case_id = _to_notice(db, sign_in)
    draft = create_draft(db, zhang, type_key="penalty_notice", case_id=case_id, on=D(2026, 11, 12))
    save_draft(db, zhang, draft, {"evidence": ["现场核查笔录"]})  # a complaint case: typed
    notice = issue_document(db, zhang, draft, D(2026, 11, 12))
    with pytest.raises(UserError, match="“送达行政处罚告知书”"):
        serve_document(db, zhang, notice.id, method="直接送达", on=D(2026, 11, 12), today=TODAY)
    assert document_view(db, zhang, notice.id).status == "issued"


def test_serving_a_corrected_notice_restarts_the_statement_period(
    demo_database: Database, sign_in: SignIn
) -> None:
    """The 陈述申辩期 runs from the service of the edition in force."""
    db, zhang = demo_database, sign_in("zhangwei")
    case_id = _to_notice(db, sign_in)
    step = StepInput(on=D(2026, 11, 12), served_method="直接送达")
    perform_written(db, zhang, case_id, "serve_notice", step, today=TODAY)
    assert _deadline_start(db, case_id, "statement_period") == D(2026, 11, 12)
    notice = next(
        v for v in case_document_views(db, zhang, case_id) if v.type_key == "penalty_notice"
    )
    assert notice.status == "served" and notice.sheet is not None
    correction = correct_document(db, zhang, notice.id, "违法事实表述有误")
    issue_document(db, zhang, correction, D(2026, 11, 16))
    serve_document(db, zhang, correction, method="邮寄送达", on=D(2026, 11, 17), today=TODAY)
    assert _deadline_start(db, case_id, "statement_period") == D(2026, 11, 17)
    assert document_view(db, zhang, notice.id).status == "superseded"


def _deadline_start(db: Database, case_id: str, rule_id: str) -> dt.date:
    with db.read() as session:
        row = session.get(CaseDeadlineRow, (case_id, rule_id))
        assert row is not None
        return row.start


def test_a_step_issues_the_draft_prepared_for_it(demo_database: Database, sign_in: SignIn) -> None:
    """The 调查终结报告 drafted beforehand is the one 调查终结 issues: what was typed stays."""
    db, zhang, leader = demo_database, sign_in("zhangwei"), sign_in("liuyang")
    case_id = open_plain_case(db, zhang, sign_in("lina").user_id or "", D(2026, 11, 2))
    perform_written(
        db, leader, case_id, "approve_filing", StepInput(on=D(2026, 11, 2)), today=TODAY
    )
    draft = create_draft(db, zhang, type_key="investigation_report", case_id=case_id)
    save_draft(db, zhang, draft, {"course": "2026年11月3日询问了负责人。", "party_phone": ""})
    perform_written(
        db, zhang, case_id, "end_investigation", StepInput(on=D(2026, 11, 10)), today=TODAY
    )
    reports = [
        view
        for view in case_document_views(db, zhang, case_id)
        if view.type_key == "investigation_report"
    ]
    assert [view.id for view in reports] == [draft]
    report = reports[0]
    assert report.status == "issued" and report.number and report.sheet is not None
    assert report.values["course"] == "2026年11月3日询问了负责人。"
    with db.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert report.values["party_name"] == case.party_name  # sourced fields filled in
