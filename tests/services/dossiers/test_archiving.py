"""归档: the leader's approval numbers the volume, freezes it, and the frozen bytes never change.

Expected values come from the rules, not the code: 归档号 = the 结案 year + a 4-digit serial,
and the cover's own 文号 is the 应急案 number of the same serial (COMMON decisions of issue 17);
the frozen volume is the same bytes on every later print, whatever the settings say by then.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Case, CaseDossier, CaseLink, EvidenceFile, LocalSetting
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.dossiers.archiving import archive_case
from fuanjian_desktop.services.dossiers.dossier_records import set_backnotes, set_remark
from fuanjian_desktop.services.dossiers.reopening import reopen_case
from fuanjian_desktop.services.dossiers.volume import (
    build_volume,
    dossier_cases,
    dossier_view,
    frozen_volume,
    paper_volume,
)
from fuanjian_desktop.services.inspections.evidence import attach_photos, evidence_store
from fuanjian_desktop.services.inspections.inspections import local_today
from tests.services.dossiers.volume_reading import complete_case, pages_of

SignIn = Callable[[str], Actor]
TODAY = local_today()  # the demo is dated back from today


def closing_day(database: Database) -> dt.date:
    """The 结案 date of the demo's complete case (the day it is archived in these tests)."""
    closed_on = complete_case(database).closed_on
    assert closed_on is not None
    return closed_on


def archived(database: Database, sign_in: SignIn) -> tuple[str, dict[str, object]]:
    """Archive the case as the squad leader; its id and what the dossier record holds."""
    case_id, closed_on = complete_case(database).id, closing_day(database)
    set_backnotes(database, sign_in("wangfang"), case_id, "", "王芳", "刘洋")
    result = archive_case(database, sign_in("liuyang"), case_id, closed_on)
    with database.read() as session:
        dossier = session.scalar(select(CaseDossier).where(CaseDossier.case_id == case_id))
        assert dossier is not None
        return case_id, {
            "result": result,
            "closed_on": closed_on,
            "archive_no": dossier.archive_no,
            "archive_number": dossier.archive_number,
            "archived_on": dossier.archived_on,
            "retention": dossier.retention,
            "sha256": dossier.volume_sha256,
            "pages": dossier.page_count,
            "items": dossier.item_count,
            "stage": session.get(Case, case_id).stage,  # type: ignore[union-attr]
        }


def test_archiving_numbers_the_volume_and_freezes_it(
    demo_database: Database, sign_in: SignIn
) -> None:
    case_id, stored = archived(demo_database, sign_in)
    archive_no = str(stored["archive_no"])
    closed_on = stored["closed_on"]
    assert isinstance(closed_on, dt.date)
    year = closed_on.year  # the 结案 year, then a 4-digit serial
    assert re.fullmatch(rf"{year}\d{{4}}", archive_no)
    serial = int(archive_no[4:])
    assert stored["archive_number"] == f"（深福）应急案〔{year}〕{serial}号"
    assert stored["archived_on"] == closed_on
    assert stored["retention"] == "永久"
    assert stored["stage"] == "archived"
    clerk = sign_in("wangfang")
    frozen = frozen_volume(demo_database, clerk, case_id)
    assert hashlib.sha256(frozen).hexdigest() == stored["sha256"]
    pages = pages_of(frozen)
    cover = pages[0].text
    assert archive_no in cover and f"应急案〔{year}〕{serial}号" in cover
    view = dossier_view(demo_database, clerk, case_id, TODAY)
    assert stored["items"] == view.item_count and stored["pages"] == view.page_count
    listed = next(
        row for row in dossier_cases(demo_database, clerk, TODAY) if row.case_id == case_id
    )
    assert listed.archived and listed.archive_no == archive_no


def test_the_frozen_bytes_never_change_across_prints(
    demo_database: Database, sign_in: SignIn
) -> None:
    case_id, stored = archived(demo_database, sign_in)
    clerk = sign_in("wangfang")
    first = frozen_volume(demo_database, clerk, case_id)
    rows = build_volume(demo_database, clerk, case_id, TODAY).rows
    # the settings change afterwards: the archived volume is never recompiled
    with demo_database.write() as session:
        session.merge(LocalSetting(key="dossier.convention", value="chronological"))
        session.merge(LocalSetting(key="dossier.page_number_position", value="bottom_right"))
        session.merge(LocalSetting(key="document.bureau_name", value="深圳市福田区应急管理局新址"))
        session.merge(LocalSetting(key="dossier.scan_placement", value="behind"))
    assert frozen_volume(demo_database, clerk, case_id) == first
    again = build_volume(demo_database, clerk, case_id, TODAY)
    assert again.pdf == first
    assert again.rows == rows  # the 目录 shown beside it is the frozen volume's
    assert dossier_view(demo_database, clerk, case_id, TODAY).rows == rows
    assert build_volume(demo_database, clerk, case_id, TODAY, duplex=True).pdf == first
    assert hashlib.sha256(first).hexdigest() == stored["sha256"]
    # the paper volume's cover, 目录 and 备考表 are the frozen volume's own pages
    frozen, paper = pages_of(first), pages_of(paper_volume(demo_database, clerk, case_id))
    index_pages = len(paper) - 2
    assert [page.text for page in paper] == [
        page.text for page in (*frozen[: 1 + index_pages], frozen[-1])
    ]


def test_an_archived_case_is_locked(demo_database: Database, sign_in: SignIn) -> None:
    case_id, _stored = archived(demo_database, sign_in)
    clerk = sign_in("wangfang")
    row = dossier_view(demo_database, clerk, case_id, TODAY).rows[0]
    with pytest.raises(UserError, match="已归档"):
        set_remark(demo_database, clerk, case_id, row.key, "归档后补写")
    with pytest.raises(UserError, match="已归档"):
        archive_case(demo_database, sign_in("liuyang"), case_id, TODAY)


def test_only_the_leader_archives_on_or_after_the_closing_day(
    demo_database: Database, sign_in: SignIn
) -> None:
    case_id = complete_case(demo_database).id
    closed_on = closing_day(demo_database)
    with pytest.raises(UserError, match="中队负责人"):
        archive_case(demo_database, sign_in("wangfang"), case_id, closed_on)
    with pytest.raises(UserError, match=f"不能早于结案日期（{closed_on:%Y-%m-%d}）"):
        archive_case(demo_database, sign_in("liuyang"), case_id, closed_on - dt.timedelta(1))
    with demo_database.read() as session:
        dossier = session.scalar(select(CaseDossier).where(CaseDossier.case_id == case_id))
        assert dossier is None or dossier.archive_no is None  # nothing archived
        assert session.get(Case, case_id).stage == "closed"  # type: ignore[union-attr]


def test_a_blocking_finding_refuses_archiving(
    demo_database: Database, sign_in: SignIn, tmp_path: Path
) -> None:
    """A photo of the case's inspection without its 证据名称/说明 must be captioned first."""
    case_id = complete_case(demo_database).id
    with demo_database.read() as session:
        inspection_id = session.scalar(
            select(CaseLink.target_id).where(
                CaseLink.case_id == case_id, CaseLink.kind == "inspection"
            )
        )
    assert inspection_id is not None
    photo = tmp_path / "site.jpg"
    Image.new("RGB", (64, 48), (120, 130, 140)).save(photo, "JPEG")
    attach_photos(demo_database, sign_in("zhangwei"), inspection_id, "", [photo])
    set_backnotes(demo_database, sign_in("wangfang"), case_id, "", "王芳", "刘洋")
    with pytest.raises(UserError, match="不能归档") as refused:
        archive_case(demo_database, sign_in("liuyang"), case_id, closing_day(demo_database))
    assert "照片" in refused.value.message  # the blocking finding is named
    with demo_database.read() as session:
        assert session.get(Case, case_id).stage == "closed"  # type: ignore[union-attr]
        dossier = session.scalar(select(CaseDossier).where(CaseDossier.case_id == case_id))
        assert dossier is not None and dossier.archive_no is None  # no number taken


def test_archiving_again_after_a_reopening_keeps_the_number(
    demo_database: Database, sign_in: SignIn
) -> None:
    case_id, first = archived(demo_database, sign_in)
    leader = sign_in("liuyang")
    clerk = sign_in("wangfang")
    old_volume = frozen_volume(demo_database, clerk, case_id)
    reopen_case(demo_database, leader, case_id, "补充送达回执扫描件", TODAY)
    reopened = dossier_view(demo_database, clerk, case_id, TODAY)
    assert reopened.archived is False and reopened.archived_on is None
    assert reopened.archive_no == first["archive_no"]  # kept, but no 归档日期 while open
    assert (reopened.cover.archive_no, reopened.cover.archived_on) == (first["archive_no"], None)
    with pytest.raises(UserError, match="不能早于"):  # the reopening (or the 结案)
        archive_case(demo_database, leader, case_id, TODAY - dt.timedelta(1))
    again = archive_case(demo_database, leader, case_id, TODAY)
    assert (again.archive_no, again.archive_number) == (
        first["archive_no"],
        first["archive_number"],
    )
    assert again.archived_on == TODAY and again.sha256 != first["sha256"]
    volume = pages_of(frozen_volume(demo_database, clerk, case_id))
    assert "补充送达回执扫描件" in volume[-1].text  # the 备考表 lists the reopening
    with demo_database.read() as session:  # the first frozen volume stays in the store
        evidence = session.scalar(
            select(EvidenceFile).where(EvidenceFile.sha256 == first["sha256"])
        )
    assert evidence is not None
    store = evidence_store(demo_database)
    assert store.read_original(evidence.sha256, evidence.extension) == old_volume
