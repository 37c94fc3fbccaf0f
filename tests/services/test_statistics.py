"""Annual enforcement figures: each definition, the year boundary and the squad filter.

The cases, remedies, inspections and hazards are made through the services in 2022 and 2023,
years the demo data (dated back from the real today) never reaches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.domain.inspection_rules import Answer, InspectionSource, SitePerson
from fuanjian_desktop.domain.penalties.discretion import Tier
from fuanjian_desktop.domain.procedure import Procedure
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Enterprise, Inspection, User
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.cases import cases
from fuanjian_desktop.services.cases.case_actions import REMEDY_RESULTS, StepInput
from fuanjian_desktop.services.inspections import hazards, inspections
from fuanjian_desktop.services.setup import find_squad
from fuanjian_desktop.services.statistics import REMEDY_BREAKDOWN, enforcement_statistics
from fuanjian_desktop.services.unit_of_work import user_action
from tests.cases import ensure_number_block, perform_written
from tests.conftest import SMALL_TEMPLATE, DemoTemplate, write_small_template

D = dt.date
SERVED = {"served_method": "直接送达", "recipient": "负责人"}
Walk = list[tuple[str, str, dt.date, dict[str, Any]]]


@pytest.fixture(scope="module")
def stats_database(
    demo_template: DemoTemplate, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A copy of the demo with the 2022–2023 cases, remedies and field work below."""
    folder = DataFolder(tmp_path_factory.mktemp("stats"))
    database = demo_template.copy_to(folder)
    for year in (2022, 2023):
        ensure_number_block(database, actor(database, "zhangwei"), year)
    _add_cases(database)
    _add_field_work(database, tmp_path_factory.mktemp("checklists"))
    yield database
    database.close()


def actor(database: Database, username: str) -> Actor:
    """A demo account as an actor (no password check needed in a fixture)."""
    with database.read() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return Actor.of(user)


def venue(database: Database, street: str, position: int = 0) -> str:
    """A registry enterprise of ``street`` (name order)."""
    query = select(Enterprise.id).where(Enterprise.street == street).order_by(Enterprise.name)
    with database.read() as session:
        return list(session.scalars(query))[position]


def open_complaint_case(
    database: Database,
    handlers: tuple[str, str],
    opened_on: dt.date,
    choice: cases.ViolationChoice,
    procedure: Procedure = Procedure.GENERAL,
) -> str:
    """A case from a complaint about a venue of the lead handler's street."""
    lead = actor(database, handlers[0])
    street = "南园街道" if handlers[0] == "huangmin" else "园岭街道"
    draft = cases.NewCase(
        procedure=procedure,
        source="complaint",
        party=cases.Party("enterprise", venue(database, street, opened_on.month)),
        cause="未按规定履行安全生产义务",
        handler_ids=tuple(actor(database, name).user_id or "" for name in handlers),
        violations=(choice,),
        facts="接群众投诉举报，经现场核查，当事人未按规定履行安全生产义务。",
        opened_on=opened_on,
    )
    return cases.open_case(database, lead, draft)


def walk(database: Database, case_id: str, steps: Walk) -> None:
    """Take each step on its date, entered that day."""
    for username, code, on, values in steps:
        perform_written(
            database, actor(database, username), case_id, code, StepInput(on, **values), on
        )


def remedy(kind: str, result: str) -> dict[str, Any]:
    """The values of a 登记复议或诉讼 step."""
    return {"remedy_kind": kind, "remedy_result": result}


def _add_cases(db: Database) -> None:
    """Cases A–F: see each call; dates chosen around the 2022/2023 boundary."""
    ordinary = cases.ViolationChoice("AQ-97-3", Tier.ORDINARY, 20000)
    yuanling = ("zhangwei", "lina")
    case_a = open_complaint_case(db, yuanling, D(2022, 3, 1), ordinary)
    walk(
        db,
        case_a,
        [
            ("liuyang", "approve_filing", D(2022, 3, 2), {}),
            ("zhangwei", "end_investigation", D(2022, 3, 9), {}),
            ("chenjing", "pass_review", D(2022, 3, 10), {}),
            ("zhangwei", "serve_notice", D(2022, 3, 11), SERVED),
            ("zhangwei", "record_statement", D(2022, 3, 14), {"note": "请求从轻"}),
            ("zhangwei", "submit_decision", D(2022, 3, 21), {}),
            ("liuyang", "approve_decision", D(2022, 3, 22), {}),
            ("zhangwei", "serve_decision", D(2022, 3, 23), SERVED),
            ("wangfang", "publish_decision", D(2022, 3, 24), {}),
            ("wangfang", "record_payment", D(2022, 3, 30), {"amount": 20000}),
            ("wangfang", "submit_closing", D(2022, 3, 31), {}),
            ("liuyang", "approve_closing", D(2022, 4, 1), {}),
            ("wangfang", "record_remedy", D(2022, 4, 11), remedy("reconsideration", "在审")),
            ("wangfang", "record_remedy", D(2022, 6, 1), remedy("reconsideration", "维持")),
        ],
    )
    # a first finding (no order on record) at the top of 第九十七条's 10万元以下: 重大 all the same
    major = cases.ViolationChoice("AQ-97-3", Tier.SEVERE, 100000)
    case_b = open_complaint_case(db, yuanling, D(2022, 11, 1), major)
    walk(
        db,
        case_b,
        [
            ("liuyang", "approve_filing", D(2022, 11, 2), {}),
            ("zhangwei", "end_investigation", D(2022, 11, 9), {}),
            ("chenjing", "pass_review", D(2022, 11, 10), {}),
            ("liuyang", "record_discussion", D(2022, 11, 11), {}),
            ("zhangwei", "serve_notice", D(2022, 11, 14), SERVED),
            ("zhangwei", "request_hearing", D(2022, 11, 15), {}),
            (
                "zhangwei",
                "schedule_hearing",
                D(2022, 11, 16),
                {"hearing_date": D(2022, 11, 29), "served_method": "直接送达"},
            ),
            ("zhangwei", "hold_hearing", D(2022, 11, 29), {}),
            ("liuyang", "approve_decision", D(2022, 12, 30), {}),
            ("zhangwei", "serve_decision", D(2023, 1, 3), SERVED),
            ("wangfang", "publish_decision", D(2023, 1, 4), {}),
            ("wangfang", "record_remedy", D(2023, 2, 1), remedy("litigation", "在审")),
        ],
    )
    case_c = open_complaint_case(db, yuanling, D(2022, 12, 30), ordinary)
    walk(db, case_c, [("liuyang", "approve_filing", D(2023, 1, 3), {})])
    _add_nanyuan_case(db)
    onsite = cases.ViolationChoice("AQ-99-5", Tier.LENIENT, 2000)
    case_e = open_complaint_case(db, yuanling, D(2022, 7, 1), onsite, Procedure.SIMPLE)
    walk(
        db,
        case_e,
        [
            ("zhangwei", "decide_onsite", D(2022, 7, 1), {"recipient": "负责人"}),
            ("wangfang", "record_payment", D(2022, 7, 5), {"amount": 2000}),
            ("wangfang", "submit_closing", D(2022, 7, 6), {}),
            ("liuyang", "approve_closing", D(2022, 7, 7), {}),
            ("wangfang", "record_remedy", D(2022, 7, 20), remedy("litigation", "在审")),
            ("wangfang", "record_remedy", D(2022, 10, 10), remedy("litigation", "胜诉")),
        ],
    )
    case_f = open_complaint_case(db, yuanling, D(2022, 8, 1), ordinary)
    walk(
        db,
        case_f,
        [
            ("liuyang", "approve_filing", D(2022, 8, 2), {}),
            ("liuyang", "revoke_filing", D(2022, 8, 10), {"note": "违法事实不能成立"}),
        ],
    )


def _add_nanyuan_case(db: Database) -> None:
    """Case D of the 南园 squad: decided, unpaid, sent to court, reconsidered and sued."""
    choice = cases.ViolationChoice("AQ-99-5", Tier.ORDINARY, 25000)
    case_d = open_complaint_case(db, ("huangmin", "zhoujie"), D(2022, 5, 5), choice)
    walk(
        db,
        case_d,
        [
            ("sunhao", "approve_filing", D(2022, 5, 6), {}),
            ("huangmin", "end_investigation", D(2022, 5, 13), {}),
            ("majing", "pass_review", D(2022, 5, 16), {}),
            ("huangmin", "serve_notice", D(2022, 5, 17), SERVED),
            ("huangmin", "record_statement", D(2022, 5, 18), {"note": "称无力缴纳"}),
            ("huangmin", "submit_decision", D(2022, 5, 25), {}),
            ("sunhao", "approve_decision", D(2022, 5, 26), {}),
            ("huangmin", "serve_decision", D(2022, 5, 27), SERVED),
            ("wuxia", "publish_decision", D(2022, 5, 30), {}),
            # the 6-month 起诉期 from 05-27 ends Sun 11-27 → Mon 11-28; the 催告 comes after it
            # and the court 10 working days after the 催告 (行政强制法第五十三条、第五十四条);
            # the party, not having applied in time, files a 复议 and sues late afterwards
            (
                "huangmin",
                "serve_enforcement_reminder",
                D(2022, 11, 29),
                {"served_method": "直接送达"},
            ),
            ("sunhao", "apply_court", D(2022, 12, 14), {}),
            ("wuxia", "record_remedy", D(2022, 12, 15), remedy("reconsideration", "在审")),
            ("wuxia", "record_remedy", D(2022, 12, 20), remedy("reconsideration", "变更")),
            ("wuxia", "record_remedy", D(2022, 12, 22), remedy("litigation", "在审")),
        ],
    )


def local_moment(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment on this laptop's clock (the statistics count local calendar days)."""
    return dt.datetime(year, month, day, hour, minute).astimezone()


def _add_field_work(db: Database, checklists: Path) -> None:
    """Inspections V1 (twice, across new year's eve), V2 (2023) and a 南园 one, with hazards."""
    checklist_folder = write_small_template(checklists)
    first = inspect(db, "园岭街道", local_moment(2022, 6, 1, 10), 2, checklist_folder)
    recheck(db, first, local_moment(2022, 6, 20, 10), (Answer.COMPLIANT, Answer.NON_COMPLIANT))
    eve = inspect(db, "园岭街道", local_moment(2022, 12, 31, 23, 30), 1, checklist_folder)
    recheck(db, eve, local_moment(2023, 1, 10, 10), (Answer.COMPLIANT,))
    inspect(db, "园岭街道", local_moment(2023, 1, 1, 0, 30), 1, checklist_folder, position=1)
    inspect(db, "南园街道", local_moment(2022, 9, 1, 10), 1, checklist_folder)


def inspect(
    db: Database,
    street: str,
    started: dt.datetime,
    failures: int,
    checklist_folder: Path,
    position: int = 0,
) -> str:
    """An inspection started at ``started`` whose first ``failures`` items fail at once."""
    team = ("zhangwei", "lina") if street == "园岭街道" else ("huangmin", "zhoujie")
    lead = actor(db, team[0])
    start = inspections.InspectionStart(
        enterprise_id=venue(db, street, position),
        source=InspectionSource.ROUTINE,
        template_id=SMALL_TEMPLATE,
        inspector_ids=tuple(actor(db, name).user_id or "" for name in team),
        site_person=SitePerson("李老板", "店主", "13800138000"),
        facts={"uses_gas": False},
        started_at=started,
    )
    inspection_id = inspections.start_inspection(db, lead, start, checklist_folder)
    items = inspections.open_inspection(db, lead, inspection_id).items[:failures]
    with user_action(db, lead, "记录检查结果") as scope:
        inspection = scope.session.get(Inspection, inspection_id)
        assert inspection is not None
        for item in items:
            inspections.save_answer(scope, inspection, item, Answer.NON_COMPLIANT, "", started)
    return inspection_id


def recheck(
    db: Database, inspection_id: str, when: dt.datetime, results: tuple[Answer, ...]
) -> None:
    """A 复查 of the inspection's hazards (in their order) with ``results``."""
    lead = actor(db, "zhangwei")
    found = inspections.open_inspection(db, lead, inspection_id).hazards.values()
    record = hazards.RecheckRecord(
        inspection_id=inspection_id,
        inspector_ids=(lead.user_id or "", actor(db, "lina").user_id or ""),
        site_person=SitePerson("李老板"),
        started_at=when,
        ended_at=when + dt.timedelta(minutes=20),
        results={hazard.id: result for hazard, result in zip(found, results, strict=False)},
        notes={},
        opinion="复查",
    )
    hazards.record_recheck(db, lead, record)


def figures(db: Database, year: int, squad: str | None = None) -> dict[str, int]:
    """The statistics as a dict (the order is checked separately)."""
    squad_id = find_squad(db, squad).id if squad else None
    return dict(enforcement_statistics(db, year, squad_id))


def test_every_figure_of_the_year_for_all_squads(stats_database: Database) -> None:
    """2022: each figure counts what its definition says, no more."""
    assert figures(stats_database, 2022) == {
        "立案": 4,  # A, B, D, F — not C (approved in 2023) nor the 当场处罚 E
        "结案": 2,  # A, E — F was 撤销立案
        "作出处罚决定": 4,  # A, B (2022-12-30), D, E
        "罚没金额": 20000 + 100000 + 25000 + 2000,
        "已缴罚款": 20000 + 2000,
        "集体讨论": 1,
        "听证": 1,
        "陈述申辩": 2,
        "申请法院强制执行": 1,
        "行政复议": 2,
        "行政复议维持": 1,
        "行政复议撤销": 1,  # 变更 counts as corrected
        "行政复议撤回": 0,
        "行政复议在审": 0,
        "行政诉讼": 2,  # B's lawsuit was filed in 2023
        "行政诉讼胜诉": 1,
        "行政诉讼败诉": 0,
        "行政诉讼撤诉": 0,
        "行政诉讼在审": 1,
        "检查企业": 2,  # V1 twice counts once; 复查 never
        "发现隐患": 4,
        "整改隐患": 1,
    }


def test_the_year_boundary(stats_database: Database) -> None:
    """2023 gets C's 立案, B's lawsuit, the new year's inspection and the January 整改."""
    found = figures(stats_database, 2023)
    assert (found["立案"], found["作出处罚决定"], found["行政诉讼在审"]) == (1, 0, 1)
    assert (found["检查企业"], found["发现隐患"], found["整改隐患"]) == (1, 1, 1)
    assert figures(stats_database, 2021) == dict.fromkeys(figures(stats_database, 2021), 0)


def test_the_squad_filter(stats_database: Database) -> None:
    """Each squad sees its own cases, remedies, inspections and hazards only."""
    yuanling, nanyuan = figures(stats_database, 2022, "园岭"), figures(stats_database, 2022, "南园")
    assert (yuanling["立案"], nanyuan["立案"]) == (3, 1)
    assert (yuanling["罚没金额"], nanyuan["罚没金额"]) == (20000 + 100000 + 2000, 25000)
    assert (yuanling["申请法院强制执行"], nanyuan["申请法院强制执行"]) == (0, 1)
    assert (yuanling["行政复议"], nanyuan["行政复议"]) == (1, 1)
    assert (yuanling["检查企业"], nanyuan["检查企业"]) == (1, 1)
    assert (yuanling["发现隐患"], nanyuan["发现隐患"]) == (3, 1)
    full_name = figures(stats_database, 2022, "南园街道应急管理执法中队")
    assert full_name == nanyuan


def test_lines_come_in_report_order(stats_database: Database) -> None:
    """The report's order: cases, steps, remedies with their breakdown, then field work."""
    names = [name for name, _ in enforcement_statistics(stats_database, 2022)]
    assert names[:5] == ["立案", "结案", "作出处罚决定", "罚没金额", "已缴罚款"]
    assert names.index("行政复议") < names.index("行政复议维持") < names.index("行政诉讼")
    assert names[-3:] == ["检查企业", "发现隐患", "整改隐患"]


def test_every_remedy_result_falls_in_exactly_one_line() -> None:
    """A result added to the remedy form must be placed in the statistics too."""
    for kind, results in REMEDY_RESULTS.items():
        placed = [r for _, group in REMEDY_BREAKDOWN[kind] for r in group]
        assert sorted(placed) == sorted(results), kind


def test_unknown_squad_and_year_out_of_range_are_refused(stats_database: Database) -> None:
    """Both are user errors with a Chinese message."""
    with pytest.raises(UserError, match="没有名为“北京”的中队"):
        find_squad(stats_database, "北京")
    with pytest.raises(UserError, match="统计年度"):
        enforcement_statistics(stats_database, 1900)
