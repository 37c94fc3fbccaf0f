"""Scans of signed paper originals: attached to an issued or served document (several files,
pages in order), replacing an earlier scan, removed with a reason, refused for drafts, voided
documents and bad files (nothing stored), and read back as one PDF for the volume."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import DictionaryObject
from sqlalchemy import func, select

from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.errors import PermissionDenied, UserError
from fuanjian_desktop.models import AuditEvent, Case, CaseDocument, CaseLink, DocumentScan
from fuanjian_desktop.services.actor import SYSTEM, Actor
from fuanjian_desktop.services.dossiers import scans
from fuanjian_desktop.services.dossiers.scan_pages import image_page
from fuanjian_desktop.services.inspections.evidence import evidence_store
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.unit_of_work import user_action

CLOSED_CASE = "（深福）应急立〔2026〕1号"  # a closed demo case of 园岭 with served documents
A4 = (595.2756, 841.8898)  # points
LETTER = (612.0, 792.0)
ON = local_today()  # the demo issues its documents up to today


@pytest.fixture
def clerk(sign_in: Callable[[str], Actor]) -> Actor:
    """王芳, 内勤 of 园岭."""
    return sign_in("wangfang")


def make_pdf(path: Path, pages: int, size: tuple[float, float] = LETTER) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*size)
    with path.open("wb") as sink:
        writer.write(sink)
    return path


def make_image(path: Path, size: tuple[int, int], kind: str = "JPEG") -> Path:
    Image.new("RGB", size, (230, 230, 225)).save(path, kind)
    return path


def served_document(database: Database, case_no: str = CLOSED_CASE) -> CaseDocument:
    """A served document of the case that the demo has not scanned (the first if all are)."""
    with database.read() as session:
        query = (
            select(CaseDocument)
            .join(Case, Case.id == CaseDocument.case_id)
            .where(Case.case_no == case_no, CaseDocument.status == "served")
            .order_by(
                CaseDocument.id.in_(select(DocumentScan.document_id)), CaseDocument.created_at
            )
        )
        document = session.scalars(query).first()
    assert document is not None
    return document


def inspection_document(database: Database, type_key: str) -> CaseDocument:
    with database.read() as session:
        query = select(CaseDocument).where(CaseDocument.type_key == type_key)
        document = session.scalars(query).first()
    assert document is not None and document.inspection_id is not None
    return document


def set_status(database: Database, document_id: str, status: str) -> None:
    with user_action(database, SYSTEM, "测试") as scope:
        document = scope.session.get(CaseDocument, document_id)
        assert document is not None
        before = document.audit_snapshot()
        document.status = status
        scope.record(document, "测试", before)


def link(database: Database, case_no: str, inspection_id: str) -> None:
    with user_action(database, SYSTEM, "测试") as scope:
        case_id = scope.session.scalar(select(Case.id).where(Case.case_no == case_no))
        assert case_id is not None
        row = CaseLink(case_id=case_id, kind="inspection", target_id=inspection_id)
        scope.session.add(row)
        scope.record(row, "测试", None)


def contents(page: PageObject) -> bytes:
    stream = page.get_contents()
    assert stream is not None
    return stream.get_data()


def scan_row(database: Database, document_id: str) -> DocumentScan | None:
    with database.read() as session:
        return session.scalar(select(DocumentScan).where(DocumentScan.document_id == document_id))


def stored(database: Database) -> set[str]:
    return evidence_store(database).stored()


def test_a_scan_of_several_files_stands_for_the_document(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    document = served_document(demo_database)
    files = [make_pdf(tmp_path / "p1-2.pdf", 2), make_image(tmp_path / "p3.jpg", (400, 200))]
    scan_id = scans.attach_scan(demo_database, clerk, document.id, files, ON, "  当事人签字页  ")
    scan = scan_row(demo_database, document.id)
    assert scan is not None and scan.id == scan_id
    assert (scan.page_count, len(scan.pages), scan.case_id) == (3, 2, document.case_id)
    assert (scan.scanned_on, scan.attached_by, scan.note) == (ON, "王芳", "当事人签字页")
    info = scans.scan_of(demo_database, clerk, document.id)
    assert info is not None and (info.id, info.page_count) == (scan_id, 3)
    with demo_database.read() as session:
        summaries = list(
            session.scalars(select(AuditEvent.summary).where(AuditEvent.entity_id == scan_id))
        )
    assert summaries == [f"附加扫描件：《{document.title}》{document.number or ''}，共 3 页"]


def test_the_scan_reads_back_as_one_pdf_with_images_fitted_on_a4(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    document = served_document(demo_database)
    files = [make_pdf(tmp_path / "a.pdf", 2), make_image(tmp_path / "b.png", (400, 200), "PNG")]
    scans.attach_scan(demo_database, clerk, document.id, files, ON)
    scan = scan_row(demo_database, document.id)
    assert scan is not None
    with demo_database.read() as session:
        pdf = scans.scan_pdf(session, evidence_store(demo_database), scan)
    pages = PdfReader(io.BytesIO(pdf)).pages
    sizes = [(round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) for p in pages]
    assert sizes == [LETTER, LETTER, (round(A4[0], 2), round(A4[1], 2))]  # PDF pages as they are
    # a 2:1 landscape image: full page width, half its height, centred vertically
    matrix = re.search(
        rb"q\n([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm\n/FormXob", contents(pages[2])
    )
    assert matrix is not None
    width, height, x, y = (float(value) for value in matrix.groups())
    assert (width, height, x, y) == pytest.approx(
        (A4[0], A4[0] / 2, 0, (A4[1] - A4[0] / 2) / 2), abs=0.01
    )


def test_a_new_scan_replaces_the_old_one(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    document = served_document(demo_database)
    first = scans.attach_scan(
        demo_database, clerk, document.id, [make_pdf(tmp_path / "a.pdf", 2)], ON
    )
    second = scans.attach_scan(
        demo_database, clerk, document.id, [make_image(tmp_path / "b.jpg", (210, 297))], ON
    )
    scan = scan_row(demo_database, document.id)
    assert first == second and scan is not None and scan.page_count == 1
    with demo_database.read() as session:
        assert (
            session.scalar(
                select(func.count(DocumentScan.id)).where(DocumentScan.document_id == document.id)
            )
            == 1
        )
        summary = session.scalars(
            select(AuditEvent.summary)
            .where(AuditEvent.entity_id == first)
            .order_by(AuditEvent.occurred_at.desc())
        ).first()
    assert summary is not None and summary.startswith("更换扫描件：")


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            "draft",
            "文书还是草稿，尚未签发，没有签字的纸质原件，不能附加扫描件；请先签发、打印并签字。",
        ),
        ("voided", "文书已作废，不进入案卷，不能附加扫描件。"),
    ],
)
def test_a_draft_or_voided_document_has_no_original_to_scan(
    demo_database: Database, clerk: Actor, tmp_path: Path, status: str, message: str
) -> None:
    document = served_document(demo_database)
    set_status(demo_database, document.id, status)
    before = stored(demo_database)
    with pytest.raises(UserError) as refused:
        scans.attach_scan(demo_database, clerk, document.id, [make_pdf(tmp_path / "a.pdf", 1)], ON)
    assert refused.value.message == f"《{document.title}》{message}"
    assert stored(demo_database) == before and scan_row(demo_database, document.id) is None


def test_a_superseded_document_was_served_and_takes_a_scan(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    document = served_document(demo_database)
    set_status(demo_database, document.id, "superseded")
    scans.attach_scan(demo_database, clerk, document.id, [make_pdf(tmp_path / "a.pdf", 1)], ON)
    assert scan_row(demo_database, document.id) is not None


def test_one_bad_file_refuses_the_whole_scan_and_stores_nothing(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    document = served_document(demo_database)
    good = make_pdf(tmp_path / "good.pdf", 2)
    bad = tmp_path / "第2页.pdf"
    bad.write_bytes(b"not a pdf at all")
    before = stored(demo_database)
    with pytest.raises(scans.ScanInvalid) as refused:
        scans.attach_scan(demo_database, clerk, document.id, [good, bad], ON)
    [issue] = refused.value.issues
    assert issue.field == "paths"
    assert issue.message == (
        "“第2页.pdf”：文件内容不是 PDF、JPG 或 PNG（按内容判断，与文件名无关），"
        "请选择扫描仪或手机扫描得到的文件"
    )
    assert stored(demo_database) == before and scan_row(demo_database, document.id) is None


def test_no_files_or_a_date_before_issuing_is_refused_by_field(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    document = served_document(demo_database)
    assert document.issued_on is not None
    early = document.issued_on - dt.timedelta(days=1)
    with pytest.raises(scans.ScanInvalid) as refused:
        scans.attach_scan(demo_database, clerk, document.id, [], early)
    assert [(issue.field, issue.message) for issue in refused.value.issues] == [
        ("paths", "请选择至少一个扫描文件（PDF、JPG 或 PNG）"),
        ("on", f"扫描日期不能早于文书的签发日期（{document.issued_on.isoformat()}）"),
    ]


def test_an_inspection_document_belongs_to_the_one_case_linking_its_inspection(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    # the demo's 整改复查意见书 is of a 复查; the case links the inspection it re-checks
    recheck = inspection_document(demo_database, "recheck_opinion")
    record = inspection_document(demo_database, "inspection_record")
    scans.attach_scan(demo_database, clerk, recheck.id, [make_pdf(tmp_path / "a.pdf", 1)], ON)
    assert (scan := scan_row(demo_database, recheck.id)) is not None and scan.case_id is None
    link(demo_database, CLOSED_CASE, record.inspection_id or "")
    scans.attach_scan(demo_database, clerk, recheck.id, [make_pdf(tmp_path / "a.pdf", 1)], ON)
    with demo_database.read() as session:
        case_id = session.scalar(select(Case.id).where(Case.case_no == CLOSED_CASE))
    assert (scan := scan_row(demo_database, recheck.id)) is not None and scan.case_id == case_id
    link(demo_database, "（深福）应急立〔2026〕4号", record.inspection_id or "")  # now two cases
    scans.attach_scan(demo_database, clerk, recheck.id, [make_pdf(tmp_path / "a.pdf", 1)], ON)
    assert (scan := scan_row(demo_database, recheck.id)) is not None and scan.case_id is None


def test_removing_a_scan_needs_a_reason(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    document = served_document(demo_database)
    scan_id = scans.attach_scan(
        demo_database, clerk, document.id, [make_pdf(tmp_path / "a.pdf", 1)], ON
    )
    with pytest.raises(scans.ScanInvalid) as refused:
        scans.remove_scan(demo_database, clerk, scan_id, "  ")
    assert [(i.field, i.message) for i in refused.value.issues] == [
        ("reason", "请填写删除扫描件的原因")
    ]
    scans.remove_scan(demo_database, clerk, scan_id, "扫错了文书")
    assert scans.scan_of(demo_database, clerk, document.id) is None
    with demo_database.read() as session:
        summaries = set(
            session.scalars(select(AuditEvent.summary).where(AuditEvent.entity_id == scan_id))
        )
    name = f"《{document.title}》{document.number or ''}"
    assert f"删除扫描件：{name}，原因：扫错了文书" in summaries


def test_only_the_squad_may_attach_and_only_record_keepers(
    demo_database: Database, sign_in: Callable[[str], Actor], tmp_path: Path
) -> None:
    document = served_document(demo_database)
    pdf = make_pdf(tmp_path / "a.pdf", 1)
    with pytest.raises(PermissionDenied):
        scans.attach_scan(demo_database, sign_in("wuxia"), document.id, [pdf], ON)  # 南园 内勤
    with pytest.raises(PermissionDenied):
        scans.attach_scan(demo_database, sign_in("chenjing"), document.id, [pdf], ON)  # 法制审核
    assert scan_row(demo_database, document.id) is None


def test_the_page_count_of_a_chosen_file(tmp_path: Path) -> None:
    assert scans.scan_page_count(make_pdf(tmp_path / "a.pdf", 4)) == 4
    assert scans.scan_page_count(make_image(tmp_path / "b.jpg", (100, 140))) == 1
    text = tmp_path / "c.pdf"
    text.write_text("hello")
    with pytest.raises(UserError) as refused:
        scans.scan_page_count(text)
    assert refused.value.message.startswith("“c.pdf”：文件内容不是 PDF、JPG 或 PNG")


def test_a_phone_photo_of_a_page_is_turned_upright(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    document = served_document(demo_database)
    sideways = tmp_path / "phone.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # EXIF Orientation: the camera was turned 90°; viewers rotate clockwise
    Image.new("RGB", (400, 200), (240, 240, 240)).save(sideways, "JPEG", exif=exif.tobytes())
    scans.attach_scan(demo_database, clerk, document.id, [sideways], ON)
    scan = scan_row(demo_database, document.id)
    assert scan is not None
    with demo_database.read() as session:
        pdf = scans.scan_pdf(session, evidence_store(demo_database), scan)
    [page] = PdfReader(io.BytesIO(pdf)).pages
    matrix = re.search(rb"q\n([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm\n/FormXob", contents(page))
    assert matrix is not None
    # upright it is 200×400 (1:2): full page height, half the height as width, centred
    width, height, x, y = (float(value) for value in matrix.groups())
    assert (width, height, x, y) == pytest.approx(
        (A4[1] / 2, A4[1], (A4[0] - A4[1] / 2) / 2, 0), abs=0.01
    )


def test_an_archived_case_takes_no_scan_and_nothing_is_stored(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    document = served_document(demo_database, "（深福）应急立〔2025〕1号")
    before = stored(demo_database)
    with pytest.raises(UserError) as refused:
        scans.attach_scan(demo_database, clerk, document.id, [make_pdf(tmp_path / "a.pdf", 1)], ON)
    assert "已归档" in refused.value.message
    assert stored(demo_database) == before


def test_an_image_page_embeds_no_font_and_is_the_same_every_time(tmp_path: Path) -> None:
    image = make_image(tmp_path / "a.jpg", (300, 420)).read_bytes()
    first, again = image_page(image), image_page(image)
    assert first == again  # a frozen volume is built from these bytes
    [page] = PdfReader(io.BytesIO(first)).pages
    resources = page["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject)
    fonts = resources.get("/Font")
    # reportlab's default Helvetica would be an unembedded font in the volume
    assert fonts is None or len(fonts.get_object()) == 0


def test_a_scan_dated_after_today_or_a_page_chosen_twice_is_refused(
    demo_database: Database, clerk: Actor, tmp_path: Path
) -> None:
    document = served_document(demo_database)
    page = make_pdf(tmp_path / "第1页.pdf", 1)
    twin = tmp_path / "第1页 副本.pdf"
    twin.write_bytes(page.read_bytes())
    before = stored(demo_database)
    with pytest.raises(scans.ScanInvalid) as refused:
        scans.attach_scan(demo_database, clerk, document.id, [page, twin], ON)
    assert [(i.field, i.message) for i in refused.value.issues] == [
        ("paths", "“第1页 副本.pdf”与“第1页.pdf”是同一个文件，请去掉重复的")
    ]
    assert stored(demo_database) == before
    with pytest.raises(scans.ScanInvalid) as refused:
        scans.attach_scan(demo_database, clerk, document.id, [page], ON + dt.timedelta(days=1))
    assert [(i.field, i.message) for i in refused.value.issues] == [("on", "扫描日期不能晚于今天")]
