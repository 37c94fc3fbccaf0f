"""Chinese line breaking: the break moves back so no line starts with closing punctuation."""

from __future__ import annotations

import io

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import SimpleDocTemplate

from fuanjian_desktop.documents.fonts import face
from fuanjian_desktop.documents.linebreak import (
    CANNOT_START,
    ChineseParagraph,
    break_before,
    hangs,
)
from tests.documents.pdf_reading import lines_starting_with_closing, page_lines


def test_a_line_may_end_before_an_ordinary_character() -> None:
    assert break_before("经查你单位存在下列问题", 0, 5) == 5


@pytest.mark.parametrize("closing", sorted("，。、；：！？）》」』】〕…”’"))
def test_closing_punctuation_is_pushed_down_with_the_character_before_it(closing: str) -> None:
    chars = f"经查你单位存在{closing}问题"
    assert break_before(chars, 0, 7) == 6  # 在 moves down with the punctuation


def test_closing_marks_in_a_row_all_move_down_with_the_character_before_them() -> None:
    chars = "依据《安全生产法》）。规定"
    assert break_before(chars, 0, 10) == 7  # 法》）。 start the next line


def test_an_opening_mark_never_ends_a_line() -> None:
    assert break_before("违反了《安全生产法》", 0, 4) == 3


def test_a_number_is_not_cut() -> None:
    assert break_before("罚款人民币12500元", 0, 8) == 5


def test_an_impossible_line_still_breaks() -> None:
    assert break_before("。。。。", 0, 2) == 2


def test_one_closing_mark_hangs_in_the_margin_two_do_not() -> None:
    assert hangs("也没有考试。", 5)
    assert not hangs("依据《条例》）。规定", 5)
    assert not hangs("也没有考试", 4)


def test_the_list_covers_what_the_issue_names() -> None:
    assert set("，。、；：！？）》」…") <= CANNOT_START


def test_a_rendered_paragraph_never_starts_a_line_with_closing_punctuation() -> None:
    style = ParagraphStyle("t", fontName=face("fang").name, fontSize=12, leading=20, wordWrap="CJK")
    # every position of the punctuation relative to the line end occurs at least once
    text = "".join(
        f"现责令你单位{'整' * (i % 7)}改完毕，（第{i}项）。依据《条例》；" for i in range(60)
    )
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([ChineseParagraph(text, style)])
    pdf = buffer.getvalue()
    assert len(page_lines(pdf)[0]) > 20
    assert lines_starting_with_closing(pdf) == []
