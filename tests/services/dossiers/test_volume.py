"""The compiled volume: its 目录's 页号 are the pages where the items really start.

Read back from the produced PDF as a reviewer would: the number stamped in a corner of each
page, and each document found by the text it prints on its own. The case is the demo's
general-procedure case with an inspection (13 documents); two corrections make its 目录 run
onto a second page (14 rows a page, template p56), and a three-page scan of the signed
decision stands in the decision's place.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import UserError
from fuanjian_desktop.models import Case, CaseDocument, CaseEvent, LocalSetting
from fuanjian_desktop.services.actor import Actor
from fuanjian_desktop.services.documents.documents import correct_document, issue_document
from fuanjian_desktop.services.dossiers.dossier_records import set_order_override, set_remark
from fuanjian_desktop.services.dossiers.scans import attach_scan, remove_scan, scan_of
from fuanjian_desktop.services.dossiers.volume import (
    BuiltVolume,
    build_volume,
    dossier_view,
    paper_volume,
)
from fuanjian_desktop.services.inspections.inspections import local_today
from tests.services.dossiers.volume_reading import (
    complete_case,
    document_first_page_text,
    flat,
    has_scan,
    page_range,
    pages_of,
    start_after,
)

SignIn = Callable[[str], Actor]
TODAY = local_today()  # the demo is dated back from today
SCAN_PAGES = 3
ROWS_PER_INDEX_PAGE = 14  # template p56 has 14 lines


def scan_file(folder: Path) -> Path:
    """A three-page PDF "scan", each page marked so the volume's page can be recognised."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for number in range(1, SCAN_PAGES + 1):
        canvas.setFont("Helvetica", 20)
        canvas.drawString(200, 400, f"SCANMARK-{number}")
        canvas.showPage()
    canvas.save()
    path = folder / "decision-scan.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def documents_of(database: Database, case_id: str) -> dict[str, CaseDocument]:
    """The case's documents in force by type (the first of each type)."""
    with database.read() as session:
        rows = session.scalars(select(CaseDocument).where(CaseDocument.case_id == case_id))
        found: dict[str, CaseDocument] = {}
        for row in rows:
            if row.status in ("issued", "served"):
                found.setdefault(row.type_key, row)
        return found


def use_convention(database: Database, key: str) -> None:
    """The administrator's 案卷设置 as stored (LocalSetting ``dossier.convention``)."""
    with database.write() as session:
        session.merge(LocalSetting(key="dossier.convention", value=key))


@dataclass(frozen=True)
class LongCase:
    """The demo case made long: its id, the clerk, and the document scanned by the test."""

    case_id: str
    clerk: Actor
    decision_id: str


@pytest.fixture
def long_case(demo_database: Database, sign_in: SignIn, tmp_path: Path) -> LongCase:
    """The case with two corrected documents (two more rows: 15 or more) and its decision
    scanned (3 pages, replacing any scan the demo attached)."""
    clerk = sign_in("wangfang")
    case_id = complete_case(demo_database).id
    documents = documents_of(demo_database, case_id)
    for type_key in ("investigation_report", "case_handling_approval"):
        draft = correct_document(demo_database, clerk, documents[type_key].id, "笔误")
        issue_document(demo_database, clerk, draft, documents[type_key].issued_on or TODAY)
    decision = documents["penalty_decision"]
    attach_scan(demo_database, clerk, decision.id, [scan_file(tmp_path)], TODAY)
    return LongCase(case_id, clerk, decision.id)


def item_starts(database: Database, case: LongCase, built: BuiltVolume) -> dict[int, int]:
    """Row index → the physical page (0-based) where that item really starts, for every item
    recognisable by its text: documents printed from the records, and the test's own scan (a
    scan the demo made is an image: it is passed over)."""
    pages = pages_of(built.pdf)
    starts: dict[int, int] = {}
    previous = 0  # the cover; the search starts after it
    for index, row in enumerate(built.rows):
        document_id = row.key.removeprefix("doc:")
        if document_id == case.decision_id:
            marker = "SCANMARK-1"
        elif row.key.startswith("doc:") and not has_scan(database, document_id):
            marker = document_first_page_text(database, case.clerk, document_id)[:60]
        else:
            continue
        previous = starts[index] = start_after(pages, marker, previous)
    return starts


@pytest.mark.parametrize("convention", ["result_first", "chronological"])
def test_index_page_numbers_are_where_the_items_really_start(
    demo_database: Database, long_case: LongCase, convention: str
) -> None:
    use_convention(demo_database, convention)
    built = build_volume(demo_database, long_case.clerk, long_case.case_id, TODAY)
    pages = pages_of(built.pdf)
    stamps = [page.stamp for page in pages]
    # front matter: cover and a 目录 of two pages (14 rows a page), unnumbered; the 备考表
    # last, unnumbered
    assert ROWS_PER_INDEX_PAGE < len(built.rows) <= 2 * ROWS_PER_INDEX_PAGE
    assert stamps[:3] == [None, None, None]
    assert stamps[3] == 1
    assert stamps[-1] is None
    numbered = [stamp for stamp in stamps if stamp is not None]
    assert numbered == list(range(1, len(numbered) + 1))  # continuous, none skipped
    assert built.page_count == len(numbered)
    starts = item_starts(demo_database, long_case, built)
    assert len(starts) >= 6
    index_text = pages[1].text + pages[2].text
    for index, start in starts.items():
        row = built.rows[index]
        first = stamps[start]
        assert first is not None
        assert row.first_page == start
        assert flat(row.pages_text) in index_text
        if index + 1 in starts:  # the next item's start says where this one ends
            end = stamps[starts[index + 1]]
            assert end is not None
            assert row.pages_text == page_range(first, end - 1), row.title
        elif index + 1 == len(built.rows):
            assert row.pages_text == page_range(first, numbered[-1]), row.title
        else:
            assert row.pages_text.split("\u2013")[0] == str(first), row.title
    # the 15th row is printed on the 目录's second page
    assert flat(built.rows[14].title)[:12] in pages[2].text


def test_a_scan_of_several_pages_stands_in_the_documents_place(
    demo_database: Database, long_case: LongCase
) -> None:
    case_id, clerk = long_case.case_id, long_case.clerk
    built = build_volume(demo_database, clerk, case_id, TODAY)
    pages = pages_of(built.pdf)
    decision = next(row for row in built.rows if row.title.startswith("行政处罚决定书"))
    first = start_after(pages, "SCANMARK-1", 0)
    assert [pages[first + n].text.count(f"SCANMARK-{n + 1}") for n in range(3)] == [
        1,
        1,
        1,
    ]
    start = pages[first].stamp
    assert start is not None
    assert decision.pages_text == page_range(start, start + SCAN_PAGES - 1)
    assert "系统生成副本" not in decision.remark  # the signed original is in the volume
    # the generated copy of the decision is left out (scan_placement "replace", the default)
    generated = document_first_page_text(demo_database, clerk, decision.key.removeprefix("doc:"))
    assert not any(generated[:60] in page.text for page in pages)
    # scan_placement "behind": the generated copy follows the scan, inside the same item
    with demo_database.write() as session:
        session.merge(LocalSetting(key="dossier.scan_placement", value="behind"))
    behind = build_volume(demo_database, clerk, case_id, TODAY)
    pages = pages_of(behind.pdf)
    first = start_after(pages, "SCANMARK-1", 0)
    assert generated[:60] in pages[first + SCAN_PAGES].text
    index = next(n for n, row in enumerate(behind.rows) if row.key == decision.key)
    last = pages[behind.rows[index + 1].first_page - 1].stamp  # the page before the next item
    start = pages[first].stamp
    assert start is not None and last is not None and last >= start + SCAN_PAGES
    assert behind.rows[index].pages_text == page_range(start, last)


def test_duplex_starts_every_item_on_a_right_hand_page_and_skips_the_blanks(
    demo_database: Database, long_case: LongCase
) -> None:
    case_id, clerk = long_case.case_id, long_case.clerk
    built = build_volume(demo_database, clerk, case_id, TODAY, duplex=True)
    pages = pages_of(built.pdf)
    stamps = [page.stamp for page in pages]
    assert len(pages) % 2 == 0 or stamps[-1] is None
    for row in built.rows:
        assert row.first_page % 2 == 0, row.title  # physical page 1, 3, 5 … (0-based even)
    blanks = [n for n, page in enumerate(pages) if not page.text]
    assert blanks, "this volume needs blanks for duplex"
    numbered = [stamp for stamp in stamps if stamp is not None]
    assert numbered == list(range(1, len(numbered) + 1))
    # a front page carries its number top right, a back page top left (GB/T 9705 practice)
    sides = {(n % 2, page.corner) for n, page in enumerate(pages) if page.stamp is not None}
    assert sides == {(0, "top_right"), (1, "top_left")}
    simplex = build_volume(demo_database, clerk, case_id, TODAY)
    assert [row.pages_text for row in built.rows] == [row.pages_text for row in simplex.rows]
    with demo_database.write() as session:
        session.merge(LocalSetting(key="dossier.page_number_position", value="bottom_right"))
    bottom = pages_of(build_volume(demo_database, clerk, case_id, TODAY, duplex=True).pdf)
    sides = {(n % 2, page.corner) for n, page in enumerate(bottom) if page.stamp is not None}
    assert sides == {(0, "bottom_right"), (1, "bottom_left")}


def test_system_and_personal_remarks(demo_database: Database, long_case: LongCase) -> None:
    case_id, clerk = long_case.case_id, long_case.clerk
    rows = dossier_view(demo_database, clerk, case_id, TODAY).rows
    superseded = [row for row in rows if "已更正" in row.system_remark]
    assert len(superseded) == 2
    notice = next(row for row in rows if row.title.startswith("行政处罚告知书"))
    scan = scan_of(demo_database, clerk, notice.key.removeprefix("doc:"))
    if scan is not None:  # the demo scanned it: without the scan, the copy is marked
        assert "系统生成副本" not in notice.remark
        remove_scan(demo_database, clerk, scan.id, "扫描件不清晰，重新扫描")
        rows = dossier_view(demo_database, clerk, case_id, TODAY).rows
        notice = next(row for row in rows if row.key == notice.key)
    assert notice.system_remark == "系统生成副本"  # served on paper, no scan
    report = next(row for row in rows if row.title.startswith("案件调查终结报告"))
    set_remark(demo_database, clerk, case_id, report.key, "  附页见后  ")
    again = {row.key: row for row in dossier_view(demo_database, clerk, case_id, TODAY).rows}
    assert again[report.key].user_remark == "附页见后"
    assert again[notice.key].remark == "系统生成副本"


def test_an_order_override_moves_an_item_and_needs_a_reason(
    demo_database: Database, long_case: LongCase
) -> None:
    case_id, clerk = long_case.case_id, long_case.clerk
    rows = dossier_view(demo_database, clerk, case_id, TODAY).rows
    last = rows[-1]
    with pytest.raises(UserError, match="理由"):
        set_order_override(demo_database, clerk, case_id, last.key, 1, " ")
    with pytest.raises(UserError, match="位置"):
        set_order_override(demo_database, clerk, case_id, last.key, len(rows) + 1, "按区局要求")
    set_order_override(demo_database, clerk, case_id, last.key, 1, "按区局要求")
    moved = dossier_view(demo_database, clerk, case_id, TODAY).rows
    assert moved[0].key == last.key and moved[0].override_reason == "按区局要求"
    assert moved[0].pages_text.startswith("1")
    set_order_override(demo_database, clerk, case_id, last.key, None, "")
    assert dossier_view(demo_database, clerk, case_id, TODAY).rows[-1].key == last.key


def test_the_paper_volume_has_only_cover_index_and_notes(
    demo_database: Database, long_case: LongCase
) -> None:
    case_id, clerk = long_case.case_id, long_case.clerk
    electronic = build_volume(demo_database, clerk, case_id, TODAY)
    paper = pages_of(paper_volume(demo_database, clerk, case_id))
    assert len(paper) == 1 + 2 + 1  # cover, two 目录 pages, 备考表
    assert all(page.stamp is None for page in paper)
    index_text = paper[1].text + paper[2].text
    for row in electronic.rows:
        assert flat(row.pages_text) in index_text
    with_list = pages_of(paper_volume(demo_database, clerk, case_id, labels="list"))
    assert len(with_list) > len(paper)
    labels = pages_of(paper_volume(demo_database, clerk, case_id, labels="labels"))
    assert str(electronic.page_count) in "".join(page.text for page in labels[len(paper) :])
    # duplex: the cover's back left blank, the 目录 (two pages) and the 备考表 on right-hand pages
    duplex = pages_of(paper_volume(demo_database, clerk, case_id, duplex=True))
    assert [bool(page.text) for page in duplex] == [True, False, True, True, True, False]


def test_the_cover_is_worded_from_the_records(demo_database: Database, sign_in: SignIn) -> None:
    clerk = sign_in("wangfang")
    case = complete_case(demo_database)
    view = dossier_view(demo_database, clerk, case.id, TODAY)
    cover = view.cover
    with demo_database.read() as session:
        closing = session.scalar(
            select(CaseEvent.occurred_on).where(
                CaseEvent.case_id == case.id, CaseEvent.action == "approve_closing"
            )
        )
        decision = session.scalar(
            select(CaseDocument.number).where(
                CaseDocument.case_id == case.id, CaseDocument.type_key == "penalty_decision"
            )
        )
    # 当事人 + 违法行为 + 案 (the demo's 案由 is the conduct itself, neither 涉嫌… nor …案)
    assert not case.cause.startswith("涉嫌") and not case.cause.endswith("案")
    assert cover.case_name == f"{case.party_name}{case.cause}案"
    assert cover.retention == "永久"  # 一般程序 (resources/dossier/settings.json)
    assert decision is not None and decision in cover.result
    assert (
        cover.result.startswith("行政处罚：") and f"罚款人民币{case.total_fine}元" in cover.result
    )
    assert cover.filed_on is not None and cover.closed_on == closing
    assert cover.archive_no is None and cover.number is None  # not archived yet
    assert cover.item_count == len(view.rows)
    assert cover.page_count == view.page_count


def test_a_build_reports_its_progress_to_the_end(demo_database: Database, sign_in: SignIn) -> None:
    calls: list[tuple[int, int]] = []
    with demo_database.read() as session:  # a 简易程序 case: two items
        case_id = session.scalar(
            select(Case.id).where(Case.stage == "closed", Case.procedure == "simple").limit(1)
        )
    assert case_id is not None
    built = build_volume(
        demo_database, sign_in("wangfang"), case_id, TODAY, progress=lambda *c: calls.append(c)
    )
    total = len(built.rows) + 2  # each item, the 目录, the assembly
    assert calls == [(done, total) for done in range(1, total + 1)]


def test_a_record_without_number_names_whom_it_records(
    demo_database: Database, sign_in: SignIn
) -> None:
    case = complete_case(demo_database)
    with demo_database.read() as session:
        statement = session.scalars(
            select(CaseDocument).where(
                CaseDocument.case_id == case.id, CaseDocument.type_key == "statement_record"
            )
        ).one()
        speaker = statement.values["speaker_unit"]  # the 陈述申辩人 as the form records him
    rows = dossier_view(demo_database, sign_in("wangfang"), case.id, TODAY).rows
    row = next(row for row in rows if row.key == f"doc:{statement.id}")
    assert speaker and row.title == f"当事人陈述申辩笔录（{speaker}）"
