"""Document rendering speed: every sample, a 200-page document, and plain reportlab beside it.

``python bench/documents.py [--repeat R] [--pages P]``

1. Samples: ``documents samples`` on a fresh demo database (every type and variant, PDF and
   DOCX), cold (first in the process: fonts registered, specs loaded) and warm. Goal < 3 s.
2. A long transcript-like sheet (question/answer paragraphs) of about ``--pages`` pages through
   the engine's PDF renderer, and through python-docx. Goal < 2 s for 200 pages.
3. The same paragraphs laid out by plain reportlab (stock ``Paragraph`` with ``wordWrap='CJK'``,
   the same font, size and margins, no banner, footer or page count). Goal: engine ≤ 1.5× plain.
Reports medians; asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for `python bench/...py`

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from bench.timing import print_table, repeat_ms, time_ms
from fuanjian_desktop.documents import pdf
from fuanjian_desktop.documents import sheet as model
from fuanjian_desktop.documents.fonts import face

QUESTION = (
    "问：请你详细说明{n}月份单位组织从业人员安全生产教育和培训的情况，"
    "包括培训时间、地点、人数和内容。"
)
ANSWER = (
    "答：我们单位{n}月份没有组织统一的培训，新来的三名员工是由车间主任带着干了几天，"
    "讲了一下冲床的操作要求和注意事项（没有书面记录），也没有考试。"
)
PARAGRAPHS_PER_PAGE = 13  # measured: a question and an answer fill about 2/13 of a page


def transcript_texts(pages: int) -> list[str]:
    """Alternating questions and answers, enough for about ``pages`` pages."""
    count = pages * PARAGRAPHS_PER_PAGE
    return [(QUESTION if i % 2 == 0 else ANSWER).format(n=i // 2 % 12 + 1) for i in range(count)]


def transcript_sheet(texts: list[str]) -> model.Sheet:
    """The texts as a 续页 document with its signature block on every page."""
    body = tuple(model.Paragraph((model.Run(text, "value"),)) for text in texts)
    signatures = model.Signatures(
        (model.SignLine("询问人（签名）"), model.SignLine("被询问人（签名）")), repeat=True
    )
    return model.Sheet(
        title="询问笔录", code=None, number=None, blocks=(*body, signatures), continues=True
    )


def engine_pdf(sheet: model.Sheet) -> int:
    return pdf.render_pdf(sheet, io.BytesIO())


def engine_docx(sheet: model.Sheet) -> None:
    from fuanjian_desktop.documents.docx import render_docx

    render_docx(sheet, io.BytesIO())


def plain_reportlab(texts: list[str], bottom: float, target: IO[bytes] | None = None) -> int:
    """The same paragraphs by stock reportlab in the same frame: the least any program pays.

    The PDF goes to ``target`` (thrown away if none); returns its number of pages."""
    style = ParagraphStyle(
        "plain",
        fontName=face("fang").name,
        fontSize=pdf.BODY_SIZE,
        leading=pdf.BODY_LEADING,
        wordWrap="CJK",
        firstLineIndent=2 * pdf.BODY_SIZE,
    )
    document = SimpleDocTemplate(
        io.BytesIO() if target is None else target,
        pagesize=A4,
        leftMargin=pdf.LEFT,
        rightMargin=pdf.RIGHT,
        topMargin=pdf.TOP,
        bottomMargin=bottom,
    )
    document.build([Paragraph(text, style) for text in texts])
    return document.page


def samples_timing(repeat: int) -> list[list[object]]:
    """Cold and warm time of writing every sample from a fresh demo database, and the warm
    time of their PDFs and their Word files apart (rendering only, into memory)."""
    from fuanjian_desktop.config import DataFolder
    from fuanjian_desktop.demo import demo
    from fuanjian_desktop.documents.docx import render_docx
    from fuanjian_desktop.services import auth
    from fuanjian_desktop.services.documents.document_samples import sample_documents, write_samples
    from fuanjian_desktop.services.documents.documents import document_sheet
    from fuanjian_desktop.services.setup import create_encrypted_database

    with tempfile.TemporaryDirectory() as folder:
        data = DataFolder(Path(folder) / "data")
        data.root.mkdir()
        database = create_encrypted_database(data)
        demo.create_demo(database)
        out = Path(folder) / "out"
        cold, files = time_ms(lambda: write_samples(database, out))
        warm, _ = repeat_ms(lambda: write_samples(database, out), repeat, warmup=0)
        chosen, _missing = sample_documents(database)
        reader = auth.sign_in(database, "zhangwei", demo.DEMO_PASSWORD)  # the 园岭 squad's
        sheets = [document_sheet(database, reader, sample.document_id) for sample in chosen]
        database.close()
    pdfs, _ = repeat_ms(lambda: [pdf.render_pdf(s, io.BytesIO(), qr=q) for s, q in sheets], repeat)
    words, _ = repeat_ms(lambda: [render_docx(s, io.BytesIO(), qr=q) for s, q in sheets], repeat)
    return [
        [f"all samples ({len(files)} files written), cold", f"{cold:.0f}", "< 3000"],
        ["all samples written, warm", f"{warm.median_ms:.0f}", "< 3000"],
        [f"the {len(sheets)} sample PDFs, rendered", f"{pdfs.median_ms:.0f}", ""],
        [f"the {len(sheets)} sample Word files, rendered", f"{words.median_ms:.0f}", ""],
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--skip-samples", action="store_true")
    args = parser.parse_args()
    rows = [] if args.skip_samples else samples_timing(args.repeat)
    texts = transcript_texts(args.pages)
    sheet = transcript_sheet(texts)
    engine, pages = repeat_ms(lambda: engine_pdf(sheet), args.repeat)
    bottom = pdf.bottom_margin(pdf.repeated_block(sheet))
    plain, plain_pages = repeat_ms(lambda: plain_reportlab(texts, bottom), args.repeat)
    word, _ = repeat_ms(lambda: engine_docx(sheet), args.repeat, warmup=1)
    rows += [
        [f"engine PDF, {pages} pages", f"{engine.median_ms:.0f}", "< 2000"],
        [f"plain reportlab, {plain_pages} pages", f"{plain.median_ms:.0f}", ""],
        ["ratio engine / plain", f"{engine.median_ms / plain.median_ms:.2f}", "≤ 1.5"],
        ["engine DOCX, same sheet", f"{word.median_ms:.0f}", ""],
    ]
    print_table(["measurement", "median ms", "goal"], rows)


if __name__ == "__main__":
    main()
