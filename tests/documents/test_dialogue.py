"""Transcripts (询问笔录): questions and answers on ruled lines, page after page.

A transcript is valid only if every page carries the signatures of both inspectors and of the
person questioned and its real page count; the closing confirmation is written by hand on blank
ruled lines the last page keeps for it, never printed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from fuanjian_desktop.documents import sheet as model
from fuanjian_desktop.documents.compose import Wording, compose, dialogue_turns
from fuanjian_desktop.documents.docx import render_docx
from fuanjian_desktop.documents.fonts import face
from fuanjian_desktop.documents.pdf import (
    FRAME_WIDTH,
    LEFT,
    PAGE_HEIGHT,
    TOP,
    render_pdf,
)
from fuanjian_desktop.documents.ruled import RuledLines, RuledText
from fuanjian_desktop.documents.sheet import (
    STRUCK_OUT,
    fingerprint,
    sheet_from_json,
    sheet_text,
    sheet_to_json,
)
from fuanjian_desktop.documents.spec import FieldSpec, document_spec, spec_problems
from fuanjian_desktop.documents.wording import law_texts
from tests.documents.pdf_reading import char_fonts, horizontal_rules, page_lines
from tests.documents.sheets import every_block_sheet
from tests.documents.test_engine import WORDING, make_spec

BUREAU = "深圳市福田区应急管理局"
QUESTIONS = (
    ("请问你的姓名、年龄、工作单位和职务？", "我叫王建国，今年45岁，在宏达五金制品厂任车间主任。"),
    ("你厂共有多少名从业人员？冲压车间有多少人？", "全厂大概60人，冲压车间有18个工人。"),
    (
        "新招的从业人员上岗前有没有进行安全生产教育和培训？",
        "没有组织统一培训，是老师傅带着干了几天，讲了讲冲床怎么操作、要注意什么，"
        "没有书面记录，也没有考试。\n另外补充一点：去年车间有个工人的手指被压伤了，当时送医院处理了。",
    ),
)
PAIRS_FOR_FIVE_PAGES = 38  # measured: 34 to 43 pairs of these give five pages
# pinned before the transcript blocks were added: stored sheets keep their fingerprints
EVERY_BLOCK_FINGERPRINT = "3bdea1f16dd8a744761065dd2f6e2eadf6d199560852da7595ee36c2e87e9c2a"


def pairs(count: int) -> list[dict[str, str]]:
    return [
        {"id": f"d{n}", "q": QUESTIONS[n % 3][0], "a": QUESTIONS[n % 3][1]}
        for n in range(1, count + 1)
    ]


def inquiry_values(count: int, **more: Any) -> dict[str, Any]:
    return {
        "time_range": "2026年3月5日9时30分至3月5日11时45分",
        "sequence": "1",
        "place": "深圳市福田区福华路2号福田区应急管理局306室",
        "interviewee_name": "王建国",
        "interviewee_id_number": "440301198006152315",
        "inquirer": "张伟",
        "recorder": "李娜",
        "handler1_name": "张伟",
        "handler2_name": "李娜",
        "handler1_cert": "44030012345",
        "handler2_cert": "44030012346",
        "subject": "深圳市福田区宏达五金制品厂涉嫌未按规定对从业人员进行安全生产教育和培训案",
        "notice_answer": "听清楚了。",
        "qa": pairs(count),
        "read_back": "向其宣读",
        "started_at": "2026-03-05 09:30",
        "relation": "从业人员",
        **more,
    }


def inquiry_sheet(count: int, **more: Any) -> model.Sheet:
    wording = Wording(law=law_texts(dt.date(2026, 3, 5)), org={"bureau_name": BUREAU})
    return compose(document_spec("inquiry_record"), inquiry_values(count, **more), wording)


def render(sheet: model.Sheet) -> bytes:
    buffer = io.BytesIO()
    render_pdf(sheet, buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def five_pages() -> bytes:
    return render(inquiry_sheet(PAIRS_FOR_FIVE_PAGES))


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_compact(pdf: bytes) -> str:
    """All text of the PDF without white space."""
    return compact("".join(line for lines in page_lines(pdf) for line in lines))


def body_lines(lines: list[str]) -> list[str]:
    """The lines of a 续页 written by the record (not its foot or its 续页 mark)."""
    foot = re.compile(r"（签名）|^共\d+页第\d+页$|^续页$")
    return [line for line in lines if not foot.search(compact(line))]


# ---- composing ----------------------------------------------------------------------------


def test_empty_pairs_are_left_out_and_an_unanswered_question_keeps_its_answer_line() -> None:
    value = [
        {"id": "d1", "q": "你是否组织培训？", "a": "没有。"},
        {"id": "d2", "q": " ", "a": ""},
        {"id": "d3", "q": "有没有培训记录？", "a": ""},
        {"id": "d4", "q": "", "a": "补充：记录在台账里。"},
    ]
    assert dialogue_turns(value) == (
        ("问", "你是否组织培训？"),
        ("答", "没有。"),
        ("问", "有没有培训记录？"),
        ("答", ""),
        ("答", "补充：记录在台账里。"),
    )


def test_the_inquiry_record_prints_its_notice_answer_and_every_turn() -> None:
    text = sheet_text(inquiry_sheet(2))
    assert f"我们是{BUREAU}的行政执法人员张伟、李娜，证件号码为44030012345、44030012346" in text
    assert "我们依法就深圳市福田区宏达五金制品厂涉嫌未按规定" in text
    assert "答：听清楚了。" in text
    assert "询问记录：" in text
    assert f"问：{QUESTIONS[1][0]}" in text and f"答：{QUESTIONS[1][1]}" in text
    assert "询问次数：第1次" in text


def test_corrections_print_only_when_there_are_some_and_leave_the_confirmation_blank() -> None:
    assert "补正为" not in sheet_text(inquiry_sheet(2))
    row = {"entry": "第2问的回答", "before": "60人", "after": "65人", "confirm": "王建国"}
    sheet = inquiry_sheet(2, corrections=[row])
    table = next(block for block in sheet.blocks if isinstance(block, model.Table))
    assert table.headers[-1] == "被询问人确认（签名或捺指印）"
    assert table.rows == (("1", "第2问的回答", "60人", "65人", ""),)
    assert "补正" in [block.text for block in sheet.blocks if isinstance(block, model.Heading)]


def test_editor_only_fields_are_declared_but_never_printed() -> None:
    spec = document_spec("inquiry_record")
    printed = spec.printed_fields()
    assert {"started_at", "ended_at", "relation", "read_back"} <= set(spec.fields)
    assert not {"started_at", "ended_at", "relation", "read_back"} & printed
    assert {"qa", "notice_answer", "corrections", "sequence", "present"} <= printed
    assert document_spec("statement_record").fields["record"].kind == "qa"


def test_the_spec_loader_refuses_bad_transcript_blocks() -> None:
    spec = make_spec(
        [
            {"block": "qa", "field": "note", "label": "询问记录："},
            {"block": "reply", "field": "record"},
            {"block": "text", "text": "记录：{record}"},
            {"block": "heading", "text": "补正", "when": "nobody"},
            {"block": "blank_lines", "lines": 0},
            {"block": "qa"},
        ],
        note=FieldSpec("note", "备注", "typed"),
        record=FieldSpec("record", "询问记录", "typed", kind="qa"),
    )
    problems = spec_problems(spec)
    assert "第1块：qa 块只能打印“qa”类型的字段，字段 note 是“text”" in problems
    assert "第2块：reply 块只能打印“text”类型的字段，字段 record 是“qa”" in problems
    assert "第3块：问答字段“record”只能由 qa 块打印" in problems
    assert "第4块：when 所指的字段“nobody”未声明" in problems
    assert "第5块：blank_lines 块的 lines 须为 1 到 20 的整数" in problems
    assert "第6块：qa 块缺少 field" in problems


def test_when_leaves_out_a_block_whose_field_holds_nothing() -> None:
    spec = make_spec(
        [{"block": "text", "text": "有补正", "when": "rows"}],
        rows=FieldSpec("rows", "补正", "typed", kind="rows"),
    )
    assert "有补正" not in sheet_text(compose(spec, {"rows": [{"entry": ""}]}, WORDING))
    assert "有补正" in sheet_text(compose(spec, {"rows": [{"entry": "第1问"}]}, WORDING))


# ---- the frozen sheet ---------------------------------------------------------------------


def test_transcript_blocks_round_trip_through_stored_json() -> None:
    sheet = inquiry_sheet(3, corrections=[{"entry": "第1问", "before": "a", "after": "b"}])
    stored = json.loads(json.dumps(sheet_to_json(sheet), ensure_ascii=False))
    again = sheet_from_json(stored)
    assert again == sheet
    assert fingerprint(again) == fingerprint(sheet)
    assert any(isinstance(block, model.Dialogue) for block in again.blocks)
    assert any(isinstance(block, model.RuledSpace) for block in again.blocks)


def test_the_fingerprints_of_stored_sheets_do_not_change() -> None:
    assert fingerprint(every_block_sheet()) == EVERY_BLOCK_FINGERPRINT


# ---- the PDF ------------------------------------------------------------------------------


def test_every_page_of_a_five_page_transcript_carries_signatures_and_its_count(
    five_pages: bytes,
) -> None:
    pages = page_lines(five_pages)
    assert len(pages) == 5
    for number, lines in enumerate(pages, start=1):
        text = compact("".join(lines))
        for label in ("询问人（签名）", "记录人（签名）", "被询问人（签名）"):
            assert label in text, (number, label)
        assert f"共5页第{number}页" in text
        assert ("续页" in lines) == (number > 1)


def test_the_confirmation_is_never_printed(five_pages: bytes) -> None:
    text = pdf_compact(five_pages)
    assert "以上笔录我已看过" not in text and "与我说的相符" not in text
    assert "向其宣读" not in text  # how it was checked is recorded, not printed


def test_speakers_are_set_in_hei_and_the_text_in_the_body_face(five_pages: bytes) -> None:
    chars = char_fonts(five_pages, 0)
    text = "".join(char for char, _font in chars)
    banner_font = chars[text.index("安全生产行政执法文书")][1]
    question = text.index(f"问：{QUESTIONS[1][0]}")
    answer = text.index(f"答：{QUESTIONS[1][1]}")
    for start in (question, answer):
        assert chars[start][1] == chars[start + 1][1] == banner_font
        assert chars[start + 2][1] != banner_font
    assert "询问记录：" in text


def test_every_written_line_of_a_continuation_page_sits_on_a_rule(five_pages: bytes) -> None:
    lines, rules = page_lines(five_pages), horizontal_rules(five_pages)
    for number in (2, 3, 4):
        written = body_lines(lines[number - 1])
        ruled = [rule for rule in body_rules(rules[number - 1]) if is_full_width(rule)]
        assert len(written) > 20
        assert len(ruled) == len(written), number


def test_the_last_page_keeps_blank_ruled_lines_for_the_confirmation(five_pages: bytes) -> None:
    """Three blank ruled lines follow the last answer, then 以下空白 strikes out the rest (the
    strike itself is pinned in test_layout)."""
    *written, last = body_lines(page_lines(five_pages)[-1])
    ruled = [rule for rule in body_rules(horizontal_rules(five_pages)[-1]) if is_full_width(rule)]
    assert len(ruled) == len(written) + 3
    assert compact(last) == STRUCK_OUT


def body_rules(rules: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Rules inside the body frame: not the 续页 double rule nor the rule over the page count."""
    return [rule for rule in rules if 80 < rule[0] < PAGE_HEIGHT - TOP]


def is_full_width(rule: tuple[float, float, float]) -> bool:
    _y, left, right = rule
    return abs(left - LEFT) < 10 and abs(right - left - FRAME_WIDTH) < 14


def test_the_corrections_table_is_printed_only_when_there_are_corrections() -> None:
    row = {"entry": "第2问的回答", "before": "全厂大概60人", "after": "全厂大概65人"}
    plain = pdf_compact(render(inquiry_sheet(4)))
    corrected = pdf_compact(render(inquiry_sheet(4, corrections=[row])))
    assert "补正为" not in plain and "原记录" not in plain
    assert "补正为" in corrected and "全厂大概65人" in corrected
    assert "被询问人确认（签名或捺指印）" in corrected


STYLE = ParagraphStyle("t", fontName=face("fang").name, fontSize=12, leading=22, allowOrphans=1)


def test_a_turn_splits_between_pages_at_a_line_keeping_its_hanging_indent() -> None:
    text = "我们车间去年也出过一次小事故，有个工人的手指被压伤了，当时送医院处理了。" * 6
    turn = RuledText(text, STYLE, speaker="答：", speaker_font=face("hei").name, hang=24)
    _width, height = turn.wrap(300, 10_000)
    assert height == turn.count * 22 and turn.count > 4
    first, rest = turn.split(300, 3 * 22 + 5)
    assert first.wrap(300, 10_000)[1] == 3 * 22 and first.speaker == "答："
    assert rest.wrap(300, 10_000)[1] == (turn.count - 3) * 22 and rest.speaker == ""
    assert rest.hang == 24


def test_blank_ruled_lines_fill_the_page_or_move_to_the_next() -> None:
    space = RuledLines(3, STYLE)
    assert space.wrap(400, 10 * 22 + 7) == (400, 10 * 22)  # fills what is left
    assert space.wrap(400, 2 * 22 + 7)[1] == 3 * 22  # fewer than three fit ...
    assert space.split(400, 2 * 22 + 7) == []  # ... so all go to the next page


def test_an_unanswered_question_keeps_an_empty_ruled_answer_line() -> None:
    empty: Flowable = RuledText("", STYLE, speaker="答：", speaker_font=face("hei").name, hang=24)
    assert empty.wrap(400, 100) == (400, 22)


# ---- Word ---------------------------------------------------------------------------------


def test_word_sets_speakers_bold_in_hei_hanging_before_the_text() -> None:
    stream = io.BytesIO()
    render_docx(inquiry_sheet(3), stream)
    stream.seek(0)
    document = docx.Document(stream)
    turns = [p for p in document.paragraphs if p.text[:2] in ("问：", "答：")]
    assert len(turns) == 1 + 6  # the notice answer and three pairs
    for paragraph in turns:
        speaker, text = paragraph.runs[0], paragraph.runs[1]
        assert speaker.bold and speaker._r.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
        assert not text.bold and text._r.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
        indent = paragraph._p.pPr.find(qn("w:ind"))
        assert indent.get(qn("w:hanging")) == indent.get(qn("w:left")) == "480"
    continued = next(p for p in document.paragraphs if p.text.startswith("另外补充一点"))
    assert continued._p.pPr.find(qn("w:ind")).get(qn("w:left")) == "480"


def test_word_keeps_the_blank_lines_ruled() -> None:
    stream = io.BytesIO()
    render_docx(inquiry_sheet(1), stream)
    stream.seek(0)
    ruled = [
        p
        for p in docx.Document(stream).paragraphs
        if p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:between')}") is not None
    ]
    assert len(ruled) == 3 and all(p.text == "" for p in ruled)
