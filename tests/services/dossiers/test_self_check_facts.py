"""自查 on the records: none on the demo's complete case, each finding once the records are
broken by hand (what a clerk or a bad import could leave behind)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.models import CaseDocument, CaseLink
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.dossiers.dossier_records import set_backnotes
from fuanjian_desktop.services.dossiers.scans import remove_scan, scan_of
from fuanjian_desktop.services.dossiers.volume import dossier_cases, dossier_view
from fuanjian_desktop.services.inspections.evidence import attach_photos
from fuanjian_desktop.services.inspections.inspections import local_today
from tests.services.dossiers.volume_reading import complete_case

SignIn = Callable[[str], Actor]
TODAY = local_today()  # the demo is dated back from today


def test_the_complete_case_has_no_finding(demo_database: Database, sign_in: SignIn) -> None:
    clerk = sign_in("wangfang")
    case_id = complete_case(demo_database).id
    check = dossier_view(demo_database, clerk, case_id, TODAY).self_check
    assert (check.findings, check.score, check.vetoed, check.blocking) == ((), 100, False, False)
    listed = next(r for r in dossier_cases(demo_database, clerk, TODAY) if r.case_id == case_id)
    assert (listed.finding_count, listed.score, listed.blocking) == (0, 100, False)


def test_each_broken_record_is_a_finding(
    demo_database: Database, sign_in: SignIn, tmp_path: Path
) -> None:
    clerk = sign_in("wangfang")
    case_id = complete_case(demo_database).id
    with demo_database.read() as session:
        documents = {
            d.type_key: d.id
            for d in session.scalars(select(CaseDocument).where(CaseDocument.case_id == case_id))
        }
        inspection_id = session.scalar(
            select(CaseLink.target_id).where(
                CaseLink.case_id == case_id, CaseLink.kind == "inspection"
            )
        )
    assert inspection_id is not None
    # a signed original's scan removed: the generated copy stands in (系统生成副本)
    scan = scan_of(demo_database, clerk, documents["penalty_notice"])
    assert scan is not None
    remove_scan(demo_database, clerk, scan.id, "扫描错了文书")
    # a photo of the inspection without its 证据名称/说明
    photo = tmp_path / "site.jpg"
    Image.new("RGB", (64, 48), (90, 100, 110)).save(photo, "JPEG")
    attach_photos(demo_database, sign_in("zhangwei"), inspection_id, "", [photo])
    # by hand: the 听证告知书 never served, and the decision dated before the 告知书
    with demo_database.write() as session:
        hearing = session.get(CaseDocument, documents["hearing_rights_notice"])
        decision = session.get(CaseDocument, documents["penalty_decision"])
        assert hearing is not None and decision is not None
        hearing.status, hearing.served_on, hearing.served_method = "issued", None, None
        notice = session.get(CaseDocument, documents["penalty_notice"])
        assert notice is not None and notice.issued_on is not None
        decision.issued_on = notice.issued_on - dt.timedelta(days=1)
    check = dossier_view(demo_database, clerk, case_id, TODAY).self_check
    found = {(f.code, f.item_key) for f in check.findings}
    assert ("no_scan", f"doc:{documents['penalty_notice']}") in found
    assert ("not_served", f"doc:{documents['hearing_rights_notice']}") in found
    assert "photo_caption" in {code for code, _key in found}
    assert "document_date_order" in {code for code, _key in found}
    assert check.blocking and check.score < 100
    view = dossier_view(demo_database, clerk, case_id, TODAY)
    notice = next(row for row in view.rows if row.key == f"doc:{documents['penalty_notice']}")
    assert notice.system_remark == "系统生成副本"  # the 目录 and the 自查 agree


def test_a_blank_filer_or_checker_blocks_archiving(
    demo_database: Database, sign_in: SignIn
) -> None:
    clerk = sign_in("wangfang")
    case_id = complete_case(demo_database).id
    set_backnotes(demo_database, clerk, case_id, "", "王芳", "")
    check = dossier_view(demo_database, clerk, case_id, TODAY).self_check
    assert [(f.code, f.blocks_archive) for f in check.findings] == [("backnotes_missing", True)]
    set_backnotes(demo_database, clerk, case_id, "", "王芳", "刘洋")
    assert dossier_view(demo_database, clerk, case_id, TODAY).self_check.findings == ()
