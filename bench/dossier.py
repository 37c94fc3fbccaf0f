"""Case file (案卷) speed: building a 300-page volume, plain reportlab + pypdf beside it, and
the clerk's click to the first preview page.

``python bench/dossier.py [--repeat R] [--pages P] [--photos N] [--scanned S] [--photo-size WxH]``

Builds a demo database in a temporary folder and fills one of its closed cases as a long real
file would be: P pages in all (the demo's documents plus copies of its longest 询问笔录), N
captioned case photos (drawn, distinct, 4000×3000 JPEGs as a phone takes them) and at least S
pages of scans of signed originals (whole 询问笔录 scanned with ``demo_paper``, standing in their
documents' place). Then:

1. ``volume.build_volume`` of that case — collect, order, render every part, merge, stamp the
   页号, bookmark every item: median of R first builds (the PDFs it keeps of documents, scans
   and photo pages dropped before each), and of R builds after one. Goal < 5 s for 300 pages
   with 60 photos and 20 scans.
2. The least any program pays for the same pages: the same documents' text by stock reportlab
   (``Paragraph``, the same font and frame, one paragraph per block), the same scans and photos
   drawn with ``drawImage`` (one scan, two photos a page, their caption lines), a cover, 目录
   and 备考表 page of plain lines, each part its own PDF as the engine makes them, merged with
   pypdf — no 页号, no bookmarks. Reading the records and decrypting the files is timed on both
   sides. Photos twice: decoded at their printed size first (as the engine does, to keep the
   volume small) and embedded as the camera wrote them. Goal: engine ≤ 2× plain.
3. Offscreen through the 案卷 page: the clerk opens the case's dossier (``show_dossier``, what
   Enter or a double click calls) until the preview has painted its first page — compiled on
   the click, and built ahead while the cursor rested on the row. Goal < 1 s.
Reports ``名称: 数值`` lines; asserts nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import io
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select

from bench.documents import plain_reportlab
from bench.timing import repeat_ms, time_ms
from fuanjian_desktop.config import DataFolder
from fuanjian_desktop.db.engine import Database
from fuanjian_desktop.demo import demo
from fuanjian_desktop.demo.demo_paper import scanned_pages
from fuanjian_desktop.demo.demo_recordings import Scene, site_photo
from fuanjian_desktop.demo.demo_transcripts import demo_interviews, issue_interview
from fuanjian_desktop.documents import pdf
from fuanjian_desktop.documents.fonts import face
from fuanjian_desktop.models import Case, CaseDocument, CaseLink, DocumentScan, EvidenceFile
from fuanjian_desktop.services import auth
from fuanjian_desktop.services.actor import SYSTEM, Actor
from fuanjian_desktop.services.documents.documents import sheet_of
from fuanjian_desktop.services.dossiers.case_photos import (
    PhotoInput,
    attach_case_photo,
    case_photo_rows,
)
from fuanjian_desktop.services.dossiers.scans import attach_scan
from fuanjian_desktop.services.dossiers.volume import BuiltVolume, build_volume
from fuanjian_desktop.services.dossiers.volume_parts import forget_rendered_parts
from fuanjian_desktop.services.inspections.evidence import evidence_store
from fuanjian_desktop.services.inspections.inspections import local_today
from fuanjian_desktop.services.setup import create_encrypted_database
from fuanjian_desktop.services.unit_of_work import user_action

PHOTO_SIZE = (4000, 3000)  # 12 megapixels, as an inspector's phone takes them
PRINT_DPI = 150  # what the plain baseline scales photos to when it scales them (as the engine)
IN_VOLUME = ("issued", "served", "superseded")
TEXT_FIELDS_SKIPPED = {"kind", "align", "widths", "share", "minimum", "indent", "repeat"}
INDEX_ROWS_PER_PAGE = 14  # as on template p56


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--photos", type=int, default=60)
    parser.add_argument("--scanned", type=int, default=20)
    parser.add_argument("--photo-size", default="4000x3000", help="photo pixels, WxH")
    return parser


# --- the synthetic file ---------------------------------------------------------------------


def chosen_case(database: Database) -> str:
    """The closed general case of the demo with the fewest scanned pages (the most to add)."""
    with database.read() as session:
        scanned = (
            select(func.coalesce(func.sum(DocumentScan.page_count), 0))
            .where(DocumentScan.case_id == Case.id)
            .scalar_subquery()
        )
        query = (
            select(Case.id)
            .where(Case.stage == "closed", Case.procedure == "general")
            .order_by(scanned, Case.case_no)
        )
        case_id = session.scalars(query).first()
    assert case_id is not None, "the demo has a closed general case"
    return case_id


def add_photos(
    database: Database,
    clerk: Actor,
    case_id: str,
    count: int,
    folder: Path,
    size: tuple[int, int] = PHOTO_SIZE,
) -> None:
    """``count`` distinct captioned photos of the case, ``size`` pixels, a minute apart."""
    rng = random.Random(17)
    scenes = list(Scene)
    start = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
    for n in range(count):
        path = folder / f"photo-{n:03d}.jpg"
        taken = start + dt.timedelta(minutes=n)
        path.write_bytes(site_photo(scenes[n % len(scenes)], taken, rng, size))
        caption = PhotoInput(f"现场照片第{n + 1}张", "当事人生产经营场所", "张伟", "现场情况")
        attach_case_photo(database, clerk, case_id, path, caption)


def add_transcripts(database: Database, case_id: str, count: int) -> None:
    """``count`` copies of the demo's longest 询问笔录 on the case, on successive days."""
    longest = demo_interviews()[-1]
    with user_action(database, SYSTEM, "基准测试：添加询问笔录") as scope:
        case = scope.session.get(Case, case_id)
        assert case is not None and case.filed_on is not None
        for n in range(count):
            issue_interview(scope, case, longest, case.filed_on + dt.timedelta(days=n % 20))


def add_scans(database: Database, clerk: Actor, case_id: str, pages: int, folder: Path) -> int:
    """Scan whole unscanned transcripts of the case until at least ``pages`` scanned pages more
    are attached; returns how many were."""
    rng = random.Random(23)
    added = 0
    for document_id, on, issued in _unscanned_transcripts(database, case_id):
        if added >= pages:
            break
        images = scanned_pages(issued, rng)  # the whole document: it stands in its place
        paths = []
        for n, image in enumerate(images):
            paths.append(folder / f"scan-{document_id}-{n}.jpg")
            paths[-1].write_bytes(image)
        attach_scan(database, clerk, document_id, paths, on)
        added += len(paths)
    return added


def _unscanned_transcripts(
    database: Database, case_id: str
) -> Iterator[tuple[str, dt.date, bytes]]:
    with database.read() as session:
        scanned = select(DocumentScan.document_id)
        documents = session.scalars(
            select(CaseDocument).where(
                CaseDocument.case_id == case_id,
                CaseDocument.type_key == "inquiry_record",
                CaseDocument.id.not_in(scanned),
            )
        ).all()
        rendered = []
        for document in documents:
            sheet, qr = sheet_of(session, document)
            out = io.BytesIO()
            pdf.render_pdf(sheet, out, qr=qr)
            assert document.issued_on is not None
            rendered.append((document.id, document.issued_on, out.getvalue()))
    yield from rendered


def transcript_pages(database: Database, case_id: str) -> int:
    """Pages of one copy of the longest 询问笔录 (what each added copy adds)."""
    with database.read() as session:
        document = session.scalars(
            select(CaseDocument)
            .where(CaseDocument.case_id == case_id, CaseDocument.type_key == "inquiry_record")
            .order_by(CaseDocument.created_at.desc())
        ).first()
        assert document is not None
        sheet, qr = sheet_of(session, document)
    return pdf.render_pdf(sheet, io.BytesIO(), qr=qr)


def first_build(database: Database, clerk: Actor, case_id: str) -> BuiltVolume:
    """``build_volume`` as the first build in the process: the kept PDFs of earlier builds
    (documents, scans, 照片证据 pages) are dropped first."""
    forget_rendered_parts()
    return build_volume(database, clerk, case_id, local_today())


def cpu_ms(call: Callable[[], Any], repeat: int) -> float:
    """Median CPU time of ``call`` in this process, every thread counted (the engine decodes
    photos on all cores): on a busy machine fairer than the wall clock."""
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        call()
        samples.append((time.process_time() - started) * 1000)
    return statistics.median(samples)


def physical_pages(pdf_bytes: bytes) -> int:
    """All pages of a PDF, the unnumbered cover, 目录 and 备考表 included."""
    return len(PdfReader(io.BytesIO(pdf_bytes)).pages)


# --- plain reportlab + pypdf ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PlainInputs:
    """What the plain baseline draws, read from the same records and store."""

    documents: list[list[str]]  # each unscanned document's blocks, the text of each
    scans: list[list[bytes]]  # each scanned document's page images
    photos: list[tuple[bytes, list[str]]]  # each photo and its caption lines
    titles: list[str]  # one 目录 row per item


def plain_inputs(database: Database, case_id: str) -> PlainInputs:
    """Everything the volume holds, read as the engine reads it (records, decrypted files)."""
    store = evidence_store(database)
    with database.read() as session:
        inspections = select(CaseLink.target_id).where(
            CaseLink.case_id == case_id, CaseLink.kind == "inspection"
        )
        documents = session.scalars(
            select(CaseDocument).where(
                (CaseDocument.case_id == case_id) | CaseDocument.inspection_id.in_(inspections),
                CaseDocument.status.in_(IN_VOLUME),
            )
        ).all()
        scans = {
            scan.document_id: scan
            for scan in session.scalars(
                select(DocumentScan).where(
                    DocumentScan.document_id.in_([document.id for document in documents])
                )
            )
        }
        texts, images, titles = [], [], []
        for document in documents:
            titles.append(f"{document.title}{document.number or ''}")
            scan = scans.get(document.id)
            if scan is None:
                blocks = sheet_of(session, document)[0].blocks
                texts.append([" ".join(_texts(block)) for block in blocks])
                continue
            files = [session.get(EvidenceFile, evidence_id) for evidence_id in scan.pages]
            images.append([store.read_original(f.sha256, f.extension) for f in files if f])
        photos = [
            (
                photo.read(store),
                [photo.caption or "", str(photo.taken_at), photo.place or "", photo.sha256[:16]],
            )
            for photo in case_photo_rows(session, case_id)
        ]
    return PlainInputs(texts, images, photos, [*titles, "照片证据"])


def _texts(value: Any) -> list[str]:
    """Every text a block holds (labels, runs, cells), depth first."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, tuple | list):
        return [text for item in value for text in _texts(item)]
    if dataclasses.is_dataclass(value):
        return [
            text
            for field in dataclasses.fields(value)
            if field.name not in TEXT_FIELDS_SKIPPED
            for text in _texts(getattr(value, field.name))
        ]
    return []


def plain_volume(database: Database, case_id: str, scale_photos: bool) -> int:
    """The plain baseline, from reading the records to the merged bytes; returns its pages.

    ``scale_photos``: decode each photo at the size it prints (``Image.draft``, then a
    thumbnail at :data:`PRINT_DPI`) as the engine does to keep the volume small, one after
    another; else embed the camera's JPEG as it is (reportlab passes it through).
    """
    inputs = plain_inputs(database, case_id)
    if scale_photos:
        inputs = dataclasses.replace(
            inputs, photos=[(_scaled(photo), lines) for photo, lines in inputs.photos]
        )
    parts = [_plain_lines(["案卷（首页）", *inputs.titles[:8]])]
    for start in range(0, len(inputs.titles), INDEX_ROWS_PER_PAGE):
        parts.append(_plain_lines(inputs.titles[start : start + INDEX_ROWS_PER_PAGE]))
    parts += [_plain_text(blocks) for blocks in inputs.documents]
    parts += [_plain_images([(image, []) for image in pages], 1) for pages in inputs.scans]
    parts.append(_plain_images(inputs.photos, 2))
    parts.append(_plain_lines(["备考表", "本卷情况说明", "立卷人", "检查人", "立卷时间"]))
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return len(writer.pages)


def _scaled(jpeg: bytes) -> bytes:
    """The photo decoded and re-encoded at the size half an A4 page prints it."""
    box = (
        round((A4[0] - pdf.LEFT - pdf.RIGHT) / 72 * PRINT_DPI),
        round((A4[1] - pdf.TOP - pdf.BOTTOM) / 2 / 72 * PRINT_DPI),
    )
    image = Image.open(io.BytesIO(jpeg))
    image.draft("RGB", box)
    image.thumbnail(box)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=82)
    return out.getvalue()


def _plain_text(blocks: list[str]) -> bytes:
    out = io.BytesIO()
    plain_reportlab(blocks, pdf.BOTTOM, out)
    return out.getvalue()


def _plain_lines(lines: list[str]) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    canvas.setFont(face("song").name, 12)
    for n, line in enumerate(lines):
        canvas.drawString(pdf.LEFT, A4[1] - pdf.TOP - 24 * n, line)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _plain_images(images: list[tuple[bytes, list[str]]], per_page: int) -> bytes:
    """Images ``per_page`` to an A4 page, each scaled into its share with its lines below."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    width = A4[0] - pdf.LEFT - pdf.RIGHT
    share = (A4[1] - pdf.TOP - pdf.BOTTOM) / per_page
    for n, (image, lines) in enumerate(images):
        slot = n % per_page
        top = A4[1] - pdf.TOP - slot * share
        text_height = 14 * len(lines)
        canvas.drawImage(
            ImageReader(io.BytesIO(image)),
            pdf.LEFT,
            top - share + text_height,
            width,
            share - text_height,
            preserveAspectRatio=True,
        )
        canvas.setFont(face("song").name, 10)
        for line_number, line in enumerate(lines):
            canvas.drawString(pdf.LEFT, top - share + text_height - 14 * (line_number + 1), line)
        if slot == per_page - 1 or n == len(images) - 1:
            canvas.showPage()
    canvas.save()
    return out.getvalue()


# --- the clerk's click to the first preview page ---------------------------------------------


@dataclasses.dataclass(frozen=True)
class Clicks:
    """ms from the click to page 1 painted: compiled on the click, or built while the cursor
    rested on the row (the 案卷 page compiles the row under the cursor after 400 ms)."""

    cold: list[float]
    ahead: list[float]


def click_to_preview(database: Database, clerk: Actor, case_id: str, repeat: int) -> Clicks:
    """Offscreen, each run on a fresh 案卷 page at the laptop's 1366×768: ``show_dossier`` (what
    Enter or a double click on the row calls) until the preview's ``first_page_shown``."""
    from PySide6.QtWidgets import QApplication

    from fuanjian_desktop.services.setup import installation
    from ui.app import make_application
    from ui.context import AppContext
    from ui.dossier.dossier_page import REST_MS, DossierPage
    from ui.workers import Workers

    make_application()
    workers = Workers()
    context = AppContext(database, clerk, installation(database), workers, "园岭")

    def settle(page: DossierPage, at_least_ms: float = 0) -> None:
        until = time.perf_counter() + at_least_ms / 1000
        while workers.busy() or time.perf_counter() < until:
            QApplication.processEvents()
            time.sleep(0.002)

    def one(ahead: bool) -> float:
        page = DossierPage(context)
        page.resize(1366, 768)
        page.show()
        settle(page)
        page.view.early.forget()  # whatever the list built ahead on its own
        forget_rendered_parts()  # nor what earlier runs rendered: the click's own work
        if ahead:
            row = next(
                n for n in range(page.model.rowCount()) if page.model.case_at(n).case_id == case_id
            )
            page.table.setCurrentIndex(page.model.index(row, 0))
            settle(page, REST_MS + 100)
        shown: list[float] = []
        page.view.preview.first_page_shown.connect(lambda: shown.append(time.perf_counter()))
        started = time.perf_counter()
        page.show_dossier(case_id)
        while not shown:
            QApplication.processEvents()
            time.sleep(0.001)
        settle(page)
        page.close()
        page.deleteLater()
        QApplication.processEvents()
        return (shown[0] - started) * 1000

    clicks = Clicks([one(False) for _ in range(repeat)], [one(True) for _ in range(repeat)])
    workers.shutdown()
    return clicks


def main() -> int:
    args = _parser().parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="fuanjian-bench-") as temporary:
        root = Path(temporary)
        database = create_encrypted_database(DataFolder(root / "data"))
        demo_ms, _ = time_ms(lambda: demo.create_demo(database))
        clerk = auth.sign_in(database, "wangfang", demo.DEMO_PASSWORD)
        case_id = chosen_case(database)
        today = local_today()
        files = root / "files"
        files.mkdir()
        width, height = (int(side) for side in args.photo_size.split("x"))
        add_photos(database, clerk, case_id, args.photos, files, (width, height))
        now = physical_pages(build_volume(database, clerk, case_id, today).pdf)
        add_transcripts(database, case_id, 1)
        each = transcript_pages(database, case_id)
        add_transcripts(database, case_id, max(0, math.ceil((args.pages - now) / each) - 1))
        scanned = add_scans(database, clerk, case_id, args.scanned, files)
        engine, built = repeat_ms(lambda: first_build(database, clerk, case_id), args.repeat)
        engine_cpu = cpu_ms(lambda: first_build(database, clerk, case_id), args.repeat)
        plain_cpu = cpu_ms(lambda: plain_volume(database, case_id, True), args.repeat)
        warm, _ = repeat_ms(lambda: build_volume(database, clerk, case_id, today), args.repeat)
        plain, plain_pages = repeat_ms(
            lambda: plain_volume(database, case_id, scale_photos=True), args.repeat, warmup=1
        )
        passed, _ = repeat_ms(
            lambda: plain_volume(database, case_id, scale_photos=False), args.repeat, warmup=1
        )
        clicks = click_to_preview(database, clerk, case_id, args.repeat)
        database.close()
    print(f"演示数据生成（含案卷）ms: {demo_ms:.0f}")
    print(
        f"案卷页数: {physical_pages(built.pdf)}（编页号 {built.page_count} 页，"
        f"其中扫描件 {scanned} 页；照片 {args.photos} 张）"
    )
    print(f"案卷生成 build_volume（首次）中位数 ms: {engine.median_ms:.0f}（目标 < 5000）")
    print(f"案卷生成 build_volume（再次，文书与照片页已缓存）中位数 ms: {warm.median_ms:.0f}")
    print(f"纯 reportlab + pypdf（照片缩放）中位数 ms: {plain.median_ms:.0f}（{plain_pages} 页）")
    print(f"纯 reportlab + pypdf（照片原样嵌入）中位数 ms: {passed.median_ms:.0f}")
    print(f"案卷生成 / 纯（照片缩放）: {engine.median_ms / plain.median_ms:.2f}（目标 ≤ 2）")
    print(f"CPU 时间 案卷生成（首次）/ 纯（照片缩放）ms: {engine_cpu:.0f} / {plain_cpu:.0f}")
    print(f"案卷生成 / 纯（照片原样）: {engine.median_ms / passed.median_ms:.2f}")
    cold, ahead = statistics.median(clicks.cold), statistics.median(clicks.ahead)
    print(f"点击到首页预览（点击时组卷）中位数 ms: {cold:.0f}（目标 < 1000）")
    print(f"点击到首页预览（光标停留时已组卷）中位数 ms: {ahead:.0f}（目标 < 1000）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
