"""The generic engine: spec checking, composing, the frozen sheet and the PDF it draws."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from fuanjian_desktop.documents import fonts
from fuanjian_desktop.documents.compose import BLANK, Wording, compose, value_text
from fuanjian_desktop.documents.fonts import markup
from fuanjian_desktop.documents.pdf import render_pdf
from fuanjian_desktop.documents.sheet import (
    Entry,
    Lines,
    Sheet,
    fingerprint,
    sheet_from_json,
    sheet_text,
    sheet_to_json,
)
from fuanjian_desktop.documents.spec import DocumentSpec, FieldSpec, Variant, spec_problems
from fuanjian_desktop.documents.wording import law_texts
from fuanjian_desktop.errors import UserError
from tests.documents.pdf_reading import font_names, page_lines, pdf_text, unembedded_fonts
from tests.documents.sheets import every_block_sheet

WORDING = Wording(
    law={"remedies": "不服的向{org.government}申请复议，期限{period}。"},
    org={"government": "深圳市福田区人民政府"},
)


def make_spec(body: list[dict[str, object]], **fields: FieldSpec) -> DocumentSpec:
    return DocumentSpec(
        key="t",
        code="应急测",
        numbered=True,
        served=True,
        variants=(Variant("unit", "测试（单位）"), Variant("person", "测试（个人）")),
        fields=fields,
        body=tuple(body),
        continues=False,
        footnote="",
        source="",
    )


def test_a_sound_spec_has_no_problems() -> None:
    spec = make_spec(
        [
            {"block": "text", "text": "致{name}：{law.remedies_decision}{org.court}"},
            {"block": "seal", "date": "on"},
        ],
        name=FieldSpec("name", "当事人", "party.name"),
        on=FieldSpec("on", "日期", "document.issued_on"),
    )
    assert spec_problems(spec) == []


def test_every_defect_of_a_spec_is_named_in_chinese() -> None:
    spec = make_spec(
        [
            {"block": "text", "text": "致{nobody}{law.no_such_phrase}{party.name}"},
            {"block": "poster"},
            {"block": "text", "text": "x", "variant": "robot"},
        ],
        name=FieldSpec("name", "当事人", "party.name", kind="blob"),
    )
    problems = "\n".join(spec_problems(spec))
    assert "nobody" in problems and "poster" in problems and "robot" in problems
    assert "law.no_such_phrase" in problems and "party.name" in problems
    assert "blob" in problems


def test_placeholders_resolve_fields_law_and_organisation() -> None:
    spec = make_spec(
        [{"block": "text", "text": "致{name}：{law.remedies}"}],
        name=FieldSpec("name", "当事人", "party.name"),
        period=FieldSpec("period", "期限", "typed"),
    )
    sheet = compose(spec, {"name": "某某厂", "period": "60日"}, WORDING)
    assert "致某某厂：不服的向深圳市福田区人民政府申请复议，期限60日。" in sheet_text(sheet)


def test_an_empty_value_prints_a_blank_for_the_pen() -> None:
    spec = make_spec(
        [{"block": "text", "text": "于{due}前整改"}], due=FieldSpec("due", "期限", "typed")
    )
    assert f"于{BLANK}前整改" in sheet_text(compose(spec, {}, WORDING))


def test_variant_blocks_print_only_in_their_variant() -> None:
    spec = make_spec(
        [
            {"block": "text", "text": "单位栏", "variant": "unit"},
            {"block": "text", "text": "个人栏", "variant": "person"},
        ]
    )
    person = compose(spec, {}, WORDING, variant="person")
    assert person.title == "测试（个人）"
    assert "个人栏" in sheet_text(person) and "单位栏" not in sheet_text(person)


def test_list_values_join_with_the_chinese_enumeration_comma() -> None:
    assert value_text(["张伟", "", "李娜"]) == "张伟、李娜"


def test_the_frozen_sheet_round_trips_and_its_fingerprint_is_stable() -> None:
    sheet = every_block_sheet()
    again = sheet_from_json(sheet_to_json(sheet))
    assert again == sheet
    assert fingerprint(again) == fingerprint(sheet)
    changed = sheet_from_json({**sheet_to_json(sheet), "number": "（深福）应急测〔2026〕8号"})
    assert fingerprint(changed) != fingerprint(sheet)


def test_wording_follows_the_law_in_force_on_the_document_date() -> None:
    before = law_texts(dt.date(2023, 12, 31))["reconsideration_body"]
    after = law_texts(dt.date(2024, 1, 1))["reconsideration_body"]
    assert "{org.superior}" in before and "{org.superior}" not in after
    with pytest.raises(UserError, match=r"wording\.json"):
        law_texts(dt.date(2019, 1, 1))


def render(sheet: object, **options: object) -> bytes:
    buffer = io.BytesIO()
    render_pdf(sheet, buffer, **options)  # type: ignore[arg-type]
    return buffer.getvalue()


def test_the_pdf_prints_every_value_and_embeds_every_font() -> None:
    sheet = every_block_sheet()
    pdf = render(sheet, qr="（深福）应急测〔2026〕7号|0123456789ab")
    text = pdf_text(pdf).replace(" ", "")
    for expected in (
        "安全生产行政执法文书",
        "测试文书",
        "（深福）应急测〔2026〕7号",
        "某某五金厂",
        "0755-1234",
        "消防通道堆放杂物",
        "灭火器",
        "立案情况值",
        "44030012345",
        "深圳市福田区应急管理局（印章）",
        "本文书一式两份",
        "共1页第1页",
        "0123456789ab",
    ):
        assert expected in text
    assert unembedded_fonts(pdf) == []


def test_a_draft_shows_the_blank_number_pattern_and_its_mark() -> None:
    sheet = sheet_from_json({**sheet_to_json(every_block_sheet()), "number": None})
    text = pdf_text(render(sheet, draft=True)).replace(" ", "")
    assert "应急测〔" in text and "草稿" in text


def test_every_page_of_a_long_document_counts_its_pages() -> None:
    pages = page_lines(render(every_block_sheet(paragraphs=120)))
    assert len(pages) > 2
    for number, lines in enumerate(pages, start=1):
        assert f"共{len(pages)}页第{number}页" in "".join(lines).replace(" ", "")


def test_a_continued_document_repeats_its_signatures_on_every_page() -> None:
    pages = page_lines(render(every_block_sheet(paragraphs=120, continues=True)))
    assert len(pages) > 2
    for lines in pages:
        assert sum("执法人员（签名）" in line for line in lines) == 1


def test_a_character_missing_from_the_body_face_is_drawn_from_another_face() -> None:
    sheet = sheet_from_json(
        {**sheet_to_json(every_block_sheet()), "title": "测试𠀋文书"}  # 𠀋 is only in the 楷体
    )
    pdf = render(sheet)
    # reportlab's ToUnicode map keeps 16 bits, so the text layer cannot show 𠀋 itself
    assert any("WenKai" in name for name in font_names(pdf))
    assert unembedded_fonts(pdf) == []


def test_line_breaks_typed_into_a_value_start_new_lines() -> None:
    spec = make_spec(
        [{"block": "text", "text": "{record}"}], record=FieldSpec("record", "记录", "typed")
    )
    sheet = compose(spec, {"record": "问：你是否组织培训？\n答：没有。"}, WORDING)
    lines = page_lines(render(sheet))[0]
    assert "问：你是否组织培训？" in lines and "答：没有。" in lines


def test_the_blank_date_keeps_room_for_the_pen() -> None:
    spec = make_spec(
        [{"block": "seal", "text": "机关", "date": "on"}], on=FieldSpec("on", "日期", "typed")
    )
    text = pdf_text(render(compose(spec, {}, WORDING)))
    assert "年 月 日" in text and "（ ）应急测〔 〕 号" in text  # the text layer shows one space
    # reportlab collapses white space; no-break spaces of the same width survive
    assert markup("年\u3000月", "fang") == "年\u00a0\u00a0月"


def test_an_unusable_system_font_gives_way_to_the_bundled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows the system 楷体 is preferred; a file reportlab refuses falls back."""
    broken = tmp_path / "simkai.ttf"
    broken.write_bytes(b"OTTO" + bytes(64))  # CFF outlines: reportlab cannot embed them
    monkeypatch.setattr(
        fonts, "_windows_font", lambda name: broken if name == "simkai.ttf" else None
    )
    fonts.face.cache_clear()
    try:
        assert fonts.face("kai").path.name == "lxgw-wenkai.ttf"
    finally:
        fonts.face.cache_clear()


def test_a_form_value_a_little_too_long_is_set_smaller_on_its_line() -> None:
    """A 单位及职务 that overflows its line by a little stays on it; a far longer one wraps."""
    unit = "深圳市福田区应急管理局园岭街道应急管理执法中队　行政执法人员"
    rows = (
        (Entry("询问人", "王芳", 0.9), Entry("单位及职务", unit, 3.3)),
        (Entry("记录人", "张伟", 0.9), Entry("单位及职务", unit * 2, 3.3)),
    )
    sheet = Sheet(title="询问笔录", code=None, number=None, blocks=(Lines(rows),))
    [lines] = page_lines(render(sheet))
    assert any(line.replace(" ", "").endswith("行政执法人员") and "王芳" in line for line in lines)
    longer = [line for line in lines if "深圳市福田区" in line and "王芳" not in line]
    assert len(longer) >= 2  # wrapped: set smaller would be illegible
