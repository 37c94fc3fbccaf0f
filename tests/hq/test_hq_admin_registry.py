"""``hq init --registry FILE --squad S``: a squad's register checked by the laptop's import rules
and published as the registry master."""

# ruff: noqa: F811  (pytest fixtures imported from tests.hq.hq_admin_support)

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from fuanjian_desktop.errors import UserError
from fuanjian_desktop.hq.database import HqDatabase
from fuanjian_desktop.hq.models import HqRevision
from fuanjian_desktop.hq.registry import check_registry_file
from fuanjian_desktop.hq.setup import initialise_hq
from fuanjian_desktop.models import Enterprise, EnterpriseCategory
from fuanjian_desktop.resources import resource_path
from tests.hq.hq_admin_support import hq, hq_sqlite_url  # noqa: F401
from tests.services.registry.test_registry_import import (
    entry,
    uscc,
    with_wrong_check_char,
    write_sheet,
)


def yuanling_id() -> str:
    """园岭's id as the bureau fixed it in resources/org/squads.json."""
    org = json.loads(resource_path("org", "squads.json").read_text(encoding="utf-8"))
    return next(unit["id"] for unit in org["squads"] if unit["short_name"] == "园岭")


def register(tmp_path: Path) -> Path:
    """Rows 2–4 good, row 5 a wrong check character, row 6 repeats row 2's code."""
    return write_sheet(
        tmp_path / "园岭台账.xlsx",
        [
            entry(1),
            entry(2, categories="三小场所·小档口、三小场所·小作坊"),
            entry(3),
            entry(4, uscc=with_wrong_check_char(uscc(4))),
            entry(5, uscc=uscc(1)),
        ],
    )


def test_valid_rows_become_the_registry_master(hq_sqlite_url: str, hq: HqDatabase, tmp_path: Path):
    """Three rows published to every device in 园岭; rows 5 and 6 reported, not loaded."""
    report = initialise_hq(hq_sqlite_url, check_registry_file(register(tmp_path), "园岭"))
    assert report.registry is not None
    assert (report.registry.imported, report.registry.total_rows) == (3, 5)
    assert {problem.row for problem in report.registry.problems} == {5, 6}
    assert report.lines()[-3].startswith(
        "企业台账“园岭台账.xlsx”（园岭）：导入 3 家，共 5 行，2 行未导入"
    )
    with hq.read() as session:
        firms = {firm.uscc: firm for firm in session.scalars(select(Enterprise))}
        categories = session.scalars(
            select(EnterpriseCategory.category).where(
                EnterpriseCategory.enterprise_id == firms[uscc(2)].id
            )
        ).all()
        audience = set(
            session.scalars(
                select(HqRevision.squad_id).where(HqRevision.table_name == "enterprise")
            )
        )
    assert set(firms) == {uscc(1), uscc(2), uscc(3)}
    assert {firm.squad_id for firm in firms.values()} == {yuanling_id()}
    assert sorted(categories) == ["three_small.shop", "three_small.workshop"]
    assert "园岭街道百花路2号" in firms[uscc(2)].search_text
    assert audience == {None}


def test_second_load_refuses_registered_codes(hq_sqlite_url: str, hq: HqDatabase, tmp_path: Path):
    """Loading the same register again adds nothing: every code is already registered."""
    path = register(tmp_path)
    initialise_hq(hq_sqlite_url, check_registry_file(path, "园岭"))
    again = initialise_hq(hq_sqlite_url, check_registry_file(path, "园岭"))
    assert again.registry is not None and again.registry.imported == 0
    assert any("已登记" in problem.reason for problem in again.registry.problems)
    with hq.read() as session:
        assert len(session.scalars(select(Enterprise)).all()) == 3


@pytest.mark.parametrize("squad", ["东门", "区局"])
def test_register_needs_a_street_squad(squad: str, tmp_path: Path):
    """An unknown squad or the bureau itself: refused before any write."""
    with pytest.raises(UserError, match="没有名为"):
        check_registry_file(register(tmp_path), squad)
