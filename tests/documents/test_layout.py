"""Layout details a 法制科 review found: one-page forms stay on one page, the 立案审批表 keeps its
address and 邮政编码 apart, Word never merges two tables, records strike out unused space (以下空白)
and the check code declares UTF-8.

What a one-page form must hold on its page (set down to 小五 at most), field by field:

- a free-text form line (名称, 地址, 案件名称, 职务, 引用的条款 …): ``LINE_MAX`` = 30 characters,
  a long Shenzhen address or unit name;
- a fixed-format form line the widest value of its format (``FORMATTED``): 性别 男, 出生年月
  1985年11月, 邮政编码 518000, 电话 0755-83456789, 执法证号 44030419001, a date 2026年12月14日,
  a 文号 （深福）应急罚〔2026〕1234号, an amount 1,777,777.00 and in words
  壹佰柒拾柒万柒仟柒佰柒拾柒元整, ■, 30 days, the 12th instalment, 14时30分, 不公开;
- each opinion (承办人/承办机构/审核/审批意见): ``OPINION_MAX`` = 60 characters, two lines of a
  cell (a 审批意见 is 同意。 or a sentence naming the penalty);
- the prose fields (案件基本情况, 违法事实及证据, 理由 …) together: ``PROSE_BUDGET`` = 360
  characters (about a page of 小四 text: a clerk summarises beyond that and the form flows on),
  lower only where ``LOWER_BUDGETS`` says why.

The worst cases are checked one by one (every form × variant × each prose field taking the whole
budget, every other value at its maximum); Hypothesis then tries splits of the budget."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import shutil
import subprocess
import zipfile
from dataclasses import replace
from functools import cache
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image
from reportlab.lib.styles import ParagraphStyle

from fuanjian_desktop.documents.compose import Wording, compose
from fuanjian_desktop.documents.docx import render_docx
from fuanjian_desktop.documents.pdf import BOX_LEADING, FRAME_WIDTH, LEFT, render_pdf
from fuanjian_desktop.documents.qr import qr_modules
from fuanjian_desktop.documents.ruled import StruckSpace
from fuanjian_desktop.documents.sheet import (
    STRUCK_OUT,
    Box,
    Lines,
    RuledSpace,
    StruckOut,
    fingerprint,
    sheet_from_json,
    sheet_to_json,
)
from fuanjian_desktop.documents.spec import DocumentSpec, document_specs
from fuanjian_desktop.documents.wording import law_texts
from tests.documents.pdf_reading import horizontal_rules, page_lines

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "documents"
PROSE = "经查，该单位在生产经营活动中未按规定设置安全生产管理机构，现场检查发现问题并责令改正。"
NUMBER = "（深福）应急测〔2026〕1234号"
# what a one-page form must hold (see the module docstring)
LINE_MAX = 30
OPINION_MAX = 60
PROSE_BUDGET = 360
DATE = "2026年12月14日"
AMOUNT = "1,777,777.00"
WORDS = "壹佰柒拾柒万柒仟柒佰柒拾柒元整"
# a fixed-format field holds the widest value of its format, as typed or derived
FORMATTED = {
    "party_sex": "男",
    "party_birth": "1985年11月",
    "party_age": "45",
    "party_postcode": "518000",
    "party_phone": "0755-83456789",
    "handler1_cert": "44030419001",
    "handler2_cert": "44030419002",
    **dict.fromkeys(
        (
            "found_on",
            "opinion_date",
            "request_date",
            "requested_on",
            "filed_on",
            "hearing_on",
            "issued_on",
            "decided_on",
            "payment_due",
            "reminder_due",
            "unpaid_as_of",
            "deferred_until",
            "instalment_due",
        ),
        DATE,
    ),
    "decision_no": "（深福）应急罚〔2026〕1234号",
    **dict.fromkeys(("fine", "surcharge", "unpaid", "remaining", "instalment_amount"), AMOUNT),
    **dict.fromkeys(
        ("fine_words", "surcharge_words", "unpaid_words", "remaining_words", "instalment_words"),
        WORDS,
    ),
    "deferral_mark": "■",
    "instalment_mark": "■",
    "extension_days": "30",
    "instalment_no": "12",
    "hearing_clock": "14时30分",
    "publicity": "不公开",
}
# forms that cannot hold PROSE_BUDGET on one page at 小五, with why (measured with the values above)
LOWER_BUDGETS = {
    # the 加处罚款的计算 is written by the domain, never typed: with a 复议 suspension and one part
    # payment it runs to about 260 characters (seven-figure amounts); each further part payment
    # adds about 60, and such a derivation flows on at full size
    "surcharge_decision": 280,
}


@cache
def wording() -> Wording:
    """The law's wording and the authority's default particulars, as a document prints them."""
    data = json.loads((RESOURCES / "organisation.json").read_text(encoding="utf-8"))
    org = {key: str(entry["value"]) for key, entry in data["values"].items()}
    return Wording(law_texts(dt.date(2026, 6, 1)), org)


def one_page_forms() -> list[tuple[DocumentSpec, str]]:
    """Every spec declared a one-page form, in each of its variants."""
    return [
        (spec, variant.key)
        for spec in document_specs().values()
        if spec.fit_page
        for variant in spec.variants
    ]


def prose(length: int) -> str:
    return (PROSE * (length // len(PROSE) + 1))[:length]


def pdf_pages(data: bytes) -> int:
    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def is_opinion(name: str) -> bool:
    return name.endswith("opinion")


def prose_fields(spec: DocumentSpec) -> list[str]:
    """The multiline fields that are not opinions: they share the form's prose budget."""
    return [
        f.name
        for f in spec.fields.values()
        if f.kind == "text" and f.multiline and not is_opinion(f.name)
    ]


def budget(spec: DocumentSpec) -> int:
    return LOWER_BUDGETS.get(spec.key, PROSE_BUDGET)


def full_values(spec: DocumentSpec) -> dict[str, str]:
    """Every form line and opinion at its maximum, the prose fields empty."""
    values = {}
    for field in spec.fields.values():
        if field.kind != "text":
            continue
        if not field.multiline:
            values[field.name] = FORMATTED.get(field.name, prose(LINE_MAX))
        elif is_opinion(field.name):
            values[field.name] = prose(OPINION_MAX)
    return values


def form_pages(spec: DocumentSpec, variant: str, values: dict[str, str]) -> int:
    buffer = io.BytesIO()
    render_pdf(compose(spec, values, wording(), variant=variant, number=NUMBER), buffer)
    return pdf_pages(buffer.getvalue())


def worst_cases() -> list[tuple[DocumentSpec, str, str | None]]:
    """Every one-page form and variant with each prose field in turn taking the whole budget
    (``None``: a form without prose, its lines and opinions full)."""
    return [
        (spec, variant, name)
        for spec, variant in one_page_forms()
        for name in prose_fields(spec) or [None]
    ]


@pytest.mark.parametrize(
    ("spec", "variant", "name"),
    worst_cases(),
    ids=[f"{s.key}-{v or 'only'}-{n}" for s, v, n in worst_cases()],
)
def test_a_one_page_form_holds_its_budget_on_one_page(
    spec: DocumentSpec, variant: str, name: str | None
) -> None:
    """A one-page form (审批表, 听证会通知书 …) with every value at the length it must hold and one
    prose field taking the form's whole budget prints on exactly one page: set smaller rather than
    spill a row onto a second page."""
    values = full_values(spec)
    if name is not None:
        values[name] = prose(budget(spec))
    assert form_pages(spec, variant, values) == 1


@st.composite
def split_budget(draw: st.DrawFn) -> tuple[DocumentSpec, str, dict[str, str]]:
    """A one-page form with its lines and opinions full and its prose budget split among its
    prose fields in proportions Hypothesis chooses."""
    spec, variant = draw(st.sampled_from([f for f in one_page_forms() if prose_fields(f[0])]))
    names = prose_fields(spec)
    weights = draw(st.lists(st.integers(0, 100), min_size=len(names), max_size=len(names)))
    total = sum(weights) or 1
    values = full_values(spec)
    values.update(
        {n: prose(budget(spec) * w // total) for n, w in zip(names, weights, strict=True)}
    )
    return spec, variant, values


@settings(max_examples=200, deadline=None)
@given(split_budget())
def test_a_one_page_form_holds_any_split_of_its_budget(
    form: tuple[DocumentSpec, str, dict[str, str]],
) -> None:
    """However the prose budget is shared among a form's prose fields (a few lines more each,
    rounding up), the form stays on one page."""
    spec, variant, values = form
    assert form_pages(spec, variant, values) == 1, (
        spec.key,
        variant,
        {k: len(v) for k, v in values.items()},
    )


def test_the_budget_names_only_fields_of_one_page_forms() -> None:
    """Every field given a format length or form given a lower budget exists: a renamed field
    would otherwise fall back silently to another length."""
    fields = {name for spec, _variant in one_page_forms() for name in spec.fields}
    assert set(FORMATTED) <= fields
    assert set(LOWER_BUDGETS) <= {spec.key for spec, _variant in one_page_forms()}
    assert all(b < PROSE_BUDGET for b in LOWER_BUDGETS.values())


def test_a_form_beyond_its_budget_flows_on() -> None:
    """The check above can fail: far beyond the budget a form runs onto a second page (at full
    size) rather than be set unreadably small."""
    spec = document_specs()["preservation_approval"]
    values = full_values(spec) | {"summary": prose(2 * PROSE_BUDGET)}
    assert form_pages(spec, "", values) > 1


def test_an_approval_cell_longer_than_a_page_flows_on_instead_of_failing() -> None:
    """A clerk who pastes a whole report into one cell gets the text on the following pages,
    never a layout error: the ruled row splits across pages."""
    spec = document_specs()["preservation_approval"]
    values = full_values(spec) | {"summary": prose(1440) + "以上为案件基本情况全文。"}
    buffer = io.BytesIO()
    render_pdf(compose(spec, values, wording(), number=NUMBER), buffer)
    pages = ["".join(page).replace(" ", "") for page in page_lines(buffer.getvalue())]
    assert len(pages) > 2
    assert any("以上为案件基本情况全文。" in page for page in pages[1:])


def test_an_approval_cell_is_set_as_compactly_as_the_template() -> None:
    """As on the 2016 行政强制审批表: a short value beside its label (性别 | 男), the 审核人 and
    审批人 signing on their date's line; a value too long for its label's line goes below it."""
    spec = document_specs()["coercion_approval"]
    values = full_values(spec) | {"summary": PROSE}
    buffer = io.BytesIO()
    render_pdf(compose(spec, values, wording(), variant="person", number=NUMBER), buffer)
    lines = [line.replace(" ", "") for line in page_lines(buffer.getvalue())[0]]
    assert "性别：男" in lines
    assert any(line.startswith("出生年月：1985年11月") for line in lines)  # 联系电话 beside it
    assert (
        sum(line.startswith(("审核人", "审批人")) and line.endswith("年月日") for line in lines)
        == 2
    )
    assert "案件基本情况：" in lines


def test_the_forms_the_review_saw_spill_are_one_page_forms() -> None:
    """The 先行登记保存证据审批表 and the 听证会通知书 are declared one-page forms."""
    keys = {spec.key for spec, _variant in one_page_forms()}
    assert {"preservation_approval", "hearing_meeting_notice"} <= keys


# ---- the check code ------------------------------------------------------------------------

UNNUMBERED_CODE = "询问笔录|25e1bb88d717"
NUMBERED_CODE = "（深福）应急罚〔2026〕12号|25e1bb88d717"
# the first 16 data bits: ECI mode 0111, assignment 26 (UTF-8) in 8 bits, byte mode 0100
UTF8_ECI_HEADER = "0111" + "00011010" + "0100"
# error correction blocks at level M by version (ISO/IEC 18004:2015 Table 9): the codewords of
# the blocks are interleaved, so the first block's n-th codeword is the stream's (n × blocks)-th
M_BLOCKS = {1: 1, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 4, 8: 4, 9: 5, 10: 5}


def strip_bits(modules: tuple[tuple[bool, ...], ...]) -> str:
    """The data bits of the rightmost two columns, read as ISO/IEC 18004 places them: upwards
    from the bottom-right corner to the finder pattern, the right module of each row before the
    left one, unmasked with mask pattern 000 (flipped where row + column is even), which
    :mod:`qr` always uses."""
    size = len(modules)
    bits = []
    for row in range(size - 1, 8, -1):
        for column in (size - 1, size - 2):
            dark = modules[row][column] != ((row + column) % 2 == 0)
            bits.append("1" if dark else "0")
    return "".join(bits)


def first_block_bits(modules: tuple[tuple[bool, ...], ...], count: int) -> str:
    """The first ``count`` bits of the first block's data codewords (the bit stream's start)."""
    blocks = M_BLOCKS[(len(modules) - 17) // 4]
    strip = strip_bits(modules)
    codewords = [strip[8 * n * blocks : 8 * n * blocks + 8] for n in range((count + 7) // 8)]
    return "".join(codewords)[:count]


@pytest.mark.parametrize("text", [UNNUMBERED_CODE, NUMBERED_CODE])
def test_the_check_code_declares_utf8_before_its_text(text: str) -> None:
    """The code's data begins with an ECI designator for UTF-8, then the text in byte mode:
    without it a reader guesses the encoding (zbar read 询问笔录 as Shift-JIS)."""
    assert first_block_bits(qr_modules(text), 16) == UTF8_ECI_HEADER


@pytest.mark.skipif(
    shutil.which("zbarimg") is None, reason="zbarimg (Debian zbar-tools) is not installed"
)
@pytest.mark.parametrize("text", [UNNUMBERED_CODE, NUMBERED_CODE])
def test_a_reader_decodes_the_check_code_exactly(text: str, tmp_path: Path) -> None:
    """zbarimg reads the check code of a document with and without a 文号 as printed."""
    image = tmp_path / "code.png"
    modules = qr_modules(text)
    picture = Image.new("1", (len(modules) + 8,) * 2, 1)  # a quiet zone of four modules
    for row, line in enumerate(modules):
        for column, dark in enumerate(line):
            picture.putpixel((column + 4, row + 4), 0 if dark else 1)
    picture.resize((picture.width * 8,) * 2, Image.Resampling.NEAREST).save(image)
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", str(image)], capture_output=True, check=True, timeout=30
    )
    assert result.stdout.decode("utf-8").strip() == text


# ---- 立案审批表 -----------------------------------------------------------------------------

ADDRESS = "深圳市福田区园岭街道园岭东路159号工业区2栋三楼318室"


def test_the_filing_approval_prints_the_address_and_postcode_on_lines_of_their_own() -> None:
    """A long 当事人地址 is printed whole on a line the 邮政编码 does not share, so the address is
    never squeezed against the 邮政编码 label; the 邮政编码 keeps its own label and rule."""
    spec = document_specs()["filing_approval"]
    values = {
        "party_address": ADDRESS,
        "party_postcode": "518000",
        "party_representative": "郑海燕",
    }
    buffer = io.BytesIO()
    render_pdf(compose(spec, values, wording(), number=NUMBER), buffer)
    lines = [line.replace(" ", "") for line in page_lines(buffer.getvalue())[0]]
    address_line = next(line for line in lines if line.startswith("当事人地址"))
    assert address_line == f"当事人地址{ADDRESS}"
    assert any(line.endswith("邮政编码518000") for line in lines)


# ---- Word tables ---------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def adjacent_tables(docx_bytes: bytes) -> int:
    """How many tables of the Word body follow another table directly (a merged grid)."""
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    children = [child.tag for child in root.find(f"{W}body")]
    return sum(1 for a, b in itertools.pairwise(children) if a == b == f"{W}tbl")


@pytest.mark.parametrize("key", sorted(document_specs()))
def test_no_two_word_tables_touch(key: str) -> None:
    """Every document's Word body keeps a paragraph between two tables (form lines over a ruled
    box, two rows of form lines), so Word and LibreOffice never merge them into one grid."""
    spec = document_specs()[key]
    for variant in spec.variants:
        buffer = io.BytesIO()
        render_docx(compose(spec, {}, wording(), variant=variant.key, number=NUMBER), buffer)
        assert adjacent_tables(buffer.getvalue()) == 0, variant.key


def test_the_filing_approval_has_tables_that_would_touch() -> None:
    """The check above means something: the 立案审批表 puts its ruled box right under its form
    lines, two tables with nothing between them in the sheet."""
    blocks = compose(document_specs()["filing_approval"], {}, wording()).blocks
    assert [type(block) for block in blocks[:2]] == [Lines, Box]


# ---- 以下空白 --------------------------------------------------------------------------------

ANSWERS = ("我们单位没有组织统一的培训，新来的三名员工由车间主任带着干了几天。", "属实。")


def record_specs() -> list[str]:
    """The records written on 续页 (笔录, 检查记录): every one must end struck out."""
    return sorted(key for key, spec in document_specs().items() if spec.continues)


def record_values(spec: DocumentSpec, turns: int = 2) -> dict[str, object]:
    """Every field of a record filled: short texts, and ``turns`` questions answered."""
    values: dict[str, object] = {}
    for field in spec.fields.values():
        if field.kind == "qa":
            values[field.name] = [
                {"id": f"d{n}", "q": f"第{n}问：你单位的情况？", "a": ANSWERS[n % 2]}
                for n in range(turns)
            ]
        elif field.kind == "text":
            values[field.name] = ANSWERS[1]
    return values


def record_pdf(key: str, turns: int = 2) -> bytes:
    spec = document_specs()[key]
    buffer = io.BytesIO()
    sheet = compose(spec, record_values(spec, turns), wording(), variant=spec.variants[0].key)
    render_pdf(sheet, buffer)
    return buffer.getvalue()


def struck_marks(pdf: bytes) -> tuple[float, list[tuple[float, float, float, float]]]:
    """On the last page: the bottom of the words 以下空白 (0 when absent) and every straight
    stroke that is not horizontal (left, bottom, right, top)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[len(document) - 1]
        text = page.get_textpage()
        found = text.get_text_range().find(STRUCK_OUT)
        words_bottom = text.get_charbox(found)[1] if found >= 0 else 0.0
        strokes = [
            path.get_bounds()
            for path in page.get_objects(filter=(pdfium.FPDF_PAGEOBJ_PATH,))
            if pdfium.FPDFPath_CountSegments(path.raw) == 2
            and path.get_bounds()[3] - path.get_bounds()[1] > 10
        ]
        return words_bottom, strokes
    finally:
        document.close()


@pytest.mark.parametrize("key", record_specs())
def test_a_record_strikes_out_the_rest_of_its_last_page(key: str) -> None:
    """A record's last page says 以下空白 under what was written and strikes the unused space
    beneath with a diagonal across the writing width, so nothing is added after signing."""
    words_bottom, strokes = struck_marks(record_pdf(key, turns=0))
    assert words_bottom > 0
    assert len(strokes) == 1
    left, _bottom, right, top = strokes[0]
    assert top < words_bottom
    assert right - left > 0.9 * FRAME_WIDTH


def test_the_inquiry_record_keeps_its_lines_for_the_confirmation_before_striking() -> None:
    """The 询问笔录's blank ruled lines for the handwritten 以上笔录我已看过… come before 以下空白:
    as many as the spec keeps, ruled between the last answer and the words."""
    spec = document_specs()["inquiry_record"]
    kept = next(block["lines"] for block in spec.body if block["block"] == "blank_lines")
    pdf = record_pdf("inquiry_record")
    words_bottom, _strokes = struck_marks(pdf)
    document = pypdfium2.PdfDocument(pdf)
    try:
        text = document[len(document) - 1].get_textpage()
        answer_bottom = text.get_charbox(text.get_text_range().rfind(ANSWERS[1][0]))[1]
    finally:
        document.close()
    rules = [
        y for y, _left, _right in horizontal_rules(pdf)[-1] if words_bottom < y < answer_bottom
    ]
    assert len(rules) == kept + 1  # the last answer's own rule, then the blank lines


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=160), max_size=30))
def test_striking_out_never_adds_a_page(answers: list[int]) -> None:
    """However far the answers run, 以下空白 takes only what is left of the last page: the record
    has as many pages as without it (a full page is left as it is)."""
    spec = document_specs()["inquiry_record"]
    pairs = [{"id": f"d{n}", "q": "情况？", "a": prose(length)} for n, length in enumerate(answers)]
    sheet = compose(spec, {"qa": pairs}, wording())
    plain = replace(sheet, blocks=tuple(b for b in sheet.blocks if not isinstance(b, StruckOut)))
    assert len(plain.blocks) == len(sheet.blocks) - 1
    pages = []
    for version in (sheet, plain):
        buffer = io.BytesIO()
        render_pdf(version, buffer)
        pages.append(pdf_pages(buffer.getvalue()))
    assert pages[0] == pages[1]


def test_a_full_page_is_not_struck_out() -> None:
    """With less than a line left on the page, the strike-out takes no room at all (it never
    pushes 以下空白 alone onto a new page)."""
    style = ParagraphStyle("t", fontName="Helvetica", fontSize=12, leading=22)
    space = StruckSpace(STRUCK_OUT, style)
    assert space.wrap(400, 21.5) == (400, 0.0)
    assert space.wrap(400, 100)[1] > 99


@pytest.mark.parametrize("key", record_specs())
def test_a_word_record_ends_with_the_words_after_its_blank_lines(key: str) -> None:
    """In Word, which lays out its own pages, a record's body ends with 以下空白, after the
    blank ruled lines kept for the handwritten confirmation."""
    spec = document_specs()[key]
    buffer = io.BytesIO()
    render_docx(compose(spec, record_values(spec), wording()), buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
    paragraphs = [child for child in body if child.tag == f"{W}p"]
    assert "".join(paragraphs[-1].itertext()) == STRUCK_OUT
    kept = sum(block["lines"] for block in spec.body if block["block"] == "blank_lines")
    blank = paragraphs[-1 - kept : -1]
    assert all(p.find(f"{W}pPr/{W}pBdr") is not None for p in blank)
    assert all(not "".join(p.itertext()) for p in blank)


def test_a_struck_out_record_is_stored_and_read_back_whole() -> None:
    """The strike-out is part of the frozen sheet: stored as JSON and read back unchanged, so an
    issued record prints it again and its fingerprint covers it."""
    spec = document_specs()["inquiry_record"]
    sheet = compose(spec, record_values(spec), wording())
    assert sheet.blocks[-3:-1] == (RuledSpace(3), StruckOut())  # before the signatures
    again = sheet_from_json(json.loads(json.dumps(sheet_to_json(sheet))))
    assert again == sheet
    assert fingerprint(again) == fingerprint(sheet)


def test_text_form_lines_and_ruled_boxes_share_one_left_edge() -> None:
    """The body's text, the form lines' labels and a ruled box start at the left margin, as in
    the template (reportlab's frame padding once set the text 6 pt right of the tables)."""
    spec = document_specs()["hearing_meeting_notice"]
    buffer = io.BytesIO()
    render_pdf(compose(spec, {"party_name": "深圳市某某有限公司"}, wording()), buffer)
    document = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        text = document[0].get_textpage()
        whole = text.get_text_range()
        edges = [text.get_charbox(whole.find(start))[0] for start in ("深圳市某某", "听证主持人")]
    finally:
        document.close()
    assert edges == pytest.approx([LEFT, LEFT], abs=1.5)


def test_form_lines_over_a_ruled_box_keep_a_gap() -> None:
    """The 立案审批表's last form line keeps its own rule a few points above the box's top edge,
    not on it."""
    spec = document_specs()["filing_approval"]
    buffer = io.BytesIO()
    render_pdf(compose(spec, {"party_address": ADDRESS}, wording(), number=NUMBER), buffer)
    rules = horizontal_rules(buffer.getvalue())[0]
    box_top = max(y for y, left, right in rules if right - left > 0.95 * FRAME_WIDTH)
    form_rule = min(
        y for y, left, right in rules if right - left < 0.95 * FRAME_WIDTH and y >= box_top - 0.5
    )
    assert form_rule - box_top >= 3


def strokes_on(pdf: bytes, page: int) -> int:
    """How many straight strokes that are not horizontal a page carries."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return sum(
            1
            for path in document[page % len(document)].get_objects(
                filter=(pdfium.FPDF_PAGEOBJ_PATH,)
            )
            if pdfium.FPDFPath_CountSegments(path.raw) == 2
            and path.get_bounds()[3] - path.get_bounds()[1] > 5
        )
    finally:
        document.close()


def moved_confirmation() -> bytes:
    """An inquiry record whose blank lines for the confirmation did not fit under the last
    answer and start the last page (found by trying answers of one and of several lines)."""
    spec = document_specs()["inquiry_record"]
    for turns in range(30):
        for first in ("属实。", PROSE):
            pairs = [
                {"id": f"d{n}", "q": "情况？", "a": first if n == 0 else "属实。"}
                for n in range(turns)
            ]
            buffer = io.BytesIO()
            render_pdf(compose(spec, {"qa": pairs}, wording()), buffer)
            pages = page_lines(buffer.getvalue())
            if len(pages) > 1 and not any(line.startswith(("问", "答")) for line in pages[-1]):
                return buffer.getvalue()
    raise AssertionError("no record moved its confirmation lines to a new page")


def test_blank_space_left_before_the_confirmation_lines_move_on_is_struck_too() -> None:
    """When the lines kept for the confirmation do not fit under the last answer they start the
    next page; the few blank lines they leave behind are struck through (without 以下空白, since
    the record goes on), so no page of a record keeps blank space to write into."""
    pdf = moved_confirmation()
    assert strokes_on(pdf, -2) == 1
    assert strokes_on(pdf, -1) == 1
    assert STRUCK_OUT not in "".join(page_lines(pdf)[-2])


def test_a_word_approval_form_is_set_on_the_pdfs_lines() -> None:
    """In Word the cells of an approval form keep the PDF's tighter pitch (19 pt, not the body's
    22 pt), so a form that fills its PDF page does not run onto a second page in Word."""
    spec = document_specs()["filing_approval"]
    buffer = io.BytesIO()
    render_docx(compose(spec, {"summary": PROSE}, wording(), number=NUMBER), buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    cells = [p for p in root.iter(f"{W}p") if p.getparent().tag == f"{W}tc"]
    box = [
        p for p in cells if "".join(p.itertext()).startswith(("案件基本情况", PROSE[:6], "承办人"))
    ]
    assert len(box) >= 3
    pitches = {p.find(f"{W}pPr/{W}spacing").get(f"{W}line") for p in box}
    assert pitches == {str(BOX_LEADING * 20)}
