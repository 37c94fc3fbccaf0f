"""The context documents are filled from: a case's file and an inspection's visit, as printed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.inspection_rules import Answer, SitePerson, problem_text
from fuanjian_desktop.domain.penalties.discretion import Tier
from fuanjian_desktop.domain.procedure import Procedure
from fuanjian_desktop.models import (
    Case,
    CaseDocument,
    CaseLink,
    Enterprise,
    Hazard,
    Inspection,
    User,
)
from fuanjian_desktop.resources import resource_path
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases import cases
from fuanjian_desktop.services.cases.case_actions import StepInput
from fuanjian_desktop.services.documents.document_context import (
    CONTEXT_KEYS,
    case_context,
    inspection_context,
)
from fuanjian_desktop.services.inspections import hazards, inspections
from fuanjian_desktop.services.inspections.hazards import RecheckRecord
from tests.cases import ensure_number_block, open_hazard_case, perform_written
from tests.conftest import team_ids

D = dt.date
TODAY = D(2026, 11, 26)
SignIn = Callable[[str], Actor]
LAW = "《中华人民共和国安全生产法》"
WOMAN_1949 = "11010519491231002X"  # official GB 11643 vector: a woman born 1949-12-31
ORDER_NO = "（深福）应急责改〔2026〕7号"


def step(
    db: Database, actor: Actor, case_id: str, code: str, on: dt.date, **values: object
) -> None:
    """Take one step of the procedure on ``on``, entered on the fixed test day."""
    perform_written(db, actor, case_id, code, StepInput(on=on, **values), today=TODAY)  # type: ignore[arg-type]


def catalogue_keys() -> set[str]:
    """The keys the spec README's "Context keys" section lists (the documented catalogue)."""
    readme = (resource_path("documents") / "specs" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Context keys", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`([a-z0-9_]+\.[a-z0-9_.]+)`", section))


def user(db: Database, username: str) -> User:
    """A demo account as stored, for its name and 执法证号."""
    with db.read() as session:
        found = session.scalar(select(User).where(User.username == username))
    assert found is not None
    return found


@pytest.fixture
def served_case(demo_database: Database, sign_in: SignIn) -> str:
    """A hazard case of 张伟 and 李娜 charged with two violations (5000 + 3000 元), taken to a
    served decision, with 3000 元 paid."""
    db = demo_database
    zhang, li, leader = sign_in("zhangwei"), sign_in("lina"), sign_in("liuyang")
    case_id = open_hazard_case(db, zhang, li.user_id or "", D(2026, 11, 2))
    step(db, leader, case_id, "approve_filing", D(2026, 11, 2))
    choices = [
        cases.ViolationChoice("AQ-97-3", Tier.LENIENT, 5000, "当事人初次违法，从轻处罚。"),
        cases.ViolationChoice("AQ-99-5", Tier.LENIENT, 3000, "已部分整改"),
    ]
    cases.set_violations(db, zhang, case_id, choices)
    step(db, zhang, case_id, "end_investigation", D(2026, 11, 10), note="违法事实清楚，建议处罚")
    step(db, sign_in("chenjing"), case_id, "pass_review", D(2026, 11, 11))
    step(db, zhang, case_id, "serve_notice", D(2026, 11, 12), served_method="直接送达")
    step(db, zhang, case_id, "record_statement", D(2026, 11, 13), note="称已整改，请求从轻")
    step(db, zhang, case_id, "submit_decision", D(2026, 11, 20))
    step(db, leader, case_id, "approve_decision", D(2026, 11, 20))
    step(db, zhang, case_id, "serve_decision", D(2026, 11, 23), served_method="直接送达")
    step(db, sign_in("wangfang"), case_id, "record_payment", D(2026, 11, 25), amount=3000)
    return case_id


def test_the_context_carries_exactly_the_documented_keys(
    demo_database: Database, served_case: str
) -> None:
    """Every key of the README catalogue is built, and no key the catalogue does not list."""
    assert set(CONTEXT_KEYS) == catalogue_keys()
    with demo_database.read() as session:
        context = case_context(session, served_case, TODAY)
    assert set(context) == catalogue_keys()


def test_a_decided_case_fills_fine_articles_handlers_and_party(
    demo_database: Database, served_case: str
) -> None:
    """Fine in figures and capitals, one law named for its articles, handlers with 执法证号, the
    party as filed, the 文号 of the notice and decision, and the payment so far."""
    with demo_database.read() as session:
        context = case_context(session, served_case, TODAY)
        case = session.get(Case, served_case)
        assert case is not None and case.enterprise_id is not None
        enterprise = session.get(Enterprise, case.enterprise_id)
        numbers = dict(
            session.execute(
                select(CaseDocument.type_key, CaseDocument.number).where(
                    CaseDocument.case_id == served_case
                )
            ).all()
        )
    assert enterprise is not None
    zhang, li = user(demo_database, "zhangwei"), user(demo_database, "lina")
    assert context["case.fine"] == "8000"
    assert context["case.fine_words"] == "捌仟元整"
    assert context["case.penalty_text"] == "罚款人民币捌仟元整"
    assert context["case.violated_articles"] == f"{LAW}第二十八条第一款、第四十五条"
    assert context["case.penalty_articles"] == f"{LAW}第九十七条第（三）项、第九十九条第（五）项"
    assert context["case.discretion_reason"] == "当事人初次违法，从轻处罚。已部分整改。"
    assert (context["handler1.name"], context["handler1.cert"]) == (zhang.full_name, zhang.cert_no)
    assert (context["handler2.name"], context["handler2.cert"]) == (li.full_name, li.cert_no)
    assert context["handlers.names"] == f"{zhang.full_name}、{li.full_name}"
    assert context["party.kind"] == "unit"
    assert context["party.name"] == enterprise.name
    assert context["party.credit_code"] == (enterprise.uscc or "")
    assert context["party.address"] == enterprise.address
    assert (context["party.sex"], context["party.age"]) == ("", "")
    assert context["case.name"] == f"{enterprise.name}涉嫌{case.cause}案"
    assert context["case.no"] == case.case_no
    assert context["case.filed_on"] == "2026年11月2日"
    assert context["case.notice_no"] == numbers["penalty_notice"]
    assert context["case.decision_no"] == numbers["penalty_decision"]
    assert context["case.decided_on"] == "2026年11月20日"
    assert context["case.decision_served_on"] == "2026年11月23日"
    assert context["case.payment_due"] == "2026年12月8日"  # 15 days after service
    assert context["case.investigation_conclusion"] == "违法事实清楚，建议处罚"
    assert context["case.statement_summary"] == "称已整改，请求从轻。"
    assert context["case.paid"] == "3000"
    assert context["case.execution"] == "当事人已缴纳罚款3000元，尚欠5000元。"
    assert (context["case.unpaid"], context["case.unpaid_words"]) == ("5000", "伍仟元整")
    assert context["case.amount_due"] == "5000"
    assert context["case.decision_title"] == "行政处罚决定书"
    assert context["case.result"] == "给予罚款人民币捌仟元整的行政处罚"
    rows = context["case.served_documents"]
    assert isinstance(rows, list)
    notice, decision = rows  # by date of service; the unserved documents are not listed
    assert notice["name_no"] == f"《行政处罚告知书》{numbers['penalty_notice']}"
    assert decision["name_no"].startswith("《行政处罚决定书")
    assert decision["name_no"].endswith(f"》{numbers['penalty_decision']}")
    assert (decision["served_on"], decision["method"]) == ("2026年11月23日", "直接送达")
    assert (decision["recipient"], decision["place"], decision["server"]) == ("", "", "")
    assert (
        context["handlers.unit"]
        == "深圳市福田区应急管理局园岭街道应急管理执法中队\u3000行政执法人员"
    )
    assert context["party.summary"] == (
        f"{enterprise.name}，统一社会信用代码：{enterprise.uscc}，"
        f"法定代表人/负责人：{context['party.representative']}，地址：{enterprise.address}"
        + (f"，电话：{enterprise.contact_phone}" if enterprise.contact_phone else "")
        + "。"
    )
    assert context["party.contact"] == (enterprise.contact_name or "")
    assert context["document.issued_on"] == "2026年11月26日"
    assert context["document.year"] == "2026"


def test_a_hazard_case_cites_the_inspection_it_came_from(
    demo_database: Database, served_case: str
) -> None:
    """The linked inspection gives the found date, the evidence, its inspectors and problems."""
    with demo_database.read() as session:
        context = case_context(session, served_case, TODAY)
        hazard = session.scalar(
            select(Hazard)
            .join(CaseLink, CaseLink.target_id == Hazard.id)
            .where(CaseLink.case_id == served_case)
        )
        assert hazard is not None
        inspection = session.get(Inspection, hazard.inspection_id)
        assert inspection is not None
        first = inspection.inspector_rows[0]
        found = inspection.started_at.astimezone().date()
    problems = context["inspection.problems"]
    assert isinstance(problems, list)
    assert any(problem.startswith(problem_text(hazard.description)) for problem in problems)
    assert context["inspector1.name"] == first.full_name
    assert context["inspector1.cert"] == first.cert_no
    written = f"{found.year}年{found.month}月{found.day}日"
    assert context["case.found_on"] == written
    evidence = context["case.evidence"]
    assert isinstance(evidence, list) and f"现场检查记录（{written}）" in evidence
    assert str(context["case.facts_and_evidence"]).endswith("等证据为证。")
    assert str(context["case.facts_and_evidence"]).startswith(str(context["case.summary"]))


def test_a_person_party_prints_sex_and_age_from_the_id_number(
    demo_database: Database, sign_in: SignIn
) -> None:
    """A person's sex and age (on the document date) come from the ID; no unit, no fine, no
    inspection: those keys are blank, lists empty."""
    zhang, li = sign_in("zhangwei"), sign_in("lina")
    ensure_number_block(demo_database, zhang, TODAY.year)
    draft = cases.NewCase(
        procedure=Procedure.GENERAL,
        source="complaint",
        party=cases.Party("person", name="王秀兰", id_no=WOMAN_1949, address="福田区红荔路1号"),
        cause="涉嫌未按照规定对从业人员进行安全生产教育和培训",
        handler_ids=(zhang.user_id or "", li.user_id or ""),
        opened_on=D(2026, 11, 20),
    )
    case_id = cases.open_case(demo_database, zhang, draft)
    with demo_database.read() as session:
        context = case_context(session, case_id, D(2026, 12, 31))
    assert context["party.kind"] == "person"
    assert (context["party.sex"], context["party.age"]) == ("女", "77")
    assert context["party.birth_month"] == "1949年12月"
    assert context["party.summary"] == (
        f"王秀兰，女，77岁，身份证号：{WOMAN_1949}，住址：福田区红荔路1号。"
    )
    assert context["party.id_number"] == WOMAN_1949
    assert (context["party.credit_code"], context["party.representative"]) == ("", "")
    assert context["case.name"] == "王秀兰涉嫌未按照规定对从业人员进行安全生产教育和培训案"
    assert context["case.source"] == "投诉举报"
    assert context["case.found_on"] == context["case.filing_requested_on"] == "2026年11月20日"
    assert (context["case.fine"], context["case.fine_words"], context["case.penalty_text"]) == (
        "",
        "",
        "",
    )
    assert context["case.filing_opinion"] == (
        "当事人涉嫌未按照规定对从业人员进行安全生产教育和培训，建议立案调查。"
    )
    assert (context["inspection.problems"], context["inspector1.name"]) == ([], "")
    assert (context["case.served_documents"], context["case.decision_no"]) == ([], "")


@pytest.fixture
def finished_inspection(
    demo_database: Database, inspector: Actor, start_inspection: Callable[..., str]
) -> tuple[str, list[str]]:
    """An inspection (9时30分 to 11时05分 local) with three hazards due on two dates and two
    on-site measures; returns its id and the hazard ids in the order found."""
    inspection_id = start_inspection()
    items = inspections.open_inspection(demo_database, inspector, inspection_id).items
    for number, item in enumerate(items):
        answer = Answer.NON_COMPLIANT if number < 3 else Answer.COMPLIANT
        inspections.answer_item(demo_database, inspector, inspection_id, item, answer)
    measures = ("rectify_within_deadline", "remove_hazard_now")
    finish = inspections.InspectionFinish(
        dt.datetime.now(dt.UTC), "检查了疏散通道", onsite_measures=measures
    )
    inspections.finish_inspection(demo_database, inspector, inspection_id, finish)
    with demo_database.write() as session:
        ids = list(
            session.scalars(
                select(Hazard.id)
                .where(Hazard.inspection_id == inspection_id)
                .order_by(Hazard.created_at)
            )
        )
        for hazard_id, due in zip(
            ids, (D(2026, 12, 1), D(2026, 12, 3), D(2026, 12, 3)), strict=True
        ):
            session.execute(update(Hazard).where(Hazard.id == hazard_id).values(due_date=due))
        session.execute(
            update(Inspection)
            .where(Inspection.id == inspection_id)
            .values(started_at=local(9, 30), ended_at=local(11, 5))
        )
    return inspection_id, ids


def local(hour: int, minute: int) -> dt.datetime:
    """A wall-clock moment on the test day, in this laptop's zone (as the app reads times)."""
    return dt.datetime(2026, 11, 26, hour, minute).astimezone()


def test_an_inspection_lists_its_problems_due_dates_and_inspectors(
    demo_database: Database, finished_inspection: tuple[str, list[str]]
) -> None:
    """存在的问题 in the order found, each with its own date when the dates differ and no date
    of the order's own, the two inspectors, the site person, the visit's times and measures."""
    inspection_id, _ = finished_inspection
    with demo_database.read() as session:
        context = inspection_context(session, inspection_id, TODAY)
        inspection = session.get(Inspection, inspection_id)
        assert inspection is not None
        enterprise = session.get(Enterprise, inspection.enterprise_id)
    assert enterprise is not None
    zhang, li = user(demo_database, "zhangwei"), user(demo_database, "lina")
    problem = "未做到：第{}项检查要求：疏散通道保持畅通（整改期限：2026年12月{}日）"  # 不符合：…
    assert context["inspection.problems"] == [
        problem.format(1, 1),
        problem.format(2, 3),
        problem.format(3, 3),
    ]
    assert context["inspection.rectify_items"] == "1、2、3"
    assert (context["inspection.rectify_due"], context["inspection.rectify_by_item"]) == (
        "",
        "分别于各项所列整改期限前",
    )
    assert (context["inspector1.name"], context["inspector1.cert"]) == (
        zhang.full_name,
        zhang.cert_no,
    )
    assert (context["inspector2.name"], context["inspector2.cert"]) == (li.full_name, li.cert_no)
    assert context["inspection.site_person"] == "李老板"
    assert context["inspection.site_person_title"] == "店主"
    assert context["inspection.site_person_phone"] == "13800138000"
    assert context["inspection.started_at"] == "2026年11月26日9时30分"
    assert context["inspection.time_range"] == "2026年11月26日9时30分至11月26日11时05分"
    law = "《中华人民共和国消防法》第二十八条"  # the fixture template's basis of every item
    assert context["inspection.findings"] == (
        "本次按照《测试检查表（12项）》检查12项，其中符合9项，不符合3项，不涉及0项。\n"
        "发现的问题及现场处理：\n"
        f"1．未做到：第1项检查要求：疏散通道保持畅通，不符合{law}的规定；"
        "已责令于2026年12月1日前整改完毕。\n"
        f"2．未做到：第2项检查要求：疏散通道保持畅通，不符合{law}的规定；"
        "已责令于2026年12月3日前整改完毕。\n"
        f"3．未做到：第3项检查要求：疏散通道保持畅通，不符合{law}的规定；"
        "已责令于2026年12月3日前整改完毕。\n"
        "现场处理措施：责令限期改正、责令立即排除事故隐患。\n"
        "检查了疏散通道。"
    )
    assert context["inspection.date"] == "2026年11月26日"
    assert context["inspection.checklist"] == "按照《测试检查表（12项）》，检查第1组、第2组。"
    assert context["inspection.measures"] == ["责令限期改正", "责令立即排除事故隐患"]
    assert context["inspection.measures_basis"] == (
        f"{LAW}第六十五条第一款第（二）项、第六十五条第一款第（三）项"
    )
    assert context["party.name"] == enterprise.name
    assert context["inspection.place"] == enterprise.address
    assert (context["inspection.order_no"], context["inspection.recheck_opinion"]) == ("", "")
    assert (context["case.no"], context["handler1.name"]) == ("", "")


def test_one_due_date_is_not_repeated_per_problem(
    demo_database: Database, finished_inspection: tuple[str, list[str]]
) -> None:
    """When every problem is due the same day, the problems carry no dates of their own."""
    inspection_id, ids = finished_inspection
    with demo_database.write() as session:
        session.execute(update(Hazard).where(Hazard.id == ids[0]).values(due_date=D(2026, 12, 3)))
    with demo_database.read() as session:
        context = inspection_context(session, inspection_id, TODAY)
    assert context["inspection.problems"] == [
        f"未做到：第{n}项检查要求：疏散通道保持畅通" for n in (1, 2, 3)
    ]
    assert context["inspection.rectify_due"] == "2026年12月3日"


def test_a_recheck_speaks_of_the_order_it_checks(
    demo_database: Database,
    inspector: Actor,
    finished_inspection: tuple[str, list[str]],
    checklist_folder: Path,
) -> None:
    """The 复查's context carries the original's problems and its 责改 文号 (a voided one
    ignored), and the opinion lists each finding by its item number."""
    inspection_id, ids = finished_inspection
    with demo_database.write() as session:
        for number, status in ((ORDER_NO, "issued"), ("（深福）应急责改〔2026〕6号", "voided")):
            session.add(
                CaseDocument(
                    inspection_id=inspection_id,
                    type_key="rectification_order",
                    title="责令限期整改指令书",
                    number=number,
                    status=status,
                    issued_on=D(2026, 11, 26),
                )
            )
    now = dt.datetime.now(dt.UTC)
    record = RecheckRecord(
        inspection_id=inspection_id,
        inspector_ids=team_ids(demo_database, inspector, {"张伟", "李娜"}),
        site_person=SitePerson("李老板"),
        started_at=now - dt.timedelta(minutes=20),
        ended_at=now,
        results={ids[2]: Answer.NON_COMPLIANT, ids[0]: Answer.COMPLIANT},
        notes={ids[2]: "仍有杂物"},
        opinion="请于三日内完成第3项整改",
    )
    recheck_id = hazards.record_recheck(demo_database, inspector, record)
    with demo_database.read() as session:
        context = inspection_context(session, recheck_id, TODAY)
        original = inspection_context(session, inspection_id, TODAY)
    assert context["inspection.recheck_opinion"] == (
        "经复查，第1项已整改；第3项未整改（仍有杂物）。请于三日内完成第3项整改。"
    )
    assert context["inspection.problems"] == original["inspection.problems"]
    assert (context["inspection.order_no"], context["inspection.order_on"]) == (
        ORDER_NO,
        "2026年11月26日",
    )
    assert context["inspection.order_title"] == "责令限期整改"
    assert original["inspection.order_no"] == ORDER_NO
