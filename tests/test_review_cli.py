"""`python main.py review`: the 案卷评查 of a whole data folder, run exactly as documented."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sqlalchemy import select

from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import Case, CaseEvent
from tests.test_main_cli import run

LINE = re.compile(r"（深福）应急(立|罚当)〔\d{4}〕\d+号\t(主体|程序|证据|适用法律|裁量|文书)\t\S.*")


def review(data: Path, *more: str):
    """Run ``review --data-dir data …``."""
    return run("review", "--data-dir", str(data), *more)


def decide_the_day_after_the_notice(database: Database) -> str:
    """Break the 待送达 case by hand: its decision dated the day after the 告知书 was served,
    inside the 5-working-day 陈述申辩期; return its 案号."""
    with database.write() as session:
        case = session.scalars(select(Case).where(Case.stage == "service")).first()
        assert case is not None
        events = {
            event.action: event
            for event in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))
        }
        served = events["serve_notice"].occurred_on
        decision = events["approve_decision"]
        decision.occurred_on = served + dt.timedelta(days=1)
        decision.milestones = {**decision.milestones, "decided": decision.occurred_on.isoformat()}
        return case.case_no


def test_a_fresh_demo_is_lawful(demo_database: Database, data_folder: DataFolder) -> None:
    """The demo as built today: nothing printed, exit 0 (issue 13's bar for the demo)."""
    result = review(data_folder.root)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_a_hand_broken_case_prints_its_line_and_exits_1(
    demo_database: Database, data_folder: DataFolder
) -> None:
    """A decision inside the 陈述申辩期 is a 程序 defect of that case, one tab-separated line."""
    case_no = decide_the_day_after_the_notice(demo_database)
    result = review(data_folder.root)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(LINE.fullmatch(line) for line in lines), lines
    assert [line.split("\t")[:2] for line in lines] == [[case_no, "程序"]]
    assert "陈述申辩期至" in lines[0] and "届满前不能提请或作出处罚决定" in lines[0]


def test_case_filter_reviews_only_the_case_named(
    demo_database: Database, data_folder: DataFolder
) -> None:
    """--case: the broken case's line alone; another, lawful case prints nothing and exits 0."""
    case_no = decide_the_day_after_the_notice(demo_database)
    with demo_database.read() as session:
        other = session.scalar(select(Case.case_no).where(Case.case_no != case_no))
    assert other is not None
    broken = review(data_folder.root, "--case", case_no)
    assert broken.returncode == 1 and broken.stdout.startswith(f"{case_no}\t程序\t")
    lawful = review(data_folder.root, "--case", other)
    assert (lawful.returncode, lawful.stdout) == (0, "")


def test_an_unknown_case_number_exits_2_in_chinese(
    demo_database: Database, data_folder: DataFolder
) -> None:
    """A 案号 no case has is a mistake in the command: say so, and how to write one."""
    result = review(data_folder.root, "--case", "（深福）应急立[2026]3号")
    assert result.returncode == 2 and result.stdout == ""
    assert "没有案号为“（深福）应急立[2026]3号”的案件" in result.stderr
    assert "六角括号〔〕" in result.stderr


def test_a_missing_or_empty_data_folder_exits_2_and_creates_nothing(tmp_path: Path) -> None:
    """No database there: a Chinese message naming the folder and `demo`; no demo is made."""
    missing = tmp_path / "没有这个文件夹"
    result = review(missing)
    assert result.returncode == 2 and result.stdout == ""
    assert str(missing) in result.stderr and "python main.py demo" in result.stderr
    assert not missing.exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert review(empty).returncode == 2
    assert list(empty.iterdir()) == []


def test_a_database_never_set_up_exits_2(database: Database, data_folder: DataFolder) -> None:
    """A database neither the demo nor a live installation has set up holds no case to review."""
    result = review(data_folder.root)
    assert result.returncode == 2 and "尚未初始化" in result.stderr
